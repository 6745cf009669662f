"""Cache keys: the code's digest counts the versions of the libraries that shape the output."""

from __future__ import annotations

from importlib.metadata import version

from guide.store.keys import LIBRARIES, library_versions


def test_library_versions_are_those_installed() -> None:
    assert library_versions() == [version(name) for name in LIBRARIES]

"""Shared fixtures: the seed, the real guide, project copies and builds of the real tips made once per
session. Helper functions live in ``helpers.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import ROOT, SEED, Seed, SeedCategory, build_pdfs, copy_project, made_once

from guide.content.loader import load_guide
from guide.content.model import Guide


def pytest_configure(config: pytest.Config) -> None:
    # ziamath (math typesetting) still uses a deprecated importlib.resources call.
    config.addinivalue_line("filterwarnings", "ignore:path is deprecated:DeprecationWarning:ziamath")


# --- the seed ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed() -> Seed:
    return SEED


@pytest.fixture(params=SEED.categories, ids=lambda category: category.name)
def seed_category(request: pytest.FixtureRequest) -> SeedCategory:
    """Each category of the seed in turn."""
    return request.param


# --- words and PDFs -----------------------------------------------------------------------------------------


# --- projects and builds ------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _as_a_user_builds() -> Iterator[None]:
    """Builds run without SOURCE_DATE_EPOCH, as a user's do, even where CI sets it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@pytest.fixture(scope="session")
def real_guide() -> Guide:
    """The project's own guide.yaml and tips, loaded."""
    return load_guide(ROOT)


@pytest.fixture(scope="session")
def session_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project shared by the session's builds: do not modify it."""
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(session_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``built(format, paper=None)``: the output folder of that build of the real tips, built once per test
    run and shared by the pytest-xdist workers."""
    outputs: dict[tuple[str, str | None], Path] = {}

    def get(format: str, paper: str | None = None) -> Path:
        if (format, paper) not in outputs:
            outputs[format, paper] = made_once(tmp_path_factory, f"built-{format}-{paper or 'default'}",
                                               lambda folder: build_pdfs(session_project, format, folder, paper))
        return outputs[format, paper]

    return get



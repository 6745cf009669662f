"""Tips may use files inside the project, never other files or the network."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pypdf import PdfReader

from guide.commands.build import build
from guide.render.fetcher import ProjectFetcher, RefusedURL

RED_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


@pytest.fixture
def fetcher(tmp_path: Path) -> ProjectFetcher:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "inside.txt").write_text("inside")
    (tmp_path / "outside.txt").write_text("outside")
    (tmp_path / "project" / "link.txt").symlink_to(tmp_path / "outside.txt")
    return ProjectFetcher((tmp_path / "project",))


@pytest.mark.parametrize(
    "url",
    ["outside.txt", "project/../outside.txt", "project/link.txt", "https://example.com/a.png",
     "http://127.0.0.1/a.png", "ftp://example.com/a.png"],
)
def test_files_outside_the_project_and_the_network_are_refused(
    fetcher: ProjectFetcher, tmp_path: Path, url: str
) -> None:
    with pytest.raises(RefusedURL):
        fetcher.fetch(url if ":" in url else f"{tmp_path.as_uri()}/{url}")


@pytest.mark.parametrize(("url", "content"), [("project/inside.txt", b"inside"), ("data:,inline", b"inline")])
def test_project_files_and_data_urls_are_served(
    fetcher: ProjectFetcher, tmp_path: Path, url: str, content: bytes
) -> None:
    assert fetcher.fetch(url if ":" in url else f"{tmp_path.as_uri()}/{url}").read() == content


def test_build_embeds_project_images_and_warns_about_refused_ones_by_tip(tmp_path: Path) -> None:
    tips = tmp_path / "tips"
    tips.mkdir()
    (tips / "inside.png").write_bytes(RED_PIXEL_PNG)
    body = "![a](inside.png) ![b](/etc/hostname) ![c](https://example.com/c.png)"
    (tips / "a.yaml").write_text(f"category: Images\ntips:\n  - title: Pictures\n    body: '{body}'\n")
    _, warnings = build(tmp_path, ["handouts"], tmp_path / "output")
    assert len(PdfReader(tmp_path / "output" / "handouts" / "images.pdf").pages[0].images) == 1
    assert sorted(warning.rsplit("/a.yaml:", 1)[-1] for warning in warnings) == [
        '3: tip "pictures": refused file:///etc/hostname (outside the project)',
        '3: tip "pictures": refused https://example.com/c.png (outside the project)',
    ]

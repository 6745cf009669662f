"""Tips may use files inside the project, never other files or the network."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from helpers import huge_png
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
    url = url if ":" in url else f"{tmp_path.as_uri()}/{url}"
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert [refusal.url for refusal in fetcher.refused] == [url]


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
        '3: tip "pictures": image /etc/hostname is outside the project; shown as a placeholder',
        ('3: tip "pictures": image https://example.com/c.png is on the network, which tips may not reach; '
        "shown as a placeholder"),
    ]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name looked up and every internet socket opened, in this process (one worker)."""
    import socket

    seen: list[str] = []

    def resolver(name: str):
        def record(host, *args, **kwargs):
            seen.append(f"{name}({host!r})")
            raise OSError("no network in this test")
        return record

    class Socket(socket.socket):
        def __init__(self, family=-1, *args, **kwargs):
            if family in (socket.AF_INET, socket.AF_INET6, -1):
                seen.append(f"socket(family={family})")
            super().__init__(family, *args, **kwargs)

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, resolver(name))
    monkeypatch.setattr(socket, "socket", Socket)
    monkeypatch.setenv("GUIDE_JOBS", "1")
    return seen


@pytest.mark.parametrize("host", ["some-host.invalid", "localhost", "127.0.0.1"])
def test_a_file_url_naming_a_host_is_refused_before_anything_resolves_it(
    tmp_path: Path, no_network: list[str], host: str
) -> None:
    tips = tmp_path / "tips"
    tips.mkdir()
    (tips / "ok.png").write_bytes(RED_PIXEL_PNG)
    (tips / "picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="file://{host}{tips}/ok.png" width="10" height="10"/></svg>')
    body = f"<img src='file://{host}{tips}/ok.png'> ![svg](picture.svg)"
    (tips / "a.yaml").write_text(f'category: Hosts\ntips:\n  - title: Host\n    body: "{body}"\n')
    _, warnings = build(tmp_path, ["handouts", "cheatsheet"], tmp_path / "output")
    assert no_network == []
    assert any(f"refused file://{host}" in warning and "a.yaml:3" in warning for warning in warnings), warnings


def test_a_fifo_or_device_is_refused_without_waiting(fetcher: ProjectFetcher, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "project" / "fifo.png")
    (tmp_path / "project" / "zero.png").symlink_to("/dev/zero")
    with pytest.raises(RefusedURL, match="not a regular file"):
        fetcher.fetch(f"{tmp_path.as_uri()}/project/fifo.png")
    with pytest.raises(RefusedURL, match="only files inside the project"):
        fetcher.fetch(f"{tmp_path.as_uri()}/project/zero.png")


def test_a_picture_of_too_many_pixels_is_refused_from_its_header(fetcher: ProjectFetcher, tmp_path: Path) -> None:
    """A 12000 x 12000 PNG of a few kilobytes would take over a gigabyte once decoded."""
    path = tmp_path / "project" / "bomb.png"
    path.write_bytes(huge_png(12000, 12000))
    assert path.stat().st_size < 100_000
    with pytest.raises(RefusedURL, match="12000 x 12000 pixels is larger than 40 million pixels"):
        fetcher.fetch(path.as_uri())


def test_pictures_left_out_are_warned_by_the_tip_that_shows_them(tmp_path: Path) -> None:
    """The fetcher's refusals and the pictures WeasyPrint could not read reach the build as records, and
    the build names the tip whose HTML refers to each picture (here the second tip, not the first)."""
    tips = tmp_path / "tips"
    tips.mkdir()
    (tips / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not a picture")
    (tips / "bomb.png").write_bytes(huge_png(12000, 12000))
    (tips / "a.yaml").write_text("category: Images\ntips:\n  - title: Words\n    body: No picture.\n"
                                 "  - title: Pictures\n    body: '![b](broken.png) ![c](bomb.png)'\n")
    _, warnings = build(tmp_path, ["handouts"], tmp_path / "output")
    prefix = f'{tips}/a.yaml:5: tip "pictures": '
    assert sorted(warnings) == [
        f"{prefix}could not load image {(tips / 'broken.png').as_uri()} (Truncated File Read)",
        (f"{prefix}refused {(tips / 'bomb.png').as_uri()} (a picture of 12000 x 12000 pixels is larger than 40 "
         "million pixels; scale it down)")]

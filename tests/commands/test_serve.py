"""``guide serve``: the tips page, page pictures, errors on the page, safe file routes, and a real browser
that updates itself after a save."""

from __future__ import annotations

import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from guide.commands.init import init
from guide.commands.serve import Project, Server

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A new three-tip guide (one category, tips tagged writing, flashcards, command line)."""
    init(tmp_path / "small")
    return tmp_path / "small"


@pytest.fixture
def server(small: Path) -> Iterator[Server]:
    """``guide serve --format cheatsheet`` on a free loopback port."""
    running = Server(Project(small, ("cheatsheet",)), "127.0.0.1", 0).start()
    yield running
    running.close()


def get(server: Server, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(server.url.rstrip("/") + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_tips_page_shows_every_tip_by_category_with_tag_filters_and_source_lines(server: Server) -> None:
    wait_until(lambda: server.state.snapshot.guide is not None)
    status, page = get(server, "/")
    assert status == 200
    assert '<h1 class="accent">Example</h1>' in page
    for title in ("Tips are Markdown", "Ask a question on the card front", "Tags pick a deck"):
        assert f"<h2>{title}</h2>" in page
    assert 'data-tag="command line"' in page and 'data-tag="writing"' in page
    assert "example.yaml:8" in page
    assert "<strong>Markdown</strong>" in page  # the body as HTML, not as its source


def test_format_page_pictures_every_pdf_page_and_links_the_pdf(server: Server) -> None:
    wait_until(lambda: "cheatsheet" in server.state.snapshot.pictures)
    status, page = get(server, "/format/cheatsheet")
    assert status == 200
    assert '<a href="/output/cheatsheet.pdf#page=1"><img src="/output/preview/cheatsheet-1.png' in page
    with urllib.request.urlopen(server.url + "output/preview/cheatsheet-1.png", timeout=10) as response:
        assert response.headers["Content-Type"] == "image/png" and response.read(8) == b"\x89PNG\r\n\x1a\n"
    with urllib.request.urlopen(server.url + "output/cheatsheet.pdf", timeout=10) as response:
        assert response.read(5) == b"%PDF-"
    assert get(server, "/format/flashcards")[0] == 404  # not served: only --format cheatsheet was asked for


def test_a_broken_save_shows_file_and_line_on_the_page_and_keeps_the_last_good_tips(server: Server,
                                                                                      small: Path) -> None:
    wait_until(lambda: server.state.snapshot.guide is not None)
    edit(small / "tips" / "example.yaml", "  - title: Tags pick a deck\n", "  - title: Tags pick a deck\n    oops\n")
    wait_until(lambda: server.state.snapshot.problems)
    page = get(server, "/")[1]
    assert 'role="alert"' in page
    assert "example.yaml:26:5: invalid YAML" in page
    assert "<h2>Tags pick a deck</h2>" in page  # the last good tips stay
    edit(small / "tips" / "example.yaml", "    oops\n", "")
    wait_until(lambda: not server.state.snapshot.problems)
    assert 'role="alert"' not in get(server, "/")[1]


def test_files_outside_the_output_and_tips_folders_are_never_served(server: Server, small: Path) -> None:
    (small / "tips" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert get(server, "/source/picture.png")[0] == 200
    for path in ("/output/../guide.yaml", "/output/%2e%2e/guide.yaml", "/source/../guide.yaml",
                 "/source/example.yaml", "/source/..%2F..%2F..%2Fetc/passwd", "/fonts/../../etc/passwd", "/x"):
        assert get(server, path)[0] == 404, path


def test_pages_answer_only_to_a_loopback_host_name(server: Server) -> None:
    port = server.http.server_address[1]
    for host, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200),
                         (f"attacker.example:{port}", 421), ("", 421)):
        request = urllib.request.Request(server.url, headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                assert (host, response.status) == (host, status)
        except urllib.error.HTTPError as error:
            assert (host, error.code) == (host, status)


def test_the_server_listens_on_loopback_by_default(small: Path) -> None:
    running = Server(Project(small, ("cheatsheet",)), port=0)
    try:
        assert running.http.server_address[0] == "127.0.0.1"
    finally:
        running.http.server_close()
        running.builder.close()


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium; .ci/run does)")
def test_the_browser_page_updates_itself_after_a_save(server: Server, small: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    tips = small / "tips" / "example.yaml"
    with sync_api.sync_playwright() as playwright:
        # Root in a container cannot use chromium's sandbox.
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            page = browser.new_page()
            page.goto(server.url)
            page.get_by_role("heading", name="Tips are Markdown").wait_for()
            loaded = page.evaluate("document.fonts.ready.then(fonts => [...fonts].filter("
                                   "face => face.status === 'loaded').map(face => face.family))")
            assert any("Guide Sans" in family for family in loaded)  # the guide's own type, served locally
            page.get_by_role("button", name="command line").click()
            assert page.locator(".tip:visible").count() == 1
            page.get_by_role("button", name="command line").click()
            page.get_by_role("searchbox").fill("front")
            assert [title.strip() for title in page.locator(".tip:visible h2").all_inner_texts()] == \
                ["Ask a question on the card front"]
            page.get_by_role("searchbox").fill("")

            saved = time.monotonic()
            edit(tips, "title: Tips are Markdown", "title: Tips are written in Markdown")
            page.get_by_role("heading", name="Tips are written in Markdown").wait_for(timeout=3000)
            assert time.monotonic() - saved < 3
            assert page.locator("#search").count() == 1  # the page was updated in place, not reloaded blank

            page.goto(server.url + "format/cheatsheet")
            page.locator(".pictures img").first.wait_for(timeout=60000)
            assert page.locator(".pictures img").first.evaluate("image => image.naturalWidth") > 0
        finally:
            browser.close()


def test_ctrl_c_stops_the_command_even_with_a_page_listening(small: Path) -> None:
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "guide", "serve", "--port", "0", "--format", "cheatsheet"]
    # A shell running tests in the background ignores SIGINT, and so would the command; a terminal's Ctrl-C is not ignored.
    process = subprocess.Popen(command, cwd=small, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = process.stdout.readline()
        assert first.startswith("serving on http://127.0.0.1:") and first.endswith("/ (Ctrl-C to stop)\n")
        url = first.split()[2]
        with urllib.request.urlopen(url + "events", timeout=10) as events:
            assert events.readline() == b"event: update\n"
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert (process.returncode, output) == (0, "stopped\n")

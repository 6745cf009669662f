"""Hostile tips: raw HTML that tries to run, fetch, embed or template must print as harmless text.

One project holds every trick; it is built once (all formats) while a loopback HTTP server records
every connection made to it.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import words
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from guide.cli import main

OWN_IMAGE_SIZE = (2, 3)  # the project's own picture; the server hands out 5 x 7 pictures
SERVED_IMAGE_SIZE = (5, 7)


def png(size: tuple[int, int], colour: str) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", size, colour).save(stream, "PNG")
    return stream.getvalue()


class Recorder(http.server.ThreadingHTTPServer):
    """A loopback server that answers anything with a picture and remembers every connection."""

    daemon_threads = True

    def __init__(self) -> None:
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Recorder

    def setup(self) -> None:
        self.server.seen.append(f"connection from {self.client_address}")
        super().setup()

    def _answer(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        body = png(SERVED_IMAGE_SIZE, "blue")
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.shutdown()
        recorder.server_close()
        thread.join(timeout=5)


def hostile_body(base: str) -> str:
    """Every way raw HTML in a tip could fetch, embed or run something; ``base`` is the server's URL."""
    return f"""\
Plain text before the tricks.

<script src="{base}/script.js">document.write("script ran")</script>
<style>@import url("{base}/import.css"); body {{ background: url({base}/style-background.png) }}</style>
<link rel="stylesheet" href="{base}/link.css">
<link rel="attachment" href="{base}/link-attachment.txt">
<iframe src="{base}/frame.html"></iframe>
<form action="{base}/form"><input type="image" src="{base}/input.png"><input name="q"></form>
<object data="{base}/object.png" type="image/png"></object>
<embed src="{base}/embed.png">
<video poster="{base}/poster.png" src="{base}/video.mp4"></video>
<svg><image href="{base}/svg-image.png" width="10" height="10"/></svg>

<p>
<img src="{base}/img.png" srcset="{base}/srcset.png 2x">
<img src="file:///etc/passwd">
<img src="../../../etc/passwd">
<span style="background-image: url({base}/attribute-background.png)">styled span</span>
<a rel="attachment" href="{base}/attachment.txt">remote attachment</a>
<a rel="attachment" href="own.png">own attachment</a>
<a href="javascript:alert(1)" onclick="alert(2)">script link</a>
</p>

<table background="{base}/table.png"><tr><td background="{base}/cell.png">cell</td></tr></table>

![markdown image]({base}/markdown.png)

Plain text after the tricks.
"""


# Refused references that survive sanitising (images), each expected in a warning naming the tip.
def refused_images(base: str) -> list[str]:
    return [f"{base}/img.png", "file:///etc/passwd", "etc/passwd", f"{base}/markdown.png"]


JINJA_BODY = "Seven sevens: {{ 7*7 }}. Loop: {% for x in range(3) %}loop{% endfor %}. Comment: {# hidden? #}"


@dataclass(frozen=True)
class Built:
    project: Path
    output: str
    exit_code: int
    base: str
    tip_line: int


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture(scope="module")
def built(server: Recorder, tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = tmp_path_factory.mktemp("hostile")
    tips = project / "tips"
    tips.mkdir()
    (tips / "own.png").write_bytes(png(OWN_IMAGE_SIZE, "red"))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    intro = f'<img src="{base}/intro.png"><script>alert(0)</script><style>@import "{base}/intro.css";</style> Intro.'
    lines = [
        "category: Hostile",
        f"intro: {yaml_quote(intro)}",
        "tips:",
        "  - title: Hostile HTML",
        f"    body: {yaml_quote(hostile_body(base))}",
        "  - title: Own picture",
        "    body: 'Our own picture: ![own](own.png)'",
        "  - title: Jinja {{ 7*7 }} stays literal",
        f"    body: {yaml_quote(JINJA_BODY)}",
        "  - title: <b>not bold</b> & <i>not italic</i>",
        f"    question: {yaml_quote(f'<img src={base}/question.png> Escaped question?')}",
        "    body: Escaped title.",
    ]
    (tips / "hostile.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = CliRunner().invoke(main, ["build", "--format", "all"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return Built(project, result.output, result.exit_code, base, tip_line=4)


def pdfs(built: Built) -> list[Path]:
    found = sorted((built.project / "output").rglob("*.pdf"))
    assert found, built.output
    return found


def image_sizes(reader: PdfReader) -> list[tuple[int, int]]:
    """(width, height) of every image XObject on every page, also inside form XObjects."""
    sizes = []
    seen: set[int] = set()

    def walk(resources: DictionaryObject | None) -> None:
        xobjects = (resources or {}).get("/XObject")
        for reference in (xobjects.get_object() if xobjects else {}).values():
            key = getattr(reference, "idnum", None) or id(reference)
            if key in seen:
                continue
            seen.add(key)
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return sizes


def test_build_succeeds(built: Built) -> None:
    assert built.exit_code == 0, built.output
    assert "Traceback" not in built.output


def test_server_saw_no_request(built: Built, server: Recorder) -> None:
    assert server.seen == []


def test_pdfs_have_no_attachments_and_no_scripts(built: Built) -> None:
    for path in pdfs(built):
        data = path.read_bytes()
        assert not PdfReader(path).attachments, path
        assert b"/EmbeddedFile" not in data, path
        assert b"/JavaScript" not in data and b"/JS " not in data, path
        assert b"javascript:" not in data.lower(), path


def test_only_the_projects_own_picture_is_embedded(built: Built) -> None:
    for path in pdfs(built):
        sizes = image_sizes(PdfReader(path))
        assert sizes and set(sizes) == {OWN_IMAGE_SIZE}, (path, sizes)


def test_every_tip_title_is_printed(built: Built) -> None:
    titles = ["Hostile HTML", "Own picture", "Jinja {{ 7*7 }} stays literal", "<b>not bold</b> & <i>not italic</i>"]
    for path in pdfs(built):
        text = words("\n".join(page.extract_text() for page in PdfReader(path).pages))
        for title in titles:
            assert all(word in text for word in words(title)), (path, title)


def test_text_around_the_tricks_is_kept(built: Built) -> None:
    text = " ".join(PdfReader(built.project / "output" / "handouts" / "hostile.pdf").pages[0].extract_text().split())
    assert "Plain text before the tricks." in text
    assert "Plain text after the tricks." in text
    assert "script ran" not in text


def test_tip_text_is_never_run_as_a_template(built: Built) -> None:
    reader = PdfReader(built.project / "output" / "handouts" / "hostile.pdf")
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "{{ 7*7 }}" in flat
    assert "{% for x in range(3) %}loop{% endfor %}" in flat
    assert "{# hidden? #}" in flat
    assert "49" not in flat and "looploop" not in flat
    assert "<b>not bold</b> & <i>not italic</i>" in flat


def test_refused_references_are_warned_by_tip(built: Built) -> None:
    warnings = [line for line in built.output.splitlines() if line.startswith("warning: ")]
    prefix = f'warning: tips/hostile.yaml:{built.tip_line}: tip "hostile-html": refused '
    for url in refused_images(built.base):
        assert any(line.startswith(prefix) and url in line for line in warnings), (url, warnings)


def test_every_warning_names_a_file(built: Built) -> None:
    warnings = [line for line in built.output.splitlines() if line.startswith("warning: ")]
    assert warnings
    assert all(re.match(r"warning: tips/hostile\.yaml:\d+: ", line) for line in warnings), warnings


def test_missing_project_image_is_warned_by_tip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "a.yaml").write_text(
        "category: A\ntips:\n  - title: Gone\n    body: '![gone](no-such-picture.png)'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "handouts"])
    assert result.exit_code == 0, result.output
    assert any(line.startswith('warning: tips/a.yaml:3: tip "gone": ') and "no-such-picture.png" in line
               for line in result.output.splitlines()), result.output

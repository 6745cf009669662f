"""Hostile tips: raw HTML that tries to run, fetch, embed or template must print as harmless text.

One project holds every trick; it is built once (all formats) while a loopback HTTP server records
every connection made to it.
"""

from __future__ import annotations

import csv
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import huge_png, run_guide, words
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
    assert "sevens: 49" not in flat and "looploop" not in flat
    assert "<b>not bold</b> & <i>not italic</i>" in flat


def test_refused_references_are_warned_by_tip(built: Built) -> None:
    warnings = [line for line in built.output.splitlines() if line.startswith("warning: ")]
    prefix = f'warning: tips/hostile.yaml:{built.tip_line}: tip "hostile-html": '
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


# --- hostile files: each is refused with a located message, exit status 1 and no traceback ------------------

def alias_bomb(as_key: bool) -> str:
    """A few hundred bytes of YAML whose aliases hold billions of items ("billion laughs")."""
    lines = ["category: Bomb", "anchors:", "  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  - &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 10)]
    lines += ["? *a9\n: value" if as_key else "tips: *a9"]
    return "\n".join(lines) + "\n"


def tip_file(body: str, title: str = "T") -> str:
    return f"category: A\ntips:\n  - title: {yaml_quote(title)}\n    body: {yaml_quote(body)}\n"


TIP = tip_file("Fine.")
LOOP, FIFO, ZERO = object(), object(), object()  # files made specially, not written

# name: (files, expected message (a line of the output starts with "error: " and this), extra command line)
HOSTILE: dict[str, tuple[dict[str, object], str]] = {
    "key given twice": ({"tips/a.yaml": "category: A\ntips:\n  - title: T\n    title: U\n    body: B\n"},
                        'tips/a.yaml:4:5: invalid YAML: the key "title" is given twice (first on line 3, column 5)'),
    "!!omap": ({"tips/a.yaml": "category: A\ntips: !!omap [{title: T}, {body: B}]\n"},
               "tips/a.yaml:2:7: invalid YAML: the tag !!omap is not supported here"),
    "!!pairs": ({"tips/a.yaml": "--- !!pairs\n- category: A\n- tips: [{title: T, body: B}]\n"},
                "tips/a.yaml:1:5: invalid YAML: the tag !!pairs is not supported here"),
    "alias bomb as a key": ({"tips/a.yaml": alias_bomb(as_key=True)},
                            "tips/a.yaml:1:1: invalid YAML: aliases (*name) make this file hold 8,335,593,962 items"),
    "alias bomb as a value": ({"tips/a.yaml": alias_bomb(as_key=False)},
                              "tips/a.yaml:1:1: invalid YAML: aliases (*name) make this file hold"),
    "a list as a key": ({"tips/a.yaml": "category: A\n[1, 2]: x\ntips: []\n"},
                        "tips/a.yaml:2:1: invalid YAML: a key must be a word or text, not a list or mapping"),
    "back_offset nan,inf": ({"guide.yaml": 'flashcards:\n  back_offset: "nan,inf"\n', "tips/a.yaml": TIP},
                            'guide.yaml:2:3: flashcards: "back_offset" offset "nan,inf" must be two numbers between'),
    "back_offset 1e308": ({"guide.yaml": 'flashcards:\n  back_offset: "1e308,1e308"\n', "tips/a.yaml": TIP},
                          'guide.yaml:2:3: flashcards: "back_offset" offset "1e308,1e308" must be two numbers'),
    "printer profile not a mapping": ({"guide.yaml": "printers:\n  office: 5\n", "tips/a.yaml": TIP},
                                      'guide.yaml:2:3: printer "office" must be a mapping of keys to values'),
    "deep quotes": ({"tips/a.yaml": tip_file("> " * 2000 + "deep")},
                    ('tips/a.yaml:4:5: tip "T": the body nests lists, quotes or HTML elements 2000 levels deep; '
                     "at most 32 are allowed")),
    "deep lists": ({"tips/a.yaml": tip_file("\n".join("    " * level + "- item" for level in range(300)))},
                   'tips/a.yaml:4:5: tip "T": the body nests lists, quotes or HTML elements 300 levels deep'),
    "10,000 nested <ul>": ({"tips/a.yaml": tip_file("<ul><li>" * 10000 + "x" + "</li></ul>" * 10000)},
                           'tips/a.yaml:4:5: tip "T": the body nests lists, quotes or HTML elements 10000 levels'),
    "invalid UTF-8": ({"tips/a.yaml": b"category: A\ntips:\n  - title: caf\xe9!\n    body: B\n"},
                      "tips/a.yaml:3:15: is not UTF-8 text (byte 0xe9: invalid continuation byte); save it as UTF-8"),
    "UTF-16": ({"tips/a.yaml": TIP.encode("utf-16")},
               "tips/a.yaml:1:1: is not UTF-8 text (byte 0xff: invalid start byte); it looks like UTF-16"),
    "290-character category name": ({"tips/a.yaml": TIP.replace("category: A", "category: " + "a" * 290)},
                                    ('tips/a.yaml:1:1: category file: "category" makes a file name of 290 '
                                     "characters; shorten it to at most 200")),
    "symlink loop": ({"tips/a.yaml": TIP, "tips/loop.yaml": LOOP},
                     "tips/loop.yaml: cannot be read: Too many levels of symbolic links"),
    "FIFO": ({"tips/a.yaml": TIP, "tips/fifo.yaml": FIFO},
             "tips/fifo.yaml: is not a regular file (a pipe, device or folder); tips must be files"),
    "symlink to /dev/zero": ({"tips/a.yaml": TIP, "tips/zero.yaml": ZERO},
                             "tips/zero.yaml: is not a regular file (a pipe, device or folder)"),
}


def write_project(root: Path, files: dict[str, object]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is LOOP:
            path.symlink_to(path.name)
        elif content is FIFO:
            os.mkfifo(path)
        elif content is ZERO:
            path.symlink_to("/dev/zero")
        else:
            path.write_bytes(content if isinstance(content, bytes) else str(content).encode())
    return root


@pytest.mark.parametrize("command", [["check", "--no-fit"], ["build", "--format", "handouts"]])
@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_file_is_refused_with_its_place(case: str, command: list[str], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    files, expected = HOSTILE[case]
    project = write_project(tmp_path, files)
    started = time.perf_counter()
    result = run_guide(project, monkeypatch, *command)
    assert time.perf_counter() - started < 20
    assert result.exit_code == 1, result.output
    assert any(line.startswith(f"error: {expected}") for line in result.output.splitlines()), result.output
    assert "Traceback" not in result.output
    assert not list(project.rglob("*.pdf"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_tips_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path, {"tips/a.yaml": TIP})
    (project / "tips" / "a.yaml").chmod(0)
    result = run_guide(project, monkeypatch, "check", "--no-fit")
    assert result.exit_code == 1
    assert "error: tips/a.yaml: cannot be read: Permission denied" in result.output


def test_guide_jobs_that_is_not_a_number_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path, {"tips/a.yaml": TIP})
    monkeypatch.setenv("GUIDE_JOBS", "abc")
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 1
    assert result.output == 'error: GUIDE_JOBS="abc" must be a whole number of processes, like 2\n'


def test_a_picture_of_too_many_pixels_is_left_out_with_a_located_warning(tmp_path: Path) -> None:
    """12000 x 12000 pixels in 17 KB: decoded, 1.2 GB. The build reads its size from the header and moves on."""
    project = write_project(tmp_path, {"tips/a.yaml": tip_file("Before ![too big](images/bomb.png) after."),
                                       "images/bomb.png": huge_png(12000, 12000)})
    (project / "tips" / "images").symlink_to(project / "images")
    script = ("import resource, sys; from guide.cli import main\n"
              "try:\n    main(['build', '--format', 'handouts'])\nexcept SystemExit as exit:\n    code = exit.code\n"
              "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"} | {"GUIDE_JOBS": "1"}
    result = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    megabytes = int(re.search(r"maxrss (\d+)", result.stderr)[1]) // 1024
    assert megabytes < 400, megabytes
    assert re.search(r'warning: tips/a\.yaml:3: tip "t": refused \S+/bomb\.png \(a picture of 12000 x 12000 pixels is '
                     r"larger than 40 million pixels; scale it down\)", result.stderr), result.stderr
    assert "DecompressionBomb" not in result.stderr
    text = " ".join(PdfReader(project / "output" / "handouts" / "a.pdf").pages[0].extract_text().split())
    assert "Before" in text and "too big" in text  # the picture's words stand in its place


def test_guide_list_escapes_control_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    title = r"Clear\e[2J\e]0;owned\a title\nforged-row  Forged title"  # YAML escapes: ESC, BEL, line break
    project = write_project(tmp_path, {"tips/a.yaml": f'category: A\ntips:\n  - title: "{title}"\n    body: B\n'})
    result = run_guide(project, monkeypatch, "list", "--no-fit")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Clear\\x1b[2J\\x1b]0;owned\\x07 title\\nforged-row  Forged title" in result.output
    assert not any(line.lstrip().startswith("forged-row") for line in result.output.splitlines())


FORMULAS = ["=HYPERLINK(\"http://example.com\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("to", ["csv", "tsv"])
def test_export_neutralises_formulas_unless_asked_for_raw_cells(to: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    tips = "category: A\ntips:\n" + "".join(
        f"  - title: Formula {index}\n    question: {yaml_quote(formula)}\n    body: {yaml_quote(formula)}\n"
        for index, formula in enumerate(FORMULAS))
    project = write_project(tmp_path, {"tips/a.yaml": tips})
    assert run_guide(project, monkeypatch, "export", "--to", to).exit_code == 0
    rows = (project / "output" / f"flashcards.{to}").read_text(encoding="utf-8")
    cells = list(csv.reader(io.StringIO(rows), delimiter="," if to == "csv" else "\t"))
    fronts = [row[0] for row in (cells[1:] if to == "csv" else cells)]
    assert fronts and all(not front.startswith(("=", "+", "-", "@", "\t", "\r")) for front in fronts), fronts
    assert fronts[0] == "'" + FORMULAS[0]
    assert run_guide(project, monkeypatch, "export", "--to", to, "--raw-cells").exit_code == 0
    raw = (project / "output" / f"flashcards.{to}").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(raw), delimiter="," if to == "csv" else "\t"))[1 if to == "csv" else 0][0] \
        == FORMULAS[0]


def test_guarded_cells_come_back_as_they_were_through_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "a", {"tips/a.yaml": "category: A\ntips:\n  - title: Minus\n"
                                                            "    question: '-1 or +1?'\n    body: '=both'\n"})
    assert run_guide(project, monkeypatch, "export", "--to", "csv").exit_code == 0
    other = write_project(tmp_path / "b", {})
    assert run_guide(other, monkeypatch, "import", str(project / "output" / "flashcards.csv")).exit_code == 0
    assert "question: -1 or +1?" in (other / "tips" / "a.yaml").read_text(encoding="utf-8")


def test_a_file_the_build_cannot_read_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error the build did not foresee (here reading a picture in tips/) still names its file."""
    project = write_project(tmp_path, {"tips/a.yaml": TIP, "tips/picture.png": b"png"})
    read_bytes = Path.read_bytes

    def refused(path: Path) -> bytes:
        if path.name == "picture.png":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 1
    assert result.output == "error: tips/picture.png: Permission denied\n"

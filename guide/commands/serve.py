"""``guide serve``: a local web server that shows the tips as a web page and the PDFs' pages as pictures,
rebuilt on every save; open pages update themselves through server-sent events.

Two threads keep the :class:`State` current: the watcher reloads the tips (fast, so the tips page follows
a save within a second) and wakes the PDF builder, which rebuilds the PDFs and their pictures (slower;
saves made meanwhile are folded into one more build). The standard library's ``ThreadingHTTPServer``
serves a handful of routes; every request reads the latest :class:`Snapshot`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import mimetypes
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from guide.commands import watch
from guide.commands.preview import Picture, render_pages
from guide.content.model import Guide
from guide.errors import GuideError

PICTURE_DPI = 72
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, so proxies and browsers keep it open
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


@dataclass(frozen=True)
class Snapshot:
    """What the pages show: the last good guide and pictures, and the problems of the latest attempt."""

    generation: int = 0
    guide: Guide | None = None
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    pictures: dict[str, tuple[Picture, ...]] = field(default_factory=dict)  # format -> its pages
    building: bool = False


class State:
    """The latest :class:`Snapshot`; each change bumps its generation and wakes the event streams."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._snapshot = Snapshot()
        self.closed = False

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def publish(self, **changes: Any) -> Snapshot:
        with self._changed:
            self._snapshot = dataclasses.replace(self._snapshot, generation=self._snapshot.generation + 1, **changes)
            self._changed.notify_all()
            return self._snapshot

    def wait_past(self, generation: int, timeout: float) -> Snapshot:
        """The snapshot once its generation passes ``generation``, or as it is after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._snapshot.generation > generation, timeout)
            return self._snapshot

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


@dataclass
class Project:
    """What to build and where: the build command's places, settings and selection."""

    root: Path
    formats: tuple[str, ...]
    tips_dir: Path | None = None
    output: Path | None = None
    given: dict[str, Any] = field(default_factory=dict)  # the command line's settings and deck selection

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.tips_dir = (self.tips_dir or self.root / "tips").resolve()
        self.output = (self.output or self.root / "output").resolve()

    def load(self) -> Guide:
        from guide.content.loader import load_guide

        selection = (self.given.get("categories", ()), self.given.get("tags", ()))
        return load_guide(self.root, self.tips_dir, self.given).select(*selection)

    def build(self) -> tuple[dict[str, tuple[Picture, ...]], list[str]]:
        """Build the PDFs, picture the pages of those rewritten (or never pictured); pictures by format."""
        from guide.commands.build import build

        written, warnings = build(self.root, self.formats, self.output, self.tips_dir, self.given)
        pictures: dict[str, list[Picture]] = {}
        for pdf in written:
            relative = pdf.path.relative_to(self.output)
            folder = self.output / "preview" / relative.parent
            width = len(str(pdf.pages))
            kept = [Picture(folder / f"{pdf.path.stem}-{number:0{width}d}.png", pdf.path, number)
                    for number in range(1, pdf.pages + 1)]
            fresh = pdf.reused and all(picture.path.is_file() for picture in kept)
            pages = kept if fresh else render_pages(pdf.path, folder, dpi=PICTURE_DPI)
            pictures.setdefault(relative.parts[0].removesuffix(".pdf"), []).extend(pages)
        return {name: tuple(pages) for name, pages in pictures.items()}, warnings


class Builder:
    """Keeps ``state`` current for ``project``: :meth:`reload` the tips now, PDFs on a thread of their own."""

    def __init__(self, project: Project, state: State) -> None:
        self.project, self.state = project, state
        self._wanted = threading.Event()
        self._thread = threading.Thread(target=self._build_pdfs, name="guide-serve-pdfs", daemon=True)
        self._thread.start()

    def reload(self) -> None:
        """Load the tips and publish them (or the problems), then ask for the PDFs to be rebuilt."""
        try:
            guide = self.project.load()
        except GuideError as error:
            self.state.publish(problems=tuple(map(str, error.problems)), building=False)
            return
        self.state.publish(guide=guide, problems=(), building=True)
        self._wanted.set()

    def _build_pdfs(self) -> None:
        while self._wanted.wait() and not self.state.closed:
            self._wanted.clear()
            try:
                pictures, warnings = self.project.build()
            except GuideError as error:
                self.state.publish(problems=tuple(map(str, error.problems)), building=False)
            except Exception as error:  # noqa: BLE001 - shown on the page; the server goes on
                self.state.publish(problems=(f"{type(error).__name__}: {error}",), building=False)
            else:
                self.state.publish(pictures=pictures, warnings=tuple(warnings), building=self._wanted.is_set())

    def close(self, wait: bool = True) -> None:
        """Stop; with ``wait``, once the build under way (if any) is done."""
        self.state.close()
        self._wanted.set()
        if wait:
            self._thread.join()


class Server:
    """``guide serve`` running: the HTTP server, the watcher and the builder, all on daemon threads."""

    def __init__(self, project: Project, host: str = "127.0.0.1", port: int = 8000,
                 announce: Callable[[list[Path]], None] = lambda paths: None) -> None:
        self.project = project
        self.state = State()
        self.builder = Builder(project, self.state)
        self._stop = threading.Event()
        self.sources = watch.Sources(project.root, project.tips_dir)
        self._announce = announce
        self.http = ThreadingHTTPServer((host, port), _handler(self))
        self.http.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Server:
        """Serve and watch on background threads; the first build starts at once."""
        threading.Thread(target=self._watch, name="guide-serve-watch", daemon=True).start()
        threading.Thread(target=self.http.serve_forever, name="guide-serve-http", daemon=True).start()
        return self

    def _watch(self) -> None:
        watch.rebuild_loop(watch.changes(self.sources, self._stop), self.sources, self.builder.reload,
                           self._announce)

    def close(self, wait: bool = True) -> None:
        """Stop serving and watching; with ``wait``, once the build under way (if any) is done."""
        self._stop.set()
        self.http.shutdown()
        self.http.server_close()
        self.builder.close(wait)


def serve(project: Project, host: str, port: int, open_browser: bool, say: Callable[[str], None],
          announce: Callable[[list[Path]], None]) -> None:
    """Run ``guide serve`` until Ctrl-C."""
    server = Server(project, host, port, announce).start()
    say(f"serving on {server.url} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    try:
        threading.Event().wait()
    finally:
        server.close(wait=False)


def page(project: Project, snapshot: Snapshot, format_name: str | None) -> str:
    """The tips page (``format_name`` None) or a format's page pictures, from the project's
    ``serve.html`` and ``serve.css`` (or the built-in ones), in the guide's own styles."""
    from markupsafe import Markup

    from guide.render.fonts import FACES
    from guide.render.theme import Theme

    guide = snapshot.guide
    theme = Theme.for_project(project.root, guide.settings.theme if guide else project.given.get("theme"))
    fonts = "\n".join(f'@font-face {{ font-family: "{family}"; src: url("/fonts/{filename}"); '
                       f"font-weight: {weight}; font-style: {style}; }}"
                       for family, _package, filename, weight, style in FACES)
    sheets = [theme.stylesheet(name).read_text(encoding="utf-8") for name in ("base.css", "serve.css")]
    css = Markup("\n".join([fonts, *sheets]).replace("</", "<\\/"))  # our own sheets; never end the <style>
    pictures = [(picture, _url(project.output, picture.path), _url(project.output, picture.pdf))
                for picture in snapshot.pictures.get(format_name or "", ())]
    return theme.environment().get_template("serve.html").render(
        snapshot=snapshot, guide=guide, settings=guide.settings if guide else None, formats=project.formats,
        current=format_name, pictures=pictures, css=css,
        tags=sorted({tag for tip in guide.tips for tag in tip.tags}, key=str.lower) if guide else [],
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(folder: Path, path: Path) -> str:
    from urllib.parse import quote

    return "/output/" + quote(path.relative_to(folder).as_posix())


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.server_state = server
    return Handler


class _Handler(BaseHTTPRequestHandler):
    """The routes: ``/`` (tips), ``/format/NAME`` (page pictures), ``/events``, and files under
    ``/output/`` (PDFs, pictures), ``/source/`` (images of the tips) and ``/fonts/``."""

    server_state: Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not requests."""

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        server = self.server_state
        if not self._host_allowed():
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "this server answers to its own address only")
        elif path == "/":
            self._page(None)
        elif path.startswith("/format/"):
            self._page(path.removeprefix("/format/"))
        elif path == "/events":
            self._events()
        elif path.startswith("/output/"):
            self._file(server.project.output, path.removeprefix("/output/"), {".pdf", ".png"})
        elif path.startswith("/source/"):
            self._file(server.project.tips_dir, path.removeprefix("/source/"), IMAGE_TYPES)
        elif path.startswith("/fonts/"):
            self._font(path.removeprefix("/fonts/"))
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _host_allowed(self) -> bool:
        """On a loopback address, only requests naming a loopback host: a web page whose own name was
        pointed at 127.0.0.1 (DNS rebinding) must not read the tips."""
        address = self.server.server_address[0]
        if not ipaddress.ip_address(address).is_loopback:
            return True
        host = urlsplit(f"//{self.headers.get('Host', '')}").hostname or ""
        return host == "localhost" or _is_loopback(host)

    def _page(self, format_name: str | None) -> None:
        server = self.server_state
        if format_name is not None and format_name not in server.project.formats:
            self.send_error(HTTPStatus.NOT_FOUND, f"no format {format_name} is served")
            return
        try:
            text = page(server.project, server.state.snapshot, format_name)
        except Exception as error:  # noqa: BLE001 - a broken project template: say so on the page
            text = f"<!DOCTYPE html><title>guide serve</title><pre>{type(error).__name__}: {error}</pre>"
        self._send(text.encode("utf-8"), "text/html; charset=utf-8")

    def _events(self) -> None:
        """Server-sent events: ``update`` with the generation now, then on every change."""
        state = self.server_state.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        generation = -1
        try:
            while not state.closed:
                snapshot = state.wait_past(generation, KEEP_ALIVE)
                if snapshot.generation > generation:
                    generation = snapshot.generation
                    message = json.dumps({"generation": generation, "building": snapshot.building})
                    self.wfile.write(f"event: update\ndata: {message}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _file(self, folder: Path, relative: str, suffixes: set[str]) -> None:
        """A file inside ``folder`` with one of ``suffixes``; nothing outside it, whatever the path says."""
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder) or path.suffix.lower() not in suffixes or not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._send(path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream")

    def _font(self, name: str) -> None:
        from guide.render.fonts import FACES, font_dir

        for _family, package, filename, *_ in FACES:
            if filename == name:
                self._send((font_dir(package) / filename).read_bytes(), "font/ttf")
                return
        self.send_error(HTTPStatus.NOT_FOUND)

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

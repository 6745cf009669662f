"""A URL fetcher that lets WeasyPrint read only files inside the project's own folders."""

from __future__ import annotations

import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

# Pictures are decoded whole: 12000 x 12000 pixels take over a gigabyte however small the file. A Letter
# page scanned at 600 dpi has 34 million pixels.
MAX_PIXELS = 40_000_000


class RefusedURL(ValueError):
    """A reference to something outside the project: WeasyPrint logs it and draws nothing."""


@dataclass(frozen=True)
class Refusal:
    """Something a layout left out: its URL, why, and its ``kind``: ``refused`` (the fetcher would not serve
    it) or ``unreadable`` (served, but not a picture WeasyPrint could read)."""

    url: str
    reason: str
    kind: str = "refused"


class ProjectFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under the allowed folders; refuses the network and everything else,
    recording each refusal in ``refused`` (a list the layout may share)."""

    def __init__(self, roots: tuple[Path, ...], refused: list[Refusal] | None = None):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        # Every file served, so that the build can record what its PDFs depend on.
        self.served: list[Path] = []
        self.refused = [] if refused is None else refused

    def fetch(self, url: str, headers: dict | None = None):
        """Fetch ``url`` if it is a ``data:`` URL or a regular file inside one of the roots."""
        reason = self._refusal(url)
        if reason:
            refusal = Refusal(url, reason)
            if refusal not in self.refused:
                self.refused.append(refusal)
            raise RefusedURL(f"refused {url}: {reason}")
        parts = urlsplit(url)
        if parts.scheme.lower() == "file":
            path = Path(unquote(parts.path)).resolve()
            if path not in self.served:
                self.served.append(path)
        return super().fetch(url, headers)

    def _refusal(self, url: str) -> str | None:
        """Why ``url`` may not be served, or None."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None
        if scheme != "file":
            return "tips may not reach the network"
        # A host, even "localhost", makes urllib look the name up: a DNS query chosen by a tip.
        if parts.netloc:
            return "a file URL may not name a host"
        return self._file_refusal(Path(unquote(parts.path)).resolve())

    def _file_refusal(self, path: Path) -> str | None:
        """Why ``path`` may not be served: unless it is a regular file inside a root and, if a picture, of
        bounded size."""
        if not any(path.is_relative_to(root) for root in self.roots):
            return "only files inside the project may be used"
        try:
            mode = path.stat().st_mode
        except OSError as error:
            return str(error.strerror)
        if not stat.S_ISREG(mode):  # a FIFO never ends, a device may never end
            return "not a regular file"
        size = picture_size(path)
        if size is None or size[0] * size[1] > MAX_PIXELS:
            pixels = "" if size is None else f" of {size[0]} x {size[1]} pixels"
            return f"a picture{pixels} is larger than {MAX_PIXELS // 1_000_000} million pixels; scale it down"
        return None


def picture_size(path: Path) -> tuple[int, int] | None:
    """Width and height in pixels read from the header of the raster picture at ``path`` ((0, 0) if it is
    not one, None if Pillow finds it too large to even describe): nothing is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size
    except Image.DecompressionBombError:
        return None
    except (UnidentifiedImageError, OSError, ValueError):
        return 0, 0

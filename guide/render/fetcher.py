"""A URL fetcher that lets WeasyPrint read only files inside the project's own folders."""

from __future__ import annotations

import stat
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

# Pictures are decoded whole: 12000 x 12000 pixels take over a gigabyte however small the file. A Letter
# page scanned at 600 dpi has 34 million pixels.
MAX_PIXELS = 40_000_000


class RefusedURL(ValueError):
    """A reference to something outside the project: WeasyPrint logs it and draws nothing."""


class ProjectFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under the allowed folders; refuses the network and everything else."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        # Every file served, so that the build can record what its PDFs depend on.
        self.served: list[Path] = []

    def fetch(self, url: str, headers: dict | None = None):
        """Fetch ``url`` if it is a ``data:`` URL or a regular file inside one of the roots."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            # A host, even "localhost", makes urllib look the name up: a DNS query chosen by a tip.
            if parts.netloc:
                raise RefusedURL(f"refused {url}: a file URL may not name a host")
            path = Path(unquote(parts.path)).resolve()
            self._check_file(url, path)
            if path not in self.served:
                self.served.append(path)
        elif scheme != "data":
            raise RefusedURL(f"refused {url}: tips may not reach the network")
        return super().fetch(url, headers)

    def _check_file(self, url: str, path: Path) -> None:
        """Refuse ``path`` unless it is a regular file inside a root and, if a picture, of bounded size."""
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"refused {url}: only files inside the project may be used")
        try:
            mode = path.stat().st_mode
        except OSError as error:
            raise RefusedURL(f"refused {url}: {error.strerror}") from None
        if not stat.S_ISREG(mode):  # a FIFO never ends, a device may never end
            raise RefusedURL(f"refused {url}: not a regular file")
        size = picture_size(path)
        if size is None or size[0] * size[1] > MAX_PIXELS:
            pixels = "" if size is None else f" of {size[0]} x {size[1]} pixels"
            raise RefusedURL(f"refused {url}: a picture{pixels} is larger than {MAX_PIXELS // 1_000_000} "
                             "million pixels; scale it down")


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

"""A URL fetcher that lets WeasyPrint read only files inside the project's own folders."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class RefusedURL(ValueError):
    """A reference to something outside the project: WeasyPrint logs it and draws nothing."""


class ProjectFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under the allowed folders; refuses the network and everything else."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict | None = None):
        """Fetch ``url`` if it is a ``data:`` URL or a file inside one of the roots."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise RefusedURL(f"refused {url}: only files inside the project may be used")
        elif scheme != "data":
            raise RefusedURL(f"refused {url}: tips may not reach the network")
        return super().fetch(url, headers)

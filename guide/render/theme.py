"""Where templates and stylesheets come from: the project's own folders first, then the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_dir(name: str) -> Path:
    """A default theme folder: inside the installed package, or beside it in a source checkout."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class Theme:
    """Ordered template and style folders; a file in an earlier folder overrides one of the same name."""

    template_dirs: tuple[Path, ...]
    style_dirs: tuple[Path, ...]
    # Stylesheets laid over every format's own (``themes/NAME.css``), in order.
    overlays: tuple[str, ...] = ()

    @classmethod
    def for_project(cls, root: Path, name: str | None = None) -> Theme:
        """The project's ``templates/`` and ``styles/`` (where present) before the built-in ones, with
        theme ``name`` (default: "default") laid over the styles."""
        def chain(folder_name: str) -> tuple[Path, ...]:
            folders = [root / folder_name, default_dir(folder_name)]
            unique = dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir())
            return tuple(unique)
        theme = cls(chain("templates"), chain("styles"))
        if not name or name == "default":
            return theme
        overlay = f"themes/{name}.css"
        if not any((folder / overlay).is_file() for folder in theme.style_dirs):
            from guide.errors import GuideError

            known = ", ".join(available(theme.style_dirs))
            raise GuideError(f'no theme "{name}": there is no styles/{overlay} (themes: {known})')
        return cls(theme.template_dirs, theme.style_dirs, (overlay,))

    def environment(self) -> jinja2.Environment:
        """A sandboxed Jinja environment (a shared project's templates cannot run code or read files) that
        autoescapes and fails loudly on undefined names."""
        return SandboxedEnvironment(
            loader=jinja2.ChoiceLoader([_FolderLoader(folder) for folder in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def stylesheet(self, name: str) -> Path:
        """The first ``name`` found along the style folders."""
        for folder in self.style_dirs:
            if (folder / name).is_file():
                return inside(folder, name)
        raise FileNotFoundError(f"no stylesheet {name} in {', '.join(map(str, self.style_dirs))}")


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` where it really lies inside ``folder``: a symlink leading out is refused."""
    from guide.errors import GuideError, Problem

    path = folder / name
    if not path.resolve().is_relative_to(folder.resolve()):
        raise GuideError(Problem(path, f"leads outside {folder.name}/ (to {path.resolve()}); theme files must "
                                       "lie in the project"))
    return path


class _FolderLoader(jinja2.FileSystemLoader):
    """Loads templates from one folder, refusing any that a symlink leads out of it."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str):
        path = self.folder / template
        if path.is_symlink() or path.exists():
            inside(self.folder, template)
            if not path.is_file():  # a FIFO would never end
                raise jinja2.TemplateNotFound(template, f"{path} is not a regular file")
        return super().get_source(environment, template)


def available(style_dirs: tuple[Path, ...]) -> list[str]:
    """Theme names: "default" and every ``themes/NAME.css`` along ``style_dirs``."""
    names = {path.stem for folder in style_dirs for path in (folder / "themes").glob("*.css")}
    return ["default", *sorted(names - {"default"})]

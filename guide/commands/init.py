"""``guide init``: a new study guide, ready to build, on any topic."""

from __future__ import annotations

import json
import re
from pathlib import Path

from guide.errors import GuideError, Problem
from guide.render.theme import default_dir
from guide.store.output import write_atomically

GITIGNORE_LINE = "output/"

SETTINGS = """\
# Guide-wide settings; command-line options override them (see README.md).
title: {title}
subtitle: ""
author: ""
paper: letter        # letter, a4 or legal
language: en         # for hyphenation and the PDF's language tag
# flashcards:        # optional defaults for `guide build` flashcard options
#   card: index-3x5
#   cut_lines: true
"""

EXAMPLE_TIPS = """\
# One file per category. Rename or delete this one once you have written your own.
category: Example
# order: 1                # optional: position among the categories (else file name order)
# color: "#1f4e79"        # optional accent colour, "#rrggbb"
intro: |
  How tips are written: each tip is a title, a Markdown body and, if you like, a question and tags.
tips:
  - title: Tips are Markdown
    question: How do you format the body of a tip?
    body: |
      Write it in **Markdown**: *emphasis*, `inline code`, lists and math:

      - one idea per bullet
      - Pythagoras: $a^2 + b^2 = c^2$
    tags: [writing]

  - title: Ask a question on the card front
    question: What goes on the front of a flashcard?
    body: |
      The tip's `question:`, or its title when it has none. The back holds the body, so phrase
      the question so that the body answers it.
    tags: [flashcards]

  - title: Tags pick a deck
    body: |
      Build only the tips carrying a tag, in every format:

      ```sh
      guide build --tag flashcards
      ```
    tags: [flashcards, command line]
"""

README = """\
# {title}

A study guide made with `guide`: a cheat sheet, flashcards and handouts, printed from the tips in
`tips/`.

## Build

```sh
guide build      # output/cheatsheet.pdf, output/flashcards.pdf, output/handouts/<category>.pdf
guide check      # validate the tips and check that each fits its flashcard; writes nothing
guide list       # the tips as a table
guide preview    # PNG pictures of the pages, in output/preview/
guide watch      # rebuild whenever you save a tip (Ctrl-C stops)
guide export --to anki   # an Anki deck, output/flashcards.apkg
```

Print at 100 % (actual size); `guide build` says how to print the flashcards double-sided.

## Write tips

Put one YAML file per category in `tips/` (see `tips/example.yaml`):

```yaml
category: Verbs                 # display name (required)
tips:
  - title: Irregular past tense          # required, unique: the tip's id is made from it
    question: How is "ir" conjugated in the preterite?   # optional flashcard front; default: the title
    body: |                              # required, Markdown (lists, `code`, tables, $math$)
      fui, fuiste, fue, fuimos, fuisteis, fueron (the same as "ser").
    tags: [preterite]                    # optional; `guide build --tag preterite` picks them
```

Guide-wide settings (title, paper, flashcard card size) are in `guide.yaml`.
{theme}"""

THEME_OWN = """
## Change the look

`templates/` (Jinja) and `styles/` (CSS) are copies of the built-in theme: edit them and rebuild.
Delete a file to go back to the built-in one.
"""

THEME_DEFAULT = """
## Change the look

Put your own copy of a built-in stylesheet or template in `styles/` or `templates/` here and edit it:
a file here replaces the built-in one of the same name (`guide init --with-theme NEW-FOLDER` makes a
guide holding copies of them all). `guide build --theme print` saves ink.
"""


def title_from(folder: Path) -> str:
    """A title from a folder's name: ``spanish-verbs`` becomes ``Spanish Verbs``."""
    words = [word for word in re.split(r"[-_\s]+", folder.resolve().name) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Study Guide"


def plan(target: Path, with_theme: bool = False) -> dict[Path, str | bytes]:
    """Every file ``init`` writes, by path relative to ``target``, with its contents (.gitignore aside)."""
    title = title_from(target)
    files: dict[Path, str | bytes] = {
        Path("guide.yaml"): SETTINGS.format(title=json.dumps(title, ensure_ascii=False)),
        Path("tips/example.yaml"): EXAMPLE_TIPS,
        Path("README.md"): README.format(title=title, theme=THEME_OWN if with_theme else THEME_DEFAULT),
    }
    if with_theme:
        for name in ("templates", "styles"):
            source = default_dir(name)
            for path in sorted(source.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[Path(name) / path.relative_to(source)] = path.read_bytes()
    return files


def init(target: Path, with_theme: bool = False, force: bool = False) -> list[Path]:
    """Write a new guide into ``target`` (created if missing); returns the files written or changed.

    Existing files are never overwritten unless ``force``: the error lists them all and nothing is
    written. An existing ``.gitignore`` gets the ``output/`` line appended when it lacks it.
    """
    if target.exists() and not target.is_dir():
        raise GuideError(Problem(target, "is a file, not a folder"))
    files = plan(target, with_theme)
    existing = [target / path for path in files if (target / path).exists()]
    if existing and not force:
        raise GuideError([Problem(path, "already exists (use --force to overwrite)") for path in existing])
    written = []
    for relative, content in files.items():
        path = target / relative
        write_atomically(content if isinstance(content, bytes) else content.encode(), path)
        written.append(path)
    if _ignore_output(target / ".gitignore"):
        written.append(target / ".gitignore")
    return written


def _ignore_output(path: Path) -> bool:
    """Make ``path`` ignore ``output/``; whether the file changed."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if any(line.strip() in (GITIGNORE_LINE, "/" + GITIGNORE_LINE, "output") for line in text.splitlines()):
        return False
    separator = "\n" if text and not text.endswith("\n") else ""
    write_atomically(f"{text}{separator}{GITIGNORE_LINE}\n".encode(), path)
    return True

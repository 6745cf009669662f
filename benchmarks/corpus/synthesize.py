"""Write a synthetic guide project shaped like real question-and-answer collections, the same every run.

Usage: python benchmarks/corpus/synthesize.py [DIR]   (default: tests/data/realistic)
Answers of 30 to 350 words with the Markdown people write on GitHub: lists right under a paragraph line,
nested lists indented 2, 3 or 4 spaces, code, tables, math, inline HTML, images (one missing), long URLs;
a few cloze tips, and reversed cards for the short answers of one category.
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import sys
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import yaml

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "realistic"
TIPS_PER_CATEGORY = 26
CATEGORIES = {
    "Version Control": ("branches", "rebases", "merge conflicts", "tags", "stashes", "hooks", "submodules",
                        "reflogs", "bisects", "cherry-picks", "remotes", "commit messages"),
    "Python": ("generators", "decorators", "context managers", "dataclasses", "type hints", "virtual envs",
               "f-strings", "dict lookups", "list comprehensions", "async tasks", "imports", "exceptions"),
    "Statistics": ("p-values", "confidence intervals", "Q-Q plots", "A/B tests", "bootstraps", "priors",
                   "outliers", "t-tests", "variances", "sample sizes", "correlations", "distributions"),
    "Databases": ("indexes", "joins", "window functions", "transactions", "query plans", "NULLs",
                  "foreign keys", "deadlocks", "migrations", "views", "CTEs", "isolation levels"),
    "Machine Learning": ("learning rates", "embeddings", "decision trees", "cross-validation folds",
                         "class weights", "feature scalers", "loss functions", "early stopping",
                         "gradient clipping", "tokenizers", "ensembles", "dropout layers"),
    "Command Line": ("pipes", "exit codes", "file globs", "ssh keys", "cron jobs", "environment variables",
                     "process signals", "grep patterns", "symlinks", "permissions", "archives", "aliases"),
}
TITLE_VERBS = ("Understanding", "Debugging", "Choosing", "Explaining", "Testing", "Comparing", "Cleaning up",
               "Reviewing", "Measuring", "Undoing", "Naming", "Scaling")
SUBJECTS = ("the model", "a query planner", "the index", "your colleague", "the interviewer", "a careful reviewer",
            "the test suite", "every branch", "the baseline", "a small sample", "the cache", "the scheduler",
            "this estimate", "the pipeline", "a junior engineer", "the production job")
VERBS = ("reduces", "hides", "changes", "explains", "doubles", "ignores", "protects", "measures", "breaks",
         "simplifies", "delays", "exposes", "rewrites", "validates", "summarises", "skews")
OBJECTS = ("the variance", "most of the latency", "the rollback plan", "an unexpected dependency",
           "the confidence interval", "the reading order", "every intermediate result", "the hot path",
           "a subtle off-by-one error", "the class imbalance", "the commit history", "the memory budget",
           "the null hypothesis", "a flaky assertion", "the join order", "the learning curve")
CLAUSES = ("because the data drifts over time", "when the cache is cold", "unless you pin the versions",
           "before anyone reviews it", "after the first deployment", "so say it out loud in the interview",
           "which is easy to forget under pressure", "and that is usually what they want to hear",
           "even on a tiny dataset", "although the documentation rarely says so", "in nine cases out of ten",
           "if you measure it twice")
INLINE_CODE = ("git commit --amend", "--no-verify", "git rebase -i HEAD~3", "pip install -e '.[test]'",
               "python -m pytest -x -q", "ls -la --color=auto", "SELECT DISTINCT", "x-request-id",
               "git push --force-with-lease", "df.groupby('user-id')", "--dry-run", "rm -rf build/",
               "sklearn.model_selection.StratifiedKFold", "kubectl get pods -n kube-system")
LONG_WORDS = ("pneumonoultramicroscopicsilicovolcanoconiosis",
              "https://example.org/docs/reference/configuration/advanced/options/with/a/very/long/path/index.html",
              "spark.sql.adaptive.coalescePartitions.initialPartitionNum",
              "Donaudampfschifffahrtsgesellschaftskapitänswitwe")
IMAGES = ("images/diagram.png", "images/icon.png", "images/wide-chart.png")
MISSING_IMAGE = "images/not-there.png"
WIDE_FORMULA = (r"L(\theta) = -\frac{1}{N}\sum_{i=1}^{N}\left[y_i \log \sigma(w^T x_i + b) + (1 - y_i)"
                r"\log\left(1 - \sigma(w^T x_i + b)\right)\right] + \frac{\lambda}{2}\|w\|_2^2 + \mu\sum_{j=1}^{M}|w_j|")


def sentence(rng: random.Random) -> str:
    """One plain sentence of technical prose."""
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CLAUSES)}."
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, sentences: int) -> str:
    """Sentences with an occasional inline code span or emphasis."""
    parts = [sentence(rng) for _ in range(sentences)]
    if rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts) + 1), f"Try `{rng.choice(INLINE_CODE)}` first.")
    if rng.random() < 0.2:
        parts.append(f"It is *not* the same as **{rng.choice(OBJECTS)}**.")
    return " ".join(parts)


def item(rng: random.Random) -> str:
    """A list item's text: a short clause."""
    return sentence(rng).rstrip(".")


# --- the shapes of Markdown real answers use; each returns a block of Markdown ---------------------------------

def lead_list(rng: random.Random) -> str:
    marker = rng.choice("-*")
    lines = [f"{marker} {item(rng)}" for _ in range(rng.randint(2, 4))]
    return f"{rng.choice(('Steps:', 'In short:', 'Here are the usual suspects'))}\n" + "\n".join(lines)


def nested_bullets(rng: random.Random, indent: int) -> str:
    pad = " " * indent
    return "\n".join([f"- {item(rng)}", f"{pad}- {item(rng)}", f"{pad}- {item(rng)}", f"- {item(rng)}"])


def nested_numbers(rng: random.Random, indent: int) -> str:
    """Items 1 to 4, the fourth with sub-items a reader numbers 4.1, 4.2, 4.3."""
    pad = " " * indent
    top = [f"{number}. {item(rng)}" for number in range(1, 4)] + [f"4. {item(rng)}:"]
    return "\n".join(top + [f"{pad}{number}. {item(rng)}" for number in range(1, 4)])


def long_code(rng: random.Random) -> str:
    """A code block with lines of 80 to 120 characters, as people paste them."""
    key = rng.choice(OBJECTS).split()[-1]
    lines = [f"result = pipeline.transform(dataset.filter(lambda row: row['{key}'] is not None), "
             f"batch_size={rng.randint(16, 512)})",
             "for index, value in enumerate(result):",
             f"    print(index, value)  # {rng.choice(CLAUSES)}, {rng.choice(CLAUSES)}"[:rng.randint(80, 120)]]
    return "```python\n" + "\n".join(lines) + "\n```"


def short_code(rng: random.Random) -> str:
    language, body = rng.choice((("sql", "SELECT user_id, COUNT(*)\nFROM events\nGROUP BY user_id;"),
                                 ("bash", "git stash push -m wip\ngit switch -c fix/login-bug"),
                                 ("", "x = [i * i for i in range(10)]")))
    return f"```{language}\n{body}\n```"


def options_prose(rng: random.Random) -> str:
    return (f"Run `git commit --amend --no-edit` to fix the last commit, or `{rng.choice(INLINE_CODE)}` when "
            f"a hook is slow; never use `--no-verify` to hide a failing check. {sentence(rng)}")


def table(rng: random.Random) -> str:
    rows = [f"| {rng.choice(OBJECTS)} | {rng.randint(1, 999)} | {rng.choice(VERBS)} |" for _ in range(3)]
    return "\n".join(["| Case | Count | Effect |", "| :--- | :---: | ---: |", *rows])


def strikethrough(rng: random.Random) -> str:
    return f"~~{item(rng)}~~ {sentence(rng)}"


def task_list(rng: random.Random) -> str:
    return "\n".join([f"- [x] {item(rng)}", f"- [ ] {item(rng)}", f"- [ ] {item(rng)}"])


def links(rng: random.Random) -> str:
    return (f"See [the guide](https://example.org/x) and <https://example.org/reference/{rng.randint(1, 99)}>, "
            f"or the notes at https://example.org/notes. {sentence(rng)}")


def inline_html(rng: random.Random) -> str:
    return (f"Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop; x<sub>i</sub> and 2<sup>10</sup> are <mark>easy to "
            f"misread</mark>.<br>A <b>bold</b> and an <i>italic</i> word. {sentence(rng)}")


def inline_math(rng: random.Random) -> str:
    return (f"The variance is $\\sigma^2 = \\frac{{1}}{{n}}\\sum_i (x_i - \\bar{{x}})^2$ and the standard error "
            f"$\\sigma/\\sqrt{{n}}$. {sentence(rng)}")


def display_math(rng: random.Random) -> str:
    return f"{sentence(rng)}\n\n$$\\hat{{\\beta}} = (X^T X)^{{-1}} X^T y$$"


def image(rng: random.Random) -> str:
    return f"![{rng.choice(OBJECTS)}]({rng.choice(IMAGES)})"


def long_word(rng: random.Random) -> str:
    return f"{sentence(rng)} The setting is {rng.choice(LONG_WORDS)} in the docs."


def heading_and_quote(rng: random.Random) -> str:
    return f"### Example\n\n> {sentence(rng)}"


SHAPES: tuple[Callable[[random.Random], str], ...] = (
    lead_list, lambda rng: nested_bullets(rng, 2), lambda rng: nested_numbers(rng, 3),
    lambda rng: nested_bullets(rng, 4), lambda rng: nested_numbers(rng, 4), long_code, short_code,
    options_prose, table, strikethrough, task_list, links, inline_html, inline_math, display_math, image,
    long_word, heading_and_quote,
)


def word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def body(rng: random.Random, index: int) -> str:
    """An answer of 30 to 350 words: prose around the tip's shape (chosen in turn) and maybe another."""
    target = rng.choice((rng.randint(30, 60), rng.randint(60, 150), rng.randint(60, 150), rng.randint(150, 250),
                         rng.randint(250, 350)))
    shapes = [SHAPES[index % len(SHAPES)](rng)]
    if rng.random() < 0.3:
        shapes.append(rng.choice(SHAPES)(rng))
    blocks = [paragraph(rng, rng.randint(1, 3))]
    while word_count("\n".join(blocks + shapes)) < max(30, target - 25):
        blocks.append(paragraph(rng, rng.randint(1, 3)))
    for shape in shapes:
        blocks.insert(rng.randint(1, len(blocks)), shape)
    text = "\n\n".join(blocks)
    while word_count(text) > 350:
        blocks.remove(next(block for block in blocks[::-1] if block not in shapes))
        text = "\n\n".join(blocks)
    return text + "\n"


def question(rng: random.Random, title: str, topic: str) -> str | None:
    """A question that differs from the title (often with inline Markdown), or None to use the title."""
    templates = (f"How do you explain *{topic}* to an interviewer?",
                 f"When would you reach for `{rng.choice(INLINE_CODE)}` while working on {topic}?",
                 f"What goes wrong with {topic}, and how do you notice it early?",
                 f"Why do {topic} matter in production? Give one **concrete** example.",
                 None, None)
    return rng.choice(templates)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def category_tips(rng: random.Random, topics: tuple[str, ...], start: int, seen: set[str]) -> list[dict]:
    """TIPS_PER_CATEGORY tips on ``topics`` with titles whose ids are unique across the guide."""
    tips = []
    while len(tips) < TIPS_PER_CATEGORY:
        topic = rng.choice(topics)
        title = f"{rng.choice(TITLE_VERBS)} {topic}"
        if slug(title) in seen:
            continue
        seen.add(slug(title))
        tip: dict = {"title": title}
        if (asked := question(rng, title, topic)) is not None:
            tip["question"] = asked
        tip["body"] = body(rng, start + len(tips))
        tip["tags"] = [slug(topic)] + (["hard"] if rng.random() < 0.3 else [])
        tips.append(tip)
    return tips


def special_tips(rng: random.Random) -> list[dict]:
    """Tips every corpus needs once: a missing image, a wide formula, a title with symbols, the longest answer."""
    return [
        {"title": "C++ & C# interop", "question": "How do `C++` and *C#* code call each other?",
         "body": f"{paragraph(rng, 2)}\n\n![the missing diagram]({MISSING_IMAGE})\n\n{paragraph(rng, 1)}\n"},
        {"title": "Logistic loss with regularisation", "question": "Write the regularised logistic loss.",
         "body": f"{paragraph(rng, 2)}\n\n$${WIDE_FORMULA}$$\n\nHere $\\lambda$ and $\\mu$ weigh the penalties.\n"},
    ]


# Cloze tips, written out (no random text, so the rest of the corpus stays as it was): hints, a number used
# twice, deletions holding code and emphasis, a deletion-like text in code, a list, and a question.
CLOZE_TIPS = [
    {"title": "Undoing the last commit",
     "body": "`git reset --soft HEAD~1` keeps the changes {{c1::staged}}, `--mixed` keeps them {{c2::in the "
             "working tree::where?}} and `--hard` {{c3::throws them away}}.\n", "tags": ["cloze"]},
    {"title": "Rebase or merge", "question": "Rebase or merge: which rewrites history?",
     "body": "A {{c1::rebase}} replays your commits on top of another branch, so history reads as a straight "
             "line; a {{c2::merge}} keeps both lines and joins them in a *merge commit*. Never {{c1::rebase}} "
             "commits that {{c3::others have already pulled::whose commits?}}.\n", "tags": ["cloze"]},
    {"title": "Stashing work in progress",
     "body": "To switch branches with unfinished work:\n\n- save it with {{c1::`git stash push -m wip`}};\n"
             "- list what is saved with {{c2::`git stash list`}};\n- bring it back with {{c3::`git stash pop`::"
             "the command}}.\n\nTemplates that print `{{c1::...}}` literally keep it in code.\n",
     "tags": ["cloze", "stashes"]},
]
# The category whose tips get the reversed card, except those whose answers are longer than this (words).
REVERSED_CATEGORY, REVERSED_WORDS = "Command Line", 100


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks as literal blocks (``|``)."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def png(width: int, height: int, colour: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """An RGB PNG of ``colour(x, y)``, written with the standard library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"".join(bytes(colour(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _boxes(x: int, y: int) -> tuple[int, int, int]:
    return (40, 90, 160) if (x // 40 + y // 40) % 2 and 10 < y < 150 else (245, 245, 245)


def _dot(x: int, y: int) -> tuple[int, int, int]:
    return (200, 60, 40) if (x - 24) ** 2 + (y - 24) ** 2 < 400 else (255, 255, 255)


def _bars(x: int, y: int) -> tuple[int, int, int]:
    return (0, 130, 120) if y > 200 - (x // 30 * 7919 % 180) and x % 30 < 22 else (255, 255, 255)


def write_images(images_dir: Path) -> None:
    """A box diagram, a small icon and a wide bar chart."""
    images_dir.mkdir(parents=True, exist_ok=True)
    (images_dir / "diagram.png").write_bytes(png(320, 160, _boxes))
    (images_dir / "icon.png").write_bytes(png(48, 48, _dot))
    (images_dir / "wide-chart.png").write_bytes(png(900, 200, _bars))


def synthesize(output: Path, seed: int = 13) -> int:
    """Write ``output/guide.yaml`` and ``output/tips/``; returns the number of tips."""
    rng = random.Random(seed)
    shutil.rmtree(output / "tips", ignore_errors=True)
    write_images(output / "tips" / "images")
    seen: set[str] = set()
    count = shaped = 0
    for order, (name, topics) in enumerate(CATEGORIES.items(), 1):
        tips = category_tips(rng, topics, shaped, seen)
        if order == 1:
            tips += special_tips(rng)
        shaped += len(tips)  # the written-out cloze tips take no shape, so the other tips keep theirs
        record = {"category": name, "order": order, "tips": tips + (CLOZE_TIPS if order == 1 else [])}
        if name == REVERSED_CATEGORY:
            record = {"category": name, "order": order, "reverse": True,
                      "tips": [{**tip, "reverse": False} if word_count(tip["body"]) > REVERSED_WORDS else tip
                               for tip in tips]}
        text = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        (output / "tips" / f"{slug(name)}.yaml").write_text(text, encoding="utf-8")
        count += len(record["tips"])
    settings = {"title": "Realistic Corpus", "subtitle": "Synthetic answers shaped like real ones.",
                "paper": "letter", "language": "en"}
    (output / "guide.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return count


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    print(f"wrote {synthesize(output)} tips to {output / 'tips'}")


if __name__ == "__main__":
    main()

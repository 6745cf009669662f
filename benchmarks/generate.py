"""Write a synthetic guide project (guide.yaml + tips/*.yaml) of N tips, the same for the same seed.

Usage: python benchmarks/generate.py N DIR [--categories K] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

CATEGORY_NAMES = (
    "Machine Learning", "Deep Learning", "Statistics", "SQL & Databases", "System Design", "Python",
    "Data Engineering", "Behavioral", "Probability", "Linear Algebra", "Experimentation", "MLOps",
    "Natural Language", "Computer Vision", "Algorithms", "Career Strategy",
)
TITLE_VERBS = (
    "Choosing", "Debugging", "Explaining", "Scaling", "Testing", "Tuning", "Comparing", "Monitoring",
    "Validating", "Profiling", "Caching", "Sampling", "Indexing", "Versioning", "Reviewing", "Measuring",
)
TITLE_NOUNS = (
    "learning rates", "batch sizes", "feature stores", "join strategies", "window functions", "embeddings",
    "loss functions", "confidence intervals", "hash partitions", "attention heads", "data pipelines",
    "class imbalance", "cross-validation folds", "query plans", "gradient clipping", "tokenizers",
    "p-values", "retry policies", "cold starts", "model drift", "cache keys", "unit tests", "A/B tests",
    "regularization", "dropout", "decision trees", "random seeds", "schema changes", "vector indexes",
)
TITLE_QUALIFIERS = (
    "in production", "under pressure", "for small data", "at scale", "on a whiteboard", "in interviews",
    "with noisy labels", "on a budget", "for beginners", "after launch", "in notebooks", "the safe way",
)
WORDS = (
    "model", "data", "training", "validation", "error", "metric", "feature", "query", "index", "latency",
    "baseline", "result", "variance", "bias", "sample", "distribution", "gradient", "layer", "network",
    "pipeline", "schema", "table", "column", "experiment", "hypothesis", "signal", "noise", "budget",
    "always", "never", "usually", "carefully", "quickly", "first", "then", "because", "instead", "before",
    "check", "measure", "compare", "explain", "prefer", "avoid", "start", "tune", "log", "plot", "review",
    "the", "the", "the", "a", "a", "of", "of", "to", "to", "and", "and", "in", "for", "with", "on", "your",
    "simple", "robust", "expensive", "cheap", "stable", "noisy", "large", "small", "hidden", "explicit",
    "interviewer", "tradeoff", "assumption", "outlier", "regression", "classifier", "threshold", "cost",
    "overfitting", "underfitting", "normalization", "reproducibility", "observability", "throughput",
)
INLINE_CODE = (
    "df.groupby()", "LIMIT 10", "torch.no_grad()", "git bisect", "np.random.seed(0)", "EXPLAIN ANALYZE",
    "model.eval()", "O(n log n)", "pip freeze", "ROW_NUMBER()", "fit_transform", "max_depth=6", "lr=3e-4",
)
CODE_BLOCKS = (
    ("python", ("df = df.dropna(subset=['price'])", "X_train, X_test = split(df, 0.2)", "model.fit(X_train)")),
    ("sql", ("SELECT user_id, COUNT(*)", "FROM events", "GROUP BY user_id", "HAVING COUNT(*) > 5;")),
    ("python", ("with torch.no_grad():", "    logits = model(batch)", "    loss = loss_fn(logits, y)")),
    ("sh", ("python -m pytest -q", "git bisect start HEAD v1.2")),
)
TAGS = ("basics", "advanced", "gotcha", "story", "math", "coding", "design", "metrics")


def sentence(rng: random.Random, words: int) -> str:
    """One capitalised sentence of ``words`` random words, maybe with a comma."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if words > 7 and rng.random() < 0.4:
        chosen[rng.randrange(3, words - 2)] += ","
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def prose(rng: random.Random, words: int) -> str:
    """Sentences of 5-14 words adding up to ``words`` words."""
    sentences = []
    while words > 0:
        length = rng.randint(5, 14)
        length = words if words - length < 3 else length  # no two-word tail sentence
        sentences.append(sentence(rng, length))
        words -= length
    return " ".join(sentences)


def with_inline_code(rng: random.Random, text: str) -> str:
    """``text`` with one word after the first replaced by an inline code span."""
    words = text.split(" ")
    index = rng.randrange(1, len(words))
    words[index] = f"`{rng.choice(INLINE_CODE)}`" + ("," if words[index].endswith(",") else "")
    return " ".join(words)


def body(rng: random.Random) -> str:
    """A Markdown body of 20-70 words: prose, sometimes a list, inline code or a fenced code block."""
    total = rng.randint(20, 70)
    parts = []
    if rng.random() < 0.25:
        items = rng.randint(2, 4)
        item_words = [rng.randint(3, 7) for _ in range(items)]
        parts.append(prose(rng, max(total - sum(item_words), 6)))
        parts.append("\n".join(f"- {prose(rng, count).rstrip('.')}" for count in item_words))
    else:
        parts.append(prose(rng, total))
    if rng.random() < 0.3:
        parts[0] = with_inline_code(rng, parts[0])
    if rng.random() < 0.07:
        language, lines = rng.choice(CODE_BLOCKS)
        parts.append("\n".join((f"```{language}", *lines, "```")))
    return "\n\n".join(_wrap(part) for part in parts)


def _wrap(text: str, width: int = 90) -> str:
    """Hard-wrap prose paragraphs near ``width`` characters, as people write YAML; lists and code stay."""
    if text.startswith(("- ", "```")):
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def unique_title(rng: random.Random, seen: set[str]) -> str:
    """A title whose slug (the tip's id) is not in ``seen``; a number is added on a clash."""
    title = f"{rng.choice(TITLE_VERBS)} {rng.choice(TITLE_NOUNS)}"
    if rng.random() < 0.5:
        title += f" {rng.choice(TITLE_QUALIFIERS)}"
    base, number = title, 2
    while slug(title) in seen:
        title, number = f"{base} ({number})", number + 1
    seen.add(slug(title))
    return title


def slug(text: str) -> str:
    """The id the guide derives from a title (same rule as ``guide.content.model.slugify`` for ASCII text)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def tip_yaml(rng: random.Random, seen: set[str]) -> str:
    """One tip as a YAML list item, body as a literal block."""
    title = unique_title(rng, seen)
    lines = [f"  - title: {json.dumps(title)}"]
    if rng.random() < 0.3:
        lines.append(f"    question: {json.dumps(f'How would you approach {title.lower()}?')}")
    lines.append("    body: |")
    lines += [f"      {line}" if line else "" for line in body(rng).splitlines()]
    tags = rng.sample(TAGS, rng.randint(0, 2))
    if tags:
        lines.append(f"    tags: [{', '.join(tags)}]")
    return "\n".join(lines) + "\n"


def category_name(index: int) -> str:
    """The display name of category ``index``; numbered once the list of names runs out."""
    name = CATEGORY_NAMES[index % len(CATEGORY_NAMES)]
    return name if index < len(CATEGORY_NAMES) else f"{name} {index // len(CATEGORY_NAMES) + 1}"


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` as ``parts`` counts that differ by at most one."""
    size, extra = divmod(total, parts)
    return [size + (index < extra) for index in range(parts)]


def generate(tips: int, folder: Path, categories: int = 8, seed: int = 0) -> None:
    """Write ``folder/guide.yaml`` and ``folder/tips/NN-<slug>.yaml`` holding ``tips`` tips in total."""
    if tips < categories or categories < 1:
        raise ValueError("need at least one category and at least one tip per category")
    rng = random.Random(seed)
    (folder / "tips").mkdir(parents=True, exist_ok=True)
    for stale in (folder / "tips").glob("[0-9]*-*.yaml"):  # left by an earlier run with other settings
        stale.unlink()
    (folder / "guide.yaml").write_text(
        f'title: "Synthetic guide: {tips} tips"\nsubtitle: Generated for benchmarks (seed {seed}).\n'
        'author: ""\npaper: letter\nlanguage: en\n', encoding="utf-8")
    seen: set[str] = set()
    for index, count in enumerate(split_evenly(tips, categories)):
        name = category_name(index)
        text = f"category: {json.dumps(name)}\norder: {index + 1}\ntips:\n"
        text += "\n".join(tip_yaml(rng, seen) for _ in range(count))
        (folder / "tips" / f"{index + 1:02d}-{slug(name)}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    """Parse the command line and write the project."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tips", type=int, metavar="N", help="number of tips")
    parser.add_argument("folder", type=Path, metavar="DIR", help="project folder to write")
    parser.add_argument("--categories", type=int, default=8, metavar="K", help="number of categories [8]")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed [0]")
    args = parser.parse_args()
    try:
        generate(args.tips, args.folder, args.categories, args.seed)
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {args.tips} tips in {args.categories} categories to {args.folder}")


if __name__ == "__main__":
    main()

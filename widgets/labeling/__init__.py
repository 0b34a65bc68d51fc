"""The `labeling` widget: the reader labels sentences, a small model learns from them live.

The logic is standard library only, so the same code runs at build time (CPython 3.11+)
and in the reader's browser (Pyodide); every input and output of a call is JSON-able.

Modules, one concern each:

- :mod:`.data`: the bundled data sets, the author's own data set (CSV/JSONL) and
  its validation, the fixed held-out test split, the cross-domain pairing.
- :mod:`.features`: tokenization, negation scope, lexicon flags, feature ids.
- :mod:`.model`: Naive Bayes with incremental update and exact undo.
- :mod:`.metrics`: accuracy, per-class precision/recall, Cohen's kappa.
- :mod:`.game`: the game itself (sampling, history, explanations, state).
- :mod:`.calls`: the calls the view makes (one game per widget).
- :mod:`.static`: the static view, rendered at build time.
- :mod:`.build.make_data`: regenerates ``data/`` from the original sources.
- :mod:`.build.simulate`: simulated readers; prints the learning-curve table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..options import OptionError
from .data import (
    AUTHOR_NEXT_DOMAIN,
    BUILTIN,
    KINDS,
    NEXT_DOMAIN,
    DataError,
    load_author_file,
    other_domain,
)
from .game import SAMPLING

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "dataset": {
            "type": "string",
            "default": "movies",
            "description": "movies, products, restaurants, or a .csv/.jsonl file in docs/ "
            "with `text` and `label` columns.",
        },
        "labels": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 2,
            "maxItems": 2,
            "default": ["negative", "positive"],
            "description": "Names of the two labels, in the data set's order.",
        },
        "sampling": {
            "enum": list(SAMPLING),
            "default": "uncertainty",
            "description": "How the next sentence is chosen.",
        },
        "test_size": {
            "type": "integer",
            "minimum": 2,
            "maximum": 300,
            "default": 300,
            "description": "Held-out sentences the accuracy is measured on.",
        },
    },
}
CALLS = (
    "start",
    "label",
    "skip",
    "undo",
    "reset",
    "try_sentence",
    "replay_flipped",
    "transfer",
    "export",
)
VIEW: dict[str, Any] = {
    "kinds": KINDS,  # "movies" → "movie" (reviews)
    "next_domain": NEXT_DOMAIN,  # the data set the "Test on … reviews" button tests on
    "author_next_domain": AUTHOR_NEXT_DOMAIN,  # ... when the page has an author's data set
}


def prepare(options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
    """Read and check an author's data file at build time; the page carries its data."""
    name = options["dataset"]
    if name in BUILTIN:
        return options
    if not name.endswith((".csv", ".jsonl")):
        raise OptionError(
            "dataset",
            f"'{name}' is neither a built-in data set ({', '.join(BUILTIN)}) "
            "nor a .csv or .jsonl file.",
        )
    path, stem, test_size = docs_dir / name, Path(name).stem, options["test_size"]
    try:
        dataset = load_author_file(path, name=stem, test_size=test_size)
        if set(options["labels"]) == set(dataset.labels):  # the author chose their order
            dataset = load_author_file(
                path, name=stem, test_size=test_size, labels=options["labels"]
            )
    except DataError as error:
        raise OptionError("dataset", str(error)) from error
    return {**options, "dataset": dataset.to_dict(), "labels": list(dataset.labels)}


def data_files(options: dict[str, Any]) -> list[str]:
    """The data set (unless the page carries it), the transfer domain, and the lexicon."""
    dataset = options["dataset"]
    name = dataset if isinstance(dataset, str) else dataset["name"]
    files = [f"labeling/data/{name}.json"] if isinstance(dataset, str) else []
    return [*files, f"labeling/data/{other_domain(name)}.json", "labeling/data/vader_valence.tsv"]


def render_static(options: dict[str, Any]) -> str:
    """The first sentence and the reference scores: the page reads right before Python."""
    from .static import static_html

    return static_html(options)

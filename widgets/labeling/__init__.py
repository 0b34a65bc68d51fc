"""The labeling game: the reader labels sentences, a small model learns from them live.

Standard library only, so the same code runs at build time (CPython 3.11+) and in
the reader's browser (Pyodide). The public entry point is :class:`Game`; every
input and output of its methods is JSON-able.

Modules, one concern each:

- :mod:`.data`: the bundled data sets, the author's own data set (CSV/JSONL) and
  its validation, the fixed held-out test split.
- :mod:`.features`: tokenization, negation scope, lexicon flags, feature ids.
- :mod:`.model`: Naive Bayes with incremental update and exact undo.
- :mod:`.metrics`: accuracy, per-class precision/recall, Cohen's kappa.
- :mod:`.game`: the game itself (sampling, history, explanations, state).
- :mod:`.make_data`: regenerates ``data/`` from the original sources.
- :mod:`.simulate`: simulated readers; prints the learning-curve table.
- :mod:`.session`: the calls the browser view makes (one game per widget).
"""

from pathlib import Path
from typing import Any

from ..html import h, render
from ..options import OptionError
from .calls import (
    export,
    label,
    other_domain,
    replay_flipped,
    reset,
    skip,
    start,
    transfer,
    try_sentence,
    undo,
)
from .data import BUILTIN, DataError, Dataset, load_author_file, load_builtin
from .game import SAMPLING, Game, GameError

__all__ = [
    "CALLS",
    "OPTIONS",
    "DataError",
    "Dataset",
    "Game",
    "GameError",
    "data_files",
    "export",
    "label",
    "load_author_file",
    "load_builtin",
    "prepare",
    "render_static",
    "replay_flipped",
    "reset",
    "skip",
    "start",
    "transfer",
    "try_sentence",
    "undo",
]
KINDS = {"movies": "movie", "products": "product", "restaurants": "restaurant"}

# -- the widget: options, the calls its view makes, the static view ---------------

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
    game = Game(
        options["dataset"],
        sampling=options["sampling"],
        test_size=options["test_size"],
        labels=options["labels"] if isinstance(options["dataset"], str) else None,
    )
    first = game.next()
    metrics = game.metrics()
    negative, positive = game.labels
    return render(
        h(
            "div",
            {"class": "lecture-labeling__static"},
            h("p", {"class": "lecture-labeling__card"}, first["text"] if first else ""),
            h(
                "p",
                {},
                f"Label sentences from {KINDS.get(game.dataset.name, game.dataset.name)} "
                f"{'reviews ' if game.dataset.name in KINDS else ''}as {negative} or "
                f"{positive}; a classifier learns from your labels, live, and is tested "
                f"on {metrics['n_test']} sentences it never sees. For reference: a word-list "
                f"rule gets {metrics['baseline_lexicon']:.0%} right, and the same model "
                f"trained on all {len(game.dataset.pool_ids())} labeled sentences "
                f"{metrics['ceiling']:.0%}.",
            ),
        )
    )

"""The labeling game's static view, built at build time: the first sentence and the
reference scores, so the page reads right before Python starts."""

from __future__ import annotations

from typing import Any

from ..html import h, render
from .data import KINDS
from .game import Game


def static_html(options: dict[str, Any]) -> str:
    game = Game(
        options["dataset"],
        sampling=options["sampling"],
        test_size=options["test_size"],
        labels=options["labels"] if isinstance(options["dataset"], str) else None,
    )
    first = game.next()
    metrics = game.metrics()
    negative, positive = game.labels
    name = game.dataset.name
    source = f"{KINDS[name]} reviews" if name in KINDS else name
    return render(
        h(
            "div",
            {"class": "lecture-labeling__static"},
            h("p", {"class": "lecture-labeling__card"}, first["text"] if first else ""),
            h(
                "p",
                {},
                f"Label sentences from {source} as {negative} or {positive}; a classifier "
                f"learns from your labels, live, and is tested on {metrics['n_test']} "
                f"sentences it never sees. For reference: a word-list rule gets "
                f"{metrics['baseline_lexicon']:.0%} right, and the same model trained on all "
                f"{len(game.dataset.pool_ids())} labeled sentences {metrics['ceiling']:.0%}.",
            ),
        )
    )

"""The calls the labeling view makes: one game per widget, JSON in and out.

Games are keyed by the widget root's id; each action answers with a snapshot of the game
(everything the view draws).
"""

from __future__ import annotations

import json
from typing import Any

from .data import other_domain
from .game import Game, GameError

_games: dict[str, Game] = {}


def start(
    widget: str,
    dataset: str | dict[str, Any],
    sampling: str,
    test_size: int,
    labels: list[str],
    saved: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A new game for `widget`, or the reader's saved one. Says so if the save was unusable."""
    problem = None
    game = Game(dataset, seed=0, sampling=sampling, test_size=test_size, labels=labels)
    if saved:
        try:
            restored = Game.from_state(saved)
            if (restored.sampling, restored.test_size) == (sampling, test_size):
                game = restored
            else:
                problem = "The page's settings changed since your last visit; starting afresh."
        except (GameError, KeyError, TypeError, ValueError) as error:
            problem = f"Your saved labels could not be restored ({error}); starting afresh."
    _games[widget] = game
    return {**_snapshot(game), "problem": problem}


def label(widget: str, id: int, label: str) -> dict[str, Any]:
    game = _games[widget]
    result = game.label(id, label)
    return {**_snapshot(game), "labeled": result}


def skip(widget: str, id: int) -> dict[str, Any]:
    game = _games[widget]
    game.skip(id)
    return _snapshot(game)


def undo(widget: str) -> dict[str, Any]:
    game = _games[widget]
    undone = game.undo()["undone"]
    return {**_snapshot(game), "undone": undone}


def reset(widget: str) -> dict[str, Any]:
    old = _games[widget]
    game = Game(
        old.dataset,
        seed=old.seed,
        sampling=old.sampling,
        test_size=old.test_size,
        labels=list(old.labels),
    )
    _games[widget] = game
    return _snapshot(game)


def try_sentence(widget: str, text: str) -> dict[str, Any]:
    """The model's guess for the reader's own sentence, with the words that pushed it."""
    return _games[widget].explain(text, top=6)


def replay_flipped(widget: str, fraction: float) -> dict[str, Any]:
    return _games[widget].replay_flipped(fraction, seed=0)


def transfer(widget: str) -> dict[str, Any]:
    """The reader's model tested on another domain's held-out sentences."""
    game = _games[widget]
    return game.cross_domain(other_domain(game.dataset.name))


def export(widget: str) -> dict[str, Any]:
    """The reader's labels as JSONL: one {"text", "label"} object per line."""
    game = _games[widget]
    lines = [
        json.dumps(
            {"text": game.dataset.texts[point["id"]], "label": point["label"]}, ensure_ascii=False
        )
        for point in game.history()[1:]
    ]
    return {"filename": f"{game.dataset.name}-labels.jsonl", "text": "\n".join(lines) + "\n"}


def _snapshot(game: Game) -> dict[str, Any]:
    """Everything the view draws after an action."""
    current = game.next()
    return {
        "current": current,
        "explain": game.explain(current["text"], top=6) if current else None,
        "history": game.history(),
        "metrics": game.metrics(),
        "labels": list(game.labels),
        "state": game.state(),
    }

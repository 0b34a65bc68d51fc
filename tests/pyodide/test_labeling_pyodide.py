"""The labeling game in real Pyodide: same picks, same model, same curve as on CPython."""

from __future__ import annotations

from pathlib import Path

import pytest
from lecture_widgets import labeling
from lecture_widgets.labeling import calls
from lecture_widgets.labeling.game import Game

pytestmark = pytest.mark.pyodide
DATA = Path(labeling.__file__).parent


@pytest.fixture(scope="module")
def game_files(pyodide) -> None:
    options = {"dataset": "movies"}
    pyodide.files([(DATA.parent / path, path) for path in labeling.data_files(options)])


def play(call, widget: str, steps: int) -> dict:
    snapshot = call(
        "labeling.start",
        widget=widget,
        dataset="movies",
        sampling="uncertainty",
        test_size=300,
        labels=["negative", "positive"],
    )
    game = Game("movies")
    for step in range(steps):
        current = snapshot["current"]
        gold = game.dataset.gold[current["id"]]
        label = ["negative", "positive"][1 - gold if step % 4 == 3 else gold]  # every 4th is wrong
        snapshot = call("labeling.label", widget=widget, id=current["id"], label=label)
    return snapshot


def test_pyodide_game_equals_cpython(pyodide, game_files) -> None:
    def cpython(name: str, **payload):
        return getattr(calls, name.split(".")[1])(**payload)

    in_pyodide = play(pyodide.call, "p", 25)
    on_cpython = play(cpython, "c", 25)
    assert in_pyodide["history"] == on_cpython["history"]
    assert in_pyodide["state"]["events"] == on_cpython["state"]["events"]
    assert in_pyodide["metrics"]["accuracy"] > 0.5  # a quarter of the labels are wrong


def test_pyodide_undo_and_replay(pyodide, game_files) -> None:
    before = play(pyodide.call, "u", 8)
    after = pyodide.call("labeling.label", widget="u", id=before["current"]["id"], label="positive")
    undone = pyodide.call("labeling.undo", widget="u")
    assert undone["state"] == before["state"] and len(after["history"]) == 10
    replay = pyodide.call("labeling.replay_flipped", widget="u", fraction=0.25)
    assert replay["flipped"] == 2 and len(replay["accuracy"]) == 9
    transfer = pyodide.call("labeling.transfer", widget="u")
    assert transfer["to"] == "products" and 0 < transfer["accuracy"] <= 1

"""The labeling widget's build-time side and the calls its view makes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lecture_widgets import labeling
from lecture_widgets.labeling import calls
from lecture_widgets.labeling.data import BUILTIN, KINDS
from lecture_widgets.labeling.game import Game
from support import build_errors, build_site

VIEW_JS = (Path(labeling.__file__).parent / "view.js").read_text(encoding="utf-8")


def author_csv(folder: Path, rows: int = 40, extra: str = "") -> None:
    lines = ["text,label"]
    for i in range(rows):
        lines += [f'"a fine day number {i}",yes', f'"a dreadful day number {i}",no']
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "days.csv").write_text("\n".join(lines) + "\n" + extra)


def test_author_data_set_builds_and_rides_with_the_page(tmp_path: Path) -> None:
    author_csv(tmp_path, extra='"<img src=x onerror=alert(1)> a fine day",yes\n')
    page = "```{labeling}\ndataset: days.csv\ntest_size: 20\nlabels: ['no', 'yes']\n```\n"
    site = build_site(tmp_path, {"index.md": page})
    html = (site / "index.html").read_text()
    assert "<img src=x" not in html
    site = site / "assets/lecture/widgets/labeling/data"
    assert sorted(path.name for path in site.iterdir()) == ["movies.json", "vader_valence.tsv"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("dataset: moovies", "'moovies' is neither a built-in data set (movies, products"),
        ("dataset: missing.csv", "missing.csv: cannot read the file"),
        ("sampling: smart", '\'sampling\' is "smart"; valid choices: "uncertainty", "random"'),
        ("test_size: 1000", "option 'test_size': 1000 is greater than the maximum of 300"),
    ],
)
def test_bad_options_fail_the_build_with_the_line(tmp_path: Path, option: str, message: str):
    page = f"# Game\n\n```{{labeling}}\nlabels: [negative, positive]\n{option}\n```\n"
    errors = build_errors(tmp_path, {"index.md": page})
    assert "docs/index.md:5: widget '{labeling}'" in errors, errors
    assert message in errors


def test_author_file_errors_name_the_file_line_and_fix(tmp_path: Path) -> None:
    author_csv(tmp_path, extra='"",yes\n')
    page = "```{labeling}\ndataset: days.csv\ntest_size: 20\n```\n"
    errors = build_errors(tmp_path, {"index.md": page})
    assert "days.csv, line 82" in errors, errors


def test_static_view_shows_the_first_sentence_and_reference_lines() -> None:
    options = {
        "dataset": "movies",
        "sampling": "uncertainty",
        "test_size": 300,
        "labels": ["negative", "positive"],
    }
    html = labeling.render_static(options)
    first = Game("movies").next()["text"]
    assert first in html and "word-list rule gets 78%" in html
    assert labeling.data_files(options) == [
        "labeling/data/movies.json",
        "labeling/data/products.json",
        "labeling/data/vader_valence.tsv",
    ]


def test_session_calls_are_json_and_undo_restores() -> None:
    start = calls.start("w", "movies", "uncertainty", 300, ["negative", "positive"])
    json.dumps(start)
    assert start["problem"] is None and start["metrics"]["n_labels"] == 0
    after = calls.label("w", start["current"]["id"], "positive")
    assert len(after["history"]) == 2 and after["labeled"]["label"] == "positive"
    undone = calls.undo("w")
    assert undone["state"] == start["state"] and undone["undone"]["label"] == "positive"
    after = calls.label("w", undone["current"]["id"], "negative")
    after = calls.skip("w", after["current"]["id"])
    saved = calls.label("w", after["current"]["id"], "positive")["state"]
    restored = calls.start("w2", "movies", "uncertainty", 300, ["negative", "positive"], saved)
    assert restored["state"] == saved and restored["problem"] is None
    exported = calls.export("w2")
    assert exported["filename"] == "movies-labels.jsonl"
    assert [json.loads(line)["label"] for line in exported["text"].splitlines()] == [
        "negative",
        "positive",
    ]


def test_unusable_saved_state_is_reported_not_raised() -> None:
    result = calls.start(
        "w", "movies", "uncertainty", 300, ["negative", "positive"], {"version": 99}
    )
    assert "could not be restored" in result["problem"]
    assert result["metrics"]["n_labels"] == 0


def test_view_constants_are_what_python_does(tmp_path: Path) -> None:
    """The transfer button names the data set `transfer` tests on, for every data set."""
    json.dumps(labeling.VIEW)
    assert labeling.VIEW["kinds"] == KINDS and set(KINDS) == set(BUILTIN)
    labels = ["negative", "positive"]
    for name in BUILTIN:
        calls.start("v", name, "uncertainty", 20, labels)
        assert calls.transfer("v")["to"] == labeling.VIEW["next_domain"][name] != name
    author_csv(tmp_path)  # an author's data set, carried by the page
    options = {"dataset": "days.csv", "labels": labels, "sampling": "random", "test_size": 20}
    options = labeling.prepare(options, tmp_path / "docs")
    calls.start("a", options["dataset"], "random", 20, options["labels"])
    other = labeling.VIEW["author_next_domain"]
    assert calls.transfer("a")["to"] == other
    assert labeling.data_files(options)[0] == f"labeling/data/{other}.json"


def test_view_declares_no_python_fact() -> None:
    """Data set names and kinds reach view.js as constants only (one source for each fact)."""
    for word in [*BUILTIN, *KINDS.values()]:
        assert not re.search(rf"\b{word}\b", VIEW_JS), word
    assert "IntersectionObserver" not in VIEW_JS  # the runtime's whenVisible starts the game

"""The labeling widget's build-time side and the calls its view makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lecture_widgets import labeling
from support import build_errors, build_site


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
    first = labeling.Game("movies").next()["text"]
    assert first in html and "word-list rule gets 78%" in html
    assert labeling.data_files(options) == [
        "labeling/data/movies.json",
        "labeling/data/products.json",
        "labeling/data/vader_valence.tsv",
    ]


def test_session_calls_are_json_and_undo_restores() -> None:
    start = labeling.start("w", "movies", "uncertainty", 300, ["negative", "positive"])
    json.dumps(start)
    assert start["problem"] is None and start["metrics"]["n_labels"] == 0
    after = labeling.label("w", start["current"]["id"], "positive")
    assert len(after["history"]) == 2 and after["labeled"]["label"] == "positive"
    undone = labeling.undo("w")
    assert undone["state"] == start["state"] and undone["undone"]["label"] == "positive"
    after = labeling.label("w", undone["current"]["id"], "negative")
    after = labeling.skip("w", after["current"]["id"])
    saved = labeling.label("w", after["current"]["id"], "positive")["state"]
    restored = labeling.start("w2", "movies", "uncertainty", 300, ["negative", "positive"], saved)
    assert restored["state"] == saved and restored["problem"] is None
    exported = labeling.export("w2")
    assert exported["filename"] == "movies-labels.jsonl"
    assert [json.loads(line)["label"] for line in exported["text"].splitlines()] == [
        "negative",
        "positive",
    ]


def test_unusable_saved_state_is_reported_not_raised() -> None:
    result = labeling.start(
        "w", "movies", "uncertainty", 300, ["negative", "positive"], {"version": 99}
    )
    assert "could not be restored" in result["problem"]
    assert result["metrics"]["n_labels"] == 0

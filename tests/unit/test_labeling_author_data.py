"""An author's own data set for the labeling game: CSV/JSONL loading and its errors.

Every error must name the file, the line (when there is one), what is wrong and
how to fix it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lecture_widgets.labeling.data import DataError, load_author_file
from lecture_widgets.labeling.game import Game


def csv_file(tmp_path: Path, body: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def rows(n: int, labels=("spam", "ham")) -> list[str]:
    return [f"message number {i} about {labels[i % 2]} things,{labels[i % 2]}" for i in range(n)]


def good_csv(tmp_path: Path, n: int = 40, extra: list[str] | None = None) -> Path:
    return csv_file(tmp_path, "\n".join(["text,label", *rows(n), *(extra or [])]) + "\n")


def error(path: Path, **kw) -> DataError:
    with pytest.raises(DataError) as info:
        load_author_file(path, **kw)
    err = info.value
    assert str(path) in str(err)
    assert err.fix and err.fix in str(err)
    return err


def test_valid_csv(tmp_path):
    body = (
        "\ufeffText, Label ,extra\n"
        '"Hello, world ""quoted""",ham,x\n'
        "\n"
        "hello WORLD quoted!,ham,dup dropped\n"
        "  spaced   out\ttext ,spam,\n" + "\n".join(f"{r},z" for r in rows(40)) + "\n"
    )
    path = csv_file(tmp_path, body)
    ds = load_author_file(path, test_size=20)
    assert ds.labels == ("ham", "spam")
    assert ds.texts[0] == 'Hello, world "quoted"'
    assert ds.texts[1] == "spaced out text"
    assert ds.notes == {"duplicates_dropped": 1, "rows": 43}
    assert len(ds.test_ids) == 20 and sum(ds.gold[i] for i in ds.test_ids) == 10
    assert ds.name == "data"
    assert load_author_file(path, test_size=20) == ds  # same file, same split
    assert load_author_file(path, test_size=20, labels=["spam", "ham"]).labels == ("spam", "ham")
    game = Game(ds, test_size=20)
    assert game.labels == ("ham", "spam")
    assert game.next()["text"] in ds.texts


def test_valid_jsonl(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = [json.dumps({"text": f"item {i}", "label": i % 2, "id": i}) for i in range(40)]
    path.write_text("\n".join([*lines[:5], "", "  ", *lines[5:]]), encoding="utf-8")
    ds = load_author_file(path, test_size=10, name="numbers")
    assert ds.labels == ("0", "1") and ds.name == "numbers" and len(ds.texts) == 40


def test_missing_column(tmp_path):
    err = error(csv_file(tmp_path, "sentence,label\nhi,a\n"))
    assert err.line == 1
    assert "no column named 'text'" in str(err) and "'sentence'" in str(err)


def test_missing_label_column(tmp_path):
    err = error(csv_file(tmp_path, "text\nhi\n"))
    assert err.line == 1 and "'label'" in str(err)


def test_missing_key_jsonl(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n{"text": "b"}\n', encoding="utf-8")
    err = error(path)
    assert err.line == 2 and "missing key 'label'" in str(err)


def test_empty_file(tmp_path):
    err = error(csv_file(tmp_path, ""))
    assert "empty" in str(err)


def test_empty_text(tmp_path):
    path = good_csv(tmp_path, extra=['"   ",spam'])
    err = error(path)
    assert err.line == 42 and "empty text" in str(err)


def test_empty_label(tmp_path):
    path = csv_file(tmp_path, "text,label\nfine,spam\nno label here,\n")
    err = error(path)
    assert err.line == 3 and "empty label" in str(err)


def test_more_than_two_labels(tmp_path):
    path = csv_file(tmp_path, "text,label\na,x\nb,y\nc,x\nd,z\n")
    err = error(path)
    assert err.line == 5
    assert "more than two labels" in str(err) and "'z'" in str(err)
    assert "line 2" in str(err) and "line 3" in str(err)


def test_only_one_label(tmp_path):
    path = csv_file(tmp_path, "text,label\na,x\nb,x\n")
    err = error(path)
    assert "only 'x'" in str(err) and "two label values" in str(err)


def test_too_few_rows_for_the_test_split(tmp_path):
    err = error(good_csv(tmp_path, n=40))  # default test_size 300
    assert "too few rows for the test split" in str(err)
    assert "lower test_size (at most 20" in str(err)


def test_odd_test_size(tmp_path):
    err = error(good_csv(tmp_path), test_size=11)
    assert "even" in str(err)


def test_conflicting_duplicate(tmp_path):
    path = good_csv(tmp_path, extra=["Message number 0 about SPAM things!,ham"])
    err = error(path)
    assert err.line == 42 and "line 2" in str(err) and "different label" in str(err)


def test_wrong_number_of_fields(tmp_path):
    path = csv_file(tmp_path, "label,extra,text\nspam,x,fine\nham\n")
    err = error(path)
    assert err.line == 3 and "1 field(s), the header has 3" in str(err)


def test_bad_csv_quoting(tmp_path):
    path = csv_file(tmp_path, 'text,label\n"open quote never closed,spam\n')
    err = error(path)
    assert err.line == 2 and "bad CSV" in str(err)


def test_invalid_json_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n{"text": "b", label: "y"}\n', encoding="utf-8")
    err = error(path)
    assert err.line == 2 and "Not valid JSON at character 15" in str(err)


def test_deeply_nested_json_line_is_refused_at_its_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    err = error(path)
    assert err.line == 2 and "nested more than 8 levels" in str(err)


def test_json_line_not_an_object(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('["a", "x"]\n', encoding="utf-8")
    err = error(path)
    assert err.line == 1 and "list instead of an object" in str(err)


def test_text_not_a_string(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": 12, "label": "x"}\n', encoding="utf-8")
    assert "text is a int" in str(error(path))


def test_label_not_a_string(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": ["x"]}\n', encoding="utf-8")
    assert "label is a list" in str(error(path))


def test_not_utf8(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("text,label\nok,a\ncaf\u00e9,b\n".encode("latin-1"))
    err = error(path)
    assert err.line == 3 and "UTF-8" in str(err)


def test_unsupported_extension(tmp_path):
    path = csv_file(tmp_path, "text\tlabel\n", name="data.tsv")
    assert "unsupported file type '.tsv'" in str(error(path))


def test_missing_file(tmp_path):
    err = error(tmp_path / "nowhere.csv")
    assert "cannot read" in str(err)


def test_labels_option_mismatch(tmp_path):
    err = error(good_csv(tmp_path), test_size=10, labels=("spam", "eggs"))
    assert "does not match" in str(err)


def test_text_too_long(tmp_path):
    path = good_csv(tmp_path, extra=["x" * 2001 + ",spam"])
    err = error(path, test_size=10)
    assert err.line == 42 and "2001 characters" in str(err)


def test_too_many_rows(tmp_path):
    err = error(good_csv(tmp_path, n=2001))
    assert "2001 sentences (limit 2000)" in str(err)

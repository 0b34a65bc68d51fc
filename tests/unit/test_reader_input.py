"""Reader input is read safely: size and nesting checked before parsing, and the only
error is a ReaderInputError with a message for the reader."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lecture_widgets.reader_input import MAX_DEPTH, ReaderInputError, read_json


def test_deep_nesting_is_refused_before_parsing() -> None:
    with pytest.raises(ReaderInputError, match="nested more than 32 levels"):
        read_json("[" * 100_000 + "]" * 100_000)  # json.loads would recurse 100,000 deep
    assert read_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[[[[" * 50 + '\\"{{{{' * 50})
    assert read_json(text)["text"].startswith("[[[[")


def test_size_is_refused_before_reading() -> None:
    with pytest.raises(ReaderInputError, match="at most 1,000 can be read"):
        read_json('"' + "a" * 2_000 + '"', max_bytes=1_000)


def test_errors_say_where() -> None:
    with pytest.raises(ReaderInputError, match="Not valid JSON at character 2"):
        read_json("[}")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('[]{}",:\\ab1\x00\ud800\n'), max_size=400))
def test_anything_is_read_or_refused_with_a_reader_error(text: str) -> None:
    with contextlib.suppress(ReaderInputError):  # any other exception fails the test
        read_json(text, max_depth=8)

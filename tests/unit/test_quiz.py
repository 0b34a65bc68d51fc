"""The quiz widget at build time: its kind and answer from the options, and mistakes as
errors at their lines."""

from __future__ import annotations

import markdown
import pytest
from lecture_widgets.options import OptionError
from lecture_widgets.quiz import prepare
from mkdocs_lecture.extension import LectureExtension

CHOICES = [{"text": "a"}, {"text": "b", "correct": True}]


def test_the_kind_follows_the_correct_choices_and_the_code() -> None:
    assert prepare({"question": "?", "choices": CHOICES}, None)["kind"] == "single"
    both = [{"text": "a", "correct": True}, {"text": "b", "correct": True}]
    assert prepare({"question": "?", "choices": both}, None)["kind"] == "multiple"
    typed = prepare({"question": "?", "code": "print(6 * 7)"}, None)
    assert (typed["kind"], typed["answer"]) == ("output", "42\n")
    picked = prepare(
        {"question": "?", "code": "print(1 + 1)", "choices": [{"text": "2"}, {"text": "11"}]}, None
    )
    assert [choice["correct"] for choice in picked["choices"]] == [True, False]


@pytest.mark.parametrize(
    ("options", "option", "message"),
    [
        ({"question": "?", "choices": [{"text": "a"}, {"text": "b"}]}, "choices", "no choice"),
        ({"question": "?", "code": "1 / 0"}, "code", "ZeroDivisionError"),
        ({"question": "?", "code": "print(3)", "choices": CHOICES}, "choices", "prints '3'"),
        ({"question": "?"}, "question", "give 'choices'"),
    ],
)
def test_mistakes_name_their_option(options: dict, option: str, message: str) -> None:
    with pytest.raises(OptionError, match=message) as raised:
        prepare(options, None)
    assert raised.value.option == option


def test_a_wrong_quiz_fails_the_build_at_its_line() -> None:
    errors: list = []
    options = "question: What?\ncode: |\n  print(1)\nchoices:\n  - text: '2'\n  - text: '3'"
    text = f"# Page\n\n```{{quiz}}\n{options}\n```\n"
    markdown.markdown(text, extensions=[LectureExtension(on_error=errors.append)])
    assert [(error.line, "prints '1'" in error.message) for error in errors] == [(7, True)]

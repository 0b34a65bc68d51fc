"""The exercise widget on CPython: checks that say what failed with the reader's values,
and the build-time verification of each exercise (errors, warnings, at their lines)."""

from __future__ import annotations

import logging
import sys

import markdown
import pytest
from lecture_widgets.exercise.checks import BrokenTests, count_checks, run_checks
from mkdocs_lecture.extension import LectureExtension
from mkdocs_lecture.registry import discover

TESTS = """
import math
assert square(3) == 9
def test_negative():
    assert square(-2) == 4, "negative numbers"
def helper():
    return 1
assert math.isclose(square(0.5), 0.25)
"""


def names(result: dict) -> list[tuple[str, bool]]:
    return [(check["name"], check["passed"]) for check in result["checks"]]


def test_each_assert_and_test_function_is_a_check_that_says_both_sides() -> None:
    result = run_checks("def square(x):\n    return x + x\n", TESTS, "assert square(10) == 100")
    assert names(result) == [
        ("assert square(3) == 9", False),
        ("test_negative", False),
        ("assert math.isclose(square(0.5), 0.25)", False),
        ("hidden check 4", False),
    ]
    messages = [check["message"] for check in result["checks"]]
    assert messages[0] == "square(3) == 9: expected 9, got 6"
    assert messages[1] == "square(-2) == 4: expected 4, got -4 (negative numbers)"
    assert messages[2] == "the assertion is false"
    assert messages[3] == "a hidden check failed"  # not its source, nor its values
    assert count_checks(TESTS) == 3
    solved = run_checks("def square(x):\n    return x * x\n", TESTS, "assert square(10) == 100")
    assert solved["passed"] and all(passed for _, passed in names(solved))


def test_the_readers_errors_show_their_own_code_only() -> None:
    crashed = run_checks("def square(x):\n    return 1 / 0\n", "assert square(3) == 9")
    message = crashed["checks"][0]["message"]
    assert '"<your code>", line 2, in square' in message and "ZeroDivisionError" in message
    assert "checks.py" not in message and "<tests>" not in message
    broken = run_checks("def square(x) return", "assert square(3) == 9")
    assert broken["checks"] == [] and "SyntaxError" in broken["error"]
    exited = run_checks("raise SystemExit(3)", "assert True")
    assert "SystemExit" in exited["error"]
    with pytest.raises(BrokenTests, match="line 1"):
        run_checks("x = 1", "assert (")


def exercise(tests: str, solution: str, starter: str) -> str:
    indent = lambda code: "\n".join("  " + line for line in code.splitlines())  # noqa: E731
    return f"tests: |\n{indent(tests)}\nsolution: |\n{indent(solution)}\n---\n{starter}"


FAILING = exercise("assert f() == 2", "def f():\n    return 3", "def f():\n    return 1")
PASSING = exercise("assert g() == 2", "def g():\n    return 2", "def g():\n    return 2")
ENDLESS = exercise("assert f() == 2", "def f():\n    while True: pass\nf()", "x = 1")


def build(body: str, widgets: dict | None = None) -> tuple[list, str]:
    errors: list = []
    text = f"# Page\n\n```{{exercise}}\n---\n{body}\n```\n"
    extension = LectureExtension(widgets=widgets, on_error=errors.append)
    html = markdown.markdown(text, extensions=[extension])
    return errors, html


def test_a_solution_that_fails_its_tests_is_an_error_at_its_line() -> None:
    errors, _ = build(FAILING)
    [error] = errors
    assert error.line == 7  # the solution's line
    assert "the solution fails its tests: assert f() == 2: f() == 2: expected 2, got 3" in (
        error.message
    )


def test_a_starter_that_already_passes_is_a_warning_at_the_tests(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs_lecture"):
        errors, html = build(PASSING)
    assert errors == [] and 'data-lecture-widget="exercise"' in html
    expected = "<markdown>:5: widget '{exercise}': option 'tests': the starter code already passes"
    assert expected in caplog.text


def test_a_solution_that_never_ends_is_an_error_not_a_hung_build(monkeypatch) -> None:
    widgets = discover()  # (imports the widgets afresh: patch the module they use)
    monkeypatch.setattr(sys.modules["lecture_widgets.exercise.verify"], "SECONDS", 2)
    errors, _ = build(ENDLESS, widgets)
    assert "did not finish their checks in 2 s" in errors[0].message

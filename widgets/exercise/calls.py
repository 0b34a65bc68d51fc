"""The exercise view's call: the reader's code checked against the page's tests."""

from __future__ import annotations

from typing import Any

from .checks import BrokenTests, run_checks


def check(code: str, tests: str, hidden_tests: str = "") -> dict[str, Any]:
    """:func:`.checks.run_checks`, or ``{"passed": False, "error"}`` when the tests
    themselves cannot run (the build checks they do)."""
    try:
        return run_checks(str(code), tests, hidden_tests)
    except BrokenTests as error:
        return {"passed": False, "error": f"The exercise's tests cannot run: {error}", "checks": []}

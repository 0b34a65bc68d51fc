"""Build time: the author's solution must pass the exercise's tests, and the starter code
must fail at least one. Both run in a fresh CPython process, with a time limit, so that an
exercise cannot hang or disturb the build."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from typing import Any

from ..options import OptionError, OptionWarning

SECONDS = 20  # the most one exercise's solution and starter may take, together
RUNNER = """
import json, sys
from lecture_widgets.exercise.checks import BrokenTests, run_checks
given = json.load(sys.stdin)
out = []
for code in (given["solution"], given["starter"]):
    try:
        out.append(run_checks(code, given["tests"], given["hidden_tests"]))
    except BrokenTests as error:
        out.append({"tests_error": str(error)})
print(json.dumps(out))
"""


def verify_exercise(options: dict[str, Any]) -> None:
    """OptionError (at `solution`, or `tests`) when the solution does not pass; an
    OptionWarning (at `tests`) when the starter already does."""
    given = {key: options.get(key, "") for key in ("solution", "starter", "tests", "hidden_tests")}
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER],
            input=json.dumps(given),
            capture_output=True,
            text=True,
            timeout=SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OptionError(
            "solution", f"the solution and the starter did not finish their checks in {SECONDS} s."
        ) from None
    if done.returncode != 0:
        raise OptionError("tests", f"the checks could not run: {done.stderr.strip()[-500:]}")
    solution, starter = json.loads(done.stdout)
    if "tests_error" in solution:
        raise OptionError("tests", f"the tests do not run: {solution['tests_error']}")
    if not solution["passed"]:
        raise OptionError("solution", f"the solution fails its tests: {_first_failure(solution)}")
    if "tests_error" not in starter and starter["passed"]:
        warnings.warn(
            OptionWarning("tests", "the starter code already passes every check: nothing to do."),
            stacklevel=2,
        )


def _first_failure(result: dict[str, Any]) -> str:
    if result["error"]:
        return result["error"].strip().splitlines()[-1]
    failed = next(check for check in result["checks"] if not check["passed"])
    return f"{failed['name']}: {failed['message'].strip().splitlines()[-1]}"

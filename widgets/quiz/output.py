"""Build time: what a predict-the-output question's code prints, run in a fresh CPython
process with a time limit."""

from __future__ import annotations

import subprocess
import sys

from ..options import OptionError

SECONDS = 10


def run_for_output(code: str) -> str:
    """The code's standard output; OptionError (at `code`) if it fails or takes too long."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OptionError("code", f"the code did not finish in {SECONDS} s.") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise OptionError("code", f"the code fails: {last}")
    return done.stdout

"""The code is linted as CI sees it: ruff for Python; ESLint and Prettier (pinned in
package.json) for JavaScript and CSS."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from support import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", [("check", "."), ("format", "--check", ".")])
def test_python_is_ruff_clean(command: tuple[str, ...]) -> None:
    result = run(sys.executable, "-m", "ruff", *command)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    not shutil.which("npm") or not (ROOT / "node_modules/.bin/eslint").exists(),
    reason="needs the npm packages (./course test installs them)",
)
def test_javascript_passes_eslint_and_prettier() -> None:
    result = run("npm", "run", "--silent", "lint")
    assert result.returncode == 0, result.stdout + result.stderr

"""`mkdocs-lecture check`: passes on a working site, fails with the reason on a broken one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def run_check(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_lecture.cli", "check", str(site)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_check_passes_then_names_the_broken_widget(test_site, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(test_site().directory, site)
    result = run_check(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS  labeling/index.html  #game (labeling)" in result.stdout
    assert "FAIL" not in result.stdout

    (site / "assets/lecture/widgets/labeling/data/movies.json").unlink()
    result = run_check(site)
    assert result.returncode == 1
    assert "FAIL  labeling/index.html  #game (labeling): " in result.stdout
    assert "movies.json answered 404" in result.stdout
    assert "PASS  cells/index.html  #first (python)" in result.stdout


def test_check_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 2 and "run `mkdocs build` first" in result.stderr

"""`mkdocs-lecture new`: a starter course that builds strictly, in an empty folder only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs_lecture.new import RELEASE
from support import ROOT, mkdocs_build


def new(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "new", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_new_writes_a_course_that_builds_strictly(tmp_path: Path) -> None:
    course = tmp_path / "course"
    result = new(course)
    assert result.returncode == 0, result.stderr
    files = sorted(
        path.relative_to(course).as_posix() for path in course.rglob("*") if path.is_file()
    )
    assert files == [
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "docs/index.md",
        "mkdocs.yml",
    ]
    assert "mkdocs serve" in result.stdout
    pages = (course / ".github/workflows/pages.yml").read_text()
    assert f"'mkdocs-lecture>={RELEASE}'" in pages and "${{ steps.pages" in pages
    assert "dev" not in RELEASE
    index = (course / "docs/index.md").read_text()
    for widget in ("python", "tokenizer", "chat", "labeling"):
        assert f"```{{{widget}}}" in index
    config = (course / "mkdocs.yml").read_text()
    [line] = [line for line in config.splitlines() if line.startswith("  - lecture")]
    here = f"  - lecture:\n      pyodide_dir: {ROOT / 'node_modules/pyodide'}"  # no fetching
    (course / "mkdocs.yml").write_text(config.replace(line, here))
    result = mkdocs_build(course / "mkdocs.yml", "--strict")
    assert result.returncode == 0, result.stderr


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    result = new(tmp_path)
    assert result.returncode == 2
    assert "is not an empty folder" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.md"]

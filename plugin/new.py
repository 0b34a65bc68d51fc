"""`mkdocs-lecture new DIR`: a starter course, ready for `mkdocs serve`."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from . import __version__

STARTER = Path(__file__).with_name("starter")
RELEASE = Version(__version__).base_version  # the workflows ask for this release or newer


class NewCourseError(RuntimeError):
    """The folder cannot take a new course."""


def new_course(folder: Path) -> list[Path]:
    """Write the starter course into `folder` (new or empty); returns the files written.
    In the package, `_name` stands for `.name` (dot-files are not package data)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewCourseError(
            f"'{folder}' is not an empty folder: choose a new one, or add `- lecture` under "
            "`plugins:` in the mkdocs.yml of an existing site."
        )
    written = []
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = source.relative_to(STARTER).parts
        target = folder.joinpath(
            *(f".{part[1:]}" if part.startswith("_") else part for part in parts)
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text().replace("{version}", RELEASE))
        written.append(target)
    return written

"""`mkdocs-lecture new DIR`: a starter course, ready for `mkdocs serve`; and
`mkdocs-lecture new-widget NAME`: a widget to start from, with the contract filled in."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from . import __version__
from .registry import BUILTIN_DIR, RESERVED, WIDGET_NAME

STARTER = Path(__file__).with_name("starter")
WIDGET_TEMPLATE = Path(__file__).with_name("widget_template")
TEMPLATE_NAME = "WIDGET_NAME"
RELEASE = Version(__version__).base_version  # the workflows ask for this release or newer


class NewCourseError(RuntimeError):
    """The folder cannot take a new course (or widget)."""


def new_course(folder: Path) -> list[Path]:
    """Write the starter course into `folder` (new or empty); returns the files written.
    In the package, `_name` stands for `.name` (dot-files are not package data)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewCourseError(
            f"'{folder}' is not an empty folder: choose a new one, or add `- lecture` under "
            "`plugins:` in the mkdocs.yml of an existing site."
        )
    return _copy(STARTER, folder, "{version}", RELEASE, dot_files=True)


def new_widget(name: str, widgets_dir: Path) -> list[Path]:
    """Write the template widget as `widgets_dir/name`; returns the files written."""
    if not WIDGET_NAME.match(name):
        raise NewCourseError(
            f"'{name}' cannot name a widget: lowercase letters, digits and underscores, "
            "starting with a letter."
        )
    if name in RESERVED or (BUILTIN_DIR / name).is_dir():
        raise NewCourseError(f"'{name}' is taken by mkdocs-lecture itself: choose another name.")
    folder = widgets_dir / name
    if folder.exists():
        raise NewCourseError(f"'{folder}' already exists: choose another name.")
    return _copy(WIDGET_TEMPLATE, folder, TEMPLATE_NAME, name)


def _copy(
    template: Path, folder: Path, placeholder: str, value: str, dot_files: bool = False
) -> list[Path]:
    """Copy `template`'s files into `folder`, `placeholder` replaced by `value` in them;
    with `dot_files`, a leading `_` in a name stands for `.`. Returns the files written."""
    written = []
    for source in sorted(template.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = source.relative_to(template).parts
        if dot_files:
            parts = tuple(f".{part[1:]}" if part.startswith("_") else part for part in parts)
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text("utf-8").replace(placeholder, value), "utf-8")
        written.append(target)
    return written

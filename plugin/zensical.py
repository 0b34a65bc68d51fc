"""Zensical runs the Markdown extension but not MkDocs plugins.

There the extension learns the page from Zensical's rendering context (its name and URL,
the docs folder, where its text starts after the front matter), reports a bad fence on
stderr and in the page instead of aborting the build with a traceback, and puts the
runtime's tags in the page itself. `mkdocs-lecture bundle SITE`, run after
`zensical build`, writes what the plugin's build step writes (`assets/lecture/`).
"""

from __future__ import annotations

import posixpath
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from markdown import Markdown

if TYPE_CHECKING:
    from .extension import LectureExtension, WidgetError

CONTEXT = "rendering_context"  # zensical.extensions.context.ContextPreprocessor


def adopt_page(md: Markdown, extension: LectureExtension, lines: list[str]) -> None:
    """When Zensical is rendering, tell the extension which page `lines` are."""
    if CONTEXT not in md.preprocessors:
        return
    context = md.preprocessors[CONTEXT]
    docs_dir = Path(context.config["docs_dir"])  # type: ignore[attr-defined]
    page = context.page  # type: ignore[attr-defined]
    source = docs_dir / page.path
    offset = _line_offset(source.read_text(encoding="utf-8-sig"), lines)
    extension.set_page(f"{docs_dir.name}/{page.path}", offset, url=page.url)
    extension.docs_dir = docs_dir
    extension.on_error = report


def _line_offset(source: str, lines: list[str]) -> int:
    """How many lines of the file come before `lines` (Zensical strips the front matter)."""
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return 0
    file_lines = [line.expandtabs(4).rstrip() for line in source.splitlines()]
    try:
        return file_lines.index(lines[first].rstrip()) - first
    except ValueError:
        return 0


def report(error: WidgetError) -> None:
    """Zensical has no channel for an extension's problems: stderr, as its own read, and
    the error box in the page (`mkdocs-lecture bundle` fails on those)."""
    print(f"Error: lecture: {error.source}:{error.line}: {error.message}", file=sys.stderr)


def relative_url(path: str, page_url: str) -> str:
    """`path` (from the site's root) as seen from the page at `page_url`."""
    folder = page_url.strip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    depth = len(folder.strip("/").split("/")) if folder.strip("/") else 0
    return "../" * depth + path

"""The progress widget: how many of the course's exercises and questions the reader has
solved, on this page and in the whole course, page by page, and an export of the reader's
answers as JSONL. The course's exercises and questions (the widgets that declare
``SOLVABLE``) are listed at build time in ``config.js``; what the reader solved is in the
browser, in each widget's saved state. Needs no Python.
"""

from __future__ import annotations

from typing import Any

OPTIONS: dict[str, Any] = {"type": "object", "properties": {}}
CALLS: tuple[str, ...] = ()


def render_static(options: dict[str, Any]) -> str:
    """A line until the page has loaded (build time)."""
    from .static import static_html

    return static_html(options)

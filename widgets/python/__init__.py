"""The `python` widget: an editable code cell that runs in the reader's browser.

Cells of a page share one namespace, in page order, like a notebook; a cell with
`isolate: true` gets its own. The last expression's value is shown, as in a notebook.
"""

from __future__ import annotations

from typing import Any

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "The fence body."},
        "isolate": {
            "type": "boolean",
            "default": False,
            "description": "Run in a namespace of its own instead of the page's.",
        },
    },
}
BODY = "code"
PYTHON_OPTIONS = ("code",)  # the Python it runs: its imports are the packages it needs
CALLS = ("run",)


def render_static(options: dict[str, Any]) -> str:
    """The code as a highlighted block, like any code block of the page (build time only)."""
    from .static import static_html

    return static_html(options)

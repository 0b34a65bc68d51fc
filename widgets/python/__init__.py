"""The `python` widget: an editable code cell that runs in the reader's browser.

Cells of a page share one namespace, in page order, like a notebook; a cell with
`isolate: true` gets its own. The last expression's value is shown, as in a notebook:
rich when it has a `_repr_html_`, `_repr_png_`… (outputs.py), like `display(...)`'s.
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
VIEW: dict[str, Any] = {
    # A rich output on stdout: start, its JSON, end (an OSC sequence: no text holds one;
    # a line of its own, for whatever reads stdout line by line).
    "display": {"start": "\u001b]lecture-display;", "end": "\u0007\n"},
}


def render_static(options: dict[str, Any]) -> str:
    """The code as a highlighted block, like any code block of the page (build time only)."""
    from .static import static_html

    return static_html(options)

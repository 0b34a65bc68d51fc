"""The `WIDGET_NAME` widget, from mkdocs-lecture's widget template: the reader types a
sentence, Python turns its words around. Replace what it does, keep the shape: the
contract is in mkdocs-lecture's ARCHITECTURE.md ("Widgets").

- `__init__.py`: this contract and nothing else.
- `calls.py`: the functions the view calls, in the reader's browser (Pyodide).
- `words.py`: the logic, standard library only (the same on CPython and Pyodide).
- `static.py`: the view before Python is ready, built at build time.
- `view.js`, `view.css`: the view.
"""

from __future__ import annotations

from typing import Any

from .words import MAX_TEXT

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {
            "type": "string",
            "default": "Python runs in this page",
            "maxLength": MAX_TEXT,
            "description": "The sentence the reader starts from.",
        },
    },
}
CALLS = ("reverse",)
# PYTHON_OPTIONS = ("code",)  # options holding Python the reader's browser runs, if any:
#                               their imports are the packages the widget needs
VIEW = {"max_text": MAX_TEXT}  # what the view reads from Python: context.constants


def render_static(options: dict[str, Any]) -> str:
    """The widget before Python is ready (build time)."""
    from .static import static_html

    return static_html(options)

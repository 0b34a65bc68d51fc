"""The exercise widget: starter code the reader edits until the author's tests pass.

The fence body is the starter code; a ``---`` header holds the tests (top-level
``assert``s and ``test_*`` functions), the solution, hints, when the solution may be
revealed, and optional hidden tests. At build time (CPython) the solution must pass the
tests (else an error at the ``solution`` line) and the starter must fail one (else a
warning). In the browser the same :mod:`.checks` runs the reader's code against them.

Hidden tests are hidden from view, not from a determined reader: like the solution, they
travel in the page, because they run in the reader's browser.

- :mod:`.checks`: the reader's code, then the tests, one check at a time (shared).
- :mod:`.verify`: the build-time run of the solution and the starter, in a subprocess.
- :mod:`.calls`: the view's call (``check``). :mod:`.static`: the static view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .verify import verify_exercise

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "starter": {
            "type": "string",
            "description": "The fence body: the code the reader starts from.",
        },
        "tests": {
            "type": "string",
            "minLength": 1,
            "description": "Python run after the reader's code: each top-level assert and each "
            "test_* function is one check.",
        },
        "solution": {
            "type": "string",
            "minLength": 1,
            "description": "Code that passes the tests.",
        },
        "hidden_tests": {
            "type": "string",
            "default": "",
            "description": "More checks, shown by number only (hidden from view, not from a "
            "determined reader: they run in the browser).",
        },
        "hints": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "description": "Shown one at a time, when the reader asks.",
        },
        "reveal": {
            "oneOf": [
                {"enum": ["on-request", "never"]},
                {
                    "type": "object",
                    "properties": {"after": {"type": "integer", "minimum": 1}},
                    "required": ["after"],
                    "additionalProperties": False,
                },
            ],
            "default": {"after": 3},
            "description": "When the solution may be shown: {after: N} attempts, on-request, "
            "or never.",
        },
    },
    "required": ["tests", "solution"],
}
BODY = "starter"
# The Python it runs in the browser: their imports are the packages it needs.
PYTHON_OPTIONS = ("starter", "tests", "solution", "hidden_tests")
CALLS = ("check",)
SOLVABLE = True  # counted by the progress widget


def prepare(options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
    """The solution passes the tests and the starter fails one, run in CPython now."""
    verify_exercise(options)
    return options


def render_static(options: dict[str, Any]) -> str:
    """The starter code, highlighted, and how many checks it must pass (build time)."""
    from .static import static_html

    return static_html(options)

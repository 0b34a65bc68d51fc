"""The quiz widget: one question, checked in the page.

Three kinds, from the options: ``single`` (one correct choice: radio buttons),
``multiple`` (several: checkboxes), and ``output`` (predict what ``code`` prints: the
answer is its output, from running it at build time in CPython; with ``choices``, the
choice that matches the output is the correct one, else the reader types it). Each choice
may carry an explanation, shown once the reader has answered. The answer is kept in the
reader's browser. Needs no Python in the browser: the answer is in the page (like an
exercise's tests, it is hidden from view, not from a reader who reads the page's source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..options import OptionError
from .output import run_for_output

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "minLength": 1, "description": "The question."},
        "choices": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "correct": {"type": "boolean", "default": False},
                    "explain": {"type": "string", "default": ""},
                },
                "required": ["text"],
                "additionalProperties": False,
            },
            "description": "The choices: {text, correct: true for the right ones, explain}.",
        },
        "code": {
            "type": "string",
            "description": "Predict-the-output: code whose printed output is the answer "
            "(run at build time).",
        },
        "shuffle": {"type": "boolean", "default": False, "description": "Shuffle the choices."},
        "explain": {"type": "string", "default": "", "description": "Shown once answered."},
    },
    "required": ["question"],
}
CALLS: tuple[str, ...] = ()
SOLVABLE = True  # counted by the progress widget


def prepare(options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
    """The quiz's kind and its answer: the correct choices, or the code's output."""
    options = dict(options)
    choices = [{"correct": False, "explain": "", **choice} for choice in options.get("choices", [])]
    if "code" in options:
        output = run_for_output(options["code"])
        options["answer"] = output
        if choices:
            matching = [c for c in choices if c["text"].strip() == output.strip()]
            if len(matching) != 1:
                raise OptionError(
                    "choices",
                    f"the code prints {output.strip()!r}: exactly one choice must be that text "
                    f"({len(matching)} are).",
                )
            for choice in choices:
                choice["correct"] = choice is matching[0]
    elif not choices:
        raise OptionError(
            "question", "give 'choices' (with one or more correct), or 'code' to run."
        )
    correct = sum(choice["correct"] for choice in choices)
    if choices and not correct:
        raise OptionError("choices", "no choice is marked 'correct: true'.")
    options["choices"] = choices
    options["kind"] = (
        "output" if "code" in options and not choices else "multiple" if correct > 1 else "single"
    )
    return options


def render_static(options: dict[str, Any]) -> str:
    """The question, its code and its choices, without the answer (build time)."""
    from .static import static_html

    return static_html(options)

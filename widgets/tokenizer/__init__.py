"""The `tokenizer` widget: the reader edits a text and sees it as GPT tokens, side by side
for up to three encodings, token for token equal to tiktoken (``r50k_base``/``gpt2``,
``cl100k_base``, ``o200k_base``): colored chips grouped into whole characters, ids,
counts, whitespace markers, and byte-pair merges step by step.

The engine is standard library only, so the same code runs at build time (CPython 3.11+)
and in the reader's browser (Pyodide)::

    >>> from lecture_widgets.tokenizer.encodings import get_encoding
    >>> get_encoding("cl100k_base").encode("hello world")
    [15339, 1917]

Modules, one concern each:

- :mod:`.specs`: split patterns and special tokens (tiktoken's definitions).
- :mod:`.pretokenize`: the split pattern run with Python's ``re``, exactly.
- :mod:`.unicode_tables`: character classes measured from tiktoken (generated).
- :mod:`.bpe`: byte-pair merging of one piece, and its steps for teaching.
- :mod:`.core`: :class:`.core.Encoding` (encode, decode, special tokens).
- :mod:`.encodings`: loading rank files from ``data/``, :func:`.encodings.get_encoding`.
- :mod:`.datafile`: the compact rank file format.
- :mod:`.display`: token ids grouped into whole characters for a view.
- :mod:`.facts`: what the Python and the view share (models, markers, limits, presets).
- :mod:`.calls`: the calls the view makes (``tokenize``, ``merges``).
- :mod:`.static`: the static view, rendered at build time.
- :mod:`.build.make_data`: regenerates ``data/`` and :mod:`.unicode_tables` (needs tiktoken).
"""

from __future__ import annotations

from typing import Any

from .facts import (
    LABELS,
    MARKERS,
    MAX_INPUT,
    MAX_MERGE_BYTES,
    MODELS,
    PRESETS,
    SHOW,
    SMOKE,
)
from .specs import SPECS

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {
            "type": "string",
            "default": "Supervised fine-tuning turns a base model into an assistant.",
            "description": "The text the widget starts with; the reader can edit it.",
        },
        "encodings": {
            "type": "array",
            "items": {"enum": list(MODELS)},
            "minItems": 1,
            "maxItems": 3,
            "uniqueItems": True,
            "default": ["cl100k_base"],
            "description": "The tokenizers shown side by side (1 to 3).",
        },
        "show": {
            "enum": list(SHOW),
            "default": "tokens",
            "description": "What each token chip shows first: its text, its id, or both "
            "(the reader can switch).",
        },
        "whitespace": {
            "type": "boolean",
            "default": True,
            "description": "Show spaces as {}, tabs as {} and carriage returns as {} "
            "(newlines are always shown as {}).".format(*(MARKERS[c] for c in " \t\r\n")),
        },
        "presets": {
            "type": "boolean",
            "default": True,
            "description": "Offer the lecture's example texts as buttons.",
        },
    },
}
CALLS = ("tokenize", "merges")
VIEW: dict[str, Any] = {
    "models": MODELS,
    "show": SHOW,
    "markers": MARKERS,
    "labels": LABELS,
    "max_input": MAX_INPUT,
    "max_merge_bytes": MAX_MERGE_BYTES,
    "presets": PRESETS,
    "smoke": SMOKE,
}


def render_static(options: dict[str, Any]) -> str:
    """The author's text as token chips, per encoding: what the view shows first."""
    from .static import render  # build time only: its xml.etree costs the browser 90 ms

    return render(options["text"], options["encodings"], options["show"], options["whitespace"])


def data_files(options: dict[str, Any]) -> list[str]:
    """The rank files of the fence's encodings only (gpt2 and r50k_base share one)."""
    return sorted({f"tokenizer/data/{SPECS[name].data_file}" for name in options["encodings"]})

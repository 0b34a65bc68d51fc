"""The calls the browser makes: `"<widget>.<function>"` with JSON in, JSON out.

Only the functions a widget lists in its `CALLS` can be called; they live in its
`calls.py`. A payload is read like any reader input (it may carry what a reader pasted,
or saved state from localStorage): nesting too deep for Pyodide's stack is refused.
"""

from __future__ import annotations

import importlib
import json

from .reader_input import read_json

PAYLOAD_BYTES = 20_000_000  # a labeling game's saved state, an author's data set
PAYLOAD_DEPTH = 64


def call(name: str, payload_json: str) -> str:
    """Call `lecture_widgets.<widget>.calls.<function>(**payload)`; its result as JSON."""
    widget, _, function = name.partition(".")
    if function not in getattr(importlib.import_module(f"lecture_widgets.{widget}"), "CALLS", ()):
        raise LookupError(f"widget '{widget}' has no call '{function}'")
    calls = importlib.import_module(f"lecture_widgets.{widget}.calls")
    payload = read_json(payload_json, max_bytes=PAYLOAD_BYTES, max_depth=PAYLOAD_DEPTH)
    return json.dumps(getattr(calls, function)(**payload))

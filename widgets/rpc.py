"""The calls the browser makes: `"<widget>.<function>"` with JSON in, JSON out.

Only the functions a widget lists in its `CALLS` can be called; they live in its
`calls.py`.
"""

from __future__ import annotations

import importlib
import json


def call(name: str, payload_json: str) -> str:
    """Call `lecture_widgets.<widget>.calls.<function>(**payload)`; its result as JSON."""
    widget, _, function = name.partition(".")
    if function not in getattr(importlib.import_module(f"lecture_widgets.{widget}"), "CALLS", ()):
        raise LookupError(f"widget '{widget}' has no call '{function}'")
    calls = importlib.import_module(f"lecture_widgets.{widget}.calls")
    return json.dumps(getattr(calls, function)(**json.loads(payload_json)))

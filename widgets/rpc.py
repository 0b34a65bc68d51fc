"""The calls the browser makes: `"<widget>.<function>"` with JSON in, JSON out.

Only the functions a widget lists in its `CALLS` can be called.
"""

from __future__ import annotations

import importlib
import json


def call(name: str, payload_json: str) -> str:
    """Call `lecture_widgets.<widget>.<function>(**payload)` and return its result as JSON."""
    widget, _, function = name.partition(".")
    module = importlib.import_module(f"lecture_widgets.{widget}")
    if function not in getattr(module, "CALLS", ()):
        raise LookupError(f"widget '{widget}' has no call '{function}'")
    return json.dumps(getattr(module, function)(**json.loads(payload_json)))

"""The functions the view calls (`python.call("WIDGET_NAME.reverse", {...})`): JSON-able
arguments in, a JSON-able result out."""

from __future__ import annotations

from typing import Any

from .words import reversed_words


def reverse(text: str) -> dict[str, Any]:
    return {"text": reversed_words(text)}

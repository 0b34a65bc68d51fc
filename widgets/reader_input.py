"""Reading JSON a reader pastes or imports (a JSONL file is read line by line), safely.

Size and nesting are checked before anything is parsed: in Pyodide a deeply nested JSON
document overflows the WebAssembly stack and kills the interpreter (every widget of the
page loses its state), where CPython would raise RecursionError. Every widget reads
reader input through these functions; a problem is a `ReaderInputError` whose message
the widget shows as it is.
"""

from __future__ import annotations

import json
from typing import Any

MAX_BYTES = 1_000_000
MAX_DEPTH = 32


class ReaderInputError(ValueError):
    """Reader input that cannot be used, with what is wrong, in words for the reader."""


def read_json(text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """One JSON value."""
    _check_size(text, max_bytes)
    _check_depth(text, max_depth)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReaderInputError(
            f"Not valid JSON at character {error.pos + 1}: {error.msg}."
        ) from None
    except (ValueError, RecursionError) as error:
        raise ReaderInputError(f"Not valid JSON: {error}.") from None


def _check_size(text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ReaderInputError(f"This is {size:,} bytes; at most {max_bytes:,} can be read here.")


def _check_depth(text: str, max_depth: int) -> None:
    """Nesting of [ and { outside strings, counted without parsing (so without recursion)."""
    depth = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > max_depth:
                raise ReaderInputError(
                    f"This is nested more than {max_depth} levels deep; it cannot be read here."
                )
        elif character in "]}":
            depth -= 1

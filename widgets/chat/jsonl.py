"""One conversation as one JSONL line, in the common ``{"messages": [...]}`` shape (the
shape of OpenAI's chat fine-tuning files and of Hugging Face's ``messages`` column)."""

from __future__ import annotations

import json
from typing import Any

from ..reader_input import ReaderInputError, read_json
from .render import ChatError, validate_messages

MAX_DEPTH = 4  # {"messages": [{"role": …}]} is 3 deep


def to_jsonl(messages: list[dict[str, str]]) -> str:
    """The line for ``messages`` (no newline at its end)."""
    messages = validate_messages(messages)
    return json.dumps({"messages": messages}, ensure_ascii=False)


def from_jsonl(text: str) -> list[dict[str, str]]:
    """The messages of one JSONL line; ChatError says what is wrong and where."""
    if not isinstance(text, str):
        raise ChatError("Paste one line of JSONL text.")
    # JSONL lines end at "\n" only: a line may hold U+2028 or U+0085, which JSON leaves as is
    lines = [
        (number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip(" \t\r")
    ]
    if not lines:
        raise ChatError('Nothing to import: paste one line like {"messages": [...]}.')
    if len(lines) > 1:
        raise ChatError(
            f"{len(lines)} lines: paste one conversation, on one line (lines "
            f"{', '.join(str(number) for number, _ in lines[:5])}{'…' if len(lines) > 5 else ''}"
            " are not empty)."
        )
    line = lines[0][1].strip(" \t\r")
    try:
        data: Any = read_json(line, max_depth=MAX_DEPTH)
    except ReaderInputError as error:
        raise ChatError(
            f'{error} Expected one line like {{"messages": [{{"role": "user", "content": "Hi"}}]}}.'
        ) from None
    if not isinstance(data, dict):
        raise ChatError(f'Expected an object {{"messages": [...]}}, got {_kind(data)}.')
    if "messages" not in data:
        keys = ", ".join(map(repr, data)) or "none"
        raise ChatError(f"The object has no 'messages' key (its keys: {keys}).")
    extra = sorted(set(data) - {"messages"})
    if extra:
        raise ChatError(
            f"The object has keys this widget does not keep: {', '.join(map(repr, extra))} "
            "(only 'messages')."
        )
    return validate_messages(data["messages"])


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )

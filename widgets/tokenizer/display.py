"""Tokens grouped for display: whole characters, never half a character.

A token need not hold whole characters: cl100k encodes " 👍🏽" as five tokens,
``b" \\xf0\\x9f\\x91"``, ``b"\\x8d"``, ``b"\\xf0\\x9f"``, ``b"\\x8f"``, ``b"\\xbd"``.
Decoding such tokens one by one shows U+FFFD where the reader should see
that several tokens make up one character. :func:`token_groups` puts
consecutive tokens into the smallest groups that hold whole UTF-8 characters
and keeps each token's own bytes, so a view can show the character once with
its byte pieces under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Encoding


def _continuations(lead: int) -> int:
    """How many continuation bytes follow a UTF-8 lead byte (0 for anything invalid)."""
    if 0xC2 <= lead <= 0xDF:
        return 1
    if 0xE0 <= lead <= 0xEF:
        return 2
    if 0xF0 <= lead <= 0xF4:
        return 3
    return 0


def _token_entry(token: int, data: bytes, special: bool) -> dict[str, Any]:
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {
        "id": token,
        "bytes": list(data),
        "hex": data.hex(" "),
        "text": text,  # None: the token is not whole characters on its own
        "special": special,
    }


def token_groups(encoding: Encoding, tokens: Sequence[int]) -> list[dict[str, Any]]:
    """``tokens`` as display groups, in order; every value is JSON-able.

    Each group is ``{"text", "ids", "tokens", "split", "valid", "special"}``:

    - ``text``: the group's characters (its bytes decoded; U+FFFD only where
      the bytes themselves are not valid UTF-8, e.g. ids that end mid-character);
    - ``ids``: its token ids;
    - ``tokens``: per token ``{"id", "bytes" (list of ints), "hex" ("f0 9f 91"),
      "text" (the token's own text, None if it is part of a character),
      "special"}``;
    - ``split``: True when a character is cut between tokens of the group
      (the group has more than one token);
    - ``valid``: False when the group's bytes are not valid UTF-8;
    - ``special``: True for a special token (always a group of its own).

    A group ends after the first token at which all characters are complete.
    Raises KeyError for an id that is not a token.
    """
    groups: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    pending = 0  # continuation bytes still expected

    def close() -> None:
        data = b"".join(bytes(t["bytes"]) for t in current)
        try:
            text, valid = data.decode("utf-8"), True
        except UnicodeDecodeError:
            text, valid = data.decode("utf-8", errors="replace"), False
        groups.append(
            {
                "text": text,
                "ids": [t["id"] for t in current],
                "tokens": list(current),
                "split": len(current) > 1,
                "valid": valid,
                "special": False,
            }
        )
        current.clear()

    for token in tokens:
        data = encoding.decode_single_token_bytes(token)
        if encoding.is_special_token(token):
            if current:
                close()
                pending = 0
            entry = _token_entry(token, data, special=True)
            groups.append(
                {
                    "text": entry["text"],
                    "ids": [token],
                    "tokens": [entry],
                    "split": False,
                    "valid": True,
                    "special": True,
                }
            )
            continue
        current.append(_token_entry(token, data, special=False))
        for byte in data:
            if pending and 0x80 <= byte <= 0xBF:
                pending -= 1
            else:
                pending = _continuations(byte)
        if not pending:
            close()
    if current:
        close()
    return groups

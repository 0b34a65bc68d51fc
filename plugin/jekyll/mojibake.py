"""Repair mojibake: UTF-8 text that was decoded as Mac Roman or Windows-1252/Latin-1.

Detection is conservative. A page is repaired only when the whole text encodes back to
bytes in the suspected 8-bit code page, those bytes are valid UTF-8, the result differs
and reads as text (no control, private-use or unassigned characters). Clean UTF-8 text
with a legitimate "é" or low-9 quote (U+201A) never passes: its bytes in those code
pages are not UTF-8.
"""

from __future__ import annotations

import unicodedata

CODECS = {"mac_roman": "Mac Roman", "cp1252": "Windows-1252 (Latin-1)"}
ALLOWED_CONTROLS = frozenset("\t\n\r")


def _encode(text: str, codec: str) -> bytes:
    """`text` in the code page; for cp1252 the five bytes it leaves undefined (and Latin-1's
    C1 controls) map to themselves, as they do in real-world Windows mojibake."""
    if codec != "cp1252":
        return text.encode(codec)
    out = bytearray()
    for char in text:
        if char.isascii():
            out.append(ord(char))
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                raise
            out.append(ord(char))
    return bytes(out)


def _reads_as_text(text: str) -> bool:
    return (
        not any(
            unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs") and char not in ALLOWED_CONTROLS
            for char in text
            if not char.isascii()
        )
        and "\ufffd" not in text
    )


def _oddness(text: str) -> int:
    """Characters rare in prose (combining marks, modifier symbols…): when both code pages
    give valid UTF-8 ("Ã©" is é in Windows-1252 but U+0329 in Mac Roman), the text with
    fewer of them wins."""
    return sum(
        unicodedata.category(char)[0] not in "LNPSZ" or unicodedata.category(char) == "Sk"
        for char in text
        if not char.isascii()
    )


def repair(text: str) -> tuple[str, str | None]:
    """`(repaired text, codec name)` when `text` is mojibake, else `(text, None)`."""
    if text.isascii():
        return text, None
    candidates = []
    for codec in CODECS:
        try:
            fixed = _encode(text, codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and _reads_as_text(fixed):
            candidates.append((_oddness(fixed), len(candidates), fixed, codec))
    if not candidates:
        return text, None
    _, _, fixed, codec = min(candidates)
    return fixed, codec


def repair_with(text: str, codec: str) -> str:
    """`text` repaired with a codec found for its whole page; unchanged if it does not fit."""
    try:
        return _encode(text, codec).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text

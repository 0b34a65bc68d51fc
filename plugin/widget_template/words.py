"""The widget's logic: standard library only, so it runs the same at build time and in
the reader's browser."""

from __future__ import annotations

MAX_TEXT = 500  # characters


def reversed_words(text: str) -> str:
    """The words of `text` in the opposite order."""
    return " ".join(reversed(text[:MAX_TEXT].split()))

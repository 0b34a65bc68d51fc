"""The calls the tokenizer's view makes: :func:`tokenize` after each edit, :func:`merges`
when a token is clicked. Both answer with JSON-able dicts (shapes in their docstrings);
the static view (:mod:`.static`) draws :func:`tokenize`'s answer at build time.
"""

from __future__ import annotations

from typing import Any

from .core import Encoding
from .display import token_groups
from .encodings import get_encoding
from .facts import MAX_MERGE_BYTES, MAX_SHOWN, MAX_TEXT
from .pretokenize import fix_surrogates

_PIECE_CACHE_SIZE = 20_000

# piece -> its display groups, per encoding name (groups are shared, never modified)
_GROUPS: dict[str, dict[str, list[dict[str, Any]]]] = {}


def tokenize(text: str, encodings: list[str]) -> dict[str, Any]:
    """``text`` tokenized by each of ``encodings`` (special-token text is plain text).

    Returns ``{"characters": n, "encodings": [per encoding]}`` where each entry is::

        {"name": "cl100k_base", "count": tokens, "per_token": characters per token
         (None for no tokens), "truncated": True if only the first MAX_SHOWN tokens'
         groups are included, "pieces": [[group, ...], ...]}

    ``pieces`` are the pieces the split pattern cuts (BPE merges within a piece only);
    a piece's text is its groups' texts joined. A group is ``{"text", "ids"}``: one
    token holding whole characters, or several tokens that only together make whole
    characters, which also carries ``"parts"``: per token ``{"id", "hex", "text"}``
    (its bytes in hex; its text with U+FFFD for the partial character).
    """
    if len(text) > MAX_TEXT:
        raise ValueError(f"The text is {len(text):,} characters long; the limit is {MAX_TEXT:,}.")
    text = fix_surrogates(text)
    return {
        "characters": len(text),
        "encodings": [_tokenize_one(get_encoding(name), text) for name in encodings],
    }


def _tokenize_one(enc: Encoding, text: str) -> dict[str, Any]:
    cache = _GROUPS.setdefault(enc.name, {})
    pieces: list[list[dict[str, Any]]] = []
    count = 0
    for piece, tokens in enc.encode_pieces(text):
        if count < MAX_SHOWN:
            groups = cache.get(piece)
            if groups is None:
                if len(cache) >= _PIECE_CACHE_SIZE:
                    cache.clear()
                groups = cache[piece] = _piece_groups(enc, piece, tokens)
            pieces.append(groups)
        count += len(tokens)
    return {
        "name": enc.name,
        "count": count,
        "per_token": round(len(text) / count, 2) if count else None,
        "truncated": count > MAX_SHOWN,
        "pieces": pieces,
    }


def _piece_groups(enc: Encoding, piece: str, tokens: list[int]) -> list[dict[str, Any]]:
    """The display groups of one piece (see :func:`tokenize`)."""
    if len(tokens) == 1:
        return [{"text": piece, "ids": tokens}]
    if piece.isascii():  # every ASCII token is whole characters
        return [
            {"text": enc.decode_single_token_bytes(t).decode("ascii"), "ids": [t]} for t in tokens
        ]
    groups = []
    for group in token_groups(enc, tokens):
        entry: dict[str, Any] = {"text": group["text"], "ids": group["ids"]}
        if group["split"]:
            entry["parts"] = [
                {
                    "id": token["id"],
                    "hex": token["hex"],
                    "text": bytes(token["bytes"]).decode("utf-8", errors="replace"),
                }
                for token in group["tokens"]
            ]
        groups.append(entry)
    return groups


def merges(encoding: str, piece: str) -> dict[str, Any]:
    """How byte-pair encoding turns one piece into its tokens, merge by merge.

    Returns ``{"encoding", "piece", "bytes": its length in bytes, "too_long": True if
    longer than MAX_MERGE_BYTES (then no steps), "steps": [...], "ids": its tokens}``.
    Each step is ``{"parts": [{"id", "hex", "text"}], "merged": index of the part the
    step made, or None for the first step (single bytes)}``; a part's ``text`` is None
    when its bytes are not whole characters.
    """
    enc = get_encoding(encoding)
    piece = fix_surrogates(piece)
    data = piece.encode("utf-8")
    result: dict[str, Any] = {
        "encoding": enc.name,
        "piece": piece,
        "bytes": len(data),
        "too_long": len(data) > MAX_MERGE_BYTES,
        "steps": [],
        "ids": _piece_ids(enc, data),
    }
    if result["too_long"] or not data:
        return result
    previous: list[bytes] = []
    for parts in enc.bpe_steps(data):
        merged = None
        if previous:
            # the merged part is the first one that differs from the step before
            merged = next(
                i for i, (a, b) in enumerate(zip(parts, previous, strict=False)) if a != b
            )
        result["steps"].append({"parts": [_part(enc, p) for p in parts], "merged": merged})
        previous = parts
    return result


def _piece_ids(enc: Encoding, data: bytes) -> list[int]:
    """The tokens of one piece as encoding gives them: the piece itself if it is a token."""
    if not data:
        return []
    try:
        token = enc.encode_single_token(data)
    except KeyError:
        return enc.encode_single_piece(data)
    return enc.encode_single_piece(data) if enc.is_special_token(token) else [token]


def _part(enc: Encoding, data: bytes) -> dict[str, Any]:
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {"id": enc.encode_single_token(data), "hex": data.hex(" "), "text": text}

"""The tokenizer widget: its options, the calls its view makes, and its static view.

The reader types; the view calls :func:`tokenize` after each edit and :func:`merges`
when a token is clicked. Both answer with JSON-able dicts (shapes in their
docstrings). :func:`render_static` draws the author's text at build time with the
same grouping (:mod:`.static`), so the page reads right before Python is ready;
``view.js`` builds the same elements (same classes) in the browser.
"""

from __future__ import annotations

from typing import Any

from .core import Encoding
from .display import token_groups
from .encodings import get_encoding
from .pretokenize import fix_surrogates
from .specs import SPECS

#: the encodings a fence may name, with the models that use them (for headings)
MODELS = {"r50k_base": "GPT-3", "gpt2": "GPT-2", "cl100k_base": "GPT-4", "o200k_base": "GPT-4o"}
#: longest text :func:`tokenize` accepts, in characters (the view's text box allows less)
MAX_TEXT = 100_000
#: tokens per encoding that :func:`tokenize` returns groups for (all are counted)
MAX_SHOWN = 2_000
#: longest piece :func:`merges` shows step by step, in bytes (the steps are quadratic)
MAX_MERGE_BYTES = 64
#: how each whitespace character is shown when ``whitespace`` is on (newlines always)
MARKERS = {" ": "·", "\n": "↵", "\t": "→", "\r": "␍"}
_PIECE_CACHE_SIZE = 20_000

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {
            "type": "string",
            "default": "Supervised fine-tuning turns a base model into an assistant.",
            "description": "The text the widget starts with; the reader can edit it.",
        },
        "encodings": {
            "type": "array",
            "items": {"enum": list(MODELS)},
            "minItems": 1,
            "maxItems": 3,
            "uniqueItems": True,
            "default": ["cl100k_base"],
            "description": "The tokenizers shown side by side (1 to 3).",
        },
        "show": {
            "enum": ["tokens", "ids", "both"],
            "default": "tokens",
            "description": "What each token chip shows first: its text, its id, or both "
            "(the reader can switch).",
        },
        "whitespace": {
            "type": "boolean",
            "default": True,
            "description": "Show spaces as ·, tabs as → and carriage returns as ␍ "
            "(newlines are always shown as ↵).",
        },
        "presets": {
            "type": "boolean",
            "default": True,
            "description": "Offer the lecture's example texts as buttons.",
        },
    },
}
CALLS = ("tokenize", "merges")

# piece -> its display groups, per encoding name (groups are shared, never modified)
_GROUPS: dict[str, dict[str, list[dict[str, Any]]]] = {}


# -- the calls ---------------------------------------------------------------------


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


# -- build time ---------------------------------------------------------------------


def data_files(options: dict[str, Any]) -> list[str]:
    """The rank files of the fence's encodings only (gpt2 and r50k_base share one)."""
    return sorted({f"tokenizer/data/{SPECS[name].data_file}" for name in options["encodings"]})


def render_static(options: dict[str, Any]) -> str:
    """The author's text as token chips, per encoding: what the view shows first."""
    from .static import render  # build time only: its xml.etree costs the browser 90 ms

    return render(options["text"], options["encodings"], options["show"], options["whitespace"])


def count_text(count: int) -> str:
    return f"{count:,} token{'' if count == 1 else 's'}"


def ratio_text(per_token: float | None) -> str:
    return "" if per_token is None else f"{per_token:.1f} characters per token"

"""The chat widget's calls: the view calls :func:`view` after each edit and
:func:`import_line` to read a pasted JSONL line (:mod:`.static` draws the answer of
:func:`view` at build time)."""

from __future__ import annotations

from typing import Any

from ..tokenizer.display import token_groups
from ..tokenizer.encodings import get_encoding
from .display import MAX_SHOWN, found_text, summary
from .formats import FORMATS, get_format
from .jsonl import from_jsonl, to_jsonl
from .render import MASKS, ChatError, Token, count, loss_mask, tokens, validate_messages


def view(
    messages: Any,
    format: str = "chatml",
    mask: str = "assistant",
    generation_prompt: bool = False,
    find: str = "",
) -> dict[str, Any]:
    """Everything the view draws for a conversation, or ``{"ok": False, "error"}``.

    ``{"ok": True, "format", "title", "tokenizer", "rows": [{"message", "role",
    "groups"}], "truncated", "counts": {"total", "content", "overhead", "trained"},
    "summary": the counts in one sentence, "messages": [{"role", "tokens", "content",
    "overhead", "trained"}], "generation_prompt": {"tokens", "trained"} or None,
    "found": [{"message", "token", "of", "text"}], "jsonl"}``. A group is ``{"text",
    "ids", "kind", "trained", "found"}`` plus ``"parts"`` (per token ``{"id", "hex"}``)
    when a character is split across tokens.
    """
    try:
        messages = validate_messages(messages)
        if format not in FORMATS:
            raise ChatError(f"Unknown format {format!r}; valid: {', '.join(FORMATS)}.")
        if mask not in MASKS:
            raise ChatError(f"Unknown mask {mask!r}; valid: {', '.join(MASKS)}.")
    except ChatError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, **_view(messages, format, mask, bool(generation_prompt), str(find))}


def import_line(text: str) -> dict[str, Any]:
    """The messages of a pasted JSONL line, or ``{"ok": False, "error"}`` saying why not."""
    try:
        return {"ok": True, "messages": from_jsonl(text)}
    except ChatError as error:
        return {"ok": False, "error": str(error)}


def _view(
    messages: list[dict[str, str]], format: str, mask: str, prompt: bool, find: str
) -> dict[str, Any]:
    chat = get_format(format)
    enc = get_encoding(chat.encoding)
    rendered = tokens(messages, chat, add_generation_prompt=prompt, encoding=enc)
    trained = loss_mask(rendered, mask)
    found, found_tokens = _find(messages, rendered, find)
    per_message, prompt_counts, counts = count(messages, rendered, trained)
    shown = rendered[:MAX_SHOWN]
    return {
        "format": chat.name,
        "title": chat.title,
        "tokenizer": chat.tokenizer,
        "rows": _rows(shown, trained, found_tokens, chat.special_tokens, enc),
        "truncated": len(rendered) > MAX_SHOWN,
        "counts": counts,
        "summary": summary(chat.title, chat.tokenizer, counts),
        "messages": per_message,
        "generation_prompt": prompt_counts if prompt else None,
        "found": [{**entry, "text": found_text(find, entry)} for entry in found],
        "jsonl": to_jsonl(messages),
    }


def _find(
    messages: list[dict[str, str]], rendered: list[Token], find: str
) -> tuple[list[dict[str, int]], set[int]]:
    """Where ``find`` is first complete in each assistant message: the position of the
    token holding its last character, counted in the message's content tokens."""
    found: list[dict[str, int]] = []
    marked: set[int] = set()
    if not find:
        return found, marked
    for index, message in enumerate(messages):
        content = message["content"]
        at = content.find(find) if message["role"] == "assistant" else -1
        if at < 0:
            continue
        last_byte = len(content[: at + len(find)].encode("utf-8")) - 1
        number = 0
        positions = [i for i, t in enumerate(rendered) if t.message == index]
        content_tokens = [i for i in positions if rendered[i].content_bytes is not None]
        for number, position in enumerate(content_tokens, 1):
            start, end = rendered[position].content_bytes  # type: ignore[misc]
            if start <= last_byte < end:
                found.append({"message": index + 1, "token": number, "of": len(content_tokens)})
                marked.add(position)
                break
    return found, marked


def _rows(
    shown: list[Token],
    trained: list[bool],
    found: set[int],
    specials: dict[str, int],
    enc: Any,
) -> list[dict[str, Any]]:
    """The tokens as rows (one per message, then the generation prompt) of display groups."""
    names = {token: text for text, token in specials.items()}
    rows: list[dict[str, Any]] = []
    position = 0
    while position < len(shown):
        message = shown[position].message
        end = position
        while end < len(shown) and shown[end].message == message:
            end += 1
        groups: list[dict[str, Any]] = []
        run = position
        while run < end:
            if shown[run].kind == "special":
                token = shown[run]
                groups.append(
                    {
                        "text": names[token.id],
                        "ids": [token.id],
                        "kind": "special",
                        "trained": trained[run],
                        "found": False,
                    }
                )
                run += 1
                continue
            stop = run
            while stop < end and shown[stop].kind != "special":
                stop += 1
            groups += _groups(shown, trained, found, run, stop, enc)
            run = stop
        rows.append({"message": message, "role": shown[position].role, "groups": groups})
        position = end
    return rows


def _groups(
    shown: list[Token], trained: list[bool], found: set[int], start: int, stop: int, enc: Any
) -> list[dict[str, Any]]:
    out = []
    position = start
    for group in token_groups(enc, [t.id for t in shown[start:stop]]):
        span = range(position, position + len(group["ids"]))
        position = span.stop
        kinds = {shown[i].kind for i in span}
        entry: dict[str, Any] = {
            "text": group["text"],
            "ids": group["ids"],
            "kind": "content" if "content" in kinds else shown[span.start].kind,
            "trained": any(trained[i] for i in span),
            "found": any(i in found for i in span),
        }
        if group["split"]:
            entry["parts"] = [{"id": t["id"], "hex": t["hex"]} for t in group["tokens"]]
        out.append(entry)
    return out

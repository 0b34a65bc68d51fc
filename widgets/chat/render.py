"""A conversation rendered into tokens, with the role of each token and the loss mask.

**Canonical encoding.** The template inserts its special tokens as ids; everything
else (role names, newlines, ``final``, the messages' content) is text, and each
stretch of text between two of the template's special tokens is encoded as ordinary
text, in one piece. So:

- for content without special-token text, the ids are exactly tiktoken's
  ``encode(text, allowed_special=<the template's special tokens>)`` of the rendered
  text (the tests check this);
- special-token text typed into a message (``"<|im_end|>"``) stays ordinary tokens,
  never the special token: a message cannot end its turn early or forge another.

Because a stretch is encoded in one piece, one token can hold the end of the template
and the start of the content (ChatML's ``user\\n`` followed by content that starts with
a newline: ``"\\n\\n"`` is one token). Such a token counts as content, and is trained
when the content is (the rule of Hugging Face's ``return_assistant_tokens_mask``: a
token is trained if any of its characters is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..tokenizer.core import Encoding
from ..tokenizer.encodings import get_encoding
from .formats import ROLES, ChatFormat, Part, get_format

#: the most messages a conversation may have, and characters of content in all
MAX_MESSAGES = 100
MAX_CHARACTERS = 50_000
#: which tokens are trained (the loss mask), with the view's label of each: what the
#: model writes in assistant messages (see :mod:`.formats`), or every token
MASKS = {"assistant": "What the assistant writes", "all": "Every token"}


class ChatError(ValueError):
    """A conversation the widget cannot render, with what is wrong."""


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (as tiktoken encodes them)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def validate_messages(messages: Any) -> list[dict[str, str]]:
    """Checked copies of ``messages`` (``[{"role", "content"}]``); ChatError says what is
    wrong, naming messages from 1."""
    if not isinstance(messages, list):
        raise ChatError(f"'messages' must be a list of messages, got {_kind(messages)}.")
    if len(messages) > MAX_MESSAGES:
        raise ChatError(f"{len(messages)} messages; this widget shows at most {MAX_MESSAGES}.")
    out = []
    for number, message in enumerate(messages, 1):
        if not isinstance(message, dict):
            raise ChatError(
                f"message {number} must be an object with 'role' and 'content', "
                f"got {_kind(message)}."
            )
        missing = [key for key in ("role", "content") if key not in message]
        if missing:
            raise ChatError(f"message {number} has no {' and no '.join(map(repr, missing))}.")
        extra = sorted(set(message) - {"role", "content"})
        if extra:
            raise ChatError(
                f"message {number} has keys this widget does not keep: "
                f"{', '.join(map(repr, extra))} (only 'role' and 'content')."
            )
        role, content = message["role"], message["content"]
        if role not in ROLES:
            raise ChatError(
                f"message {number}: role {_show(role)} is not one of {', '.join(map(repr, ROLES))}."
            )
        if not isinstance(content, str):
            raise ChatError(f"message {number}: 'content' must be text, got {_kind(content)}.")
        out.append({"role": role, "content": clean_text(content)})
    characters = sum(len(m["content"]) for m in out)
    if characters > MAX_CHARACTERS:
        raise ChatError(
            f"The messages hold {characters:,} characters; this widget takes at most "
            f"{MAX_CHARACTERS:,}."
        )
    return out


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), f"a {type(value).__name__}")


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else _kind(value)


@dataclass
class Token:
    """One token of the rendered conversation, and where it came from."""

    id: int
    #: index of its message (len(messages) for the generation prompt)
    message: int
    role: str
    kind: str  # "special", "template" or "content"
    generated: bool
    #: for a token holding content: its byte range within the message's content
    content_bytes: tuple[int, int] | None = None


def tokens(
    messages: list[dict[str, str]],
    fmt: ChatFormat,
    *,
    add_generation_prompt: bool = False,
    encoding: Encoding | None = None,
) -> list[Token]:
    """The tokens of ``messages`` (already validated) in ``fmt``, canonically encoded."""
    enc = encoding or get_encoding(fmt.encoding)
    parts: list[tuple[int, str, Part]] = []
    for index, message in enumerate(messages):
        last = index == len(messages) - 1 and not add_generation_prompt
        for part in fmt.message(message["role"], message["content"], last=last):
            parts.append((index, message["role"], part))
    if add_generation_prompt:
        for part in fmt.generation_prompt():
            parts.append((len(messages), "assistant", part))
    out: list[Token] = []
    stretch: list[tuple[int, str, Part]] = []
    for entry in parts:
        index, role, part = entry
        if part.special:
            _encode_stretch(stretch, enc, out)
            stretch = []
            out.append(Token(fmt.special_tokens[part.text], index, role, "special", part.generated))
        elif part.text:
            stretch.append(entry)
    _encode_stretch(stretch, enc, out)
    return out


def _encode_stretch(stretch: list[tuple[int, str, Part]], enc: Encoding, out: list[Token]) -> None:
    """Encode text parts between two special tokens as one text; attribute each token to
    the parts its bytes overlap."""
    if not stretch:
        return
    bounds = []  # (start byte, end byte) of each part within the stretch
    position = 0
    for _, _, part in stretch:
        size = len(part.text.encode("utf-8"))
        bounds.append((position, position + size))
        position += size
    first = 0  # the first part the next token can overlap
    start = 0
    for token in enc.encode_ordinary("".join(part.text for _, _, part in stretch)):
        end = start + len(enc.decode_single_token_bytes(token))
        while bounds[first][1] <= start:
            first += 1
        overlapped = [first]
        while overlapped[-1] + 1 < len(bounds) and bounds[overlapped[-1] + 1][0] < end:
            overlapped.append(overlapped[-1] + 1)
        index, role, part = stretch[first]
        content = [i for i in overlapped if stretch[i][2].kind == "content"]
        content_bytes = None
        if content:
            lo, _ = bounds[content[0]]
            content_bytes = (max(start, lo) - lo, min(end, bounds[content[0]][1]) - lo)
        out.append(
            Token(
                token,
                index,
                role,
                "content" if content else part.kind,
                any(stretch[i][2].generated for i in overlapped),
                content_bytes,
            )
        )
        start = end


def render(
    messages: list[dict[str, str]],
    fmt: str = "chatml",
    *,
    train_on: str = "assistant",
    add_generation_prompt: bool = False,
) -> dict[str, Any]:
    """``messages`` rendered in chat format ``fmt`` ("chatml" or "harmony").

    Returns a JSON-able dict::

        {"format", "tokenizer", "text": the rendered text, "ids": [...],
         "roles": role of each token, "kinds": "special"/"template"/"content" per token,
         "message_of": message index per token (len(messages): generation prompt),
         "mask": 1 where the loss is computed, else 0,
         "messages": [{"role", "tokens", "content", "overhead", "trained"}],
         "generation_prompt": its token count, or None,
         "total", "content", "overhead", "trained"}

    ``train_on="assistant"`` trains on what the model writes in assistant messages (see
    :mod:`.formats`); ``"all"`` on every token, for comparison. ``overhead`` is the
    template's tokens (special tokens, role names, newlines) per message.
    """
    chat = get_format(fmt)
    if train_on not in MASKS:
        raise ChatError(f"train_on is {train_on!r}; valid: {', '.join(MASKS)}.")
    messages = validate_messages(messages)
    rendered = tokens(messages, chat, add_generation_prompt=add_generation_prompt)
    mask = [int(trained) for trained in loss_mask(rendered, train_on)]
    text = "".join(
        part.text
        for index, message in enumerate(messages)
        for part in chat.message(
            message["role"],
            message["content"],
            last=index == len(messages) - 1 and not add_generation_prompt,
        )
    )
    if add_generation_prompt:
        text += "".join(part.text for part in chat.generation_prompt())
    per_message, prompt, totals = count(messages, rendered, mask)
    return {
        "format": chat.name,
        "tokenizer": chat.tokenizer,
        "text": text,
        "ids": [t.id for t in rendered],
        "roles": [t.role for t in rendered],
        "kinds": [t.kind for t in rendered],
        "message_of": [t.message for t in rendered],
        "mask": mask,
        "messages": per_message,
        "generation_prompt": prompt["tokens"] if add_generation_prompt else None,
        **totals,
    }


def loss_mask(rendered: list[Token], mask: str) -> list[bool]:
    """Which tokens are trained: ``mask`` "all", or what the model writes as the assistant."""
    return [mask == "all" or (t.generated and t.role == "assistant") for t in rendered]


def count(
    messages: list[dict[str, str]], rendered: list[Token], trained: Sequence[int]
) -> tuple[list[dict[str, Any]], dict[str, int], dict[str, int]]:
    """The counts: per message ``{"role", "tokens", "content", "overhead", "trained"}``,
    the generation prompt's ``{"tokens", "trained"}``, and ``{"total", "content",
    "overhead", "trained"}`` for all tokens."""
    per_message = [
        {"role": m["role"], "tokens": 0, "content": 0, "overhead": 0, "trained": 0}
        for m in messages
    ]
    prompt = {"tokens": 0, "trained": 0}
    for token, is_trained in zip(rendered, trained, strict=True):
        entry = per_message[token.message] if token.message < len(messages) else prompt
        entry["tokens"] += 1
        entry["trained"] += int(is_trained)
        if token.message < len(messages):
            entry["content" if token.kind == "content" else "overhead"] += 1
    content = sum(m["content"] for m in per_message)
    totals = {
        "total": len(rendered),
        "content": content,
        "overhead": len(rendered) - content,
        "trained": sum(trained),
    }
    return per_message, prompt, totals

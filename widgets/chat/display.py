"""How the chat widget shows tokens: the facts both views use (``static.py`` at build
time, ``view.js`` through ``VIEW``) and the sentences :mod:`.calls` answers with."""

from __future__ import annotations

from typing import Any

#: tokens drawn as chips at most (all are counted)
MAX_SHOWN = 4_000
#: how whitespace shows inside a chip (a newline also ends the line)
MARKERS = {"\n": "↵", "\t": "→", "\r": "␍"}
#: spaces, in a token of whitespace only
SPACE_MARKER = "·"
#: what each kind of token is, in a chip's title
KINDS = {"special": "special token", "template": "template text", "content": "message text"}
#: the legend's samples: (chip text, chip classes, role of its row, label)
LEGEND = [
    ("<|…|>", "is-special", "user", "special token"),
    ("user↵", "is-template", "user", "template text"),
    ("system", "is-content", "system", "system"),
    ("user", "is-content", "user", "user"),
    ("assistant", "is-content", "assistant", "assistant"),
    ("trained", "is-content is-trained", "assistant", "trained on (in the loss)"),
]


#: said under the chips when a conversation has more than MAX_SHOWN tokens
TRUNCATED_NOTE = f"Only the first {MAX_SHOWN:,} tokens are drawn."


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary(title: str, tokenizer: str, counts: dict[str, int]) -> str:
    """The counts in one sentence (the view's live region)."""
    return (
        f"{plural(counts['total'], 'token')} ({title}, {tokenizer}): "
        f"{counts['content']:,} of message text, {counts['overhead']:,} of template; "
        f"{counts['trained']:,} trained."
    )


def found_text(find: str, entry: dict[str, Any]) -> str:
    """Where ``find`` is complete in a reply (``{"message", "token", "of"}``), in words."""
    return (
        f"“{find}” is complete at token {entry['token']} of message {entry['message']}'s "
        f"{plural(entry['of'], 'text token')}: the model writes "
        f"{plural(entry['token'] - 1, 'token')} of this reply before it."
    )

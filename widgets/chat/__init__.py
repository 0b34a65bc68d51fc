"""The chat widget's engine: a conversation rendered in a chat format, token by token,
with the role of each token and the loss mask of supervised fine-tuning.

Standard library only (plus :mod:`lecture_widgets.tokenizer`), so the same code runs
at build time and in the reader's browser::

    >>> result = render([{"role": "user", "content": "Hi"}], "chatml")
    >>> result["ids"][:3], result["mask"]
    ([100264, 882, 198], [0, 0, 0, 0, 0, 0])

Modules, one concern each:

- :mod:`.formats`: ChatML (``cl100k_im``) and Harmony (``o200k_harmony``): the parts of
  each message, which of them the model writes (and is trained on).
- :mod:`.render`: :func:`render` (text, ids, roles, loss mask, counts), the canonical
  encoding (see its docstring), message validation.
- :mod:`.jsonl`: one conversation as one ``{"messages": [...]}`` JSONL line, and back.
- :mod:`.presets`: the lecture's example conversations.
- :mod:`.widget`: the calls the view makes.
- :mod:`.static`: the static view (build time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..options import OptionError
from ..tokenizer.encodings import data_file
from .calls import import_line, view
from .formats import FORMATS, ROLES, ChatFormat, get_format
from .jsonl import from_jsonl, to_jsonl
from .presets import DEFAULT_MESSAGES, PRESETS
from .render import MAX_CHARACTERS, MAX_MESSAGES, ChatError, render, validate_messages

__all__ = [
    "CALLS",
    "FORMATS",
    "MAX_CHARACTERS",
    "MAX_MESSAGES",
    "OPTIONS",
    "PRESETS",
    "ChatError",
    "ChatFormat",
    "data_files",
    "from_jsonl",
    "get_format",
    "import_line",
    "prepare",
    "render",
    "render_static",
    "to_jsonl",
    "validate_messages",
    "view",
]

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "messages": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_MESSAGES,
            "items": {
                "type": "object",
                # missing and unknown keys are reported by prepare(), per message
                "properties": {"role": {"enum": list(ROLES)}, "content": {"type": "string"}},
            },
            "description": "The conversation the widget starts with: a list of "
            "{role: system|user|assistant, content: text}. Default: a short conversation, "
            "or the preset's.",
        },
        "format": {
            "enum": list(FORMATS),
            "default": "chatml",
            "description": "The chat format: chatml (cl100k_im) or harmony (o200k_harmony).",
        },
        "mask": {
            "enum": ["assistant", "all"],
            "default": "assistant",
            "description": "Which tokens are trained: what the assistant writes, or all.",
        },
        "preset": {
            "enum": list(PRESETS),
            "description": "Start from a built-in conversation (instead of `messages`).",
        },
        "find": {
            "type": "string",
            "description": "Text to look for in each assistant reply: the widget says at "
            "which token of the reply it is complete (e.g. an answer, `$3`).",
        },
        "presets": {
            "type": "boolean",
            "default": True,
            "description": "Offer the built-in conversations as buttons.",
        },
    },
}
CALLS = ("view", "import_line")


def prepare(options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
    """Resolve the starting conversation (messages, preset or default) and check it."""
    options = dict(options)
    preset = options.get("preset")
    if preset and "messages" in options:
        raise OptionError(
            "preset", "give either 'messages' or 'preset', not both (a preset is a conversation)."
        )
    if preset:
        options["messages"] = PRESETS[preset]["messages"]
        options.setdefault("find", PRESETS[preset]["find"])
    options.setdefault("messages", DEFAULT_MESSAGES)
    options.setdefault("find", "")
    options.setdefault("preset", "")
    try:
        options["messages"] = validate_messages(options["messages"])
    except ChatError as error:
        raise OptionError("messages", str(error)) from error
    options["presets"] = (
        [{"name": name, **preset} for name, preset in PRESETS.items()] if options["presets"] else []
    )
    return options


def data_files(options: dict[str, Any]) -> list[str]:
    """The tokenizer's rank files both formats need (the reader can switch format), the
    page's format first: the tokenizer widget's files, where it reads them."""
    names = [get_format(options["format"]).encoding]
    names += [f.encoding for f in FORMATS.values() if f.encoding not in names]
    return [f"tokenizer/data/{data_file(name).name}" for name in names]


def render_static(options: dict[str, Any]) -> str:
    """The author's conversation as token rows with its counts (build time)."""
    from .static import static_html

    return static_html(options)

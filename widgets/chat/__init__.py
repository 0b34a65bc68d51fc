"""The chat widget: a conversation rendered in a chat format, token by token, with the
role of each token and the loss mask of supervised fine-tuning; the reader edits the
turns and exports or imports the conversation as one JSONL line.

This module is the widget's contract (OPTIONS, CALLS, VIEW, prepare, data_files,
render_static). The rest, standard library only (plus the tokenizer widget's modules),
runs the same at build time and in the reader's browser; modules, one concern each:

- :mod:`.formats`: ChatML (``cl100k_im``) and Harmony (``o200k_harmony``): the parts of
  each message, which of them the model writes (and is trained on).
- :mod:`.render`: the canonical encoding (see its docstring), the loss mask, the counts,
  message validation; ``render()`` gives text, ids, roles and mask of a conversation.
- :mod:`.jsonl`: one conversation as one ``{"messages": [...]}`` JSONL line, and back
  (read through :mod:`lecture_widgets.reader_input`).
- :mod:`.presets`: the lecture's example conversations and the default one.
- :mod:`.display`: how tokens are shown (markers, legend, sentences), for both views.
- :mod:`.calls`: the calls the view makes (``view``, ``import_line``).
- :mod:`.static`: the static view (build time only).
- ``view.js``: the live view; it reads :data:`VIEW` as ``context.constants``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..options import OptionError
from ..tokenizer.encodings import data_file
from .display import KINDS, LEGEND, MARKERS, SPACE_MARKER, TRUNCATED_NOTE
from .formats import FORMATS, ROLES, get_format
from .presets import DEFAULT_MESSAGES, DEFAULT_SYSTEM, PRESETS
from .render import MASKS, MAX_MESSAGES, ChatError, validate_messages

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
            "enum": list(MASKS),
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
VIEW: dict[str, Any] = {
    "roles": list(ROLES),
    "formats": [
        {"name": f.name, "title": f.title, "tokenizer": f.tokenizer} for f in FORMATS.values()
    ],
    "masks": [{"name": name, "label": label} for name, label in MASKS.items()],
    "default_system": DEFAULT_SYSTEM,
    "markers": MARKERS,
    "space_marker": SPACE_MARKER,
    "kinds": KINDS,
    "legend": [
        {"text": text, "classes": classes, "role": role, "label": label}
        for text, classes, role, label in LEGEND
    ],
    "truncated_note": TRUNCATED_NOTE,
}


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

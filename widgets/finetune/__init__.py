"""The finetune widget: a tiny language model fine-tuned in the reader's browser.

A one-layer GPT, pretrained on web-like text about a small world, continues a question
with more text; supervised fine-tuning on a few conversations (the chat widget's ChatML
template and loss mask) makes it answer, in a format, as someone. The reader trains it,
stops it, compares it with the base model on prompts it never trained on, edits the
conversations, and flips the loss mask to every token.

This module is the widget's contract. The rest, standard library only, runs the same at
build time and in the browser; modules, one concern each:

- :mod:`.model`: the model, its gradients, Adam.
- :mod:`.sft`: conversations into training examples, a fine-tuning run, replies.
- :mod:`.conversations`: the default conversations and the held-out prompts.
- :mod:`.calls`: the calls the view makes (a run per widget, trained a slice at a time).
- :mod:`.static`: the static view: the base model's answers (build time only).
- ``build/``: the corpus and the numpy pretraining of ``data/base_model.json.gz``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..chat.formats import get_format
from ..chat.render import MASKS
from ..options import OptionError
from ..tokenizer.encodings import data_file
from .calls import MAX_CONVERSATIONS, ConversationError, check_conversations
from .conversations import DEFAULT_CONVERSATIONS, HELD_OUT
from .sft import MAX_REPLY

OPTIONS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "conversations": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_CONVERSATIONS,
            "items": {"type": "object"},
            "description": "The conversations to fine-tune on, each {messages: [{role, "
            "content}, …]} as in the chat widget. Default: the course's set (answers in "
            "one style, the model's identity, sums worked step by step).",
        },
        "train_on": {
            "enum": list(MASKS),
            "default": "assistant",
            "description": "Which tokens the loss covers at first: what the assistant "
            "writes, or all (the reader can flip it).",
        },
        "epochs": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "default": 4,
            "description": "Passes over the conversations one Train runs.",
        },
        "seed": {
            "type": "integer",
            "minimum": 0,
            "default": 0,
            "description": "The seed of the order of the examples (and of sampling).",
        },
    },
}
CALLS = ("start", "train", "compare", "ask", "export_jsonl", "import_jsonl")
VIEW: dict[str, Any] = {
    "masks": [{"name": name, "label": label} for name, label in MASKS.items()],
    "held_out": len(HELD_OUT),
    "max_conversations": MAX_CONVERSATIONS,
    "max_reply": MAX_REPLY,
}


def prepare(options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
    """The default conversations when the page gives none; the page's checked."""
    options = dict(options)
    try:
        options["conversations"] = check_conversations(
            options.get("conversations", DEFAULT_CONVERSATIONS)
        )
    except ConversationError as error:
        raise OptionError("conversations", str(error)) from error
    return options


def data_files(options: dict[str, Any]) -> list[str]:
    """The base model's weights, and the tokenizer's ranks (the chat template's)."""
    ranks = data_file(get_format("chatml").encoding).name
    return ["finetune/data/base_model.json.gz", f"tokenizer/data/{ranks}"]


def render_static(options: dict[str, Any]) -> str:
    """The held-out prompts and the base model's answers (build time)."""
    from .static import static_html

    return static_html(options)

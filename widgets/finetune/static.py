"""The finetune widget's static view, built at build time: the held-out prompts and what
the base model answers (the same Python the browser runs), so the page reads right before
Python starts, and shows what fine-tuning will change."""

from __future__ import annotations

from typing import Any

from ..html import h, render
from .conversations import HELD_OUT
from .sft import Vocabulary, base, reply


def static_html(options: dict[str, Any]) -> str:
    model, ids = base()
    vocab = Vocabulary(ids)
    answers = [reply(model, vocab, held["prompt"]) for held in HELD_OUT]
    answered = sum(answer["format"] for answer in answers)
    rows = [
        h(
            "tr",
            {},
            h("th", {"scope": "row"}, held["prompt"]),
            h("td", {}, answer["text"] + ("" if answer["ended"] else " …")),
        )
        for held, answer in zip(HELD_OUT, answers, strict=True)
    ]
    return render(
        h(
            "div",
            {"class": "lecture-finetune__static"},
            h(
                "p",
                {},
                f"The base model, asked {len(HELD_OUT)} questions in the chat format, "
                f"answers {answered} in the assistant's format (its turn ended, no question, "
                f"nothing else begun): it continues the text instead. Fine-tune it on "
                f"{len(options['conversations'])} conversations once Python has started.",
            ),
            h(
                "table",
                {"class": "lecture-finetune__table"},
                h(
                    "thead",
                    {},
                    h(
                        "tr",
                        {},
                        h("th", {"scope": "col"}, "Prompt"),
                        h("th", {"scope": "col"}, "Base model (greedy)"),
                    ),
                ),
                h("tbody", {}, *rows),
            ),
        )
    )

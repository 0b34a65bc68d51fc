"""The calls the finetune view makes: one fine-tuning run per widget, trained a slice of
time per call (so the page stays free, the curves move, and Stop is simply not asking for
the next slice: what was trained stays)."""

from __future__ import annotations

import time
from typing import Any

from ..chat.jsonl import from_jsonl, to_jsonl
from ..chat.render import MASKS, ChatError, validate_messages
from .conversations import HELD_OUT
from .sft import Finetuning, reply

MAX_CONVERSATIONS = 200
EVALUATE_EVERY = 12  # steps between two held-out losses
SLICE_SECONDS = 0.2  # one train call runs this long, plus the step it started last

_runs: dict[str, Finetuning] = {}


class ConversationError(ValueError):
    """Conversations the lab cannot train on, with which one and why."""


def check_conversations(conversations: Any) -> list[dict[str, Any]]:
    """Checked copies of ``[{"messages": [...]}]``; ConversationError names the first bad one."""
    if not isinstance(conversations, list) or not conversations:
        raise ConversationError("Give at least one conversation.")
    if len(conversations) > MAX_CONVERSATIONS:
        raise ConversationError(
            f"{len(conversations)} conversations; the lab takes at most {MAX_CONVERSATIONS}."
        )
    out = []
    for number, conversation in enumerate(conversations, 1):
        try:
            if not isinstance(conversation, dict) or set(conversation) != {"messages"}:
                raise ChatError('each conversation is {"messages": [...]}')
            messages = validate_messages(conversation["messages"])
            if not any(m["role"] == "assistant" and m["content"].strip() for m in messages):
                raise ChatError("it has no assistant message to learn from")
        except ChatError as error:
            raise ConversationError(f"Conversation {number}: {error}") from None
        out.append({"messages": messages})
    return out


def start(
    widget: str, conversations: Any, train_on: str = "assistant", seed: int = 0
) -> dict[str, Any]:
    """A new run from the base model; ``{"ok", "examples", "steps_per_epoch", "tokens":
    trained tokens per epoch, "held_out": its loss before training, "held_out_prompts"}``
    or ``{"ok": False, "error"}``."""
    if train_on not in MASKS:
        return {"ok": False, "error": f"train_on is {train_on!r}; valid: {', '.join(MASKS)}."}
    try:
        checked = check_conversations(conversations)
    except ConversationError as error:
        return {"ok": False, "error": str(error)}
    run = _runs[widget] = Finetuning(checked, HELD_OUT, train_on=train_on, seed=seed)
    return {
        "ok": True,
        "examples": len(run.examples),
        "steps_per_epoch": run.steps_per_epoch,
        "tokens": sum(len(trained) for _, trained in run.examples),
        "held_out": run.held_out_loss(),
        "held_out_prompts": len(HELD_OUT),
    }


def train(widget: str, until_step: int, seconds: float = SLICE_SECONDS) -> dict[str, Any]:
    """Train for up to ``seconds`` (and the step begun), to step ``until_step`` at most,
    ending after a held-out evaluation; the new points of the curves: ``{"steps": [[step,
    loss]], "held_out": [[step, loss]], "step", "epoch", "tokens_per_second"}``."""
    run = _runs[widget]
    started, tokens = time.perf_counter(), run.tokens
    steps, held_out = [], []
    while run.steps < until_step and (not steps or time.perf_counter() - started < seconds):
        evaluate = (run.steps + 1) % EVALUATE_EVERY == 0 or run.steps + 1 == until_step
        if evaluate and steps:
            break  # a step and an evaluation take about a slice: they get the next one
        steps.append([run.steps + 1, run.step()])
        if evaluate:
            held_out.append([run.steps, run.held_out_loss()])
            break
    elapsed = time.perf_counter() - started
    return {
        "steps": steps,
        "held_out": held_out,
        "step": run.steps,
        "epoch": run.epoch_progress(),
        "tokens_per_second": (run.tokens - tokens) / max(elapsed, 1e-9),
    }


def compare(widget: str, temperature: float = 0.0, seed: int = 0) -> dict[str, Any]:
    """The held-out prompts answered by the base and the tuned model."""
    run = _runs[widget]
    rows = []
    for number, held in enumerate(HELD_OUT):
        rows.append(
            {
                "prompt": held["prompt"],
                "shows": held.get("shows", "knowledge"),
                "base": reply(run.base, run.vocab, held["prompt"], temperature, seed + number),
                "tuned": reply(run.model, run.vocab, held["prompt"], temperature, seed + number),
            }
        )
    return {
        "rows": rows,
        "base_format": sum(row["base"]["format"] for row in rows),
        "tuned_format": sum(row["tuned"]["format"] for row in rows),
        "step": run.steps,
    }


def ask(widget: str, prompt: str, temperature: float = 0.0, seed: int = 0) -> dict[str, Any]:
    """A reader's prompt answered by both models."""
    run = _runs[widget]
    prompt = str(prompt)[:500]
    if not prompt.strip():
        return {"ok": False, "error": "Type a question first."}
    return {
        "ok": True,
        "base": reply(run.base, run.vocab, prompt, temperature, seed),
        "tuned": reply(run.model, run.vocab, prompt, temperature, seed),
    }


def export_jsonl(conversations: Any) -> dict[str, Any]:
    """The conversations as JSONL, one ``{"messages": [...]}`` per line (the chat widget's)."""
    try:
        checked = check_conversations(conversations)
    except ConversationError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, "text": "\n".join(to_jsonl(c["messages"]) for c in checked) + "\n"}


def import_jsonl(text: Any) -> dict[str, Any]:
    """Conversations from JSONL text (one per line, blank lines skipped), or which line is
    wrong and why."""
    if not isinstance(text, str):
        return {"ok": False, "error": "Paste JSONL text: one conversation per line."}
    conversations = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" \t\r"):
            continue
        try:
            conversations.append({"messages": from_jsonl(line)})
        except ChatError as error:
            return {"ok": False, "error": f"Line {number}: {error}"}
    try:
        return {"ok": True, "conversations": check_conversations(conversations)}
    except ConversationError as error:
        return {"ok": False, "error": str(error)}

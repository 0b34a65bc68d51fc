"""Supervised fine-tuning of the base model on conversations, and what it then says.

A conversation is rendered by the chat widget's ChatML template on cl100k (the same
tokens, special tokens and loss mask the chat widget shows: :func:`..chat.render.render`),
mapped to the model's rows. Each token the mask trains is one example: the ``context``
tokens before it, and it. Training is Adam on mini-batches of those examples, in an order
drawn from the seed, a step at a time, so the caller decides how long to run.
"""

from __future__ import annotations

import gzip
import json
import math
import random
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..chat.formats import get_format
from ..chat.render import render
from ..tokenizer.encodings import get_encoding
from .model import Adam, Model, State

WEIGHTS = Path(__file__).parent / "data" / "base_model.json.gz"
#: the row of tokens the model does not know (a reader's words outside its small world)
UNKNOWN = -1
MAX_REPLY = 24  # tokens a reply may have before it is cut
#: <|endoftext|> and ChatML's specials: in a reply, the start of another document or turn
SPECIAL_IDS = frozenset({100257, *get_format("chatml").special_tokens.values()})
LEARNING_RATE = 0.003
BATCH = 1  # conversations per step: a mini-batch of its ~10 trained tokens


@cache
def base() -> tuple[Model, tuple[int, ...]]:
    """The pretrained model and its vocabulary (cl100k ids, UNKNOWN last), loaded once."""
    data = json.loads(gzip.decompress(WEIGHTS.read_bytes()))
    return Model.from_json(data), tuple(data["vocab"])


class Vocabulary:
    def __init__(self, ids: Sequence[int]) -> None:
        self.ids = list(ids)
        self.rows = {token: row for row, token in enumerate(self.ids)}
        self.unknown = self.rows[UNKNOWN]
        self.pad = 0  # <|endoftext|>
        self.end = self.rows[get_format("chatml").special_tokens["<|im_end|>"]]

    def rows_of(self, ids: Sequence[int]) -> list[int]:
        return [self.rows.get(token, self.unknown) for token in ids]


Example = tuple[list[int], list[int]]  # (rows, the positions trained)


def examples(
    conversations: Sequence[dict[str, Any]], vocab: Vocabulary, context: int, train_on: str
) -> list[Example]:
    """Each conversation as the model's rows after <|endoftext|> (as a document starts),
    cut to the model's context, and the positions its loss mask trains."""
    out = []
    for conversation in conversations:
        rendered = render(conversation["messages"], train_on=train_on)
        rows = [vocab.pad, *vocab.rows_of(rendered["ids"])][: context + 1]
        trained = [i + 1 for i, on in enumerate(rendered["mask"][: len(rows) - 1]) if on]
        if trained:
            out.append((rows, trained))
    return out


def prompt_rows(prompt: str, vocab: Vocabulary) -> list[int]:
    """A user's message and the generation prompt, as the model's rows."""
    rendered = render([{"role": "user", "content": prompt}], add_generation_prompt=True)
    return [vocab.pad, *vocab.rows_of(rendered["ids"])]


def mean_loss(model: Model, batch: Sequence[Example]) -> float:
    """The mean loss per trained token."""
    total = count = 0
    for rows, trained in batch:
        total += model.loss(rows, trained)
        count += len(trained)
    return total / max(count, 1)


def reply(
    model: Model, vocab: Vocabulary, prompt: str, temperature: float = 0.0, seed: int = 0
) -> dict[str, Any]:
    """What ``model`` answers to ``prompt``: greedy, or sampled at ``temperature``.
    ``{"ids": cl100k ids, "text", "ended": it wrote <|im_end|>, "format": ended, not
    empty, no question, no other document or turn begun}``."""
    rng = random.Random(seed)
    state = State()
    for row in prompt_rows(prompt, vocab)[-model.shape.context :]:
        model.read(state, row)
    written: list[int] = []
    ended = False
    while len(written) < MAX_REPLY:
        p = model.predict(state, len(state.tokens) - 1)["p"]
        p[vocab.unknown] = 0.0
        token = pick(p, temperature, rng)
        if token == vocab.end:
            ended = True
            break
        written.append(token)
        if len(state.tokens) == model.shape.context:
            break
        model.read(state, token)
    ids = [vocab.ids[row] for row in written]
    text = decode(ids)
    breaks = any(vocab.ids[row] in SPECIAL_IDS for row in written)  # a new document or turn
    answered = ended and bool(text.strip()) and "?" not in text and not breaks
    return {"ids": ids, "text": text, "ended": ended, "format": answered}


def decode(ids: Sequence[int]) -> str:
    """Text of cl100k ids, ChatML's special tokens written as their names."""
    names = {token: text for text, token in get_format("chatml").special_tokens.items()}
    enc = get_encoding("cl100k_base")
    out, run = [], []
    for token in [*ids, None]:
        if token in names or token is None:
            out.append(enc.decode(run))
            run = []
            out.append(names.get(token, ""))
        else:
            run.append(token)
    return "".join(out)


def pick(p: list[float], temperature: float, rng: random.Random) -> int:
    if temperature <= 0:
        return max(range(len(p)), key=p.__getitem__)
    weights = [q ** (1 / temperature) if q > 0 else 0.0 for q in p]
    return rng.choices(range(len(p)), weights)[0]


class Finetuning:
    """A fine-tuning run: the base model's copy, its optimizer and its examples."""

    def __init__(
        self,
        conversations: Sequence[dict[str, Any]],
        held_out: Sequence[dict[str, Any]],
        train_on: str = "assistant",
        seed: int = 0,
    ) -> None:
        self.base, ids = base()
        self.vocab = Vocabulary(ids)
        self.model = self.base.copy()
        self.adam = Adam(self.model.params, LEARNING_RATE)
        context = self.base.shape.context
        self.examples = examples(conversations, self.vocab, context, train_on)
        answered = [
            {
                "messages": [
                    {"role": "user", "content": h["prompt"]},
                    {"role": "assistant", "content": h["answer"]},
                ]
            }
            for h in held_out
            if h.get("answer")
        ]
        self.held_out = examples(answered, self.vocab, context, "assistant")
        self.rng = random.Random(seed)
        self.order: list[int] = []
        self.steps = 0
        self.tokens = 0  # trained tokens seen
        self.epoch = 0

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.examples) / BATCH)

    def epoch_progress(self) -> float:
        """Epochs trained, with the fraction of the current one."""
        if not self.steps:
            return 0.0
        return self.epoch - 1 + 1 - len(self.order) / max(len(self.examples), 1)

    def held_out_loss(self) -> float:
        return mean_loss(self.model, self.held_out)

    def step(self) -> float:
        """One Adam step on the next mini-batch of conversations; its loss per token."""
        if not self.order:
            self.order = list(range(len(self.examples)))
            self.rng.shuffle(self.order)
            self.epoch += 1
        batch, self.order = self.order[:BATCH], self.order[BATCH:]
        grads = self.model.zero_grads()
        count = sum(len(self.examples[i][1]) for i in batch)
        loss = sum(self.model.accumulate(*self.examples[i], grads, 1.0 / count) for i in batch)
        self.adam.step(self.model.params, grads)
        self.steps += 1
        self.tokens += count
        return loss / count

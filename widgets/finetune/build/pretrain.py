"""Pretrains the lab's base model on the corpus (``corpus.py``) and writes
``data/base_model.json.gz``: its shape, its vocabulary (the cl100k ids it knows, in the
order of its rows, UNKNOWN last) and its weights as float32.

The model is :mod:`..model`'s, computed here with numpy in batches (``numpy_gpt.py``;
numpy is a development dependency: the browser runs the standard-library version).
Seeded: the same corpus, vocabulary and weights on every run (on one numpy version).

    python -m lecture_widgets.finetune.build.pretrain [--steps 3000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np

from ...chat.formats import get_format
from ...chat.render import render
from ...tokenizer.encodings import get_encoding
from ..conversations import DEFAULT_CONVERSATIONS, HELD_OUT
from ..model import Model, Shape
from ..sft import UNKNOWN
from . import numpy_gpt
from .corpus import SEED, documents

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "base_model.json.gz"
CONTEXT, DIM, HEADS, FFN = 48, 32, 2, 96
END_OF_TEXT = 100257  # cl100k's <|endoftext|>: between documents, and before the first
BATCH, LEARNING_RATE = 32, 3e-3


def corpus_tokens() -> list[int]:
    enc = get_encoding("cl100k_base")
    out = [END_OF_TEXT]
    for document in documents():
        out += [*enc.encode_ordinary(document), END_OF_TEXT]
    return out


def vocabulary(corpus: list[int]) -> list[int]:
    """<|endoftext|> first, the chat template's special tokens, then every token of the
    corpus, the default conversations and the held-out prompts, by id, then UNKNOWN."""
    specials = [END_OF_TEXT, *get_format("chatml").special_tokens.values()]
    seen = set(corpus)
    for conversation in DEFAULT_CONVERSATIONS:
        seen.update(render(conversation["messages"])["ids"])
    for held in HELD_OUT:
        seen.update(
            render([{"role": "user", "content": held["prompt"]}], add_generation_prompt=True)["ids"]
        )
    return [*specials, *sorted(seen - set(specials)), UNKNOWN]


def pretrain(steps: int, seed: int = SEED) -> tuple[Model, list[int], list[float]]:
    corpus = corpus_tokens()
    vocab = vocabulary(corpus)
    index = {token: i for i, token in enumerate(vocab)}
    stream = np.array([index[t] for t in corpus])
    shape = Shape(len(vocab), CONTEXT, DIM, HEADS, FFN)
    rng = np.random.default_rng(seed)
    params = numpy_gpt.init(shape, rng)
    moments = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}
    weights = np.ones((BATCH, CONTEXT))
    losses = []
    for step in range(1, steps + 1):
        starts = rng.integers(0, len(stream) - CONTEXT - 1, BATCH)
        batch = stream[starts[:, None] + np.arange(CONTEXT + 1)]
        loss, grads = numpy_gpt.loss_and_grads(params, shape, batch, weights)
        losses.append(loss)
        rate = LEARNING_RATE * np.sqrt(1 - 0.99**step) / (1 - 0.9**step)
        for name, g in grads.items():
            m, v = moments[name]
            m += 0.1 * (g - m)
            v += 0.01 * (g * g - v)
            params[name] -= rate * m / (np.sqrt(v) + 1e-8)
        if step % 250 == 0:
            print(f"step {step}: loss {np.mean(losses[-250:]):.4f}", flush=True)
    # Tokens the corpus never holds (the chat template's, UNKNOWN) start where new tokens
    # of a real model do: at the mean of the others (as Hugging Face's resize does).
    unseen = sorted(set(range(len(vocab))) - set(stream.tolist()))
    params["embed"][unseen] = np.delete(params["embed"], unseen, axis=0).mean(axis=0)
    return Model(shape, {name: p.tolist() for name, p in params.items()}), vocab, losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    started = time.perf_counter()
    model, vocab, losses = pretrain(args.steps)
    data = {"vocab": vocab, **model.to_json()}
    WEIGHTS.parent.mkdir(exist_ok=True)
    WEIGHTS.write_bytes(gzip.compress(json.dumps(data).encode(), mtime=0))
    count = sum(rows * cols for rows, cols in model.shape.sizes().values())
    print(
        f"{len(vocab)} tokens, {count:,} parameters, {WEIGHTS.stat().st_size:,} bytes, "
        f"final loss {np.mean(losses[-250:]):.4f}, {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

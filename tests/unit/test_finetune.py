"""The finetune widget on CPython: the model's gradients against finite differences and
against numpy, the loss mask, fine-tuning that learns, the data it ships, its calls."""

from __future__ import annotations

import gzip
import json
import math
import random

import pytest
from lecture_widgets.chat.jsonl import to_jsonl
from lecture_widgets.chat.render import render
from lecture_widgets.finetune import calls, prepare, sft
from lecture_widgets.finetune.build import corpus
from lecture_widgets.finetune.conversations import DEFAULT_CONVERSATIONS, HELD_OUT
from lecture_widgets.finetune.model import Model, Shape
from lecture_widgets.options import OptionError

USER = {"role": "user", "content": "Hi"}
SMALL = Shape(vocab=13, context=10, dim=8, heads=2, ffn=12)


def small_model(seed: int = 1) -> Model:
    rng = random.Random(seed)
    params = {
        name: [[rng.gauss(0.0, 0.5) for _ in range(cols)] for _ in range(rows)]
        for name, (rows, cols) in SMALL.sizes().items()
    }
    return Model(SMALL, params)


def total_loss(model: Model, tokens: list[int], trained: list[int]) -> float:
    loss = model.loss(tokens, trained)
    assert model.accumulate(tokens, trained, model.zero_grads(), 0.0) == loss
    return loss


@pytest.mark.parametrize("name", list(SMALL.sizes()))
def test_every_parameter_kind_has_the_gradient_finite_differences_give(name: str) -> None:
    model = small_model()
    tokens, trained = [3, 1, 4, 1, 5, 9, 2, 6], [2, 5, 6, 7]
    grads = model.zero_grads()
    model.accumulate(tokens, trained, grads, 1.0)
    rng = random.Random(name)
    rows, cols = SMALL.sizes()[name]
    checked = 0
    for _ in range(40):
        r, c = rng.randrange(rows), rng.randrange(cols)
        if name in ("embed", "position") and grads[name][r][c] == 0.0:
            continue  # a token or position this sequence does not use
        value = model.params[name][r][c]
        model.params[name][r][c] = value + 1e-6
        plus = total_loss(model, tokens, trained)
        model.params[name][r][c] = value - 1e-6
        minus = total_loss(model, tokens, trained)
        model.params[name][r][c] = value
        numeric = (plus - minus) / 2e-6
        assert grads[name][r][c] == pytest.approx(numeric, rel=1e-5, abs=1e-8), (name, r, c)
        checked += 1
    assert checked >= 10


def test_the_numpy_model_computes_the_same_probabilities_and_gradients() -> None:
    np = pytest.importorskip("numpy")
    from lecture_widgets.finetune.build import numpy_gpt

    model = small_model(2)
    arrays = {name: np.array(rows) for name, rows in model.params.items()}
    tokens, trained = [0, 7, 3, 12, 5, 5, 1], [3, 4, 6]
    grads = model.zero_grads()
    loss = model.accumulate(tokens, trained, grads, 1 / len(trained))
    weights = np.zeros((1, len(tokens) - 1))
    weights[0, [t - 1 for t in trained]] = 1
    numpy_loss, numpy_grads = numpy_gpt.loss_and_grads(arrays, SMALL, np.array([tokens]), weights)
    assert loss / len(trained) == pytest.approx(numpy_loss, rel=1e-12)
    for name in SMALL.sizes():
        assert np.abs(np.array(grads[name]) - numpy_grads[name]).max() < 1e-12, name
    # and the shipped model, on a real prompt: the browser's forward pass is numpy's
    base, ids = sft.base()
    vocab = sft.Vocabulary(ids)
    rows = sft.prompt_rows("What is the capital of Peru?", vocab)
    shipped = {name: np.array(values) for name, values in base.params.items()}
    expected = numpy_gpt.probabilities(shipped, base.shape, rows)[-1]
    assert np.abs(np.array(base.probabilities(rows)) - expected).max() < 1e-12


def test_the_loss_covers_the_assistant_tokens_as_the_chat_widget_marks_them() -> None:
    base, ids = sft.base()
    vocab = sft.Vocabulary(ids)
    conversation = DEFAULT_CONVERSATIONS[0]
    [(rows, trained)] = sft.examples([conversation], vocab, base.shape.context, "assistant")
    mask = render(conversation["messages"])["mask"]
    assert trained == [i + 1 for i, on in enumerate(mask) if on]  # after <|endoftext|>
    assert rows[trained[-1]] == vocab.end  # <|im_end|> is trained: the model learns to stop
    by_hand = -sum(math.log(base.probabilities(rows[:t])[rows[t]]) for t in trained)
    assert total_loss(base, rows, trained) == pytest.approx(by_hand, rel=1e-12)
    [(_, every)] = sft.examples([conversation], vocab, base.shape.context, "all")
    assert every == list(range(1, len(rows)))


def test_a_short_fine_tuning_lowers_the_held_out_loss_the_same_way_each_time() -> None:
    runs = [sft.Finetuning(DEFAULT_CONVERSATIONS, HELD_OUT, seed=3) for _ in range(2)]
    before = runs[0].held_out_loss()
    losses = [[run.step() for _ in range(12)] for run in runs]
    assert losses[0] == losses[1]  # same seed, same losses
    assert runs[0].held_out_loss() < before - 0.3
    assert runs[0].epoch_progress() == pytest.approx(12 / len(DEFAULT_CONVERSATIONS))


def test_the_base_model_does_not_answer_in_the_assistant_format() -> None:
    base, ids = sft.base()
    vocab = sft.Vocabulary(ids)
    answers = [sft.reply(base, vocab, held["prompt"]) for held in HELD_OUT]
    assert sum(answer["format"] for answer in answers) <= len(HELD_OUT) // 10


def test_the_held_out_prompts_test_what_they_say() -> None:
    text = "\n".join(corpus.documents())
    trained = {c["messages"][0]["content"] for c in DEFAULT_CONVERSATIONS}
    for held in HELD_OUT:
        assert held["prompt"] not in trained
        shows = held.get("shows", "knowledge")
        if shows == "knowledge":
            assert held["answer"] in text, held  # the fact is in the pretraining text
    assert "capital of Chile is" not in text and "Chile" in text
    assert "yak" not in text


def test_the_shipped_weights_are_small_and_name_their_tokens() -> None:
    data = json.loads(gzip.decompress(sft.WEIGHTS.read_bytes()))
    assert sft.WEIGHTS.stat().st_size <= 1_000_000
    assert data["vocab"][0] == 100257 and data["vocab"][-1] == sft.UNKNOWN
    assert len(data["vocab"]) == data["shape"]["vocab"] == len(set(data["vocab"]))


def test_calls_train_in_slices_and_compare_both_models() -> None:
    started = calls.start("w", DEFAULT_CONVERSATIONS[:3])
    assert started["ok"] and started["steps_per_epoch"] == 3
    first = calls.train("w", until_step=2, seconds=10)
    assert [step for step, _ in first["steps"]] == [1] and first["held_out"] == []
    # the step the held-out loss follows (here the last) starts a slice of its own
    second = calls.train("w", until_step=2, seconds=10)
    assert [step for step, _ in second["steps"]] == [2] and second["step"] == 2
    assert [step for step, _ in second["held_out"]] == [2]
    assert calls.train("w", until_step=2)["steps"] == []  # done
    compared = calls.compare("w")
    assert [row["prompt"] for row in compared["rows"]] == [h["prompt"] for h in HELD_OUT]
    assert compared["step"] == 2 and {"text", "ended", "format"} <= set(compared["rows"][0]["base"])
    assert calls.ask("w", " ")["ok"] is False


@pytest.mark.parametrize(
    ("conversations", "message"),
    [
        ([], "at least one conversation"),
        ([{"messages": [USER]}], "Conversation 1: it has no assistant"),
        (
            [DEFAULT_CONVERSATIONS[0], {"messages": [{"role": "bot", "content": "x"}]}],
            "Conversation 2",
        ),
        ([{"turns": []}], 'Conversation 1: each conversation is {"messages"'),
    ],
)
def test_bad_conversations_say_which_and_why(conversations, message: str) -> None:
    result = calls.start("w", conversations)
    assert result["ok"] is False and message in result["error"]
    with pytest.raises(OptionError, match=message.split(":")[0]):
        prepare({"conversations": conversations}, None)


def test_jsonl_goes_out_and_back_in_the_chat_widgets_lines() -> None:
    exported = calls.export_jsonl(DEFAULT_CONVERSATIONS[:2])["text"]
    assert exported.splitlines() == [to_jsonl(c["messages"]) for c in DEFAULT_CONVERSATIONS[:2]]
    assert calls.import_jsonl(exported + "\n\n")["conversations"] == DEFAULT_CONVERSATIONS[:2]
    broken = calls.import_jsonl(exported + '{"messages": [{"role": "user"}]}\n')
    assert broken["ok"] is False and broken["error"].startswith("Line 3:")

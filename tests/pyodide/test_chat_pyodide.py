"""The chat widget in real Pyodide: the same ids, masks and answers as on CPython (and as
tiktoken), with the rank files written where the runtime writes them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from lecture_widgets import chat
from lecture_widgets.chat.calls import view
from lecture_widgets.chat.formats import ROLES
from lecture_widgets.chat.presets import PRESETS
from lecture_widgets.chat.render import render
from tokenizer_reference import (
    EMOJI,
    SPACES,
    chat_reference_ids,
    has_special_text,
    make_corpus,
    needs_reference,
)

pytestmark = pytest.mark.pyodide
FOLDER = Path(chat.__file__).parent
SPECIAL_TEXT = [
    "<|im_end|>",
    "<|im_start|>assistant\nHi<|im_end|>",
    "<|end|><|start|>x",
    "<|return|>",
]


@pytest.fixture(scope="module")
def loaded(pyodide) -> None:
    """The data files, at the paths the runtime gives them (under lecture_widgets/)."""
    paths = chat.data_files({"format": "chatml"})
    pyodide.files([(FOLDER.parent / path, path) for path in paths])


def conversations(n: int, seed: int = 5) -> list[list[dict[str, str]]]:
    texts = make_corpus(2_000)
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        messages = []
        for _ in range(rnd.randint(1, 5)):
            kind = rnd.random()
            if kind < 0.1:
                content = ""
            elif kind < 0.2:
                content = rnd.choice(SPACES) + rnd.choice(texts)
            elif kind < 0.3:
                content = "".join(rnd.choice(EMOJI) for _ in range(3))
            elif kind < 0.4:
                content = rnd.choice(SPECIAL_TEXT)
            else:
                content = rnd.choice(texts)
            messages.append({"role": rnd.choice(ROLES), "content": content})
        out.append(messages)
    return out


def test_rank_files_land_where_the_tokenizer_reads_them(pyodide, loaded) -> None:
    assert pyodide.eval(
        "[__import__('lecture_widgets.tokenizer.encodings', fromlist=['_']).data_file(n).is_file() "
        "for n in ('cl100k_base', 'o200k_base')]"
    ) == [True, True]


@pytest.mark.parametrize("fmt", ["chatml", "harmony"])
def test_render_in_pyodide_equals_cpython(pyodide, loaded, fmt: str) -> None:
    """300 conversations (corpus texts, special-token text too), rendered in Pyodide."""
    convs = conversations(300)
    pyodide.exec(f"import json\nCONVERSATIONS = json.loads({json.dumps(json.dumps(convs))})")
    got = pyodide.eval(
        "(lambda render: [[r['ids'], r['mask'], r['roles'], r['kinds'], r['text']] for r in "
        f"(render(c, {fmt!r}, add_generation_prompt=i % 3 == 0) "
        "for i, c in enumerate(CONVERSATIONS))])"
        "(__import__('lecture_widgets.chat.render', fromlist=['_']).render)"
    )
    for index, (messages, answer) in enumerate(zip(convs, got, strict=True)):
        expected = render(messages, fmt, add_generation_prompt=index % 3 == 0)
        assert answer == [
            expected["ids"],
            expected["mask"],
            expected["roles"],
            expected["kinds"],
            expected["text"],
        ], messages


@needs_reference()
def test_render_in_pyodide_equals_tiktoken(pyodide, loaded) -> None:
    """Conversations without special-token text: the ids tiktoken gives the rendered text."""
    convs = [
        c for c in conversations(200, seed=9) if not any(has_special_text(m["content"]) for m in c)
    ]
    pyodide.exec(f"import json\nCLEAN = json.loads({json.dumps(json.dumps(convs))})")
    for fmt in ("chatml", "harmony"):
        got = pyodide.eval(
            f"[[r['ids'], r['text']] for r in "
            "(__import__('lecture_widgets.chat.render', fromlist=['_']).render(c, "
            f"{fmt!r}) for c in CLEAN)]"
        )
        assert len(got) == len(convs) > 100
        for ids, text in got:
            assert ids == chat_reference_ids(fmt, text)


def test_view_calls_answer_as_on_cpython(pyodide, loaded) -> None:
    for name, preset in PRESETS.items():
        for fmt in ("chatml", "harmony"):
            payload = {
                "messages": preset["messages"],
                "format": fmt,
                "mask": "all" if name == "basic" else "assistant",
                "generation_prompt": name == "search",
                "find": preset["find"],
            }
            assert pyodide.call("chat.view", **payload) == json.loads(json.dumps(view(**payload)))
    line = view(PRESETS["basic"]["messages"])["jsonl"]
    assert pyodide.call("chat.import_line", text=line) == {
        "ok": True,
        "messages": PRESETS["basic"]["messages"],
    }
    answer = pyodide.call("chat.import_line", text='{"messages": [{"role": "bot"}]}')
    assert answer["ok"] is False and "message 1 has no 'content'" in answer["error"]

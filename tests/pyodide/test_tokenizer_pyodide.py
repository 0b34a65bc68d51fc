"""The tokenizer in real Pyodide: token for token equal to tiktoken (run on CPython), and the
widget's calls answering as on CPython."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
import tokenizer_reference
from lecture_widgets import tokenizer
from lecture_widgets.tokenizer import calls
from tokenizer_reference import ENCODING_NAMES, make_corpus, needs_reference, reference_encoding

pytestmark = pytest.mark.pyodide
PACKAGE = Path(tokenizer.__file__).parent
CORPUS_SIZE = 5_000
#: the engine's entry point, as an expression Pyodide evaluates
GET_ENCODING = "__import__('lecture_widgets.tokenizer.encodings', fromlist=['_']).get_encoding"
NINE = ["What", " is", " bigger", ",", " ", "9", ".", "11", " or", " ", "9", ".", "9", "?"]


@pytest.fixture(scope="module")
def loaded(pyodide) -> dict[str, float]:
    """The rank files written into Pyodide as the runtime writes them; each encoding's first
    call timed (seconds)."""
    files = tokenizer.data_files({"encodings": list(ENCODING_NAMES)})
    pyodide.files([(PACKAGE.parent / path, path) for path in files])
    seconds = {}
    for name in ENCODING_NAMES:
        start = time.perf_counter()
        pyodide.call("tokenizer.tokenize", text="hello", encodings=[name])
        seconds[name] = time.perf_counter() - start
    return seconds


@pytest.fixture(scope="module")
def corpus_in_pyodide(pyodide, loaded) -> None:
    """The reference corpus generator, run inside Pyodide (its strings are built there)."""
    source = Path(tokenizer_reference.__file__).read_text(encoding="utf-8")
    pyodide.exec(f"__file__ = {tokenizer_reference.__file__!r}")  # for its ROOT
    pyodide.exec(source)


def test_corpus_is_the_same_in_pyodide(pyodide, corpus_in_pyodide) -> None:
    digest = pyodide.eval(
        "__import__('hashlib').sha256("
        f"__import__('json').dumps(make_corpus({CORPUS_SIZE})).encode()).hexdigest()"
    )
    expected = hashlib.sha256(json.dumps(make_corpus(CORPUS_SIZE)).encode()).hexdigest()
    assert digest == expected


@needs_reference()
@pytest.mark.parametrize("name", ENCODING_NAMES)
def test_corpus_equals_tiktoken(pyodide, corpus_in_pyodide, name: str) -> None:
    """make_corpus(5000), built and encoded in Pyodide, against tiktoken on CPython:
    ordinary encoding and encoding with every special token allowed."""
    got = pyodide.eval(
        "(lambda enc: [[enc.encode_ordinary(t), enc.encode(t, allowed_special='all')] "
        f"for t in make_corpus({CORPUS_SIZE})])("
        f"{GET_ENCODING}({name!r}))"
    )
    reference = reference_encoding(name)
    corpus = make_corpus(CORPUS_SIZE)
    mismatches = [
        repr(text)
        for text, (ordinary, special) in zip(corpus, got, strict=True)
        if ordinary != reference.encode_ordinary(text)
        or special != reference.encode(text, allowed_special="all")
    ]
    assert not mismatches, f"{len(mismatches)} of {len(corpus)} differ: {mismatches[:5]}"


@needs_reference()
def test_widget_call_equals_tiktoken(pyodide, loaded) -> None:
    """The view's call, as the worker makes it, on a slice of the corpus sent as JSON."""
    corpus = make_corpus(CORPUS_SIZE)[::10]
    for text in corpus:
        result = pyodide.call("tokenizer.tokenize", text=text, encodings=list(ENCODING_NAMES))
        for entry in result["encodings"]:
            ids = [i for piece in entry["pieces"] for group in piece for i in group["ids"]]
            assert ids == reference_encoding(entry["name"]).encode_ordinary(text), repr(text)


def test_known_answers(pyodide, loaded) -> None:
    result = pyodide.call(
        "tokenizer.tokenize", text="What is bigger, 9.11 or 9.9?", encodings=["cl100k_base"]
    )
    [entry] = result["encodings"]
    groups = [group for piece in entry["pieces"] for group in piece]
    assert [group["text"] for group in groups] == NINE
    assert [i for group in groups for i in group["ids"]] == [
        3923, 374, 11493, 11, 220, 24, 13, 806, 477, 220, 24, 13, 24, 30
    ]  # fmt: skip
    assert pyodide.eval(
        f"[{GET_ENCODING}(n).encode(t) for n, t "
        "in [('cl100k_base', 'hello world'), ('o200k_base', 'hello world'), "
        "('gpt2', 'hello world'), ('cl100k_base', ' 👍🏽')]]"
    ) == [[15339, 1917], [24912, 2375], [31373, 995], [62904, 235, 9468, 237, 121]]


def test_calls_answer_as_on_cpython(pyodide, loaded) -> None:
    text = "Nice 👍🏽 café\n<|endoftext|>\tdef f(x): return x ** 2"
    for name in ENCODING_NAMES:
        assert pyodide.call("tokenizer.tokenize", text=text, encodings=[name]) == json.loads(
            json.dumps(calls.tokenize(text, [name]))
        )
    for piece in (" strawberry", " 👍", "ervised"):
        assert pyodide.call("tokenizer.merges", encoding="cl100k_base", piece=piece) == (
            json.loads(json.dumps(calls.merges("cl100k_base", piece)))
        )


def test_each_encoding_loads_quickly(loaded) -> None:
    """Generous bounds (under Node, on a busy machine); bench/tokenizer_browser.py measures."""
    assert loaded["cl100k_base"] < 2.0, loaded
    assert max(loaded.values()) < 3.0, loaded

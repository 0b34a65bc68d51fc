"""Hostile reader input through every widget's calls, in real Pyodide: deep nesting, huge
lines, markup, control characters, lone surrogates. Each call answers (a result, or an
error for the reader); none may take Python down (a WebAssembly stack overflow is fatal
to Pyodide and every widget of the page would lose its state)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lecture_widgets import rpc
from lecture_widgets.chat import data_files as chat_files
from lecture_widgets.labeling import data_files as labeling_files
from pyodide_harness import PyodideError

pytestmark = pytest.mark.pyodide
PACKAGE = Path(rpc.__file__).parent

HOSTILE = {
    "deep list": "[" * 5_000 + "]" * 5_000,
    "deep object": '{"messages": ' * 3_000 + "1" + "}" * 3_000,
    "deep in a line": '{"messages": [' + "[" * 10_000 + "]}",
    "huge line": "a" * 1_200_000,
    "markup": '<script>alert(1)</script><img src=x onerror="alert(1)"> &amp; "quoted"',
    "control characters": "\x00\x01\x07\x1b[31mred\x1b[0m\r\n\t\x7f\u2028\u0085",
    "lone surrogates": "ok \ud800 then \udfff and \ud83d alone",
    "right-to-left and zalgo": "\u202eevil\u202c Z\u0351\u0360\u0361\u035b" * 50,
}


@pytest.fixture(scope="module")
def ready(pyodide):
    paths = sorted(
        {*chat_files({"format": "chatml"}), *labeling_files({"dataset": "movies"})}
        | {"tokenizer/data/o200k_base.tokens.gz"}
    )
    pyodide.files([(PACKAGE / path, path) for path in paths])
    pyodide.call(
        "labeling.start",
        widget="fuzz",
        dataset="movies",
        sampling="uncertainty",
        test_size=300,
        labels=["negative", "positive"],
    )
    return pyodide


CALLS = {
    "chat import": lambda text: ("chat.import_line", {"text": text}),
    "chat message": lambda text: (
        "chat.view",
        {"messages": [{"role": "user", "content": text[:20_000]}], "format": "harmony"},
    ),
    "tokenizer": lambda text: (
        "tokenizer.tokenize",
        {"text": text, "encodings": ["cl100k_base", "o200k_base"]},
    ),
    "tokenizer merges": lambda text: (
        "tokenizer.merges",
        {"encoding": "cl100k_base", "piece": text},
    ),
    "labeling own sentence": lambda text: (
        "labeling.try_sentence",
        {"widget": "fuzz", "text": text},
    ),
    "python cell": lambda text: ("python.run", {"code": text, "namespace": "fuzz"}),
}


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("call", CALLS)
def test_hostile_input_gets_an_answer_and_python_lives(ready, call: str, kind: str) -> None:
    name, payload = CALLS[call](HOSTILE[kind])
    try:
        answer = ready.call(name, **payload)
        assert isinstance(answer, dict)
    except PyodideError as error:  # raised in Python: fine, as long as Python is alive
        assert "fatal" not in str(error).lower(), str(error)[:300]
    assert ready.call("python.run", code="6 * 7", namespace="alive")["value"] == "42"

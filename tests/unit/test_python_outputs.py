"""Rich output of the `python` cell on CPython: `display(...)`, rich last values, HTML
made inert, the size limit, and matplotlib through a stand-in package (matplotlib's
WebAssembly wheel is not available here, so real matplotlib is not run)."""

from __future__ import annotations

import base64
import json
import os
import struct
import sys
import zlib
from pathlib import Path
from unittest.mock import Mock

import pytest
from lecture_widgets.python import VIEW, outputs
from lecture_widgets.python.calls import _namespaces, run
from lecture_widgets.python.inert import inert_html

START, END = VIEW["display"]["start"], VIEW["display"]["end"]


def png(width: int, height: int) -> bytes:
    rows = b"".join(b"\0" + b"\x10\x60\xc0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def parts(stdout: str) -> list:
    """stdout as the view splits it: text, and rich outputs as their JSON."""
    found: list = []
    while stdout:
        at = stdout.find(START)
        if at < 0:
            found.append(stdout)
            break
        if at:
            found.append(stdout[:at])
        stop = stdout.index(END, at)
        found.append(json.loads(stdout[at + len(START) : stop]))
        stdout = stdout[stop + len(END) :]
    return found


class Html:
    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return f"<b>{self.text}</b>"

    def __repr__(self) -> str:
        return f"Html({self.text!r})"


class Png:
    def _repr_png_(self) -> bytes:
        return png(3, 2)

    def __repr__(self) -> str:
        return "Png()"


def test_the_marker_is_a_sequence_no_text_output_holds() -> None:
    assert START.startswith("\x1b]") and END == "\x07\n"
    assert "\x1b" not in json.dumps({"text": "\x1b]\x07"})  # JSON escapes control characters


def test_display_keeps_its_place_among_prints(capsys: pytest.CaptureFixture[str]) -> None:
    run("", "order")
    _namespaces["order"].update(Html=Html, Png=Png)
    code = "print('a')\ndisplay(Html('x'), 42, Png())\nprint('b')\nHtml('last')"
    result = run(code, "order")
    assert result == {"ok": True, "value": None}  # the rich last value went with the stream
    shown = parts(capsys.readouterr().out)
    assert shown == [
        "a\n",
        {"type": "text/html", "data": "<b>x</b>", "text": "Html('x')"},
        "42\n",
        {"type": "image/png", "data": base64.b64encode(png(3, 2)).decode(), "text": "Png()"},
        "b\n",
        {"type": "text/html", "data": "<b>last</b>", "text": "Html('last')"},
    ]


def test_a_plain_last_value_is_its_repr(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("'text'", "plain") == {"ok": True, "value": "'text'"}
    assert run("None", "plain") == {"ok": True, "value": None}
    assert capsys.readouterr().out == ""


def test_richest_first_and_the_mimebundle_wins() -> None:
    class Both:
        def _repr_png_(self) -> str:
            return " aGk=\n"  # base64 text, as IPython takes it

        def _repr_markdown_(self) -> str:
            return "*md*"

    class Bundle:  # as IPython: the bundle's entries first, the methods for the others
        def _repr_mimebundle_(self, include=None, exclude=None):
            return {"text/html": "<p>bundle</p>", "text/plain": "B"}, {}

        def _repr_html_(self) -> str:
            return "<p>method</p>"

    class Fills:
        def _repr_mimebundle_(self, include=None, exclude=None):
            return {"image/png": "aGk="}

        def _repr_svg_(self) -> str:
            return "<svg/>"

    assert outputs.rich(Both()) == ("image/png", "aGk=")
    assert outputs.rich(Bundle()) == ("text/html", "<p>bundle</p>")
    assert outputs.rich(Fills()) == ("image/svg+xml", base64.b64encode(b"<svg/>").decode())
    assert outputs.rich(Html) is None  # a class, not an instance
    assert outputs.rich(Mock()) is None  # claims every method
    assert outputs.rich([1]) is None


def test_a_repr_that_raises_is_reported_and_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    class Broken:
        def _repr_html_(self) -> str:
            raise ValueError("no table")

        def _repr_markdown_(self) -> str:
            return "fallback"

    assert outputs.rich(Broken()) == ("text/markdown", "fallback")
    assert "Broken._repr_html_() raised ValueError: no table" in capsys.readouterr().err


def test_rich_output_over_the_limit_is_refused_clearly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "LIMIT", 100)
    outputs.start_run()
    outputs.display(Html("small"), Html("x" * 200))
    captured = capsys.readouterr()
    assert parts(captured.out)[1:] == [f"Html('{'x' * 200}')\n"]
    assert "text/html of 0.0 MB not shown: a run shows at most 0.0 MB" in captured.err
    outputs.start_run()  # a new run, a new allowance
    outputs.display(Html("small"))
    assert parts(capsys.readouterr().out)[0]["data"] == "<b>small</b>"


@pytest.mark.parametrize(
    ("html", "inert"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "<b>bold</b> &amp; <i>it</i>"),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<SCRIPT src=x.js></SCRIPT>ok", "ok"),
        ('<img src="data:," onerror="alert(1)" alt=\'a"b\'>', '<img src="data:," alt="a&quot;b">'),
        ('<a href=" JaVa\tScript:alert(1)" title=t>x</a>', '<a title="t">x</a>'),
        ('<svg><a xlink:href="javascript:x"/></svg>', "<svg><a /></svg>"),
        ("<body onload=x()><div onclick='y'>d</div></body>", "<body><div>d</div></body>"),
        ('<iframe src="https://example.org"></iframe><base href="/"><meta http-equiv=refresh>', ""),
        ('<link rel=stylesheet href="x.css"><object data=x></object><embed src=x>', ""),
        ("<style>td > b { color: red }</style>", "<style>td > b { color: red }</style>"),
        ("<!-- <script>x</script> -->text", "text"),
        ("&lt;script&gt;", "&lt;script&gt;"),
        ("<table><tr><td>1 < 2</td></tr></table>", "<table><tr><td>1 &lt; 2</td></tr></table>"),
    ],
)
def test_html_is_made_inert(html: str, inert: str) -> None:
    assert inert_html(html) == inert


FAKE = {
    "__init__.py": "",
    "figure.py": """
class Figure:
    def __init__(self, number, png):
        self.number, self.png = number, png
    def savefig(self, buffer, format="png", **options):
        assert format == "png"
        buffer.write(self.png)
""",
    "pyplot.py": """
from .figure import Figure
_figures = {}
PNG = b""
def figure(number=None):
    number = number or max(_figures, default=0) + 1
    return _figures.setdefault(number, Figure(number, PNG + bytes([number])))
def get_fignums():
    return sorted(_figures)
def close(which="all"):
    _figures.clear()
def show():
    raise RuntimeError("the real show ran")
""",
}


@pytest.fixture
def fake_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A package that looks like matplotlib to the cell: pyplot.show, get_fignums,
    figure(n).savefig(buffer, format="png"), close."""
    package = tmp_path / "matplotlib"
    package.mkdir()
    for name, text in FAKE.items():
        (package / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in [name for name in sys.modules if name.split(".")[0] == "matplotlib"]:
        del sys.modules[name]


def test_plt_show_displays_each_figure_and_closes_them(
    fake_matplotlib, capsys: pytest.CaptureFixture[str]
) -> None:
    code = """
import matplotlib.pyplot as plt
from matplotlib.pyplot import show
plt.PNG = PNG
plt.figure(); plt.figure()
print("drawn")
show()
print(plt.get_fignums())
"""
    run("PNG = " + repr(png(2, 2)), "mpl")
    result = run(code, "mpl")
    assert result == {"ok": True, "value": None}, result
    assert os.environ["MPLBACKEND"] == "Agg"
    shown = parts(capsys.readouterr().out)
    assert [part if isinstance(part, str) else part["type"] for part in shown] == [
        "drawn\n",
        "image/png",
        "image/png",
        "[]\n",
    ]
    assert base64.b64decode(shown[1]["data"]) == png(2, 2) + b"\x01"
    assert shown[1]["text"].startswith("<matplotlib.figure.Figure object at 0x")


def test_a_figure_as_the_last_value_and_open_figures_show_at_the_end(
    fake_matplotlib, capsys: pytest.CaptureFixture[str]
) -> None:
    run("import matplotlib.pyplot as plt\nplt.PNG = b'png'", "mpl2")
    capsys.readouterr()
    assert run("first = plt.figure()\nsecond = plt.figure()\nsecond", "mpl2")["value"] is None
    shown = parts(capsys.readouterr().out)
    assert [base64.b64decode(part["data"]) for part in shown] == [b"png\x02", b"png\x01"]
    assert run("plt.get_fignums()", "mpl2")["value"] == "[]"  # closed, as a notebook does


def test_pyplot_imported_before_the_first_run_is_patched_too(
    fake_matplotlib, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.meta_path.remove(outputs._finder)  # as if no cell had run yet
    import matplotlib.pyplot as plt

    assert plt.show is not outputs._show
    assert run("import matplotlib.pyplot as plt\nplt.figure()\nplt.show()", "mpl3")["ok"]
    assert plt.show is outputs._show
    assert [part["type"] for part in parts(capsys.readouterr().out)] == ["image/png"]

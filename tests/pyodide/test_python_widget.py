"""The `python` widget's code in real Pyodide, called the way the browser worker calls it."""

from __future__ import annotations

import base64
import json

import pytest
from lecture_widgets.python import VIEW
from pyodide_harness import PyodideError

pytestmark = pytest.mark.pyodide


def test_runs_pyodide_python_314(pyodide) -> None:
    assert pyodide.version.startswith("3.14")


def test_cells_share_a_namespace_and_show_the_last_value(pyodide) -> None:
    assert pyodide.call("python.run", code="x = 20", namespace="page") == {
        "ok": True,
        "value": None,
    }
    result = pyodide.call("python.run", code="print('x is', x)\nx * 2 + 2", namespace="page")
    assert result == {"ok": True, "value": "42"}
    assert pyodide.stdout == "x is 20\n"


def test_isolated_namespace_does_not_see_the_page(pyodide) -> None:
    pyodide.call("python.run", code="secret = 1", namespace="page-a")
    result = pyodide.call("python.run", code="secret", namespace="cell-b", filename="<cell 2>")
    assert result["ok"] is False and result["error"] == "NameError"
    assert 'File "<cell 2>", line 1' in result["traceback"]
    assert "lecture_widgets" not in result["traceback"]


def test_a_payload_nested_too_deep_is_refused_not_fatal(pyodide) -> None:
    deep = {"code": "1", "namespace": "d", "filename": "x"}
    for _ in range(200):
        deep = {"code": "1", "namespace": "d", "filename": [deep]}
    with pytest.raises(PyodideError, match="nested more than 64 levels"):
        pyodide.call("python.run", **deep)
    assert pyodide.call("python.run", code="6 * 7", namespace="d")["value"] == "42"


def test_input_is_refused_clearly(pyodide) -> None:
    result = pyodide.call("python.run", code="input('name? ')", namespace="v")
    assert result["error"] == "RuntimeError"
    assert "input() cannot read from the keyboard" in result["traceback"]


def test_only_listed_calls_are_allowed(pyodide) -> None:
    with pytest.raises(PyodideError, match="has no call '_namespaces'"):
        pyodide.call("python._namespaces")


def test_rich_outputs_travel_on_stdout_in_order(pyodide) -> None:
    """display(...) and a rich last value go on stdout as markers, between the prints;
    the HTML made inert by Pyodide's own html.parser."""
    start, end = VIEW["display"]["start"], VIEW["display"]["end"]
    code = """
class Html:
    def _repr_html_(self):
        return '<p onclick="x()">hi<script>alert(1)</script></p>'
class Png:
    def _repr_png_(self):
        return b"\\x89PNG fake"
print("a")
display(Html(), [1])
print("b")
Png()
"""
    assert pyodide.call("python.run", code=code, namespace="rich") == {"ok": True, "value": None}
    out = pyodide.stdout
    assert out.startswith("a\n" + start) and out.count(start) == 2 and out.count(end) == 2
    html, rest = out[len("a\n" + start) :].split(end, 1)
    assert json.loads(html)["data"] == "<p>hi</p>"
    assert rest.startswith("[1]\nb\n" + start)
    image = json.loads(rest.split(start, 1)[1].removesuffix(end))
    assert image["type"] == "image/png"
    assert base64.b64decode(image["data"]) == b"\x89PNG fake"


STAND_IN = {
    "__init__.py": "",
    "figure.py": """
class Figure:
    def savefig(self, buffer, format, **options):
        buffer.write(b"png!")
""",
    "pyplot.py": """
from .figure import Figure
_figures = {}
def figure(number=None):
    return _figures.setdefault(number or len(_figures) + 1, Figure())
def get_fignums():
    return sorted(_figures)
def close(which):
    _figures.clear()
def show():
    raise RuntimeError("not patched")
""",
}


def test_a_matplotlib_stand_in_shows_its_figures(pyodide) -> None:
    """matplotlib's WebAssembly wheel is not available here: a package with its shape
    (pyplot.show, get_fignums, figure(n).savefig, close) stands in for it."""
    setup = f"""
import os, sys
os.makedirs("/tmp/stand_in/matplotlib", exist_ok=True)
for name, text in {STAND_IN!r}.items():
    with open(f"/tmp/stand_in/matplotlib/{{name}}", "w") as file:
        file.write(text)
sys.path.insert(0, "/tmp/stand_in")
"""
    assert pyodide.call("python.run", code=setup, namespace="mpl")["ok"]
    code = "import matplotlib.pyplot as plt\nplt.figure()\nplt.show()\nprint('after')"
    result = pyodide.call("python.run", code=code, namespace="mpl")
    assert result == {"ok": True, "value": None}, result
    start, end = VIEW["display"]["start"], VIEW["display"]["end"]
    shown, after = pyodide.stdout.removeprefix(start).split(end)
    assert json.loads(shown)["data"] == base64.b64encode(b"png!").decode()
    assert after == "after\n"
    assert pyodide.call("python.run", code="os.environ['MPLBACKEND']", namespace="mpl") == {
        "ok": True,
        "value": "'Agg'",
    }

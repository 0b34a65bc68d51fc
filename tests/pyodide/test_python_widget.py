"""The `python` widget's code in real Pyodide, called the way the browser worker calls it."""

from __future__ import annotations

import pytest
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

"""The call of the `python` widget's view: run a cell in a namespace."""

from __future__ import annotations

import ast
import contextlib
import linecache
import traceback
from typing import Any

from . import outputs

_namespaces: dict[str, dict[str, Any]] = {}


def run(code: str, namespace: str, filename: str = "<cell>") -> dict[str, Any]:
    """Run a cell in `namespace`; stdout and stderr stream as the code prints, and so do
    rich outputs (`display(...)`, figures, a rich last value: see outputs.py).

    Returns `{"ok": True, "value": repr of the last expression, or None when it was None
    or shown as a rich output}` or `{"ok": False, "error": exception type, "traceback":
    text}` where the traceback holds only the reader's own frames.
    """
    scope = _namespaces.setdefault(
        namespace, {"__name__": "__main__", "input": _no_input, "display": outputs.display}
    )
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    outputs.start_run()
    try:
        tree = ast.parse(code, filename, "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), scope)
        value = None
        if last is not None:
            expression = ast.Expression(last.value)
            value = eval(compile(expression, filename, "eval"), scope)
        shown = None if value is None else outputs.show_value(value)
        outputs.show_figures(skip=value)  # those left open, as a notebook shows them
    except BaseException as error:  # the reader's code may raise anything, SystemExit too
        with contextlib.suppress(Exception):
            outputs.show_figures()  # what it drew before the error
        return {"ok": False, "error": type(error).__name__, "traceback": _reader_traceback(error)}
    return {"ok": True, "value": shown}


def _no_input(prompt: object = "") -> str:
    raise RuntimeError(
        "input() cannot read from the keyboard in a page's cell: "
        "assign the value in the code instead."
    )


def _reader_traceback(error: BaseException) -> str:
    """The traceback without this module's frames: only what the reader wrote."""
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(type(error), error))
    tb = error.__traceback__
    ours = {__file__, outputs.__file__}
    while tb is not None and tb.tb_frame.f_code.co_filename in ours:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))

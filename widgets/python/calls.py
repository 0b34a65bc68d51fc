"""The call of the `python` widget's view: run a cell in a namespace."""

from __future__ import annotations

import ast
import linecache
import traceback
from typing import Any

_namespaces: dict[str, dict[str, Any]] = {}


def run(code: str, namespace: str, filename: str = "<cell>") -> dict[str, Any]:
    """Run a cell in `namespace`; stdout and stderr stream as the code prints.

    Returns `{"ok": True, "value": repr of the last expression or None}` or
    `{"ok": False, "error": exception type, "traceback": text}` where the traceback
    holds only the reader's own frames.
    """
    scope = _namespaces.setdefault(namespace, {"__name__": "__main__", "input": _no_input})
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    try:
        tree = ast.parse(code, filename, "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), scope)
        value = None
        if last is not None:
            expression = ast.Expression(last.value)
            value = eval(compile(expression, filename, "eval"), scope)
    except BaseException as error:  # the reader's code may raise anything, SystemExit too
        return {"ok": False, "error": type(error).__name__, "traceback": _reader_traceback(error)}
    return {"ok": True, "value": None if value is None else repr(value)}


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
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))

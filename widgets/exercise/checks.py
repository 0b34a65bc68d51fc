"""An exercise's checks: the reader's code run, then the tests, one check at a time.

A check is a top-level ``assert`` of the tests, or a ``test_*`` function they define;
other top-level statements (imports, helpers) run as they come. Every ``assert a <op> b``
is rewritten to say both sides when it fails ("expected 4, got 5"), as pytest does. A
traceback holds only the reader's code (``<your code>``), never the test machinery.
The same code checks at build time (the author's solution, on CPython) and in the reader's
browser (Pyodide).
"""

from __future__ import annotations

import ast
import linecache
import traceback
from typing import Any

READER = "<your code>"
TESTS = "<tests>"
HELPER = "__lecture_compare"
OPERATORS = {
    ast.Eq: ("==", lambda a, b: a == b),
    ast.NotEq: ("!=", lambda a, b: a != b),
    ast.Lt: ("<", lambda a, b: a < b),
    ast.LtE: ("<=", lambda a, b: a <= b),
    ast.Gt: (">", lambda a, b: a > b),
    ast.GtE: (">=", lambda a, b: a >= b),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
    ast.Is: ("is", lambda a, b: a is b),
    ast.IsNot: ("is not", lambda a, b: a is not b),
}
SHOWN = 200  # characters of a value shown in feedback


class BrokenTests(ValueError):
    """Tests that cannot run (a syntax error in them: the author's, not the reader's)."""


def _compare(got: Any, symbol: str, expected: Any, source: str, message: Any = None) -> None:
    test = next(check for name, check in OPERATORS.values() if name == symbol)
    if not test(got, expected):
        if symbol == "==":
            detail = f"expected {_show(expected)}, got {_show(got)}"
        else:
            detail = f"{_show(got)} {symbol} {_show(expected)} is false"
        raise AssertionError(
            f"{source}: {detail}" + (f" ({message})" if message is not None else "")
        )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class _Rewrite(ast.NodeTransformer):
    """``assert a <op> b, msg`` → ``__lecture_compare(a, "<op>", b, "<source>", msg)``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        test = node.test
        if not (
            isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in OPERATORS
        ):
            return node
        symbol = OPERATORS[type(test.ops[0])][0]
        text = ast.get_source_segment(self.source, node.test) or symbol
        call = ast.Call(
            ast.Name(HELPER, ast.Load()),
            [test.left, ast.Constant(symbol), test.comparators[0], ast.Constant(text)]
            + ([node.msg] if node.msg else []),
            [],
        )
        return ast.copy_location(ast.Expr(call), node)


def run_checks(code: str, tests: str, hidden: str = "") -> dict[str, Any]:
    """``{"passed": all checks passed, "error": the reader's code's traceback or None,
    "checks": [{"name", "passed", "message"}]}``; hidden checks are named by number only.
    BrokenTests if the tests themselves do not parse."""
    suites = [(_parse(tests, TESTS), False), (_parse(hidden, "<hidden tests>"), True)]
    namespace: dict[str, Any] = {"__name__": "__main__", HELPER: _compare}
    linecache.cache[READER] = (len(code), None, code.splitlines(keepends=True), READER)
    try:
        exec(compile(code, READER, "exec"), namespace)
    except BaseException as error:  # the reader's code may raise anything, SystemExit too
        return {"passed": False, "error": _reader_traceback(error), "checks": []}
    checks: list[dict[str, Any]] = []
    for (tree, source), hidden_suite in suites:
        for node in tree.body:
            checks += _run(node, source, namespace, hidden_suite, len(checks) + 1)
    return {"passed": all(c["passed"] for c in checks), "error": None, "checks": checks}


def count_checks(tests: str) -> int:
    """How many checks `tests` holds (top-level asserts and test_* functions)."""
    if not tests.strip():
        return 0
    tree = ast.parse(tests)
    return sum(
        isinstance(node, ast.Assert)
        or (isinstance(node, ast.FunctionDef) and node.name.startswith("test_"))
        for node in tree.body
    )


def _parse(source: str, filename: str) -> tuple[ast.Module, str]:
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        raise BrokenTests(f"{filename} line {error.lineno}: {error.msg}") from None
    return ast.fix_missing_locations(_Rewrite(source).visit(tree)), source


def _run(node: ast.stmt, source: str, namespace: dict, hidden: bool, number: int) -> list[dict]:
    """The check `node` is (none, if it is a plain statement), run."""
    is_test = isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    is_check = is_test or (isinstance(node, ast.Assert | ast.Expr) and _is_check(node))
    name = (
        f"hidden check {number}"
        if hidden
        else node.name
        if is_test
        else ast.get_source_segment(source, node) or f"check {number}"
    )
    try:
        exec(compile(ast.Module([node], []), "<tests>", "exec"), namespace)
        if is_test:
            namespace[node.name]()
    except BaseException as error:  # a check fails, or the reader's function raises
        if not is_check:
            raise BrokenTests(f"the tests' setup failed: {type(error).__name__}: {error}") from None
        return [{"name": name, "passed": False, "message": _failure(error, hidden)}]
    return [{"name": name, "passed": True, "message": ""}] if is_check else []


def _is_check(node: ast.stmt) -> bool:
    """A plain assert, or one rewritten into a call of the helper."""
    if isinstance(node, ast.Assert):
        return True
    call = node.value if isinstance(node, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == HELPER


def _failure(error: BaseException, hidden: bool) -> str:
    if isinstance(error, AssertionError):
        message = str(error) or "the assertion is false"
        return "a hidden check failed" if hidden else message
    return _reader_traceback(error)


def _reader_traceback(error: BaseException) -> str:
    """The traceback, only the frames of the reader's code (where the error happened in
    it); the exception alone when none is theirs."""
    if isinstance(error, SyntaxError) and error.filename == READER:
        return "".join(traceback.format_exception_only(type(error), error))
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if frame.filename == READER]
    lines = ["Traceback (your code):\n", *traceback.format_list(own)] if own else []
    return "".join([*lines, *traceback.format_exception_only(type(error), error)])

"""Rich output of the `python` cell: `display(...)`, the last value, matplotlib figures.

An object is shown by its richest representation, as a notebook shows it: HTML, SVG,
PNG, JPEG or Markdown (from `_repr_mimebundle_` or the `_repr_*_` methods; a matplotlib
figure as PNG), else its `repr`. A rich output travels on stdout, in its place among what
the cell prints: one write of `START`, the output as JSON (ASCII: no control character
inside), `END`. The view turns it into an element as the stream arrives, so outputs and
prints keep their order and a long run shows its figures as it draws them.

HTML is made inert first (`inert.py`: scripts, event handlers, `javascript:` URLs,
frames, `<base>` and `<meta>` removed) so that the page's console stays clean under a
strict CSP; what guarantees that nothing runs is the view's sandboxed frame.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from typing import Any

from . import VIEW

START = VIEW["display"]["start"]
END = VIEW["display"]["end"]
LIMIT = 1_500_000  # characters of rich output one run may send (the worker's cap: 2 MB)
ALT_TEXT = 1_000  # characters of the text fallback sent with a rich output
ORDER = {  # what is shown, first found first
    "text/html": "_repr_html_",
    "image/svg+xml": "_repr_svg_",
    "image/png": "_repr_png_",
    "image/jpeg": "_repr_jpeg_",
    "text/markdown": "_repr_markdown_",
}
BINARY = {"image/png", "image/jpeg"}

_room = LIMIT


def start_run() -> None:
    """Before a cell runs: a fresh allowance, and matplotlib drawing into images."""
    global _room
    _room = LIMIT
    _prepare_matplotlib()


def display(*objects: Any) -> None:
    """Show each object as a notebook does (its richest representation), in order with
    what the cell prints."""
    for obj in objects:
        shown = rich(obj)
        if shown is None:
            print(repr(obj))
        else:
            _send(*shown, _plain(obj))


def show_value(value: Any) -> str | None:
    """The last expression's value: shown now if it is rich; else its repr, for the result."""
    shown = rich(value)
    if shown is None:
        return repr(value)
    _send(*shown, _plain(value))
    return None


def rich(obj: Any) -> tuple[str, str] | None:
    """`(type, data)`: the richest representation of `obj` (images in base64), or None."""
    if isinstance(obj, type):  # a class: its _repr_*_ are unbound methods
        return None
    if _is_figure(obj):
        return "image/png", _figure_png(obj)
    bundle = _mimebundle(obj)
    for mime, method in ORDER.items():
        data = bundle[mime] if mime in bundle else _call(obj, method)
        if isinstance(data, tuple):  # (data, metadata), as IPython allows
            data = data[0] if data else None
        if data and isinstance(data, str | bytes):
            return mime, _encoded(mime, data)
    return None


def _mimebundle(obj: Any) -> dict[str, Any]:
    bundle = _call(obj, "_repr_mimebundle_")
    if isinstance(bundle, tuple):
        bundle = bundle[0] if bundle else None
    return bundle if isinstance(bundle, dict) else {}


def _method(obj: Any, name: str) -> Any:
    """`obj`'s method `name`, unless `obj` claims every name (a proxy, a mock), as IPython
    checks."""
    try:
        if callable(getattr(obj, "_lecture_canary_no_object_has_this_", None)):
            return None
        return getattr(obj, name, None)
    except Exception:  # a property or __getattr__ that raises
        return None


def _call(obj: Any, method: str) -> Any:
    function = _method(obj, method)
    if not callable(function):
        return None
    try:
        return function()
    except Exception as error:  # the object's own bug: say so, show what else it has
        name = f"{type(obj).__name__}.{method}()"
        print(f"{name} raised {type(error).__name__}: {error}", file=sys.stderr)
        return None


def _encoded(mime: str, data: str | bytes) -> str:
    if mime in BINARY:  # bytes, or already base64 text (as IPython takes it)
        return base64.b64encode(data).decode() if isinstance(data, bytes) else "".join(data.split())
    text = data.decode() if isinstance(data, bytes) else str(data)
    if mime == "image/svg+xml":
        return base64.b64encode(text.encode()).decode()
    if mime == "text/html":
        from .inert import inert_html  # (html.parser: ~0.25 s to import in Pyodide)

        return inert_html(text)
    return text


def _plain(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception:
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= ALT_TEXT else text[: ALT_TEXT - 1] + "…"


def _send(mime: str, data: str, text: str) -> None:
    """One rich output, on stdout after what was printed before it."""
    global _room
    payload = START + json.dumps({"type": mime, "data": data, "text": text}) + END
    size = len(payload)  # as it travels: JSON escapes non-ASCII text and quotes
    if size > _room:
        print(text)
        print(
            f"({mime} of {size / 1e6:.1f} MB not shown: a run shows at most "
            f"{LIMIT / 1e6:.1f} MB of images and HTML)",
            file=sys.stderr,
        )
        return
    _room -= size
    sys.stderr.flush()
    sys.stdout.flush()
    sys.stdout.write(payload)
    sys.stdout.flush()


# matplotlib: the Agg backend (the worker has no screen), `plt.show()` displays each open
# figure as PNG and closes it; a figure as the last value is a PNG; figures still open
# when a cell ends are shown then, as a notebook's inline backend does. Duck-typed:
# nothing here imports matplotlib.


def _is_figure(obj: Any) -> bool:
    return type(obj).__module__.startswith("matplotlib.") and callable(_method(obj, "savefig"))


def _figure_png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def _show(*_args: Any, **_kwargs: Any) -> None:
    """`matplotlib.pyplot.show`: each open figure displayed, then closed."""
    show_figures()


def show_figures(skip: Any = None) -> None:
    """Display the open figures (but `skip`, already shown as the value) and close them."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or getattr(pyplot, "show", None) is not _show:
        return
    for number in list(pyplot.get_fignums()):
        figure = pyplot.figure(number)
        if figure is not skip:
            display(figure)
    pyplot.close("all")


def _patch_pyplot(pyplot: Any) -> None:
    pyplot.show = _show


class _PatchingLoader:
    """matplotlib.pyplot's own loader, which patches `show` once the module has run."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        _patch_pyplot(module)

    def __getattr__(self, name: str) -> Any:  # get_data, get_resource_reader, …
        return getattr(self.loader, name)


class _PyplotFinder:
    """Finds `matplotlib.pyplot` as the other finders do, with the patching loader."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "matplotlib.pyplot":
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None


_finder = _PyplotFinder()


def _prepare_matplotlib() -> None:
    if _finder not in sys.meta_path:
        os.environ["MPLBACKEND"] = "Agg"  # for matplotlib imported from now on
        sys.meta_path.insert(0, _finder)
        matplotlib = sys.modules.get("matplotlib")
        if matplotlib is not None and callable(getattr(matplotlib, "use", None)):
            matplotlib.use("Agg")  # imported before the first cell (not by a cell)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and getattr(pyplot, "show", None) is not _show:
        _patch_pyplot(pyplot)

"""Find the widgets a course can use: the built-in ones and the folders authors add, and
check that each keeps the widget contract (ARCHITECTURE.md, "Widgets").

In the browser every widget is imported as `lecture_widgets.<name>`; authors'
widgets are imported under that same name at build time, so both sides agree.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import lecture_widgets

WIDGET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
DATA_PATH = re.compile(r"^[a-z][a-z0-9_]*(/[\w.-]+)+$")  # "<owner widget>/<path>", no spaces
BUILTIN_DIR = Path(lecture_widgets.__file__).parent
# The package's own modules: a widget of that name would replace one of them.
RESERVED = frozenset(path.stem for path in BUILTIN_DIR.glob("*.py"))


class RegistryError(ValueError):
    """A widget folder that cannot be used, with what to do about it."""


@dataclass(frozen=True)
class Widget:
    """One widget: its Python module and the files its view is made of."""

    name: str
    module: ModuleType
    folder: Path

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the fence's options (an object schema)."""
        return self.module.OPTIONS

    @property
    def body_option(self) -> str | None:
        """The option that receives the fence body as text (e.g. `code`), or None for YAML."""
        return getattr(self.module, "BODY", None)

    @property
    def python_options(self) -> tuple[str, ...]:
        """The options holding Python the widget runs in the browser (`PYTHON_OPTIONS`):
        their imports are the packages it needs (packages.py)."""
        return tuple(getattr(self.module, "PYTHON_OPTIONS", ()))

    @property
    def calls_python(self) -> bool:
        """Whether the view calls Python (`CALLS`): a page of widgets that do not, such as
        quizzes, never starts it."""
        return bool(getattr(self.module, "CALLS", ()))

    @property
    def view_js(self) -> Path:
        return self.folder / "view.js"

    @property
    def view_css(self) -> Path | None:
        css = self.folder / "view.css"
        return css if css.exists() else None

    def render_static(self, options: dict[str, Any]) -> str:
        """HTML shown before (and without) JavaScript."""
        return self.module.render_static(options)

    def prepare(self, options: dict[str, Any], docs_dir: Path) -> dict[str, Any]:
        """Options resolved at build time (e.g. an author's data file read and checked);
        raises lecture_widgets.options.OptionError."""
        prepare = getattr(self.module, "prepare", None)
        return prepare(options, docs_dir) if prepare else options

    @property
    def constants(self) -> dict[str, Any]:
        """What the view reads from Python (`VIEW`): its vocabularies, limits and labels."""
        return getattr(self.module, "VIEW", {})

    def data_files(self, options: dict[str, Any]) -> list[str]:
        """Data files these options need in the browser, as `<owner widget>/<path>` (a
        widget may use another's files, e.g. the tokenizer's vocabularies)."""
        files = getattr(self.module, "data_files", None)
        return list(files(options)) if files else []


def data_file_problem(path: str, widgets: dict[str, Widget]) -> str | None:
    """Why `path` (from a widget's data_files) cannot be a data file, or None."""
    owner = path.partition("/")[0]
    if not DATA_PATH.match(path) or ".." in path.split("/"):
        return (
            f"data file '{path}' must be '<widget>/<path in its folder>' (relative, no '..', "
            "no spaces), e.g. 'mywidget/data/words.json'"
        )
    if owner not in widgets:
        return f"data file '{path}' names no widget ('{owner}'; widgets: {', '.join(widgets)})"
    if not (widgets[owner].folder / path.partition("/")[2]).is_file():
        return f"data file '{path}' is not in {widgets[owner].folder}"
    return None


def discover(widgets_dirs: Iterable[Path] = ()) -> dict[str, Widget]:
    """All widgets: the built-in ones, then each author folder's (a name may not repeat)."""
    widgets: dict[str, Widget] = {}
    for folder in _widget_folders(BUILTIN_DIR):
        _forget(f"lecture_widgets.{folder.name}")  # `mkdocs serve` rebuilds in one process
        module = importlib.import_module(f"lecture_widgets.{folder.name}")
        widgets[folder.name] = _checked(Widget(folder.name, module, folder))
    for base in widgets_dirs:
        if not base.is_dir():
            raise RegistryError(f"widgets_dirs: '{base}' is not a folder.")
        for folder in _widget_folders(base):
            if folder.name in RESERVED:
                raise RegistryError(
                    f"widget folder '{folder}': '{folder.name}' is the name of one of "
                    "mkdocs-lecture's own modules; rename the folder."
                )
            if folder.name in widgets:
                raise RegistryError(
                    f"widget '{folder.name}' in '{base}' has the name of a widget that already "
                    f"exists ({widgets[folder.name].folder}); rename its folder."
                )
            widgets[folder.name] = _checked(Widget(folder.name, _import_author(folder), folder))
    return widgets


def _widget_folders(base: Path) -> list[Path]:
    return sorted(
        folder
        for folder in base.iterdir()
        if (folder / "__init__.py").exists() and (folder / "view.js").exists()
    )


def _forget(name: str) -> None:
    """Drop a widget's modules, so the next import reads its files again."""
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]


def _import_author(folder: Path) -> ModuleType:
    """Import an author's widget folder as `lecture_widgets.<name>`, as the browser will."""
    name = f"lecture_widgets.{folder.name}"
    _forget(name)
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise RegistryError(
            f"widget '{folder.name}' ({folder}) failed to import: {error}"
        ) from error
    return module


def _checked(widget: Widget) -> Widget:
    """The contract, checked when the widget is found (not when a page first uses it)."""
    where = f"widget '{widget.name}' ({widget.folder / '__init__.py'})"
    if not WIDGET_NAME.match(widget.name):
        raise RegistryError(
            f"widget folder '{widget.folder}': a widget name is lowercase letters, digits and "
            "underscores, starting with a letter."
        )
    for attribute in ("OPTIONS", "render_static"):
        if not hasattr(widget.module, attribute):
            raise RegistryError(f"{where} defines no {attribute}.")
    try:
        jsonschema.Draft202012Validator.check_schema(widget.schema)
    except jsonschema.SchemaError as error:
        raise RegistryError(
            f"{where}: OPTIONS is not a valid JSON Schema: {error.message}."
        ) from error
    if widget.schema.get("type") != "object":
        raise RegistryError(f'{where}: OPTIONS must be an object schema ("type": "object").')
    body = widget.body_option
    if body and body not in widget.schema.get("properties", {}):
        raise RegistryError(f"{where}: BODY '{body}' is not one of the OPTIONS' properties.")
    python = getattr(widget.module, "PYTHON_OPTIONS", ())
    if isinstance(python, str) or not all(
        name in widget.schema.get("properties", {}) for name in python
    ):
        raise RegistryError(
            f'{where}: PYTHON_OPTIONS must be a tuple of its options, e.g. ("code",).'
        )
    _check_calls(widget, where)
    try:
        json.dumps(widget.constants)
    except (TypeError, ValueError) as error:
        raise RegistryError(
            f"{where}: VIEW must be JSON (it reaches the view): {error}."
        ) from error
    return widget


def _check_calls(widget: Widget, where: str) -> None:
    """CALLS is a list of names of functions of the widget's `calls.py`; the hooks are
    functions."""
    for hook in ("render_static", "prepare", "data_files"):
        if hasattr(widget.module, hook) and not callable(getattr(widget.module, hook)):
            raise RegistryError(f"{where}: {hook} must be a function.")
    calls = getattr(widget.module, "CALLS", ())
    if isinstance(calls, str) or not all(isinstance(name, str) for name in calls):
        raise RegistryError(f'{where}: CALLS must be a tuple of names, e.g. ("run",).')
    if not calls:
        return
    if not (widget.folder / "calls.py").is_file():
        raise RegistryError(f"{where}: CALLS needs a calls.py beside it, defining them.")
    try:
        module = importlib.import_module(f"lecture_widgets.{widget.name}.calls")
    except Exception as error:
        raise RegistryError(
            f"widget '{widget.name}' ({widget.folder / 'calls.py'}) failed to import: "
            f"{type(error).__name__}: {error}"
        ) from error
    missing = [name for name in calls if not callable(getattr(module, name, None))]
    if missing:
        raise RegistryError(
            f"{where}: CALLS names {', '.join(missing)}, which calls.py does not define."
        )

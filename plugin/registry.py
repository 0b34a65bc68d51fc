"""Find the widgets a course can use: the built-in ones and the folders authors add.

A widget is a folder holding `__init__.py` (its option schema, `render_static`, the
functions its view calls), `view.js` and, optionally, `view.css` and `data/`.
In the browser every widget is imported as `lecture_widgets.<name>`; authors'
widgets are imported under that same name at build time, so both sides agree.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import lecture_widgets

WIDGET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
BUILTIN_DIR = Path(lecture_widgets.__file__).parent


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

    def data_files(self, options: dict[str, Any]) -> list[str]:
        """Data files (relative to the widget folder) that these options need in the browser."""
        files = getattr(self.module, "data_files", None)
        return list(files(options)) if files else []


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
    if not WIDGET_NAME.match(widget.name):
        raise RegistryError(
            f"widget folder '{widget.folder}': a widget name is lowercase letters, digits and "
            "underscores, starting with a letter."
        )
    for attribute in ("OPTIONS", "render_static"):
        if not hasattr(widget.module, attribute):
            raise RegistryError(
                f"widget '{widget.name}' ({widget.folder / '__init__.py'}) defines no {attribute}."
            )
    return widget

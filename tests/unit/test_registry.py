"""The registry checks the widget contract when it finds a widget, and says which folder
breaks it and how; data files and preloads follow the contract too."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs_lecture.bundle import module_imports
from mkdocs_lecture.new import NewCourseError, new_widget
from mkdocs_lecture.registry import RegistryError, discover
from support import build_errors

GOOD_INIT = (
    "OPTIONS = {'type': 'object', 'properties': {'n': {'type': 'integer', 'default': 1}}}\n"
    "CALLS = ('hello',)\n"
    "def render_static(options):\n    return '<p>static</p>'\n"
)


def widget(base: Path, name: str = "demo", init: str = GOOD_INIT, calls: str | None = None) -> Path:
    folder = base / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(init)
    (folder / "view.js").write_text("export function mount() { return () => {}; }\n")
    if calls is not None:
        (folder / "calls.py").write_text(calls)
    return base


@pytest.mark.parametrize(
    ("init", "calls", "message"),
    [
        (
            GOOD_INIT.replace("'integer'", "'integr'"),
            "def hello(): pass\n",
            "OPTIONS is not a valid JSON Schema",
        ),
        (
            GOOD_INIT.replace("'object'", "'array'"),
            "def hello(): pass\n",
            "must be an object schema",
        ),
        (GOOD_INIT, None, "CALLS needs a calls.py beside it"),
        (GOOD_INIT, "def goodbye(): pass\n", "CALLS names hello, which calls.py does not define"),
        (GOOD_INIT, "def hello(:\n", "calls.py) failed to import: SyntaxError"),
        (
            GOOD_INIT.replace("('hello',)", "'hello'"),
            "def hello(): pass\n",
            "CALLS must be a tuple of names",
        ),
        (
            GOOD_INIT + "BODY = 'code'\n",
            "def hello(): pass\n",
            "BODY 'code' is not one of the OPTIONS",
        ),
        (
            GOOD_INIT + "PYTHON_OPTIONS = ('code',)\n",
            "def hello(): pass\n",
            "PYTHON_OPTIONS must be a tuple of its options",
        ),
        (GOOD_INIT + "VIEW = {'when': object()}\n", "def hello(): pass\n", "VIEW must be JSON"),
        (GOOD_INIT + "prepare = 3\n", "def hello(): pass\n", "prepare must be a function"),
    ],
)
def test_a_broken_contract_is_named_with_its_folder(
    tmp_path: Path, init: str, calls: str | None, message: str
) -> None:
    base = widget(tmp_path / "widgets", init=init, calls=calls)
    with pytest.raises(RegistryError) as caught:
        discover([base])
    assert message in str(caught.value)
    assert str(base / "demo") in str(caught.value)


def test_a_widget_may_not_take_the_name_of_the_package_s_modules(tmp_path: Path) -> None:
    base = widget(tmp_path / "widgets", name="html", calls="def hello(): pass\n")
    with pytest.raises(RegistryError, match="'html' is the name of one of mkdocs-lecture's own"):
        discover([base])
    for name in ("rpc", "tokenizer"):
        with pytest.raises(NewCourseError, match="is taken by mkdocs-lecture itself"):
            new_widget(name, tmp_path / "new")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("demo/../../../../etc/hostname", "relative, no '..'"),
        ("/etc/passwd", "must be '<widget>/<path in its folder>'"),
        ("data/words.json", "names no widget ('data'"),
        ("demo/data/missing.json", "is not in"),
        ("demo/data/two words.json", "no spaces"),
    ],
)
def test_a_bad_data_file_is_an_error_at_its_fence(tmp_path: Path, path: str, message: str) -> None:
    init = GOOD_INIT + f"def data_files(options):\n    return [{path!r}]\n"
    base = widget(tmp_path / "widgets", init=init, calls="def hello(): pass\n")
    options = {"widgets_dirs": [str(base)]}
    errors = build_errors(
        tmp_path, {"index.md": "Text\n\n```{demo}\n```\n"}, plugins=[{"lecture": options}]
    )
    assert "docs/index.md:3: widget '{demo}': data file" in errors and message in errors
    assert not (tmp_path / "site/etc").exists()


def test_preloads_follow_imports_from_each_module_s_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assets = tmp_path / "assets"
    (assets / "sub").mkdir(parents=True)
    (assets / "runtime.js").write_text(
        'import { a } from "./sub/a.js";\nconst later = () => import("./lazy.js");\n'
    )
    (assets / "sub/a.js").write_text(
        'import config from "../config.js";\nimport { b } from "./b.js";\n'
    )
    (assets / "sub/b.js").write_text("export const b = 1;\n")
    monkeypatch.setattr("mkdocs_lecture.bundle.ASSETS_DIR", assets)
    assert module_imports("runtime.js", {}) == ["sub/a.js", "config.js", "sub/b.js"]


def test_a_widget_calls_python_when_it_lists_calls(tmp_path: Path) -> None:
    """Only those start Python on a page (config.js's pythonWidgets): the quiz lists none."""
    widgets = discover([widget(tmp_path, calls="def hello(): pass\n")])
    assert widgets["demo"].calls_python
    assert not widgets["quiz"].calls_python
    assert not widgets["progress"].calls_python

"""`mkdocs serve` rebuilds in one process: widget changes show, nothing leaks between builds."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import write_project

WIDGET = """
OPTIONS = {{"type": "object", "properties": {{}}}}
def render_static(options):
    return "<p>{text}</p>"
"""


def make_widget(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text(WIDGET.format(text=text))
    view = f"// {text}\nexport function mount() {{ return () => {{}}; }}\n"
    (folder / "view.js").write_text(view)


def test_rebuild_in_one_process_sees_changed_widget_sources(tmp_path: Path) -> None:
    widgets = tmp_path / "widgets"
    make_widget(widgets / "note", "first version")
    config_file = write_project(
        tmp_path,
        {"index.md": "```{note}\n```\n", "plain.md": "# No widgets\n"},
        plugins=[
            {
                "lecture": {
                    "pyodide_dir": str(Path(__file__).parents[2] / "node_modules/pyodide"),
                    "widgets_dirs": [str(widgets)],
                }
            }
        ],
    )
    build(load_config(str(config_file)))
    site = tmp_path / "site"
    assert "first version" in (site / "index.html").read_text()

    make_widget(widgets / "note", "second version")
    (tmp_path / "docs/index.md").write_text("# Now without widgets\n")
    (tmp_path / "docs/plain.md").write_text("```{note}\n```\n")
    build(load_config(str(config_file)))
    assert "second version" in (site / "plain/index.html").read_text()
    assert "runtime.js" not in (site / "index.html").read_text()  # no state left over
    assert "second version" in (site / "assets/lecture/widgets/note/view.js").read_text()


def test_serve_watches_widget_and_runtime_sources(tmp_path: Path) -> None:
    widgets = tmp_path / "widgets"
    make_widget(widgets / "note", "x")
    config_file = write_project(
        tmp_path,
        {"index.md": "# Home\n"},
        plugins=[
            {
                "lecture": {
                    "pyodide_dir": str(Path(__file__).parents[2] / "node_modules/pyodide"),
                    "widgets_dirs": [str(widgets)],
                }
            }
        ],
    )
    config = load_config(str(config_file))
    config.plugins.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    watched = {Path(path).resolve() for path in server.watched}
    root = Path(__file__).parents[2]
    assert {root / "widgets", root / "plugin" / "assets", widgets.resolve()} <= watched

"""`mkdocs serve` rebuilds in one process: widget changes show, nothing leaks between builds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_lecture.bundle import ASSETS_DIR
from mkdocs_lecture.registry import BUILTIN_DIR
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
    assert {BUILTIN_DIR.resolve(), ASSETS_DIR.resolve(), widgets.resolve()} <= watched


def test_serve_reloads_live_by_default_with_the_installed_click(tmp_path: Path) -> None:
    """click 8.3 turned `mkdocs serve`'s live reload off (mkdocs#4032): the dependency
    range excludes it, so an author's `mkdocs serve` injects its reload script."""
    config_file = write_project(tmp_path, {"index.md": "# Home\n"}, plugins=[])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file)]
    server = subprocess.Popen(
        [*command, "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("mkdocs serve did not answer")
    finally:
        server.terminate()
        server.wait(10)
    assert "livereload" in page

"""`mkdocs build` with the plugin: errors an author sees, and what the site carries."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zstandard
from mkdocs_lecture.pyodide_pack import xor_initial_memory
from support import ROOT, build_errors, build_site, mkdocs_build, site_wheel, write_project

CORE = ROOT / "node_modules/pyodide"

PAGES = {
    "index.md": "# Home\n\nNo widgets here.\n",
    "cells.md": "# Cells\n\n```{python}\nprint('hi')\n```\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = write_project(tmp_path_factory.mktemp("course"), PAGES)
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    return config.parent / "site"


def test_runtime_only_on_pages_with_widgets(site: Path) -> None:
    assert "runtime.js" not in (site / "index.html").read_text()
    cells = (site / "cells" / "index.html").read_text()
    head, body = cells.split("</head>")
    script = 'src="../assets/lecture/runtime.js"></script>'
    assert f'<script type="module" async {script}' in head  # runs once its modules are in
    assert f'<script type="module" async {script}' in body  # run by instant navigation
    assert '<link rel="modulepreload" href="../assets/lecture/python.js">' in head
    assert '<link rel="modulepreload" href="../assets/lecture/widgets/python/view.js">' in head
    assert "widgets/tokenizer/view.js" not in head  # only the views the page uses
    assert '<link rel="stylesheet" href="../assets/lecture/lecture.css">' in cells


def test_site_carries_pyodide_core_only_packed(site: Path) -> None:
    names = sorted(path.name for path in (site / "assets/lecture/pyodide").iterdir())
    assert names == sorted(
        [
            "pyodide.mjs",
            "pyodide.asm.mjs",
            "pyodide.asm.wasm.zst",
            "python_stdlib.zip.zst",
            "pyodide-lock.json",
            "python-snapshot.zst",
        ]
    )
    packed = site / "assets/lecture/pyodide"
    wasm = zstandard.decompress((packed / "pyodide.asm.wasm.zst").read_bytes())
    assert wasm == (CORE / "pyodide.asm.wasm").read_bytes()
    stdlib = zstandard.decompress((packed / "python_stdlib.zip.zst").read_bytes())
    with (
        zipfile.ZipFile(CORE / "python_stdlib.zip") as original,
        zipfile.ZipFile(io.BytesIO(stdlib)) as stored,
    ):
        assert [entry.filename for entry in stored.infolist()] == original.namelist()
        assert {entry.compress_type for entry in stored.infolist()} == {zipfile.ZIP_STORED}
        assert stored.read("json/__init__.py") == original.read("json/__init__.py")


def test_the_site_lock_lists_only_the_packages_the_site_uses(site: Path) -> None:
    lock = json.loads((site / "assets/lecture/pyodide/pyodide-lock.json").read_text())
    pinned = json.loads((CORE / "pyodide-lock.json").read_text())
    assert lock == {"info": pinned["info"], "packages": {}}  # no cell imports a package


def test_snapshot_is_python_memory_without_the_build_machines_paths(site: Path) -> None:
    packed = (site / "assets/lecture/pyodide/python-snapshot.zst").read_bytes()
    snapshot = bytearray(zstandard.decompress(packed))
    xor_initial_memory(snapshot, (CORE / "pyodide.asm.wasm").read_bytes())  # undone
    assert len(snapshot) >= 30 * 2**20  # the whole WebAssembly memory of a started Python
    assert b"this.program" in snapshot  # sys.executable, as in a browser: no script path
    assert str(ROOT).encode() not in snapshot
    assert len(packed) < 3_000_000  # free memory zeroed, the module's own data XORed out


def test_built_without_snapshot_the_site_ships_none(tmp_path: Path) -> None:
    options = {"pyodide_dir": str(ROOT / "node_modules/pyodide"), "pyodide_snapshot": False}
    site = build_site(tmp_path, PAGES, plugins=[{"lecture": options}])
    assert not (site / "assets/lecture/pyodide/python-snapshot.zst").exists()
    config = read_config(site)
    assert config["pyodideSnapshot"] is None and config["pyodideSnapshotSize"] == 0


@pytest.mark.parametrize("asked", [None, True])
def test_without_node_the_snapshot_is_left_out_unless_asked_for(
    tmp_path: Path, asked: bool | None
) -> None:
    options = {"pyodide_dir": str(ROOT / "node_modules/pyodide"), "pyodide_snapshot": asked}
    config = write_project(tmp_path, PAGES, plugins=[{"lecture": options}])
    (tmp_path / "no-programs").mkdir()
    env = {"PATH": str(tmp_path / "no-programs"), "MKDOCS_LECTURE_CACHE": str(tmp_path / "c")}
    result = mkdocs_build(config, "--strict", env=env)
    if asked:
        assert result.returncode != 0
        assert "snapshot (`pyodide_snapshot: true`) cannot be made: Node.js is not on PATH" in (
            result.stderr
        )
    else:
        assert result.returncode == 0, result.stderr
        assert "built without the Python start-up snapshot" in result.stderr
        assert read_config(tmp_path / "site")["pyodideSnapshot"] is None


def read_config(site: Path) -> dict:
    text = (site / "assets/lecture/config.js").read_text()
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def test_config_names_the_files_with_sizes(site: Path) -> None:
    config = read_config(site)
    assert config["pyodideIndexURL"] == "pyodide/"
    for name, size in config["pyodideFiles"].items():
        assert (site / "assets/lecture/pyodide" / name).stat().st_size == size
    assert config["pyodidePacked"]["pyodide.asm.wasm"] == "pyodide.asm.wasm.zst"
    snapshot = site / "assets/lecture" / config["pyodideSnapshot"]
    assert snapshot.stat().st_size == config["pyodideSnapshotSize"]
    wheel = site / "assets/lecture" / config["wheel"].split("?")[0]
    assert wheel.stat().st_size == config["wheelSize"]


def test_wheel_installs_and_runs(site: Path, tmp_path: Path) -> None:
    with site_wheel(site) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    assert "lecture_widgets/python/__init__.py" in names
    assert not [name for name in names if name.endswith((".js", ".css"))]
    payload = json.dumps({"code": "6*7", "namespace": "t"})
    code = f"from lecture_widgets.rpc import call; print(call('python.run', {payload!r}))"
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert json.loads(result.stdout) == {"ok": True, "value": "42"}


def test_strict_build_fails_with_page_line_and_valid_choices(tmp_path: Path) -> None:
    pages = {
        "index.md": "---\ntitle: Lesson\n---\n\n# Lesson\n\n"
        "```{python}\n---\nisolat: true\n---\nx = 1\n```\n"
    }
    errors = build_errors(tmp_path, pages)
    assert re.search(
        r"docs/index\.md:9: widget '\{python\}': unknown option 'isolat'\. "
        r"Valid options: code, id, isolate",
        errors,
    ), errors


def test_unknown_widget_fails_the_strict_build(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {"index.md": "```{pyton}\nx\n```\n"})
    assert "docs/index.md:1: unknown widget '{pyton}'. Valid widgets:" in errors


def test_cdn_pyodide_is_not_copied(tmp_path: Path) -> None:
    url = "https://cdn.example.org/pyodide/v314.0.7/full/"
    site = build_site(tmp_path, PAGES, plugins=[{"lecture": {"pyodide": url}}])
    assert not (site / "assets/lecture/pyodide").exists()
    assert read_config(site)["pyodideIndexURL"] == url
    assert read_config(site)["pyodideSnapshot"] is None  # only with a self-hosted Pyodide


def test_bad_pyodide_setting_is_explained(tmp_path: Path) -> None:
    config = write_project(tmp_path, PAGES, plugins=[{"lecture": {"pyodide": "jsdelivr"}}])
    result = mkdocs_build(config)
    assert result.returncode != 0 and "use 'self-hosted' or an https:// base URL" in result.stderr


def test_author_widget_from_widgets_dirs(tmp_path: Path) -> None:
    widget = tmp_path / "my_widgets" / "greeting"
    widget.mkdir(parents=True)
    (widget / "__init__.py").write_text(
        "OPTIONS = {'type': 'object',\n"
        "           'properties': {'name': {'type': 'string', 'default': 'you'}}}\n"
        "CALLS = ('hello',)\n"
        "def render_static(options):\n    return '<p>Hello</p>'\n"
    )
    (widget / "calls.py").write_text("def hello(name):\n    return f'Hello, {name}!'\n")
    (widget / "view.js").write_text("export function mount() { return () => {}; }\n")
    pages = {"index.md": "```{greeting}\nname: Ada\n```\n"}
    site = build_site(
        tmp_path,
        pages,
        plugins=[
            {
                "lecture": {
                    "pyodide_dir": str(Path(__file__).parents[2] / "node_modules/pyodide"),
                    "widgets_dirs": [str(tmp_path / "my_widgets")],
                }
            }
        ],
    )
    assert (site / "assets/lecture/widgets/greeting/view.js").exists()
    assert "lecture_widgets/greeting/__init__.py" in site_wheel(site).namelist()
    assert 'data-lecture-widget="greeting"' in (site / "index.html").read_text()


def test_a_site_without_widgets_fetches_and_ships_nothing(tmp_path: Path) -> None:
    options = {
        "pyodide_dir": str(tmp_path / "absent"),
        "pyodide_download_url": "http://127.0.0.1:9/",
    }
    config = write_project(tmp_path, {"index.md": "# Plain\n"}, plugins=[{"lecture": options}])
    env = {"MKDOCS_LECTURE_CACHE": str(tmp_path / "cache"), "npm_config_offline": "true"}
    result = mkdocs_build(config, "--strict", env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site/assets/lecture").exists()
    assert not (tmp_path / "cache").exists()


def test_a_snapshot_that_cannot_be_kept_is_left_out_by_default(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    config = write_project(tmp_path, PAGES)  # the npm project's Pyodide; nothing to fetch
    result = mkdocs_build(
        config, "--strict", env={"MKDOCS_LECTURE_CACHE": str(tmp_path / "file/c")}
    )
    assert result.returncode == 0, result.stderr
    assert "built without the Python start-up snapshot (it could not be kept in" in result.stderr
    assert read_config(tmp_path / "site")["pyodideSnapshot"] is None

"""The `offline` option: the service worker the build writes at the site's root (its
behaviour in a browser: tests/browser/test_offline.py)."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

from mkdocs_lecture.offline import (
    SCRIPT,
    TEMPLATES,
    build_id,
    runtime_files,
    write_service_worker,
)
from mkdocs_lecture.plugin import LectureConfig
from support import ROOT, build_errors, build_site, build_site_like_zensical

PAGES = {
    "index.md": "# Home\n\nNo widgets here.\n",
    "cells.md": "# Cells\n\n```{python}\nprint('hi')\n```\n",
}
OPTIONS = {"pyodide_dir": str(ROOT / "node_modules/pyodide"), "pyodide_snapshot": False}
BUILD = re.compile(r'^const BUILD = "([0-9a-f]{16})";$', re.MULTILINE)
FILES = re.compile(r"^const RUNTIME_FILES = (\[.*?\]);", re.MULTILINE | re.DOTALL)


def build(folder: Path, pages: dict[str, str] = PAGES, **options: object) -> Path:
    return build_site(folder, pages, plugins=[{"lecture": {**OPTIONS, **options}}])


def read_config(site: Path) -> dict:
    text = (site / "assets/lecture/config.js").read_text()
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def build_of(script: str) -> str:
    match = BUILD.search(script)
    assert match, script[:500]
    return match[1]


def test_offline_is_a_boolean_off_by_default() -> None:
    config = LectureConfig()
    config.load_dict({})
    assert config.validate() == ([], []) and config.offline is False
    config = LectureConfig()
    config.load_dict({"offline": "yes"})
    failed, _ = config.validate()
    assert [name for name, _ in failed] == ["offline"]


def test_offline_site_has_the_caching_worker_at_its_root(tmp_path: Path) -> None:
    site = build(tmp_path, offline=True)
    script = (site / SCRIPT).read_text()
    template = (TEMPLATES / "offline.js").read_text()
    assert build_of(script) == build_id(site / "assets/lecture", template)
    assert 'addEventListener("fetch"' in script and "skipWaiting" in script
    # The runtime finds it from assets/lecture/, whatever the page's depth.
    where = read_config(site)["offline"]
    assert posixpath.normpath(posixpath.join("assets/lecture", where)) == SCRIPT
    assert (site / "assets/lecture/offline.js").is_file()
    # What it keeps as it installs: the runtime as the runtime asks for it.
    files = json.loads(FILES.search(script)[1])
    wheel = read_config(site)["wheel"]
    assert {
        "assets/lecture/worker.js",
        "assets/lecture/config.js",
        f"assets/lecture/{wheel}",
    } <= set(files)
    assert all((site / file.partition("?")[0]).is_file() for file in files), files
    assert len(files) == len([p for p in (site / "assets/lecture").rglob("*") if p.is_file()])
    # No page carries an inline script or a tag for it: the runtime registers it.
    cells = (site / "cells/index.html").read_text()
    assert "lecture-offline" not in cells and "offline.js" not in cells


def test_the_build_id_follows_the_runtime_and_nothing_else(tmp_path: Path) -> None:
    site = build(tmp_path / "a", offline=True)
    first = (site / SCRIPT).read_text()
    same = build(tmp_path / "b", offline=True)
    assert (same / SCRIPT).read_text() == first  # a build of the same sources: the same
    edited = dict(PAGES, **{"index.md": "# Home\n\nEdited.\n"})
    content = build(tmp_path / "c", edited, offline=True)
    assert (content / SCRIPT).read_text() == first  # pages are fetched network-first
    runtime = site / "assets/lecture/runtime.js"
    runtime.write_text(runtime.read_text() + "\n// changed\n")
    write_service_worker(site, offline=True)
    changed = (site / SCRIPT).read_text()
    assert build_of(changed) != build_of(first)
    assert BUILD.sub("", changed) == BUILD.sub("", first)  # only the build id differs


def test_the_snapshot_and_packages_are_not_kept_at_install(tmp_path: Path) -> None:
    """(A device that saves data never fetches the snapshot; the page reports it when it is
    used. A package is kept once a cell loads it: a reader who only reads fetches none.)"""
    package = "pyodide/six-1.17.0-py2.py3-none-any.whl"
    for name in (
        "runtime.js",
        "pyodide/pyodide.mjs",
        "pyodide/python-snapshot.zst",
        "w.whl",
        package,
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    config = {"pyodideSnapshot": "pyodide/python-snapshot.zst", "wheel": "w.whl?v=1"}
    (tmp_path / "config.js").write_text(f"// x\nexport default {json.dumps(config)};\n")
    assert runtime_files(tmp_path) == [
        "config.js",
        "pyodide/pyodide.mjs",
        "runtime.js",
        "w.whl?v=1",
    ]


def test_without_offline_the_script_releases_earlier_workers(tmp_path: Path) -> None:
    site = build(tmp_path)
    script = (site / SCRIPT).read_text()
    assert script == (TEMPLATES / "release.js").read_text()
    assert "registration.unregister()" in script and "caches.delete" in script
    assert '"fetch"' not in script  # it handles no request
    assert read_config(site)["offline"] is None


def test_a_site_without_widgets_gets_no_service_worker(tmp_path: Path) -> None:
    site = build(tmp_path, {"index.md": "# Home\n"}, offline=True)
    assert not (site / SCRIPT).exists()
    assert not (site / "assets").exists()


def test_offline_with_pyodide_from_a_cdn_is_a_warning(tmp_path: Path) -> None:
    cdn = "https://cdn.example.org/pyodide/v314.0.7/full/"
    errors = build_errors(tmp_path, PAGES, plugins=[{"lecture": {"pyodide": cdn, "offline": True}}])
    assert "offline: Pyodide comes from https://cdn.example.org/" in errors, errors


def test_bundle_writes_the_service_worker_as_the_plugin_does(tmp_path: Path) -> None:
    site = build_site_like_zensical(tmp_path, PAGES)
    config = tmp_path / "mkdocs.yml"
    options = "".join(f"      {name}: {value}\n" for name, value in OPTIONS.items())
    config.write_text(f"site_name: t\nplugins:\n  - lecture:\n{options}      offline: true\n")
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "bundle", str(site), "-f", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert build_of((site / SCRIPT).read_text())
    assert read_config(site)["offline"] == f"../../{SCRIPT}"

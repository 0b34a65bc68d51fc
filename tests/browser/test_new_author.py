"""A new author's path, outside this checkout: build the package, install the wheel in a
fresh venv, `mkdocs-lecture new`, `mkdocs build --strict`, `mkdocs-lecture check`, edit a
cell in Chromium.

The package is built with `python -m build` (sdist, then the wheel from the sdist) with
no Node on PATH. Installing it resolves its dependencies from the package index, as an
author's `pip install` does (pip's cache makes repeats quick); everything the built sites
fetch comes from 127.0.0.1: Pyodide from npm's cache (`npm pack`, offline) or from a
local server standing in for the CDN.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs_lecture.check import serve
from mkdocs_lecture.pyodide_pack import SITE_FILES
from playwright.sync_api import Page, expect
from site_server import ROOT

pytestmark = pytest.mark.browser
EDITOR = "mkdocs_lecture/assets/vendor/codemirror.js"


def run(*command: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def programs(folder: Path, *names: str) -> str:
    """A folder holding only the named programs of this machine, for PATH."""
    folder.mkdir(exist_ok=True)
    for name in names:
        if found := shutil.which(name):
            (folder / name).symlink_to(found)
    return str(folder)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    no_node = programs(out / "bin", "git")
    env = {**os.environ, "PATH": no_node}
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, env=env)
    return out


@pytest.fixture(scope="module")
def author(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel (with its `check` extra) and nothing else."""
    venv = tmp_path_factory.mktemp("author") / "venv"
    run(sys.executable, "-m", "venv", venv)
    [wheel] = dist.glob("*.whl")
    run(venv / "bin/pip", "install", "-q", f"{wheel}[check]")
    return venv / "bin"


def new_course(author: Path, folder: Path) -> Path:
    run(author / "mkdocs-lecture", "new", "course", cwd=folder)
    course = folder / "course"
    assert not [p for p in [course, *course.parents] if (p / "package.json").exists()]
    return course


def test_sdist_and_wheel_carry_the_editor_and_the_license(dist: Path) -> None:
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    editor = (ROOT / "plugin/assets/vendor/codemirror.js").read_bytes()
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        assert any(name.endswith("plugin/assets/vendor/codemirror.js") for name in names)
        assert any(name.endswith("/LICENSE") for name in names)
        assert not [name for name in names if "node_modules" in name or "/tests/" in name]
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(EDITOR) == editor  # built from the sdist, without Node
        names = archive.namelist()
        assert "mkdocs_lecture/starter/_github/workflows/pages.yml" in names
        assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_npm_path_self_hosted_site_passes_check(author: Path, tmp_path: Path) -> None:
    course = new_course(author, tmp_path)
    env = {
        **os.environ,
        "PATH": f"{author}{os.pathsep}{os.environ['PATH']}",
        "MKDOCS_LECTURE_CACHE": str(tmp_path / "cache"),
        "npm_config_offline": "true",  # Pyodide from npm's cache, as `npm ci` left it
        "NO_MKDOCS_2_WARNING": "1",
    }
    built = run(author / "mkdocs", "build", "--strict", cwd=course, env=env)
    assert "fetching Pyodide 314.0.7 (13.5 MB), once" in built.stderr
    pyodide = course / "site/assets/lecture/pyodide"
    assert {path.name for path in pyodide.iterdir()} == {*SITE_FILES, "python-snapshot.zst"}
    assert "http" not in (course / "site/assets/lecture/config.js").read_text()
    checked = run(author / "mkdocs-lecture", "check", "site", cwd=course, env=env)
    assert "6 of 6 widgets passed on 1 pages" in checked.stdout


@pytest.fixture(scope="module")
def cdn() -> Iterator[str]:
    """A local server standing in for Pyodide's CDN: the release's five files."""
    with serve(ROOT / "node_modules/pyodide") as url:
        yield url


@pytest.fixture(scope="module")
def no_node_site(author: Path, cdn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("no-node")
    course = new_course(author, folder)
    config = course / "mkdocs.yml"
    plugin = "  - lecture  # live Python widgets; Pyodide is served by the site itself"
    assert plugin in config.read_text()
    options = f"  - lecture:\n      pyodide_download_url: {cdn}"
    config.write_text(config.read_text().replace(plugin, options))
    path = f"{author}{os.pathsep}{programs(folder / 'bin', 'chromium')}"
    env = {"PATH": path, "MKDOCS_LECTURE_CACHE": str(folder / "cache"), "HOME": str(folder)}
    built = run(author / "mkdocs", "build", "--strict", cwd=course, env=env)
    assert "fetching Pyodide 314.0.7 (13.5 MB), once" in built.stderr
    assert "built without the Python start-up snapshot (Node.js is not on PATH:" in built.stderr
    checked = run(author / "mkdocs-lecture", "check", "site", cwd=course, env=env)
    assert "6 of 6 widgets passed on 1 pages" in checked.stdout
    return course / "site"


def test_without_node_the_downloaded_core_passes_check(no_node_site: Path) -> None:
    pyodide = no_node_site / "assets/lecture/pyodide"
    assert {path.name for path in pyodide.iterdir()} == SITE_FILES


def test_the_editor_loads_in_a_course_built_from_the_wheel(no_node_site: Path, page: Page) -> None:
    with serve(no_node_site) as url:
        page.goto(url)
        cell = page.locator("[data-lecture-widget=python]")
        expect(cell.locator("[data-action=run]")).to_be_visible()
        cell.locator(".lecture-widget__static").press("Enter")  # the editor loads
        expect(cell.locator(".cm-content")).to_be_focused()
        page.keyboard.press("Control+a")
        page.keyboard.type("print('edited', 6 * 7)")
        page.keyboard.press("Control+Enter")
        expect(cell.locator("[data-role=output]")).to_have_text("edited 42")

"""The self-hosted Pyodide core without an npm project: fetched once, checked, kept.

The download is tested against a server on 127.0.0.1 serving the real files (standing in
for the CDN); `npm pack` is run offline, from the npm cache the project's `npm ci` filled.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs_lecture.check import serve
from mkdocs_lecture.pyodide_core import FILES, PYODIDE_VERSION, PyodideError, pyodide_core
from mkdocs_lecture.pyodide_pack import SITE_FILES
from support import ROOT, mkdocs_build, write_project

NPM_PACKAGE = ROOT / "node_modules" / "pyodide"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MKDOCS_LECTURE_CACHE", str(folder))
    return folder


@pytest.fixture
def no_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH without npm or Node (but with the programs a build runs otherwise)."""
    (tmp_path / "no-programs").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))


def core_files(folder: Path, tamper: str | None = None) -> Path:
    """A copy of the release's full/ folder (the five files), one of them altered."""
    folder.mkdir(parents=True)
    for name in FILES:
        shutil.copy(NPM_PACKAGE / name, folder / name)
    if tamper:
        with (folder / tamper).open("r+b") as file:
            file.seek(1000)
            file.write(b"!")
    return folder


@pytest.mark.usefixtures("no_npm")
def test_download_checks_and_keeps_one_copy(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with serve(core_files(tmp_path / "cdn")) as url, caplog.at_level(logging.INFO):
        core = pyodide_core(tmp_path / "node_modules/pyodide", url)
        assert pyodide_core(tmp_path / "elsewhere", url + "gone/") == core  # kept, not fetched
    assert core == cache / f"pyodide-{PYODIDE_VERSION}"
    assert sorted(path.name for path in core.iterdir()) == sorted(FILES)
    [line] = [r.getMessage() for r in caplog.records if "fetching Pyodide" in r.getMessage()]
    assert line == f"lecture: fetching Pyodide {PYODIDE_VERSION} (13.5 MB), once, into '{core}'"


@pytest.mark.usefixtures("no_npm")
def test_a_tampered_file_is_refused_and_nothing_is_kept(tmp_path: Path, cache: Path) -> None:
    cdn = core_files(tmp_path / "cdn", tamper="pyodide.asm.wasm")
    with serve(cdn) as url, pytest.raises(PyodideError) as caught:
        pyodide_core(tmp_path / "node_modules/pyodide", url)
    assert "pyodide.asm.wasm does not match the SHA-256 pinned by mkdocs-lecture" in str(
        caught.value
    )
    assert not (cache / f"pyodide-{PYODIDE_VERSION}").exists()
    assert not [path for path in cache.iterdir() if path.name.startswith(".fetching")]


@pytest.mark.usefixtures("no_npm")
def test_a_cached_copy_that_was_altered_is_fetched_again(tmp_path: Path, cache: Path) -> None:
    with serve(core_files(tmp_path / "cdn")) as url:
        core = pyodide_core(tmp_path / "none", url)
        (core / "python_stdlib.zip").write_bytes(b"broken")
        assert pyodide_core(tmp_path / "none", url) == core
    assert (core / "python_stdlib.zip").stat().st_size > 2_000_000


@pytest.mark.skipif(not shutil.which("npm"), reason="npm is not installed")
def test_npm_pack_from_npms_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("npm_config_offline", "true")  # the cache `npm ci` filled; no network
    core = pyodide_core(tmp_path / "node_modules/pyodide", "http://127.0.0.1:9/")
    assert core == cache / f"pyodide-{PYODIDE_VERSION}"
    assert (core / "pyodide.asm.wasm").read_bytes() == (
        NPM_PACKAGE / "pyodide.asm.wasm"
    ).read_bytes()


def test_offline_with_an_empty_cache_names_both_ways_out(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "empty-npm-cache"))
    with pytest.raises(PyodideError) as caught:
        pyodide_core(tmp_path / "node_modules/pyodide", "http://127.0.0.1:9/")
    message = str(caught.value)
    assert f"Pyodide {PYODIDE_VERSION} is needed for a self-hosted site" in message
    if shutil.which("npm"):
        assert f"npm pack pyodide@{PYODIDE_VERSION} failed" in message
    assert "download of http://127.0.0.1:9/pyodide.mjs failed" in message
    assert "npm's registry" in message and "`pyodide_download_url`" in message


def test_an_npm_project_keeps_its_own_copy(tmp_path: Path, cache: Path) -> None:
    assert pyodide_core(NPM_PACKAGE) == NPM_PACKAGE
    assert not cache.exists()


def test_build_without_npm_or_node_downloads_the_core_and_skips_the_snapshot(
    tmp_path: Path, cache: Path
) -> None:
    pages = {"index.md": "```{python}\nprint(1)\n```\n"}
    with serve(core_files(tmp_path / "cdn")) as url:
        options = {"pyodide_dir": str(tmp_path / "absent"), "pyodide_download_url": url}
        config = write_project(tmp_path / "course", pages, plugins=[{"lecture": options}])
        (tmp_path / "no-programs").mkdir()
        result = mkdocs_build(config, "--strict", env={"PATH": str(tmp_path / "no-programs")})
    assert result.returncode == 0, result.stderr
    assert "fetching Pyodide 314.0.7 (13.5 MB), once" in result.stderr
    assert "built without the Python start-up snapshot (Node.js is not on PATH:" in result.stderr
    site = tmp_path / "course/site/assets/lecture/pyodide"
    assert {path.name for path in site.iterdir()} == SITE_FILES


@pytest.mark.skipif(not shutil.which("npm"), reason="npm is not installed")
def test_when_npm_fails_the_download_is_tried(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "empty-npm-cache"))  # npm fails
    with serve(core_files(tmp_path / "cdn")) as url:
        assert pyodide_core(tmp_path / "none", url) == cache / f"pyodide-{PYODIDE_VERSION}"


@pytest.mark.usefixtures("no_npm")
def test_a_cache_that_cannot_be_written_says_how_to_move_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("MKDOCS_LECTURE_CACHE", str(tmp_path / "file" / "cache"))
    with pytest.raises(PyodideError) as caught:
        pyodide_core(tmp_path / "none", "http://127.0.0.1:9/")
    assert "set the environment variable MKDOCS_LECTURE_CACHE" in str(caught.value)


@pytest.mark.usefixtures("no_npm")
def test_another_version_in_pyodide_dir_gives_way_to_the_pinned_one(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide/package.json").write_text('{"name": "pyodide", "version": "0.26.4"}')
    with serve(core_files(tmp_path / "cdn")) as url, caplog.at_level(logging.INFO):
        core = pyodide_core(tmp_path / "pyodide", url)
    assert core == cache / f"pyodide-{PYODIDE_VERSION}"
    assert "holds Pyodide 0.26.4, and this plugin runs 314.0.7: using its own copy" in caplog.text

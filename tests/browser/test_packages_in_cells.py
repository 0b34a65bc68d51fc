"""Packages in cells, in Chromium: a PyPI wheel the build shipped, a Pyodide package from
a server standing in for Pyodide's CDN, the progress bar, and a package that cannot be
loaded. Every request outside 127.0.0.1 is blocked (conftest.py).

What this cannot show: numpy's and matplotlib's WebAssembly wheels, which cannot be
downloaded on these machines. six, a pure-Python wheel, stands in for a Pyodide package.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from site_server import QuietHandler, serve
from support import ROOT, WHEELS, build_site, package_index

pytestmark = pytest.mark.browser
CORE = ROOT / "node_modules/pyodide"
PINNED = json.loads((CORE / "pyodide-lock.json").read_text())
SIX = "six-1.17.0-py2.py3-none-any.whl"
MARKDOWN_IT = "markdown_it_py-4.3.0-py3-none-any.whl"
THEME = {"name": "material", "font": False}
PAGES = {
    "index.md": "# Packages\n",
    "render.md": (
        "---\npackages: [markdown-it-py]\n---\n# Render\n\n"
        "```{python}\nimport markdown_it\n"
        "print(markdown_it.MarkdownIt().render('# hi').strip())\n```\n"
    ),
    "six.md": "# Six\n\n```{python}\nimport six\nprint('six', six.__version__, six.PY3)\n```\n",
}
# The status line's texts, as they change (the progress bar shows only while loading).
STATUS = """
window.__status = [];
new MutationObserver(() => {
  for (const status of document.querySelectorAll("[data-role=status] span"))
    if (status.textContent && window.__status.at(-1) !== status.textContent)
      window.__status.push(status.textContent);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


class CdnHandler(QuietHandler):
    """Pyodide's CDN answers cross-origin fetches (the lock's integrity check needs CORS)."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@pytest.fixture(scope="module")
def cdn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server standing in for Pyodide's CDN: its full distribution's six."""
    folder = tmp_path_factory.mktemp("cdn")
    shutil.copy(WHEELS / SIX, folder / PINNED["packages"]["six"]["file_name"])
    served = serve(folder, CdnHandler)
    yield served.url
    served.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cdn: str) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("packages")
    options = {"pyodide_dir": str(CORE), "pyodide_packages_url": cdn}
    with package_index(folder, own_cache=False) as env:
        yield build_site(folder, PAGES, plugins=[{"lecture": options}], theme=THEME, env=env)


@pytest.fixture(scope="module")
def self_contained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose Pyodide packages come from a full distribution folder (a stand-in: its
    lock, with six's own digest, and six) and are served by the site itself."""
    folder = tmp_path_factory.mktemp("self-contained")
    distribution = folder / "pyodide-full"
    distribution.mkdir()
    shutil.copy(WHEELS / SIX, distribution / SIX)
    digest = hashlib.sha256((WHEELS / SIX).read_bytes()).hexdigest()
    # Named as Pyodide names it, which its lock's key need not be (pillow: Pillow).
    six = {**PINNED["packages"]["six"], "name": "Six", "file_name": SIX, "sha256": digest}
    lock = {"info": PINNED["info"], "packages": {"six": six}}
    (distribution / "pyodide-lock.json").write_text(json.dumps(lock))
    options = {
        "pyodide_dir": str(CORE),
        "pyodide_packages_dir": str(distribution),
        "packages_from_cdn": False,
    }
    pages = {name: PAGES[name] for name in ("index.md", "six.md")}  # (no PyPI package)
    return build_site(folder, pages, plugins=[{"lecture": options}], theme=THEME)


@contextlib.contextmanager
def cell_run(page: Page, site: Path, path: str) -> Iterator[tuple[str, Locator]]:
    """The site served; its page at `path` opened and its cell run: the site's URL and
    the cell's output."""
    served = serve(site)
    try:
        page.add_init_script(STATUS)
        page.goto(served.url + path)
        page.locator("[data-lecture-widget=python] [data-action=run]").click()
        yield served.url, page.locator("[data-lecture-widget=python] [data-role=output]")
    finally:
        served.close()


def test_a_pypi_wheel_the_build_shipped_runs_offline_with_its_progress(
    page: Page, site: Path, watch
) -> None:
    with cell_run(page, site, "render/") as (url, output):
        expect(output).to_have_text("<h1>hi</h1>")
        fetched = [url for url in watch.requests if url.endswith(".whl")]
        assert sorted(Path(url).name for url in fetched) == [
            MARKDOWN_IT,
            "mdurl-0.1.2-py3-none-any.whl",
        ]
        assert all(wheel.startswith(url + "assets/lecture/pyodide/") for wheel in fetched)
        status = page.evaluate("window.__status")
        assert any(text.startswith("Loading markdown-it-py…") for text in status), status


def test_a_pyodide_package_comes_from_its_cdn(
    page: Page, site: Path, cdn: str, tmp_path: Path, watch
) -> None:
    lock_file = site / "assets/lecture/pyodide/pyodide-lock.json"
    lock = json.loads(lock_file.read_text())
    assert lock["packages"]["six"]["file_name"] == cdn + PINNED["packages"]["six"]["file_name"]
    assert lock["packages"]["six"]["sha256"] == PINNED["packages"]["six"]["sha256"]
    # The stand-in serves PyPI's six, not Pyodide's own build of it (which cannot be
    # downloaded here): its digest goes in a copy of the site's lock, so that the fetch,
    # its integrity check, the install and the import are real.
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    lock["packages"]["six"]["sha256"] = hashlib.sha256((WHEELS / SIX).read_bytes()).hexdigest()
    (copy / lock_file.relative_to(site)).write_text(json.dumps(lock))
    with cell_run(page, copy, "six/") as (_, output):
        expect(output).to_have_text("six 1.17.0 True")
        assert cdn + PINNED["packages"]["six"]["file_name"] in watch.requests


def test_a_pyodide_package_from_a_distribution_folder_is_loaded_from_the_site(
    page: Page, self_contained: Path, watch
) -> None:
    with cell_run(page, self_contained, "six/") as (url, output):
        expect(output).to_have_text("six 1.17.0 True")
        assert url + "assets/lecture/pyodide/" + SIX in watch.requests


def test_check_loads_each_widgets_packages(self_contained: Path) -> None:
    """`mkdocs-lecture check` calls each widget as the reader would: packages first."""
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "check", str(self_contained)]
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "PASS  six/index.html" in checked.stdout, checked.stdout


def test_a_package_that_cannot_be_loaded_is_named_in_the_cell(
    page: Page, site: Path, tmp_path: Path, watch
) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "assets/lecture/pyodide" / MARKDOWN_IT).unlink()
    watch.expect_error("404")
    with cell_run(page, broken, "render/") as (_, output):
        expect(output).to_contain_text("The package markdown-it-py could not be loaded")
        expect(page.locator("[data-lecture-widget=python]")).to_have_attribute(
            "data-state", "ready"
        )

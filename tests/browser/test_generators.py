"""Where authors are going: the course under ProperDocs, and a site whose generator runs
only the Markdown extension (as Zensical does) made alive by `mkdocs-lecture bundle`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_server import ROOT, build_and_serve, serve
from support import build_site_like_zensical

pytestmark = pytest.mark.browser


def run_first_cell(page: Page, url: str, output: str) -> None:
    page.goto(url)
    cell = page.locator("[data-lecture-widget=python]").first
    expect(cell).to_have_attribute("data-state", "ready")
    cell.locator("[data-action=run]").click()
    expect(cell.locator("[data-role=output]")).to_contain_text(output)


def test_the_course_under_properdocs(page: Page, tmp_path: Path) -> None:
    site = build_and_serve(ROOT / "mkdocs.yml", tmp_path / "site", {}, builder="properdocs")
    try:
        assert (site.directory / "assets/lecture/pyodide/python-snapshot.zst").exists()
        run_first_cell(page, site.url + "lecture/05-model-limitations/", "3 r's")
    finally:
        site.close()


def test_an_extension_only_site_comes_alive_after_bundle(page: Page, tmp_path: Path) -> None:
    pages = {
        "index.md": "# Home\n\n[Lesson](lesson/cells.md)\n",
        "lesson/cells.md": "---\ntitle: Cells\n---\n\n# Cells\n\n```{python}\nprint(6 * 7)\n```\n",
    }
    site = build_site_like_zensical(tmp_path, pages)
    config = tmp_path / "mkdocs.yml"
    pyodide = ROOT / "node_modules/pyodide"
    config.write_text(f"site_name: t\nplugins:\n  - lecture:\n      pyodide_dir: {pyodide}\n")
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "bundle", str(site), "-f", str(config)]
    subprocess.run(command, check=True, capture_output=True)
    served = serve(site)
    try:
        run_first_cell(page, served.url + "lesson/cells/", "42")
    finally:
        served.close()

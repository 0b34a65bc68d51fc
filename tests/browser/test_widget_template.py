"""The widget template (`mkdocs-lecture new-widget`): it keeps the contract, builds
strictly, passes its own smoke test in `mkdocs-lecture check`, and answers the reader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_server import serve
from support import ROOT, build_site, site_wheel

pytestmark = pytest.mark.browser
PYODIDE = ROOT / "node_modules/pyodide"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs_lecture.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    assert cli("new-widget", "flip", cwd=folder).returncode == 0
    page = "# Flip\n\n```{flip}\ntext: the cat sat\n```\n"
    options = {"widgets_dirs": [str(folder / "widgets")], "pyodide_dir": str(PYODIDE)}
    theme = {"name": "material", "font": False}  # (its default font is a third party's)
    return build_site(folder, {"index.md": page}, plugins=[{"lecture": options}], theme=theme)


def test_the_template_keeps_the_contract(site: Path) -> None:
    html = (site / "index.html").read_text()
    assert "the cat sat → sat cat the" in html  # its static view
    names = site_wheel(site).namelist()
    assert "lecture_widgets/flip/calls.py" in names
    assert "lecture_widgets/flip/static.py" not in names  # build time only
    config = (site / "assets/lecture/config.js").read_text()
    assert json.loads(config[config.index("{") : config.rindex("}") + 1])["widgets"]["flip"] == {
        "max_text": 500
    }


def test_the_template_passes_check_and_answers(site: Path, page: Page) -> None:
    checked = cli("check", str(site), cwd=site.parent)
    assert "PASS  index.html  #flip-" in checked.stdout, checked.stdout + checked.stderr
    served = serve(site)
    try:
        page.goto(served.url)
        root = page.locator("[data-lecture-widget=flip]")
        expect(root.locator("[data-role=output]")).to_have_text("sat cat the")
        root.locator("input").fill("one two three")
        expect(root.locator("[data-role=output]")).to_have_text("three two one")
    finally:
        served.close()

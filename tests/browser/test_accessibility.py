"""axe-core on every page of the course, light and dark: no serious or critical violation
(widgets ready and brought into view first)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from site_server import ROOT, build_and_serve

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory):
    site = build_and_serve(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("a11y"), {})
    yield site
    site.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(" ")}`)"""
    )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_serious_violations(browser: Browser, course, scheme) -> None:
    if not AXE.exists():
        pytest.skip("needs the npm packages (./course test installs them)")
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems = {}
    paths = sorted(
        index.parent.relative_to(course.directory).as_posix().strip(".") + "/"
        for index in course.directory.rglob("index.html")
    )
    for path in paths:
        page.goto(course.url + path.lstrip("/"))
        for root in page.locator("[data-lecture-widget]").all():
            root.scroll_into_view_if_needed()
            expect(root).to_have_attribute("data-state", "ready")
            for summary in root.locator(".lecture-finetune__summary").all():  # the lab's table
                expect(summary).not_to_be_empty()
        if found := violations(page):
            problems[path] = found
    context.close()
    for path, found in problems.items():
        print(path, *found, sep="\n  ")
    assert not problems

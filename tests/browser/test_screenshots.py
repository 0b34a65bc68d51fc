"""Each widget of the course, on a desktop and on a phone (375 x 667): usable, no sideways
scrolling, and a screenshot. The README's pictures (docs/screenshots/) are rewritten only
when asked: `UPDATE_SCREENSHOTS=1 ./course test tests/browser/test_screenshots.py`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from site_server import ROOT, build_and_serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return ROOT / "docs" / "screenshots"
    return tmp_path_factory.mktemp("screenshots")


VIEWPORTS = {"desktop": {"width": 1100, "height": 900}, "mobile": {"width": 375, "height": 667}}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory):
    site = build_and_serve(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("shots"), {})
    yield site
    site.close()


def first_widgets(site_dir) -> dict[str, str]:
    """Widget name → the page (URL path) of its first use in the course."""
    found: dict[str, str] = {}
    for page in sorted(site_dir.rglob("index.html")):
        text = page.read_text()
        for name in ("python", "labeling", "tokenizer", "chat", "finetune"):
            if f'data-lecture-widget="{name}"' in text and name not in found:
                found[name] = page.parent.relative_to(site_dir).as_posix().strip(".") + "/"
    return found


def demo(page: Page, name: str, root) -> None:
    """Put the widget in a state worth a picture."""
    if name == "python":
        root.locator("[data-action=run]").click()
        expect(root.locator("[data-role=output]")).to_be_visible()
    elif name == "labeling":
        sentence = root.locator("[data-role=sentence]")
        expect(sentence).to_be_visible()
        sentence.focus()
        for n in range(1, 9):
            page.keyboard.press("2" if n % 3 else "1")
            expect(root.locator("circle[data-point]")).to_have_count(n)
    elif name == "finetune":  # trained (Train again enabled): curves and both columns
        root.locator("[data-action=train]").click()
        expect(root.locator("[data-action=stop]")).to_be_enabled()
        expect(root.locator("[data-action=train]")).to_be_enabled(timeout=120_000)
        expect(root.locator(".lecture-finetune__summary")).not_to_contain_text("(step 0)")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_widget_fits_and_is_pictured(
    browser: Browser, course, shots: Path, viewport: str
) -> None:
    pages = first_widgets(course.directory)
    assert {"python", "labeling"} <= set(pages)
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme="light")
    page = context.new_page()
    for name, path in pages.items():
        page.goto(course.url + path.lstrip("/"))
        root = page.locator(f"[data-lecture-widget={name}]").first
        root.scroll_into_view_if_needed()
        expect(root).to_have_attribute("data-state", "ready")
        demo(page, name, root)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport]["width"], f"{name} scrolls sideways ({width}px)"
        root.screenshot(
            path=shots / f"{name}{'' if viewport == 'desktop' else '-mobile'}.png",
            style=".md-header { position: absolute !important; }",  # not over the widget
        )
    context.close()

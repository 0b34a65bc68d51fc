"""The course itself, offline: every page in order, every widget ready, every cell runs."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from site_server import ROOT, QuietHandler, build_and_serve

pytestmark = pytest.mark.browser


class LateTheme(QuietHandler):
    """The course as served, with Material's bundle `delay` seconds late (0: not late)."""

    delay = 0.0

    def do_GET(self) -> None:
        if self.delay and "/assets/javascripts/bundle." in self.path:
            time.sleep(self.delay)
        super().do_GET()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory):
    site = build_and_serve(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("course"), {}, LateTheme)
    yield site
    site.close()


def test_walk_the_course_with_instant_navigation(page: Page, course, watch) -> None:
    page.goto(course.url)
    visited = []
    while True:
        visited.append(page.url)
        for root in page.locator("[data-lecture-widget]").all():
            root.scroll_into_view_if_needed()
            expect(root).to_have_attribute("data-state", "ready")
        for cell in page.locator("[data-lecture-widget=python]").all():
            cell.locator("[data-action=run]").click()
            expect(cell.locator("[data-action=run]")).to_be_enabled()
            expect(cell.locator(".lecture-python__stderr")).to_have_count(0)
        following = page.locator("a.md-footer__link--next")
        if not following.count():
            break
        article = page.locator("article").element_handle()
        following.click()
        page.wait_for_function("article => !article.isConnected", arg=article)  # swapped in
    assert len(visited) == 13
    assert len([url for url in watch.requests if url.endswith("pyodide.asm.wasm.zst")]) == 1


def test_images_reserve_their_space(course) -> None:
    """An image without width and height moves the text below it when it arrives (layout
    shift: Lighthouse's CLS took page 08 from 97 to 92)."""
    images = [
        (page.relative_to(course.directory), tag)
        for page in course.directory.rglob("*.html")
        for tag in re.findall(r"<img\b[^>]*>", page.read_text())
    ]
    assert len(images) >= 6
    for page, tag in images:
        assert ' width="' in tag and ' height="' in tag, f"{page}: {tag[-80:]}"


def test_the_themes_script_is_deferred(course) -> None:
    """overrides/hooks.py defers Material's bundle on every page, so that its evaluation is
    not part of the parser's task (the course walk above runs the theme that way)."""
    pages = list(course.directory.rglob("index.html"))
    assert len(pages) >= 13
    for page in pages:
        tags = re.findall(r'<script src="[^"]*/bundle\.[0-9a-f]+\.min\.js"[^>]*>', page.read_text())
        assert len(tags) == 1 and tags[0].endswith(" defer>"), f"{page}: {tags}"


def test_widgets_follow_instant_navigation_when_the_theme_runs_last(page: Page, course) -> None:
    """The theme's script is deferred: the async runtime may run before it has defined
    document$, which reports instant navigations. Here the runtime surely runs first."""
    LateTheme.delay = 1.0
    try:
        page.goto(course.url + "lecture/01-what-is-sft/")
        expect(page.locator("[data-lecture-widget]").first).to_have_attribute("data-state", "ready")
        article = page.locator("article").element_handle()
        page.locator("a.md-footer__link--next").click()
        page.wait_for_function("article => !article.isConnected", arg=article)  # swapped in
        root = page.locator("[data-lecture-widget]").first
        root.scroll_into_view_if_needed()
        expect(root).to_have_attribute("data-state", "ready")
    finally:
        LateTheme.delay = 0.0

"""When things go wrong the page still reads, says what happened, and recovers."""

from __future__ import annotations

import pytest
from conftest import QuietHandler, serve
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


class MissingPyodide(QuietHandler):
    """Answers 404 for Pyodide's WebAssembly until `available` is set."""

    available = False

    def do_GET(self) -> None:
        if self.path.endswith(".wasm") and not MissingPyodide.available:
            self.send_error(404)
            return
        super().do_GET()


def test_missing_pyodide_keeps_the_static_view_and_retry_recovers(
    page: Page, test_site, watch
) -> None:
    watch.expect_error("404")
    watch.expect_error("Python could not be loaded")
    MissingPyodide.available = False
    broken = serve(test_site().directory, MissingPyodide)
    try:
        page.goto(broken.url + "cells/")
        root = page.locator("#first")
        expect(root).to_have_attribute("data-state", "error")
        expect(root.locator(".lecture-widget__static")).to_contain_text('print("x is", x)')
        status = root.locator("[data-role=status]")
        expect(status).to_contain_text("Python could not be loaded")
        MissingPyodide.available = True
        status.locator("[data-action=retry]").click()
        expect(root).to_have_attribute("data-state", "ready")
        root.locator("[data-action=run]").click()
        expect(root.locator("[data-role=output]")).to_have_text("x is 21")
    finally:
        broken.close()


def test_corrupt_saved_state_is_set_aside_with_a_notice(page: Page, test_site) -> None:
    site = test_site()
    page.goto(site.url + "cells/")
    key = page.evaluate("Object.keys(localStorage).length")  # nothing saved yet
    assert key == 0
    page.evaluate(
        """() => localStorage.setItem(
            `lecture/${new URL('.', location).pathname.replace(/cells\\/$/, '')}cells/#first`,
            '{not json')"""
    )
    page.reload()
    status = page.locator("#first [data-role=status]")
    expect(status).to_contain_text("could not be read")
    keys = page.evaluate("Object.keys(localStorage)")
    assert any(k.endswith("#first~corrupt") for k in keys)
    expect(page.locator("#first .lecture-widget__static")).to_contain_text('print("x is", x)')

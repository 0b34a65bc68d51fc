"""The site works under a strict Content Security Policy: no inline script of ours, no eval.

Scripts: only 'self', 'wasm-unsafe-eval' (Pyodide compiles WebAssembly) and the theme's
own inline scripts, by hash. Nothing may be loaded from anywhere else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_server import QuietHandler, serve

pytestmark = pytest.mark.browser
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def inline_script_hashes(site: Path) -> set[str]:
    hashes = set()
    for page in site.rglob("*.html"):
        for body in INLINE_SCRIPT.findall(page.read_text()):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return hashes


def csp_handler(policy: str) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    return Handler


def test_widgets_work_under_a_strict_csp(page: Page, test_site) -> None:
    site = test_site()
    scripts = " ".join(sorted(inline_script_hashes(site.directory)))
    policy = (
        f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'"
    )
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    strict = serve(site.directory, csp_handler(policy))
    try:
        response = page.goto(strict.url + "cells/")
        assert (
            response
            and "script-src 'self' 'wasm-unsafe-eval'"
            in response.headers["content-security-policy"]
        )
        cell = page.locator("#first")
        cell.locator("[data-action=run]").click()
        expect(cell.locator("[data-role=output]")).to_have_text("x is 21")
        cell.locator(".lecture-widget__static").press("Enter")  # the editor loads under the CSP
        expect(cell.locator(".cm-content")).to_be_focused()
        page.goto(strict.url + "labeling/")
        sentence = page.locator("#game [data-role=sentence]")
        expect(sentence).to_be_visible()
        sentence.focus()
        page.keyboard.press("2")
        expect(page.locator("#game circle[data-point]")).to_have_count(1)
    finally:
        strict.close()
    assert not violations


def strict_policy(site: Path, images: str = "'self' data:") -> str:
    scripts = " ".join(sorted(inline_script_hashes(site)))
    return (
        f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; "
        f"style-src 'self' 'unsafe-inline'; img-src {images}; object-src 'none'; "
        "base-uri 'self'"
    )


def test_rich_output_under_a_strict_csp(page: Page, test_site) -> None:
    """A `_repr_html_` holding a script and an onerror handler shows its markup and runs
    nothing (the page's console stays clean: the `page` fixture fails on an error); a
    `_repr_png_` shows an image from a data: URL."""
    site = test_site()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    strict = serve(site.directory, csp_handler(strict_policy(site.directory)))
    try:
        page.goto(strict.url + "rich/")
        page.locator("#html [data-action=run]").click()
        shown = page.frame_locator("#html iframe").locator("#shown")
        expect(shown).to_have_text("Rich HTML")
        page.locator("#png [data-action=run]").click()
        image = page.locator("#png img.lecture-python__image")
        expect(image).to_have_attribute("src", re.compile("^data:image/png;base64,"))
        loaded = "(img) => img.complete && img.naturalWidth"
        page.wait_for_function(f"() => ({loaded})(document.querySelector('#png img'))")
        assert image.evaluate(loaded) == 40
        page.wait_for_timeout(300)  # (a handler would have run by now)
        assert page.evaluate("[window.ranScript ?? null, window.ranHandler ?? null]") == [
            None,
            None,
        ]
        assert page.title() != "ran"
    finally:
        strict.close()
    assert not violations


def test_images_show_where_the_policy_refuses_data_urls(page: Page, test_site, watch) -> None:
    """`img-src 'self'`: the data: URL is refused (the browser reports it), and the PNG is
    decoded into a canvas instead, which no img-src governs."""
    site = test_site()
    watch.expect_error("Content Security Policy")
    strict = serve(site.directory, csp_handler(strict_policy(site.directory, images="'self'")))
    try:
        page.goto(strict.url + "rich/")
        page.locator("#png [data-action=run]").click()
        canvas = page.locator("#png canvas.lecture-python__image")
        expect(canvas).to_have_attribute("role", "img")
        assert canvas.evaluate("(c) => [c.width, c.height]") == [40, 20]
        expect(canvas).to_have_attribute("aria-label", re.compile(r"^<__main__\.Swatch"))
    finally:
        strict.close()

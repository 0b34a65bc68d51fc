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

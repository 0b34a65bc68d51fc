"""Offline reading (`offline: true`) in Chromium: pages a reader has opened reload, and run
Python, once the site's server is gone (shut down, not emulated); a build with another
runtime replaces the cache. Under a strict Content Security Policy (a violation is a
console error, which fails the test)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from mkdocs_lecture.new import new_widget
from playwright.sync_api import Page, expect
from site_server import HERE, QuietHandler, Site, build_and_serve, remember_snapshot_worth, until
from support import mkdocs_build
from test_csp import inline_script_hashes

pytestmark = pytest.mark.browser
CONFIG = HERE / "site" / "mkdocs.yml"
LECTURE = {"pyodide_dir": "../../../node_modules/pyodide", "offline": True}
PREFIX = "mkdocs-lecture-offline "
CACHED = """async (prefix) => {
    const names = (await caches.keys()).filter((name) => name.startsWith(prefix));
    const urls = [];
    for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return { names, urls, controlled: navigator.serviceWorker.controller !== null };
}"""


class StrictCSP(QuietHandler):
    """Sends test_csp.py's strict policy (set once the site is built: the theme's inline
    scripts are allowed by their hashes)."""

    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()


def plugins(**options: object) -> dict[str, object]:
    return {"plugins": ["search", {"lecture": {**LECTURE, **options}}]}


def build(folder: Path, **options: object) -> Site:
    site = build_and_serve(CONFIG, folder, plugins(**options), StrictCSP)
    scripts = " ".join(sorted(inline_script_hashes(site.directory)))
    StrictCSP.policy = (
        f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'"
    )
    return site


def rebuild(site: Site, **options: object) -> None:
    """Build again into the served folder, for the same address (caches are per origin)."""
    settings = {"INHERIT": str(CONFIG), "site_url": site.url, "site_dir": str(site.directory)}
    derived = CONFIG.parent / f".test-{site.directory.name}.yml"
    derived.write_text(json.dumps({**settings, **plugins(**options)}))
    try:
        result = mkdocs_build(derived, "--strict")
    finally:
        derived.unlink()
    assert result.returncode == 0, result.stderr


def runtime_urls(site: Site, snapshot: bool = True) -> set[str]:
    """What must be kept for Python to start offline (the start-up snapshot: when the
    page's Python used it; without it, Python starts afresh)."""
    base = site.url + "assets/lecture/"
    text = (site.directory / "assets/lecture/config.js").read_text()
    config = json.loads(text[text.index("{") : text.rindex("}") + 1])
    pyodide = {f"{base}{config['pyodideIndexURL']}{name}" for name in config["pyodideFiles"]}
    used = {base + config["pyodideSnapshot"]} if snapshot and config["pyodideSnapshot"] else set()
    modules = {base + name for name in ("runtime.js", "python.js", "worker.js", "config.js")}
    return pyodide | used | modules | {base + config["wheel"], base + "lecture.css"}


def kept(page: Page, urls: set[str], timeout: float = 30) -> dict[str, list[str]]:
    """Wait until the service worker controls the page and its cache holds `urls`."""

    def state_once_kept() -> dict | None:
        state = page.evaluate(CACHED, PREFIX)
        return state if state["controlled"] and urls <= set(state["urls"]) else None

    def describe() -> str:
        state = page.evaluate(CACHED, PREFIX)
        return f"controlled: {state['controlled']}, not kept: {urls - set(state['urls'])}"

    return until(state_once_kept, describe, timeout)


def update(page: Page) -> None:
    """Have the browser check the worker's script, as it does after a navigation (about a
    second after the page's last request, in Chromium), here while the page is idle: a
    request that lands during the switch can leave the new worker waiting in Chromium
    (5 times in some 60 updates here, for all the 15-30 s watched; the old worker serves)."""
    page.evaluate(
        "async () => { await (await navigator.serviceWorker.getRegistration()).update(); }"
    )


def run_cell(page: Page, widget_id: str, printed: str) -> None:
    cell = page.locator(f"#{widget_id}")
    cell.locator("[data-action=run]").click()
    expect(cell.locator("[data-role=output]")).to_have_text(printed)


def test_visited_pages_reload_and_run_with_the_server_gone(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = build(tmp_path_factory.mktemp("site-offline"))
    cells, second = site.url + "cells/", site.url + "second/"
    remember_snapshot_worth(page)
    try:
        response = page.goto(cells)
        assert response and "'wasm-unsafe-eval'" in response.headers["content-security-policy"]
        run_cell(page, "first", "x is 21")
        state = kept(page, runtime_urls(site) | {cells})
        assert len(state["names"]) == 1
        page.goto(second)  # controlled from the start: kept as it loads
        run_cell(page, "second", "second page on Python 3")
        kept(page, {second})
    finally:
        site.close()
    with pytest.raises(urllib.error.URLError):  # nothing answers any more
        urllib.request.urlopen(cells, timeout=5)

    page.goto(cells)
    run_cell(page, "first", "x is 21")
    page.reload()
    expect(page.locator("h1")).to_have_text("Cells")
    run_cell(page, "first", "x is 21")
    page.locator("article a[href$='second/']").first.click()  # instant navigation
    expect(page.locator("#second")).to_be_attached()
    run_cell(page, "second", "second page on Python 3")
    page.reload()
    run_cell(page, "second", "second page on Python 3")


def test_a_build_with_another_runtime_replaces_the_cache(
    page: Page, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    site = build(tmp_path_factory.mktemp("site-offline-v"))
    cells = site.url + "cells/"
    try:
        page.goto(cells)
        run_cell(page, "first", "x is 21")
        [old] = kept(page, {cells})["names"]
        script = (site.directory / "lecture-offline.js").read_text()
        # Another runtime: an author's widget joins the wheel (and config.js names it).
        new_widget("greeting", tmp_path / "widgets")
        rebuild(site, widgets_dirs=[str(tmp_path / "widgets")])
        assert (site.directory / "lecture-offline.js").read_text() != script
        update(page)

        # The new worker installs beside the old one (two caches), then takes over.
        def names_once_taken_over() -> list[str] | None:
            names = page.evaluate(CACHED, PREFIX)["names"]
            return names if names and old not in names else None

        names = until(names_once_taken_over, "the new worker took over")
        [new] = names  # the old cache is gone
        assert new != old and new.startswith(PREFIX + site.url)
        # The new runtime, kept as the new worker installed; the page, moved from the old cache.
        kept(page, runtime_urls(site, snapshot=False) | {cells})
        page.reload()
        run_cell(page, "first", "x is 21")
    finally:
        site.close()
    page.reload()  # offline, with the new build's runtime
    run_cell(page, "first", "x is 21")


def test_a_build_without_offline_releases_its_readers(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = build(tmp_path_factory.mktemp("site-offline-off"))
    cells = site.url + "cells/"
    registrations = """async () => (await navigator.serviceWorker.getRegistrations())
        .map((r) => [r.installing?.state, r.waiting?.state, r.active?.state])"""
    try:
        page.goto(cells)
        run_cell(page, "first", "x is 21")
        kept(page, {cells})
        rebuild(site, offline=False)
        update(page)  # the new script unregisters itself
        until(
            lambda: not page.evaluate(registrations) and not page.evaluate(CACHED, PREFIX)["names"],
            lambda: f"still there: {page.evaluate(registrations)}, {page.evaluate(CACHED, PREFIX)}",
        )
        page.reload()
        assert page.evaluate("navigator.serviceWorker.controller") is None
        run_cell(page, "first", "x is 21")
        time.sleep(1)  # (this page's runtime registers no worker again)
        assert page.evaluate(registrations) == []
    finally:
        site.close()

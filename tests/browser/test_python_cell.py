"""The platform in Chromium: the `python` cell, Stop, instant navigation, saved code."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import Page, expect
from site_server import (
    QuietHandler,
    ShapedLink,
    remember_snapshot_worth,
    serve,
    shaped,
    until,
)

pytestmark = pytest.mark.browser


def cell(page: Page, widget_id: str):
    return page.locator(f"#{widget_id}")


def run(page: Page, widget_id: str) -> None:
    cell(page, widget_id).locator("[data-action=run]").click()


def output(page: Page, widget_id: str):
    return cell(page, widget_id).locator("[data-role=output]")


@pytest.mark.parametrize("theme", ["material", "material-no-instant", "mkdocs"])
def test_cell_runs_and_shows_output(page: Page, test_site, theme: str) -> None:
    page.goto(test_site(theme).url + "cells/")
    expect(cell(page, "first")).to_have_attribute("data-state", "ready")
    run(page, "first")
    expect(output(page, "first")).to_have_text("x is 21")
    run(page, "double")
    expect(output(page, "double")).to_have_text("42")


# A random number, and whether the widgets' bytecode was there before this call.
DRAW = """() => import("/assets/lecture/python.js").then(({ python }) =>
    python.boot().then(() => python.call("python.run", {
        namespace: "draw",
        code: "import os, random, lecture_widgets.rpc as rpc\\n"
            + "random.random(), os.path.exists(rpc.__cached__)" })))"""


KEPT = """async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith("mkdocs-lecture "));
    if (names.length !== 1) return false;
    const kept = await (await caches.open(names[0])).keys();
    const core = ["pyodide.asm.wasm", "python_stdlib.zip", "python-snapshot", "widgets-bytecode"];
    return core.every((name) => kept.some(({ url }) => url.endsWith("/" + name)));
}"""


def test_python_starts_from_the_snapshot_with_its_own_random_numbers(
    page: Page, test_site, watch
) -> None:
    """The first visit downloads and decodes the packed snapshot; the second restores what
    the browser kept decoded, downloading nothing of Python, and compiles none of the
    widgets' modules; each draws its own numbers."""
    remember_snapshot_worth(page)  # (and not kept yet: the first visit downloads it)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    draws = []
    for _ in range(2):
        page.goto(test_site().url + "cells/")
        draws.append(page.evaluate(DRAW)["value"])
        until(lambda: page.evaluate(KEPT), "the decoded files kept")  # once answers are out
    packed = [url for url in watch.requests if url.endswith(".zst")]
    assert sorted(url.rsplit("/", 1)[1] for url in packed) == [
        "pyodide.asm.wasm.zst",
        "python-snapshot.zst",
        "python_stdlib.zip.zst",
    ]  # once each: the second visit decoded nothing
    (first, compiled_before), (second, kept_bytecode) = (draw.split(", ") for draw in draws)
    assert first != second  # each worker seeds anew: not the snapshot's sequence
    assert (compiled_before, kept_bytecode) == ("False)", "True)")
    assert not [text for text in messages if "starts afresh" in text]  # restored, both times
    decisions = [text for text in messages if text.startswith("Python starts")]
    assert decisions == [
        "Python starts from its snapshot: as decided on an earlier visit.",
        "Python starts from its snapshot: this browser kept it from an earlier visit.",
    ]


def test_on_a_slow_link_python_starts_without_the_snapshot_and_keeps_its_own(
    page: Page, test_site, watch
) -> None:
    """1 MB/s: the snapshot (2.6 MB) would take longer to download than it saves (1.5 s).
    Python is snapshotted as it starts afresh, and kept: the next visit restores that,
    having downloaded no snapshot; the link's verdict stays remembered for when the
    browser has dropped what it kept. Both visits' `js` is the plain module, not the
    proxy that snapshotting puts in its place."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    slow = serve(test_site().directory, shaped(ShapedLink(bandwidth=1_000_000)))
    same_object = []
    try:
        for _ in range(2):
            page.goto(slow.url + "cells/")
            run(page, "first")
            expect(output(page, "first")).to_have_text("x is 21", timeout=90_000)
            same_object.append(page.evaluate(PLAIN_JS)["value"])
            until(lambda: page.evaluate(KEPT), "the decoded files kept")
    finally:
        slow.close()
    decisions = [text for text in messages if text.startswith("Python starts")]
    assert len(decisions) == 2 and "without its snapshot: measured" in decisions[0], decisions
    kept = "Python starts from its snapshot: this browser kept it from an earlier visit."
    assert decisions[1] == kept
    assert not [text for text in messages if "starts afresh" in text]  # (restored)
    assert not [url for url in watch.requests if url.endswith("/python-snapshot.zst")]
    assert same_object == ["True", "True"]
    remembered = page.evaluate("localStorage.getItem('lecture//#python')")
    assert json.loads(remembered)["data"]["snapshotWorth"] is False


# Whether `js` hands out the same object twice (snapshotting's proxy wraps each anew).
PLAIN_JS = """() => import("/assets/lecture/python.js").then(({ python }) =>
    python.call("python.run", {
        namespace: "plain", code: "import js\\njs.globalThis.Math == js.globalThis.Math" }))"""


def test_static_view_reads_as_code_before_javascript(browser, test_site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(test_site().url + "cells/")
    static = page.locator("#first .lecture-widget__static .highlight")
    expect(static).to_be_visible()
    expect(static).to_contain_text('print("x is", x)')
    context.close()


def test_printed_markup_shows_as_text(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    run(page, "markup")
    expect(output(page, "markup")).to_have_text("<img src=x onerror=alert(1)>")
    assert page.locator("img[src=x]").count() == 0


def test_traceback_shows_the_readers_frames(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    run(page, "broken")
    text = output(page, "broken")
    expect(text).to_contain_text("ZeroDivisionError: division by zero")
    expect(text).to_contain_text('File "<cell 6>", line 2, in divide')
    assert "lecture_widgets" not in text.inner_text()


def test_isolated_cell_has_its_own_namespace(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    run(page, "first")
    expect(output(page, "first")).to_have_text("x is 21")
    run(page, "alone")
    expect(output(page, "alone")).to_have_text("False")


def test_stop_ends_an_infinite_loop_and_the_namespace_is_rebuilt(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    run(page, "first")
    expect(output(page, "first")).to_have_text("x is 21")
    run(page, "loop")
    expect(cell(page, "loop")).to_have_attribute("data-state", "busy")
    time.sleep(1)
    started = time.monotonic()
    page.evaluate("1 + 1")  # the page answers while Python loops
    assert time.monotonic() - started < 0.5
    started = time.monotonic()
    cell(page, "loop").locator("[data-action=stop]").click()
    expect(cell(page, "loop").locator("[data-role=note]")).to_contain_text("Stopped", timeout=2000)
    assert time.monotonic() - started < 2
    expect(cell(page, "loop").locator("[data-action=run]")).to_be_enabled()
    run(page, "double")  # needs x from the first cell, which ran in the old worker
    expect(output(page, "double")).to_have_text("42")
    expect(cell(page, "double").locator("[data-role=note]")).to_contain_text("cell 1 ran again")


def test_ctrl_enter_runs_and_edits_survive_a_reload(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    expect(cell(page, "first").locator("[data-action=run]")).to_be_visible()  # mounted
    cell(page, "first").locator(".lecture-widget__static").press("Enter")  # the editor loads
    expect(cell(page, "first").locator(".cm-content")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("x = 5\nprint('edited', x)")
    page.keyboard.press("Control+Enter")
    expect(output(page, "first")).to_have_text("edited 5")
    page.wait_for_timeout(400)  # edits are saved 300 ms after the last keystroke
    page.reload()  # saved edits show at once, and in the editor once Python is ready
    expect(cell(page, "first")).to_contain_text("print('edited', x)")
    expect(cell(page, "first").locator(".cm-content")).to_contain_text("print('edited', x)")
    reset = cell(page, "first").locator("[data-action=reset]")
    reset.click()
    expect(cell(page, "first").locator(".cm-content")).to_contain_text('print("x is", x)')
    expect(reset).to_be_disabled()
    page.reload()
    static = cell(page, "first").locator(".lecture-widget__static")
    expect(static).to_contain_text('print("x is", x)')
    expect(cell(page, "first").locator(".cm-content")).to_have_count(0)


def test_instant_navigation_keeps_python(page: Page, test_site, watch) -> None:
    site = test_site("material")
    page.goto(site.url)  # a page without widgets: no runtime
    assert not [url for url in watch.requests if "runtime.js" in url]
    page.locator("article a[href$='cells/']").first.click()
    expect(cell(page, "first")).to_have_attribute("data-state", "ready")
    run(page, "first")
    expect(output(page, "first")).to_have_text("x is 21")
    page.evaluate("window.__sameDocument = true")
    page.locator("article a[href$='second/']").first.click()
    expect(cell(page, "second")).to_have_attribute("data-state", "ready", timeout=3000)
    assert page.evaluate("window.__sameDocument") is True  # no full page load happened
    run(page, "second")
    expect(output(page, "second")).to_have_text("second page on Python 3")
    assert [url for url in watch.workers if "assets/lecture/worker.js" in url] == [
        site.url + "assets/lecture/worker.js"
    ]
    assert len([url for url in watch.requests if url.endswith("pyodide.asm.wasm.zst")]) == 1


class SlowHandler(QuietHandler):
    """Sends Pyodide's wasm in 64 KB pieces, 20 ms apart: a slow network."""

    def copyfile(self, source, outputfile) -> None:
        if not self.path.endswith(".wasm.zst"):
            return super().copyfile(source, outputfile)
        while chunk := source.read(65536):
            outputfile.write(chunk)
            time.sleep(0.02)


def test_progress_shows_bytes_on_a_slow_network(page: Page, test_site) -> None:
    slow = serve(test_site().directory, SlowHandler)
    try:
        page.goto(slow.url + "cells/")
        status = cell(page, "first").locator("[data-role=status]")
        expect(status).to_contain_text(re.compile(r"Loading Python… \d+\.\d MB of \d\.\d MB"))
        first = status.locator("progress").evaluate("bar => bar.value")
        page.wait_for_timeout(500)
        assert status.locator("progress").evaluate("bar => bar.value") > first
        expect(cell(page, "first")).to_have_attribute("data-state", "ready")
        expect(status).to_be_hidden()
    finally:
        slow.close()


STATES = """window.__states = [];
new MutationObserver((changes) => {
  for (const change of changes)
    if (change.target.id === "first") window.__states.push(change.target.dataset.state);
}).observe(document, { subtree: true, attributeFilter: ["data-state"] });"""


def test_stop_while_python_loads_starts_it_again(page: Page, test_site) -> None:
    slow = serve(test_site().directory, SlowHandler)
    try:
        page.add_init_script(STATES)
        page.goto(slow.url + "cells/")
        run(page, "first")
        expect(cell(page, "first").locator("[data-role=note]")).to_have_text("Starting Python…")
        cell(page, "first").locator("[data-action=stop]").click()
        expect(cell(page, "first").locator("[data-role=note]")).to_contain_text("restarting")
        expect(cell(page, "first")).to_have_attribute("data-state", "ready")
        run(page, "first")
        expect(output(page, "first")).to_have_text("x is 21")
        # the stopped boot never reported over the one that replaced it
        assert "error" not in page.evaluate("window.__states")
    finally:
        slow.close()


class IsolatedHandler(QuietHandler):
    """Serves the site cross-origin isolated, as a host that can send COOP/COEP would."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def test_stop_interrupts_without_restart_when_isolated(page: Page, test_site, watch) -> None:
    isolated = serve(test_site().directory, IsolatedHandler)
    try:
        page.goto(isolated.url + "cells/")
        assert page.evaluate("crossOriginIsolated") is True
        run(page, "first")
        expect(output(page, "first")).to_have_text("x is 21")
        run(page, "loop")
        expect(cell(page, "loop")).to_have_attribute("data-state", "busy")
        page.wait_for_timeout(500)
        cell(page, "loop").locator("[data-action=stop]").click()
        expect(output(page, "loop")).to_contain_text("KeyboardInterrupt", timeout=2000)
        run(page, "double")  # the namespace survived: no restart, nothing re-run
        expect(output(page, "double")).to_have_text("42")
        expect(cell(page, "double").locator("[data-role=note]")).to_have_text("")
        assert len([url for url in watch.workers if "lecture/worker.js" in url]) == 1
    finally:
        isolated.close()

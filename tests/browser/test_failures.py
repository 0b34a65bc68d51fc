"""When things go wrong the page still reads, says what happened, and recovers."""

from __future__ import annotations

import re

import pytest
from mkdocs_lecture.pyodide_pack import compress
from playwright.sync_api import Page, expect
from site_server import QuietHandler, remember_snapshot_worth, serve, until

pytestmark = pytest.mark.browser
re_mb = re.compile(r"Load Python \(≈ \d MB\)")


class MissingPyodide(QuietHandler):
    """Answers 404 for Pyodide's WebAssembly until `available` is set."""

    available = False

    def do_GET(self) -> None:
        if self.path.endswith(".wasm.zst") and not MissingPyodide.available:
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


class MissingSnapshot(QuietHandler):
    """Answers 404 for the start-up snapshot."""

    def do_GET(self) -> None:
        if self.path.endswith("/python-snapshot.zst"):
            self.send_error(404)
        else:
            super().do_GET()


class CorruptSnapshot(QuietHandler):
    """Sends packed bytes that are no snapshot for the start-up snapshot."""

    def do_GET(self) -> None:
        if not self.path.endswith("/python-snapshot.zst"):
            super().do_GET()
            return
        body = compress(b"not a snapshot" * 1000)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (MissingSnapshot, "its start-up snapshot could not be fetched (404)"),
        (CorruptSnapshot, "it could not start from its snapshot"),
    ],
    ids=["missing", "corrupt"],
)
def test_without_a_usable_snapshot_python_starts_afresh(
    page: Page, test_site, watch, handler: type[QuietHandler], reason: str
) -> None:
    if handler is MissingSnapshot:
        watch.expect_error("404")
    remember_snapshot_worth(page)
    served = serve(test_site().directory, handler)
    warnings = []
    page.on("console", lambda message: warnings.append(message.text))
    try:
        page.goto(served.url + "cells/")
        page.locator("#first [data-action=run]").click()
        expect(page.locator("#first [data-role=output]")).to_have_text("x is 21")
        assert any(f"Python starts afresh: {reason}" in text for text in warnings), warnings
    finally:
        served.close()


def test_corrupt_saved_state_is_set_aside_with_a_notice(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    expect(page.locator("#first [data-action=run]")).to_be_visible()  # mounted: read its state
    assert page.evaluate("Object.keys(localStorage).length") == 0
    page.evaluate("() => localStorage.setItem('lecture//cells/#first', '{not json')")
    page.reload()
    status = page.locator("#first [data-role=status]")
    expect(status).to_contain_text("could not be read")
    keys = page.evaluate("Object.keys(localStorage)")
    assert any(k.endswith("#first~corrupt") for k in keys)
    expect(page.locator("#first .lecture-widget__static")).to_contain_text('print("x is", x)')


def test_save_data_waits_for_the_reader(page: Page, test_site, watch) -> None:
    page.add_init_script(
        "Object.defineProperty(navigator, 'connection', { value: { saveData: true } })"
    )
    page.goto(test_site().url + "cells/")
    root = page.locator("#first")
    load = root.locator("[data-action=load]")
    expect(load).to_have_text(re_mb)
    page.wait_for_timeout(1500)
    assert not [url for url in watch.requests if ".wasm" in url]  # nothing downloaded
    expect(root).to_have_attribute("data-state", "static")
    load.click()
    expect(root).to_have_attribute("data-state", "ready")
    expect(load).to_be_hidden()
    # the smaller download: Python starts afresh rather than from the snapshot
    assert not [url for url in watch.requests if url.endswith("/python-snapshot.zst")]


def test_a_crashed_worker_is_replaced_and_the_reader_told(page: Page, test_site, watch) -> None:
    watch.expect_error("worker crashed")
    page.goto(test_site().url + "cells/")
    first = page.locator("#first")
    first.locator("[data-action=run]").click()
    expect(first.locator("[data-role=output]")).to_have_text("x is 21")
    crash = "import js\njs.setTimeout(js.Function.new('throw new Error(\"worker crashed\")'), 0)"
    page.evaluate(
        """code => import("/assets/lecture/python.js").then(({ python }) =>
            python.call("python.run", { namespace: "crash", code }))""",
        crash,
    )
    expect(first.locator("[data-role=status]")).to_contain_text("Python stopped")
    expect(first).to_have_attribute("data-state", "ready")  # a new worker
    page.locator("#double [data-action=run]").click()  # needs x: cell 1 runs again first
    expect(page.locator("#double [data-role=output]")).to_have_text("42")
    assert len([url for url in watch.workers if "lecture/worker.js" in url]) == 2


def test_network_drop_after_load(page: Page, test_site) -> None:
    """Once the page and Python are loaded, the widgets need no network."""
    page.goto(test_site().url + "labeling/")
    sentence = page.locator("#game [data-role=sentence]")
    expect(sentence).to_be_visible()  # Python booted, the game's data fetched
    page.context.set_offline(True)
    sentence.focus()
    for n in range(1, 4):
        page.keyboard.press("2")
        expect(page.locator("#game circle[data-point]")).to_have_count(n)
    page.locator("#game [data-action=transfer]").click()  # another domain's data, loaded too
    expect(page.locator("#game [data-role=experiment]")).to_contain_text("product reviews")
    expect(page.locator("#game [data-role=error]")).to_be_hidden()
    page.context.set_offline(False)


SPOIL_KEPT_SNAPSHOT = """async () => {
    const names = await caches.keys();
    for (const name of names) {
        const cache = await caches.open(name);
        for (const request of await cache.keys())
            if (request.url.endsWith("/python-snapshot"))
                await cache.put(request, new Response("spoilt"));
    }
    return names.filter((name) => name.startsWith("mkdocs-lecture decoded ")).length;
}"""
KEPT_SNAPSHOTS = """async () => {
    let found = 0;
    for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys())
            if (request.url.endsWith("/python-snapshot")) found += 1;
    return found;
}"""


def test_a_spoilt_kept_snapshot_is_dropped_and_python_starts_afresh(page: Page, test_site) -> None:
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(test_site().url + "cells/")
    page.locator("#first [data-action=run]").click()
    expect(page.locator("#first [data-role=output]")).to_have_text("x is 21")
    until(lambda: page.evaluate(KEPT_SNAPSHOTS), "the snapshot kept")  # once answers are out
    assert page.evaluate(SPOIL_KEPT_SNAPSHOT) == 1
    page.reload()
    page.locator("#first [data-action=run]").click()
    expect(page.locator("#first [data-role=output]")).to_have_text("x is 21")
    assert any("Python starts afresh: it could not start from its snapshot" in m for m in messages)
    assert page.evaluate(KEPT_SNAPSHOTS) == 0  # dropped, not kept to fail again

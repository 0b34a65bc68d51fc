"""Build a site, serve it on 127.0.0.1, drive Debian's Chromium with Playwright.

Every page a test opens is watched: a request to anything but 127.0.0.1 is blocked and
fails the test, and so does a console error or an uncaught exception.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)
from site_server import CHROMIUM_ARGS, HERE, Site, build_and_serve

expect.set_options(timeout=60_000)  # Pyodide boots in ~5 s, more on a busy 2-core machine
THEMES = {
    "material": {},
    "material-no-instant": {"theme": {"name": "material", "font": False, "features": []}},
    # The mkdocs theme loads highlight.js from a CDN unless told not to.
    "mkdocs": {"theme": {"name": "mkdocs", "highlightjs": False}},
}


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not shutil.which("chromium"):
        pytest.skip("needs Debian's chromium (./course test installs it)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def test_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Site]:
    """The test site built with one of THEMES, built once per theme."""
    sites: dict[str, Site] = {}

    def get(theme: str = "material") -> Site:
        if theme not in sites:
            out = tmp_path_factory.mktemp(f"site-{theme}")
            sites[theme] = build_and_serve(HERE / "site" / "mkdocs.yml", out, THEMES[theme])
        return sites[theme]

    yield get
    for site in sites.values():
        site.close()


class Watch:
    """What a page did that a test must not allow."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        self.workers: list[str] = []
        self.requests: list[str] = []
        self.expected: list[str] = []

    def expect_error(self, text: str) -> None:
        """A console error containing `text` is part of the test, not a failure."""
        self.expected.append(text)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(text in message.text for text in self.expected):
            self.errors.append(f"console: {message.text} ({message.location})")

    def request(self, request: Request) -> None:
        self.requests.append(request.url)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, watch: Watch) -> Iterator[Page]:
    context = browser.new_context()

    def guard(route, request) -> None:
        if request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            watch.external.append(request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.errors.append(f"pageerror: {error}"))
    page.on("worker", lambda worker: watch.workers.append(worker.url))
    page.on("request", watch.request)
    page.set_default_timeout(60_000)
    yield page
    context.close()
    assert not watch.external, f"requests left 127.0.0.1: {watch.external}"
    assert not watch.errors, "\n".join(watch.errors)

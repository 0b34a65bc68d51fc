"""Serving a built site on 127.0.0.1, for the browser tests and the benchmarks.

(Not in conftest.py: `from conftest import …` finds whichever test folder's conftest was
loaded first when several folders are collected together.)
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import sys
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

import yaml
from mkdocs_lecture.check import CHROMIUM_ARGS  # the flags Debian's Chromium needs here
from support import mkdocs_build

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

HERE = Path(__file__).parent
T = TypeVar("T")
ROOT = HERE.parent.parent
__all__ = [
    "CHROMIUM_ARGS",
    "HERE",
    "ROOT",
    "PagesHandler",
    "QuietHandler",
    "ShapedLink",
    "Site",
    "build_and_serve",
    "precompress",
    "serve",
    "settled_context",
    "shaped",
    "until",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class PagesHandler(QuietHandler):
    """Serves as GitHub Pages does: text and WebAssembly compressed with gzip (what travels
    is what a slow network costs), `Cache-Control: max-age=600` (`max_age`), and 304 Not
    Modified for a request whose If-Modified-Since is the file's own time."""

    COMPRESSED = frozenset(
        (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm")
    )
    max_age = 600

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path /= "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in self.COMPRESSED):
            return super().send_head()  # (which answers If-Modified-Since itself)
        modified = self.date_time_string(int(path.stat().st_mtime))
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return None
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", f"max-age={self.max_age}")
        super().end_headers()


@functools.cache
def _gzipped(path: str, _mtime: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


def precompress(root: Path) -> None:
    """Compress what a PagesHandler serves from `root` now, as a static host has: not while
    a benchmark's browser waits (level 6 takes ~0.5 s for Pyodide's WebAssembly)."""
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in PagesHandler.COMPRESSED:
            _gzipped(str(path), path.stat().st_mtime_ns)


# ms for a new headless window to settle. Chromium loads its own omnibox popup (a WebUI
# page) in each new window: in a trace, 1.5-1.8 s of one core and 0.5 s of another, over
# a measured page's first two seconds. A reader's browser has its window open already.
WINDOW_START = 3000


def settled_context(browser: Browser) -> BrowserContext:
    """A new browser context (its own cache and storage) whose window has been open for
    `WINDOW_START` ms, as a reader's is: for benchmarks that time a page's start."""
    context = browser.new_context()
    context.new_page().wait_for_timeout(WINDOW_START)  # (kept open: the window stays)
    return context


class ShapedLink:
    """A network link shared by every request to a server: `bandwidth` bytes per second in
    all, and `delay` seconds before each response (a round trip); counts the bytes sent."""

    def __init__(self, bandwidth: float | None = None, delay: float = 0.0) -> None:
        self.bandwidth, self.delay = bandwidth, delay
        self.sent = 0
        self._free_at = 0.0
        self._lock = threading.Lock()

    def send(self, size: int) -> None:
        """Wait until `size` more bytes have had their share of the link."""
        with self._lock:
            self.sent += size
            if not self.bandwidth:
                return
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size / self.bandwidth
            wait = self._free_at - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def shaped(link: ShapedLink, fresh_for: int = PagesHandler.max_age) -> type[PagesHandler]:
    """A PagesHandler whose responses travel through `link`, fresh for `fresh_for` seconds."""

    class ShapedHandler(PagesHandler):
        max_age = fresh_for

        def send_head(self) -> io.BytesIO | BinaryIO | None:
            time.sleep(link.delay)
            return super().send_head()

        def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
            while chunk := source.read(16_384):
                link.send(len(chunk))
                outputfile.write(chunk)

    return ShapedHandler


class QuietServer(ThreadingHTTPServer):
    """A server that does not print a traceback when the browser hangs up mid-download."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Site:
    """A built site served from its own thread on 127.0.0.1."""

    def __init__(self, directory: Path, server: ThreadingHTTPServer) -> None:
        self.directory, self.server = directory, server
        self.url = f"http://127.0.0.1:{server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(
    directory: Path,
    handler: type[SimpleHTTPRequestHandler] = QuietHandler,
    server: ThreadingHTTPServer | None = None,
) -> Site:
    server = server or QuietServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass = functools.partial(handler, directory=str(directory))  # type: ignore[assignment]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Site(directory, server)


def build_and_serve(
    config_file: Path,
    out: Path,
    overrides: dict[str, object],
    handler: type[SimpleHTTPRequestHandler] = QuietHandler,
    builder: str = "mkdocs",
) -> Site:
    """Build with `site_url` set to the port the site will be served on (instant navigation
    only takes over links of the sitemap, so the two must match)."""
    server = QuietServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    settings = {
        "INHERIT": str(config_file),
        "site_url": f"http://127.0.0.1:{port}/",
        "site_dir": str(out),
        **overrides,
    }
    derived = config_file.parent / f".test-{out.name}.yml"
    derived.write_text(yaml.safe_dump(settings))
    try:
        result = mkdocs_build(derived, "--strict", builder=builder)
    finally:
        derived.unlink()
    assert result.returncode == 0, result.stderr
    return serve(out, handler, server)


def until(check: Callable[[], T], what: str | Callable[[], str], timeout: float = 30.0) -> T:
    """Poll `check` until it returns something truthy, and return that; fail after `timeout`
    seconds saying `what` (or what `what()` says then). For an async function in a page:
    `lambda: page.evaluate(script)` (`page.wait_for_function` takes its promise for true)."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not after {timeout} s: {what() if callable(what) else what}")
        time.sleep(0.2)
    return result


def remember_snapshot_worth(page: Page) -> None:
    """Have the page's Python start from its snapshot as an earlier visit decided, not as
    it measures the link: for tests of what follows that decision, which then does not
    depend on how busy the machine is (the measure has its own tests: test_link_meter.py,
    and the slow link of test_python_cell.py). For a site served at `/`: the key is
    store.js's for the site root `/` and page "" (python.js's memory)."""
    entry = json.dumps({"v": 1, "data": {"snapshotWorth": True}})  # store.js's format
    page.add_init_script(
        f"if (window === window.top) localStorage.setItem('lecture//#python', {entry!r});"
    )

"""Serving a built site on 127.0.0.1, for the browser tests and the benchmarks.

(Not in conftest.py: `from conftest import …` finds whichever test folder's conftest was
loaded first when several folders are collected together.)
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from mkdocs_lecture.check import CHROMIUM_ARGS  # the flags Debian's Chromium needs here
from support import mkdocs_build

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
__all__ = ["CHROMIUM_ARGS", "HERE", "ROOT", "QuietHandler", "Site", "build_and_serve", "serve"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


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

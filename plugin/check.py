"""`mkdocs-lecture check [SITE_DIR]`: does every widget of a built site work?

Serves the site on 127.0.0.1, opens each page that has widgets in headless Chromium,
lets Python boot, runs every widget's smoke test (the runtime's `mkdocsLecture.check()`)
and reports each widget as passed or failed, with the reason. A console error or a
request that leaves 127.0.0.1 fails the page. Exit status 0 when all passed.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageReport:
    path: str
    widgets: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(widget["ok"] for widget in self.widgets)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on a free 127.0.0.1 port, for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def widget_pages(site: Path) -> list[str]:
    """Paths (relative to the site) of the pages that carry widgets."""
    return sorted(
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if "data-lecture-widget=" in page.read_text(errors="replace")
    )


def check_site(site: Path, timeout: float = 90.0) -> list[PageReport]:
    from playwright.sync_api import sync_playwright

    reports = []
    with serve(site) as url, sync_playwright() as playwright:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for path in widget_pages(site):
            report = PageReport(path)
            context = browser.new_context()
            context.route(
                "**/*",
                lambda route, request, report=report: (
                    route.continue_()
                    if request.url.startswith((url, "data:", "blob:"))
                    else (
                        report.problems.append(f"request outside the site: {request.url}"),
                        route.abort(),
                    )
                ),
            )
            page = context.new_page()
            page.on(
                "console",
                lambda message, report=report: (
                    report.problems.append(f"console error: {message.text}")
                    if message.type == "error"
                    else None
                ),
            )
            page.on(
                "pageerror",
                lambda error, report=report: report.problems.append(f"uncaught error: {error}"),
            )
            page.goto(url + path)
            page.wait_for_function("globalThis.mkdocsLecture", timeout=timeout * 1000)
            report.widgets = page.evaluate(
                "timeout => mkdocsLecture.check({ timeout })", timeout * 1000
            )
            context.close()
            reports.append(report)
        browser.close()
    return reports


def run_check(site: Path, timeout: float) -> int:
    """Check the built site, print a line per widget and a summary; the exit status."""
    if not (site / "index.html").exists():
        print(f"{site} is not a built site: run `mkdocs build` first.", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print(
            "mkdocs-lecture check needs Playwright: pip install 'mkdocs-lecture[check]'.",
            file=sys.stderr,
        )
        return 2
    reports = check_site(site, timeout)
    for report in reports:
        for widget in report.widgets:
            mark = "PASS" if widget["ok"] else "FAIL"
            reason = "" if widget["ok"] else f": {widget['reason']}"
            print(f"{mark}  {report.path}  #{widget['id']} ({widget['widget']}){reason}")
        for problem in report.problems:
            print(f"FAIL  {report.path}  {problem}")
    passed = sum(widget["ok"] for report in reports for widget in report.widgets)
    total = sum(len(report.widgets) for report in reports)
    failed_pages = sum(not report.ok for report in reports)
    print(
        f"{passed} of {total} widgets passed on {len(reports)} pages"
        + (f"; {failed_pages} page(s) failed" if failed_pages else "")
    )
    return 0 if failed_pages == 0 else 1

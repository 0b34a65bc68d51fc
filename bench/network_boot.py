"""The platform benchmark through a shaped link: what a cold reader waits for and
downloads on networks slower than 127.0.0.1.

Each profile serves the sites through one link whose bandwidth all requests share, with a
delay before each response, text and WebAssembly gzipped and `Cache-Control: max-age=600`,
as GitHub Pages serves them (compressed before timing, as a host has them). Per profile,
one fresh browser context (cold cache, its window settled: `settled_context`) each for
(a) a bare Pyodide boot, (b) the course page to its first cell's output, (b0) the same
built without the start-up snapshot (see platform_boot.py), and two repeat visits of (b),
after 5 s on the first: (r) a second visit within the ten minutes the cache is fresh,
(rv) one after, when every file is revalidated (served with max-age=0); each kind is
opened once, unmeasured, before the first profile (`warm`). Prints the times,
their ratios to (a), and the bytes each downloaded. The course's worker says at debug
level in the console whether it used the snapshot, and why.

    .venv/bin/python bench/network_boot.py [--runs 1] [--page lecture/01-what-is-sft/]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from browser.site_server import (  # noqa: E402
    CHROMIUM_ARGS,
    ShapedLink,
    precompress,
    serve,
    shaped,
)
from platform_boot import build, sample  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PROFILES = {  # name: (bytes per second, seconds before each response)
    "loopback": (None, 0.0),
    "100 Mbps, 20 ms": (100e6 / 8, 0.020),
    "20 Mbps, 40 ms": (20e6 / 8, 0.040),
    "5 Mbps, 80 ms": (5e6 / 8, 0.080),
}
KINDS = {
    "bare": "(a) ",
    "course": "(b) ",
    "afresh": "(b0)",
    "repeat": "(r) ",
    "revalidated": "(rv)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--page", default="lecture/01-what-is-sft/")
    parser.add_argument("--profiles", nargs="*", default=list(PROFILES), choices=list(PROFILES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        build(Path(tmp) / "site")
        build(Path(tmp) / "afresh", snapshot=False)
        for name in ("site", "afresh"):
            precompress(Path(tmp) / name)
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        warm(browser, Path(tmp), args.page)
        for profile in args.profiles:
            link = ShapedLink(*PROFILES[profile])
            site, afresh = (serve(Path(tmp) / name, shaped(link)) for name in ("site", "afresh"))
            stale = serve(Path(tmp) / "site", shaped(link, fresh_for=0))
            urls = {
                "bare": site.url + "__bench__/",
                "course": site.url + args.page,
                "afresh": afresh.url + args.page,
                "repeat": site.url + args.page,
                "revalidated": stale.url + args.page,
            }
            times: dict[str, list[float]] = {kind: [] for kind in KINDS}
            sent: dict[str, list[int]] = {kind: [] for kind in KINDS}
            for _ in range(args.runs):
                for kind in KINDS:
                    visits = 2 if kind in ("repeat", "revalidated") else 1
                    before = link.sent
                    times[kind].append(sample(browser, urls[kind], kind != "bare", visits)[0])
                    sent[kind].append(link.sent - before)
            site.close()
            afresh.close()
            stale.close()
            report(profile, times, sent)
        browser.close()


def warm(browser, sites: Path, page: str) -> None:
    """Open each kind once, unmeasured, as platform_boot.py does: the first page a
    browser opens is slower (its processes and the disk cache start cold). A bare boot on
    loopback, three launches: 3058, 2569, 2376 ms first, 2232 to 2469 ms the next three."""
    site, afresh = serve(sites / "site"), serve(sites / "afresh")
    for url, python in (
        (site.url + "__bench__/", False),
        (site.url + page, True),
        (afresh.url + page, True),
    ):
        sample(browser, url, python)
    site.close()
    afresh.close()


def report(profile: str, times: dict[str, list[float]], sent: dict[str, list[int]]) -> None:
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"{profile}:")
    for kind, label in KINDS.items():
        megabytes = statistics.median(sent[kind]) / 1e6
        ratio = f"{medians[kind] / medians['bare']:.2f} of (a)" if kind != "bare" else ""
        both = " (both visits)" if kind in ("repeat", "revalidated") else ""
        print(f"  {label} {medians[kind]:6.0f} ms {ratio:>10}, {megabytes:5.2f} MB sent{both}")


if __name__ == "__main__":
    main()

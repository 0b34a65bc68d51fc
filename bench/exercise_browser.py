"""The exercise widget in Chromium: from pressing Check to the per-check feedback on
screen, once Python is ready, on the test site's exercise (a function, two checks, one of
them a test function; the starter fails both, so the feedback lists both failures).
As a baseline in the same run, the round trip of a call that does no work
(`exercise.check` of empty code against empty tests) shows what the worker and the DOM
cost alone.

    .venv/bin/python bench/exercise_browser.py [--checks 40]
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

from browser.site_server import CHROMIUM_ARGS, HERE, build_and_serve  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

INSTRUMENT = """
window.__samples = [];
let pressed = 0;
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=check]")) pressed = performance.now();
}, true);
new MutationObserver(() => {
  const feedback = document.querySelector("#square [data-role=feedback]");
  if (pressed && feedback?.querySelector("ul")) {
    window.__samples.push(performance.now() - pressed);
    pressed = 0;
  }
}).observe(document, { subtree: true, childList: true });
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = build_and_serve(HERE / "site" / "mkdocs.yml", Path(tmp) / "site", {})
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.add_init_script(INSTRUMENT)
        page.goto(site.url + "exercise/")
        page.wait_for_function(
            "document.querySelector('#square').dataset.state === 'ready'", timeout=120_000
        )
        check = page.locator("#square [data-action=check]")
        for n in range(1, args.checks + 1):
            check.click()
            page.wait_for_function(f"window.__samples.length >= {n}", polling=10)
        samples = page.evaluate("window.__samples")
        baseline = page.evaluate(
            """async () => {
              const { python } = await import("/assets/lecture/python.js");
              const times = [];
              for (let i = 0; i < 30; i++) {
                const start = performance.now();
                await python.call("exercise.check", { code: "", tests: "" });
                times.push(performance.now() - start);
              }
              return times;
            }"""
        )
        browser.close()
        site.close()
    median = statistics.median(samples)
    print(
        f"Check → feedback on screen: median {median:.1f} ms, "
        f"max {max(samples):.1f} ms ({len(samples)} checks)"
    )
    print(f"empty call round trip (baseline): median {statistics.median(baseline):.1f} ms")
    print(f"ratio to the 100 ms budget: {median / 100:.2f}")


if __name__ == "__main__":
    main()

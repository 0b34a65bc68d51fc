"""Labeling game in Chromium: time to ready, and from a label's keypress to the updated curve.

Time to ready: from navigation to the first sentence shown by the live game (Python booted,
the widget's package imported, its data read, the first pick made), in a fresh browser
context each time (nothing cached). Then, on the movie data set: every label retrains the
model and rescores the 696-sentence pool and the 300 held-out sentences (996 sentences
scored per label). Measured in the page: keydown → the curve, score and confidence bar are
updated in the DOM.
As a baseline in the same run, the same round trip for a call that does no work
(`labeling.try_sentence` on an empty string) shows what the worker and the DOM cost alone.

    .venv/bin/python bench/labeling_browser.py [--labels 60] [--loads 3]
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

from browser.site_server import (  # noqa: E402
    CHROMIUM_ARGS,
    HERE,
    build_and_serve,
    settled_context,
)
from playwright.sync_api import sync_playwright  # noqa: E402

INSTRUMENT = """
window.__samples = [];
new MutationObserver((_, observer) => {
  if (document.querySelector("#game [data-role=sentence]")?.textContent) {
    window.__ready = performance.now(); // since navigation started
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
let pressed = 0;
document.addEventListener("keydown", () => { pressed = performance.now(); }, true);
new MutationObserver(() => {
  const count = document.querySelectorAll("#game circle[data-point]").length;
  if (pressed && count !== window.__count) {
    window.__count = count;
    window.__samples.push(performance.now() - pressed);
    pressed = 0;
  }
}).observe(document, { subtree: true, childList: true });
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=int, default=60)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = build_and_serve(HERE / "site" / "mkdocs.yml", Path(tmp) / "site", {})
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        ready = []
        for _ in range(args.loads):  # a fresh context each time: no cache, no saved labels
            context = settled_context(browser)
            page = context.new_page()
            page.add_init_script(INSTRUMENT)
            page.goto(site.url + "labeling/")
            page.wait_for_function("window.__ready", timeout=120_000, polling=50)
            ready.append(page.evaluate("window.__ready"))
            context.close()
        page = browser.new_page()
        page.add_init_script(INSTRUMENT)
        page.goto(site.url + "labeling/")
        sentence = page.locator("#game [data-role=sentence]")
        sentence.wait_for(state="visible", timeout=120_000)
        page.evaluate("window.__count = 0")
        sentence.focus()
        for n in range(1, args.labels + 1):
            page.keyboard.press("ArrowRight" if n % 3 else "ArrowLeft")
            page.wait_for_function(f"window.__samples.length >= {n}", polling=10)
        updated = page.evaluate("window.__samples")
        baseline = page.evaluate(
            """async () => {
              const { python } = await import("/assets/lecture/python.js");
              const times = [];
              for (let i = 0; i < 30; i++) {
                const start = performance.now();
                await python.call("labeling.try_sentence", { widget: "game", text: "" });
                times.push(performance.now() - start);
              }
              return times;
            }"""
        )
        browser.close()
        site.close()
    label_median = statistics.median(updated)
    base_median = statistics.median(baseline)
    print(
        f"time to ready (navigation → first sentence, cold): median "
        f"{statistics.median(ready):.0f} ms of {', '.join(f'{t:.0f}' for t in ready)}"
    )
    print(f"labels: {len(updated)} on movies (696 pool + 300 held-out scored per label)")
    print(
        f"label → curve and confidence updated: median {label_median:.1f} ms, "
        f"p90 {statistics.quantiles(updated, n=10)[-1]:.1f} ms, max {max(updated):.1f} ms"
    )
    print(f"empty call round trip (baseline):    median {base_median:.1f} ms")
    print(f"ratio to the 50 ms budget: {label_median / 50:.2f}")


if __name__ == "__main__":
    main()

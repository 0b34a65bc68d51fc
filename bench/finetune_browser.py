"""The fine-tuning lab in Chromium: how long until the tuned model answers the held-out
prompts in the assistant's format, and what training costs the page.

On the test site's lab (one epoch per Train), Train is pressed epoch after epoch. After
each: the training time so far (Train pressed → Train enabled again) and how many of the
held-out prompts the tuned model answers in the assistant's format (the comparison the lab
draws). During training: main-thread long tasks (≥ 50 ms), the longest stretch of the
runtime's own scripts inside long animation frames, how often the loss curve is redrawn,
and the worker's memory (measureUserAgentSpecificMemory, so the site is served
cross-origin isolated). As a baseline in the same run, the same steps in CPython, in this
process: the ratio is Pyodide-in-the-browser to CPython.

    .venv/bin/python bench/finetune_browser.py [--epochs 4]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from browser.site_server import CHROMIUM_ARGS, HERE, QuietHandler, build_and_serve  # noqa: E402
from lecture_widgets.finetune import calls  # noqa: E402
from lecture_widgets.finetune.conversations import DEFAULT_CONVERSATIONS  # noqa: E402
from platform_boot import LONG_TASKS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

LAB = "#lab"
INSTRUMENT = (
    LONG_TASKS
    + """
window.__redraws = [];
new MutationObserver((records) => {
  if (records.some((r) => r.target.classList?.contains("lecture-finetune__train-line")))
    window.__redraws.push(performance.now());
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["points"] });
"""
)
WORKER_MEMORY = """async () => {
  const result = await performance.measureUserAgentSpecificMemory();
  return result.breakdown
    .filter((entry) => entry.attribution.some((a) => a.scope === "DedicatedWorkerGlobalScope"))
    .reduce((sum, entry) => sum + entry.bytes, 0);
}"""


class IsolatedHandler(QuietHandler):
    """Cross-origin isolated, so that the page may measure its workers' memory."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    per_epoch = len(DEFAULT_CONVERSATIONS)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = build_and_serve(
            HERE / "site" / "mkdocs.yml", Path(tmp) / "site", {}, IsolatedHandler
        )
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=[*CHROMIUM_ARGS, "--enable-blink-features=ForceEagerMeasureMemory"],
        )
        page = browser.new_page()
        page.add_init_script(INSTRUMENT)
        page.goto(site.url + "finetune/")
        page.locator(LAB).scroll_into_view_if_needed()
        summary = page.locator(f"{LAB} .lecture-finetune__summary")
        summary.filter(has_text="(step 0)").wait_for(timeout=120_000)
        memory_before = page.evaluate(WORKER_MEMORY)
        trained, rows, windows = 0.0, [], []
        for epoch in range(1, args.epochs + 1):
            began, start = time.perf_counter(), page.evaluate("performance.now()")
            page.locator(f"{LAB} [data-action=train]").click()
            page.locator(f"{LAB} [data-action=train]:enabled").wait_for(timeout=120_000)
            trained += time.perf_counter() - began
            windows.append((start, page.evaluate("performance.now()")))
            summary.filter(has_text=f"(step {epoch * per_epoch})").wait_for()
            answered = int(summary.inner_text().rsplit("fine-tuned", 1)[1].split()[2])
            rows.append((epoch, trained, answered))
        memory_after = page.evaluate(WORKER_MEMORY)
        during = " || ".join(f"(s >= {a} && s <= {b})" for a, b in windows)
        long_tasks = page.evaluate(f"window.__longTasks.filter(([s]) => {during})")
        runtime = page.evaluate(f"window.__runtimeScripts.filter(([s]) => {during})")
        redraws = page.evaluate("window.__redraws")
        browser.close()
        site.close()

    began = time.perf_counter()
    calls.start("baseline", DEFAULT_CONVERSATIONS)
    while calls.train("baseline", until_step=args.epochs * per_epoch, seconds=1e9)["step"] < (
        args.epochs * per_epoch
    ):
        pass
    cpython = time.perf_counter() - began
    report(rows, trained, cpython, windows, redraws, long_tasks, runtime)
    print(
        f"worker memory: {memory_before / 1e6:.1f} MB before, {memory_after / 1e6:.1f} MB "
        f"after, growth {(memory_after - memory_before) / 1e6:+.1f} MB"
    )


def report(rows, trained, cpython, windows, redraws, long_tasks, runtime) -> None:
    print(f"lab: {len(DEFAULT_CONVERSATIONS)} conversations, one step each per epoch")
    for epoch, seconds, answered in rows:
        print(f"  after epoch {epoch}: {seconds:5.1f} s of training, {answered} of 11 in format")
    first = next((seconds for _, seconds, answered in rows if answered >= 9), None)
    print(f"≥ 80 % (9 of 11) in format after {first:.1f} s" if first else "never reached 80 %")
    print(f"CPython baseline, same steps: {cpython:.1f} s; browser/CPython {trained / cpython:.2f}")
    gaps, count = [], 0
    for start, end in windows:  # from Train pressed, redraw to redraw, to the end
        inside = [start, *(t for t in redraws if start <= t <= end), end]
        gaps += [b - a for a, b in pairwise(inside)]
        count += len(inside) - 2
    print(
        f"curve redrawn {count / trained:.1f} times per second of training, "
        f"longest wait {max(gaps):.0f} ms"
    )
    longest = max((d for _, d in long_tasks), default=0)
    print(f"main-thread long tasks while training: {len(long_tasks)}, longest {longest:.0f} ms")
    own = max((d for _, d, _ in runtime), default=0)
    print(f"the runtime's own scripts in long frames: {len(runtime)}, longest {own:.0f} ms")


if __name__ == "__main__":
    main()

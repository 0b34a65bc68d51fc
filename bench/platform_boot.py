"""Platform benchmark: what the runtime adds to a bare Pyodide boot, in one Chromium run.

    (a) bare:   a minimal page whose module worker loads Pyodide (the release's files, as
                they come) and runs `1 + 1`
    (b) course: the course page with the first `python` cell; Run is clicked as soon as it
                exists; time until the cell's output is on screen
    (b0)        the same, built with `pyodide_snapshot: false`: Python started afresh, as in
                (a), so (b0)/(a) is what the runtime and the page add to a bare boot
    (c) long tasks on the main thread (≥ 50 ms) from navigation until (a) or (b) is done,
        and, from Chromium's long-animation-frame entries, the longest stretch of the
        runtime's own scripts (assets/lecture/) inside them: the runtime's share

Each sample is a fresh browser context (cold cache) whose window has been open 3 s, as a
reader's has (`settled_context`), (a), (b) and (b0) in turn, served from 127.0.0.1. Prints
medians and the ratios (b)/(a) and (b0)/(a), both as the ratio of the medians and as the
median ratio of neighbouring samples (which drifts in the machine's speed do not move),
and when each page requested its worker. Absolute times vary with the machine: the ratio
is the number to compare.

    .venv/bin/python bench/platform_boot.py [--runs 7] [--page lecture/01-what-is-sft/]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser.site_server import CHROMIUM_ARGS, serve, settled_context  # noqa: E402
from mkdocs_lecture.pyodide_core import FILES, pyodide_core  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module" src="bare.js"></script><p id="out">booting</p>"""
BARE_JS = """
const worker = new Worker(new URL("./bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => {
  window.__done = performance.now();
  document.getElementById("out").textContent = data;
};
"""
BARE_WORKER = """
import { loadPyodide } from "./pyodide/pyodide.mjs";
const indexURL = new URL("./pyodide/", import.meta.url).href;
const pyodide = await loadPyodide({ indexURL });
self.postMessage(String(pyodide.runPython("1 + 1")));
"""
READING = 5000  # ms a reader spends on a page before the next visit
# Installed before any page script: main-thread long tasks, and the longest stretches of
# the runtime's own scripts inside long animation frames (also bench/finetune_browser.py).
LONG_TASKS = """
window.__longTasks = [];
window.__runtimeScripts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
new PerformanceObserver((list) => {
  for (const frame of list.getEntries())
    for (const script of frame.scripts)
      if (script.sourceURL.includes("/assets/lecture/"))
        window.__runtimeScripts.push([
          script.startTime, script.duration,
          `${script.invoker} (${script.sourceURL.split("/").pop()}:${script.sourceFunctionName})`,
        ]);
}).observe({ type: "long-animation-frame", buffered: true });
"""
# ... and the moment the first output appears.
INSTRUMENT = (
    LONG_TASKS
    + """
new MutationObserver(() => {
  if (window.__done) return;
  const output = document.querySelector("[data-role=output]:not([hidden])");
  if (output && output.textContent.trim()) window.__done = performance.now();
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
"""
)


def build(out: Path, *, snapshot: bool = True) -> None:
    plugins = {"search": {}, "lecture": {"pyodide_snapshot": snapshot}}
    config = f"INHERIT: mkdocs.yml\nplugins: {json.dumps(plugins)}\n"  # JSON is YAML
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "-", "-d", str(out)],
        input=config,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    bare = out / "__bench__"
    bare.mkdir()
    (bare / "index.html").write_text(BARE_HTML)
    (bare / "bare.js").write_text(BARE_JS)
    (bare / "bare-worker.js").write_text(BARE_WORKER)
    core = pyodide_core(ROOT / "node_modules/pyodide")  # the release's files, as they come
    (bare / "pyodide").mkdir()
    for name in FILES:
        shutil.copy(core / name, bare / "pyodide" / name)


def sample(
    browser, url: str, click_run: bool, visits: int = 1
) -> tuple[float, float, list[list[float]], list[list[float]]]:
    """One fresh browser context (cold cache), its window settled (`settled_context`);
    with `visits` > 1, the measures of the last visit, its caches warmed by the ones
    before (each read for `READING` ms: the runtime keeps its decoded files 3 s after
    Python is ready)."""
    context = settled_context(browser)
    if visits == 1:  # (routing turns the HTTP cache off; the tests check no request leaves)
        context.route(
            "**/*",
            lambda route, request: (
                route.continue_() if request.url.startswith("http://127.0.0.1:") else route.abort()
            ),
        )
    for visit in range(visits):
        page = context.new_page()
        page.add_init_script(INSTRUMENT)
        measures = _measure(page, url, click_run)
        if visit < visits - 1:
            page.wait_for_timeout(READING)
        page.close()
    context.close()
    return measures


def _measure(page, url: str, click_run: bool) -> tuple[float, float, list, list]:
    page.goto(url)
    if click_run:
        page.locator("[data-lecture-widget=python] [data-action=run]").first.click()
    page.wait_for_function("window.__done", timeout=120_000, polling=50)
    done = page.evaluate("window.__done")
    failed = page.locator("[data-lecture-widget][data-state=error]")
    if failed.count():  # an error message is output too, but not the one measured
        raise SystemExit(f"{url}: a widget failed: {failed.first.inner_text()[-300:]}")
    spawn = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".find((entry) => entry.name.endsWith('worker.js')).startTime"
    )
    page.wait_for_timeout(100)  # let the observers deliver the last entries
    tasks = page.evaluate("window.__longTasks.filter(([start]) => start <= window.__done)")
    runtime = page.evaluate("window.__runtimeScripts.filter(([start]) => start <= window.__done)")
    return done, spawn, tasks, runtime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", default="lecture/01-what-is-sft/")
    args = parser.parse_args()
    kinds = ("bare", "course", "afresh")  # (a), (b), (b0)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    spawns: dict[str, list[float]] = {kind: [] for kind in kinds}
    tasks: dict[str, list[list[list[float]]]] = {kind: [] for kind in kinds}
    runtime_scripts = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        build(Path(tmp) / "site")
        build(Path(tmp) / "afresh", snapshot=False)
        site, afresh = serve(Path(tmp) / "site"), serve(Path(tmp) / "afresh")
        urls = {
            "bare": site.url + "__bench__/",
            "course": site.url + args.page,
            "afresh": afresh.url + args.page,
        }
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        for kind in kinds:  # warm the servers and the disk cache
            sample(browser, urls[kind], kind != "bare")
        for _ in range(args.runs):
            for kind in kinds:
                time, spawn, long_tasks, runtime = sample(browser, urls[kind], kind != "bare")
                times[kind].append(time)
                spawns[kind].append(spawn)
                tasks[kind].append(long_tasks)
                if kind == "course":
                    runtime_scripts.extend((duration, what) for _, duration, what in runtime)
        browser.close()
        site.close()
        afresh.close()

    def describe(runs: list[list[list[float]]]) -> str:
        longest = max((duration for run in runs for _, duration in run), default=0)
        per_run = statistics.median(sum(duration for _, duration in run) for run in runs)
        return f"median total {per_run:.0f} ms per run, longest {longest:.0f} ms"

    def ratios(kind: str) -> str:
        of_medians = statistics.median(times[kind]) / statistics.median(times["bare"])
        paired = statistics.median(
            mine / bare for bare, mine in zip(times["bare"], times[kind], strict=True)
        )
        return f"{of_medians:.3f} (ratio of the medians), {paired:.3f} (median of paired ratios)"

    labels = {
        "bare": "(a)  bare Pyodide boot in a worker:        ",
        "course": "(b)  course page to first cell's output:   ",
        "afresh": "(b0) the same, without the snapshot:       ",
    }
    print(f"runs: {args.runs} of each, Chromium, cold cache, 127.0.0.1")
    for kind in kinds:
        runs = times[kind]
        print(
            f"{labels[kind]}median {statistics.median(runs):6.0f} ms "
            f"(min {min(runs):.0f}, max {max(runs):.0f}); worker requested at "
            f"{statistics.median(spawns[kind]):.0f} ms"
        )
    print(f"(b)/(a)  = {ratios('course')}")
    print(f"(b0)/(a) = {ratios('afresh')}: what the runtime and the page add to a bare boot")
    print(f"(c) main-thread long tasks, bare page:   {describe(tasks['bare'])}")
    print(
        f"(c) main-thread long tasks, course page: {describe(tasks['course'])} "
        "(the theme's scripts included)"
    )
    longest, what = max(runtime_scripts, default=(0, ""))
    print(
        f"(c) runtime's own scripts in long frames: longest {longest:.0f} ms, "
        f"{sum(1 for d, _ in runtime_scripts if d >= 50)} of {len(runtime_scripts)} "
        f"at 50 ms or more; the longest: {what}"
    )


if __name__ == "__main__":
    main()

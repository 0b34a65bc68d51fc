"""Tokenizer widget in Chromium: keystroke to rendered tokens, and each encoding's load time.

(a) Keystroke → render: a page with the widget holding 1 KB of text (the lecture's own
    prose, about 220 tokens, and mixed text from tests/tokenizer_reference.py: many
    languages, code, emoji, about 750 tokens), for one encoding (cl100k_base) and for three
    side by side. Characters are typed into the middle of the text one at a time; measured
    in the page from the `input` event to the moment the new chips are in the DOM
    (MutationObserver on the token rows), and to the next animation frame after that. As a
    baseline in the same run, the bare round trip of the same `tokenizer.tokenize` call.
(b) Encoding load: in a fresh worker (one page per encoding and run), once Pyodide is up:
    writing the rank file into Pyodide (fetch + write), importing the tokenizer's calls, and the
    first `tokenize` call (reading the ranks, building the encoding, encoding "hello").

Targets: (a) median ≤ 16 ms for 1 KB; (b) cl100k_base ready ≤ 300 ms after Pyodide is up.

    .venv/bin/python bench/tokenizer_browser.py [--keys 40] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser.site_server import CHROMIUM_ARGS, serve, settled_context  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from support import mkdocs_build, write_project  # noqa: E402
from tokenizer_reference import mixed_text  # noqa: E402

ENCODINGS = ["r50k_base", "cl100k_base", "o200k_base"]
INSTRUMENT = """
window.__samples = [];
window.__frames = [];
let typed = 0;
document.addEventListener("input", () => { typed = performance.now(); }, true);
new MutationObserver((records) => {
  if (!typed) return;
  const rows = ".lecture-tokenizer--live [data-role=tokens]";
  if (!records.some((record) => record.target.closest?.(rows))) return;
  const start = typed;
  typed = 0;
  window.__samples.push(performance.now() - start);
  requestAnimationFrame(() => window.__frames.push(performance.now() - start));
}).observe(document, { subtree: true, childList: true });
"""


def prose(size: int = 1000) -> str:
    """The lecture's own prose: the tokenization page's paragraphs, first ``size`` chars."""
    text = (ROOT / "docs/lecture/03-tokenization.md").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p[:1].isalpha()]
    return " ".join(" ".join(paragraphs).split())[:size]


def fence(widget_id: str, text: str, encodings: list[str]) -> str:
    return (
        f"```{{tokenizer}}\nid: {widget_id}\ntext: {json.dumps(text, ensure_ascii=False)}\n"
        f"encodings: {json.dumps(encodings)}\npresets: false\n```\n\n"
    )


def build(folder: Path) -> Path:
    # a page is UTF-8: the mixed text's lone surrogates become "?"
    mixed = mixed_text(1000).encode("utf-8", "replace").decode("utf-8")
    texts = {"prose": prose(), "mixed": mixed}
    page = "# Bench\n\n"
    for name, text in texts.items():
        page += fence(f"{name}-one", text, ["cl100k_base"])
        page += fence(f"{name}-three", text, ENCODINGS)
    config = write_project(
        folder,
        {"index.md": "# Home\n", "bench.md": page},
        theme={"name": "material", "font": False},
    )
    result = mkdocs_build(config, "--strict")
    if result.returncode:
        sys.exit(result.stderr)
    return folder / "site"


def keystrokes(page: Page, widget: str, keys: int) -> tuple[list[float], list[float], list[float]]:
    root = page.locator(f"#{widget}")
    root.scroll_into_view_if_needed()
    panels = root.locator(".lecture-tokenizer--live > .lecture-tokenizer__panels")
    panels.wait_for(state="visible", timeout=120_000)
    box = root.locator("[data-role=input]")
    box.focus()
    box.evaluate("(box) => box.setSelectionRange(box.value.length >> 1, box.value.length >> 1)")
    page.evaluate("window.__samples = []; window.__frames = []")
    for n, char in enumerate(("typing tokens, 9.11 " * 10)[:keys], start=1):
        page.keyboard.type(char)
        page.wait_for_function(f"window.__frames.length >= {n}", polling=10)
        page.wait_for_timeout(30)  # a fast typist: about 20 keys per second
    samples, frames = page.evaluate("[window.__samples, window.__frames]")
    encodings = json.loads(root.get_attribute("data-lecture-options"))["encodings"]
    calls = page.evaluate(
        """async ([text, encodings]) => {
          const { python } = await import("/assets/lecture/python.js");
          const times = [];
          for (let i = 0; i < 30; i++) {
            const start = performance.now();
            await python.call("tokenizer.tokenize", { text, encodings });
            times.push(performance.now() - start);
          }
          return times;
        }""",
        [box.input_value(), encodings],
    )
    return samples, frames, calls


LOAD = """async ([name, file]) => {
  const { python } = await import("/assets/lecture/python.js");
  await python.boot();
  const t0 = performance.now();
  const url = new URL(`/assets/lecture/widgets/tokenizer/${file}`, location.href).href;
  await python.files([{ url, path: `tokenizer/${file}` }]);
  const t1 = performance.now();
  const code = "import lecture_widgets.tokenizer.calls";
  await python.call("python.run", { code, namespace: "bench" });
  const t2 = performance.now();
  await python.call("tokenizer.tokenize", { text: "hello", encodings: [name] });
  const t3 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2, t3 - t0];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = serve(build(Path(tmp)))
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        loads: dict[str, list[list[float]]] = {name: [] for name in ENCODINGS}
        for _ in range(args.runs):
            for name in ENCODINGS:
                context = settled_context(browser)  # a fresh worker, in a reader's window
                page = context.new_page()
                page.goto(site.url)
                file = f"data/{name}.tokens.gz"
                loads[name].append(page.evaluate(LOAD, [name, file]))
                context.close()
        page = browser.new_page()
        page.add_init_script(INSTRUMENT)
        page.goto(site.url + "bench/")
        results = {
            widget: keystrokes(page, widget, args.keys)
            for widget in ("prose-one", "prose-three", "mixed-one", "mixed-three")
        }
        tokens = {
            widget: page.locator(
                f"#{widget} .lecture-tokenizer--live > .lecture-tokenizer__panels [data-role=count]"
            ).all_text_contents()
            for widget in results
        }
        browser.close()
        site.close()

    print(f"(a) keystroke → tokens rendered, 1 KB of text, {args.keys} keys each, Chromium")
    print(f"    {'text, encodings':<22} {'DOM median':>10} {'p90':>7} {'frame':>7} {'call':>7}")
    for widget, (samples, frames, calls) in results.items():
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(
            f"    {widget:<22} {statistics.median(samples):7.1f} ms {p90:5.1f} ms"
            f" {statistics.median(frames):5.1f} ms {statistics.median(calls):5.1f} ms"
            f"   ({', '.join(tokens[widget])})"
        )
    print("    DOM: input event → new chips in the DOM; frame: → the next animation frame;")
    print("    call: the same tokenize call's bare round trip (Python + worker messages)")
    print(f"(b) encoding load once Pyodide is up, median of {args.runs} fresh workers")
    print(f"    {'encoding':<12} {'file':>8} {'import':>8} {'first call':>11} {'total':>8}")
    for name, runs in loads.items():
        file, imported, first, total = (
            statistics.median(column) for column in zip(*runs, strict=True)
        )
        print(f"    {name:<12} {file:5.0f} ms {imported:5.0f} ms {first:8.0f} ms {total:5.0f} ms")
    one = statistics.median(results["prose-one"][0])
    ready = statistics.median(run[3] for run in loads["cl100k_base"])
    print(
        f"targets: keystroke median {one:.1f} / 16 ms = {one / 16:.2f}; "
        f"cl100k_base ready {ready:.0f} / 300 ms = {ready / 300:.2f}"
    )


if __name__ == "__main__":
    main()

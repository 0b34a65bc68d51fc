"""The labeling game's start in real Pyodide (under Node, from the start-up snapshot): the
first `labeling.start` call, which imports the widget's browser code, reads its data and
picks the first sentence. Runs this tree's widgets wheel and a baseline revision's, in
alternating order, and prints the medians, their ratio and which modules the start loaded
that only static views need (xml.etree).

    .venv/bin/python bench/labeling_start.py [--baseline REV] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "widgets/labeling/data"
FILES = [[str(DATA / name), f"labeling/data/{name}"] for name in ("movies.json", "products.json")]
FILES.append([str(DATA / "vader_valence.tsv"), "labeling/data/vader_valence.tsv"])
START = {"widget": "w", "dataset": "movies", "sampling": "uncertainty", "test_size": 300}


def wheel_of(tree: Path, out: Path) -> Path:
    """The widgets wheel built by `tree`'s own bundle code, in a fresh interpreter."""
    out.mkdir(parents=True, exist_ok=True)
    code = (
        "import importlib.util, sys\n"
        "from pathlib import Path\n"
        "for name, folder in (('lecture_widgets', 'widgets'), ('mkdocs_lecture', 'plugin')):\n"
        f"    path = Path({str(tree)!r}) / folder\n"
        "    spec = importlib.util.spec_from_file_location(name, path / '__init__.py',"
        " submodule_search_locations=[str(path)])\n"
        "    module = importlib.util.module_from_spec(spec); sys.modules[name] = module\n"
        "    spec.loader.exec_module(module)\n"
        "from mkdocs_lecture.bundle import build_wheel\n"
        "from mkdocs_lecture.registry import discover\n"
        f"print(build_wheel(discover().values(), Path({str(out)!r})).name)\n"
    )
    name = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out / name.stdout.strip()


def start(wheel: Path, snapshot: Path) -> tuple[float, list[str]]:
    harness = ["node", str(ROOT / "tests/pyodide/harness.mjs"), str(wheel), str(snapshot)]
    process = subprocess.Popen(
        harness, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdin and process.stdout
    json.loads(process.stdout.readline())

    def request(**message: object) -> dict:
        process.stdin.write(json.dumps(message) + "\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
        return json.loads(process.stdout.readline())  # type: ignore[union-attr]

    request(id=0, files=FILES)
    begin = time.perf_counter()
    answer = request(
        id=1, call="labeling.start", payload={**START, "labels": ["negative", "positive"]}
    )
    seconds = time.perf_counter() - begin
    assert "error" not in answer, answer
    modules = request(id=2, eval="sorted(m for m in __import__('sys').modules if 'etree' in m)")
    process.terminate()
    process.wait()
    return seconds * 1000, modules["value"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="a git revision (default: HEAD)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from mkdocs_lecture.snapshot import cached_snapshot

    snapshot = cached_snapshot(ROOT / "node_modules/pyodide", required=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(base), args.baseline],
            cwd=ROOT,
            check=True,
        )
        try:
            wheels = {
                "this tree": wheel_of(ROOT, Path(tmp)),
                args.baseline: wheel_of(base, Path(tmp) / "b"),
            }
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=True
            )
        times: dict[str, list[float]] = {name: [] for name in wheels}
        for run in range(args.runs):
            for name in list(wheels)[:: 1 if run % 2 == 0 else -1]:
                milliseconds, etree = start(wheels[name], snapshot)
                times[name].append(milliseconds)
                if run == 0:
                    size = wheels[name].stat().st_size
                    loaded = ", ".join(etree) or "none"
                    print(f"{name}: wheel {size:,} bytes; xml.etree modules after start: {loaded}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        runs = [round(value) for value in values]
        print(f"{name}: first labeling.start, median {medians[name]:.0f} ms of {runs}")
    ratios = [new / old for new, old in zip(times["this tree"], times[args.baseline], strict=True)]
    ratio = medians["this tree"] / medians[args.baseline]
    print(
        f"this tree / {args.baseline}: {ratio:.3f} (medians), "
        f"{statistics.median(ratios):.3f} (median of paired ratios)"
    )


if __name__ == "__main__":
    main()

"""Lighthouse (npm, pinned in package.json) on the course's pages, in one run.

Scores performance, accessibility and best practices for every page of the course
(Lighthouse's default mobile profile with simulated throttling; text served with gzip, as
GitHub Pages serves it), and prints each page next to the same page built without the
plugin's runtime (the widgets' roots stay, no script loads them): the difference is what
the runtime costs. Scores move by several points from run to run (one run in five may
lose 8): each is the median of `--runs` runs, the two variants alternating. Five runs of
the seven pages take about half an hour.

    .venv/bin/python bench/lighthouse.py [--runs 5] [--no-baseline] [--pages lecture/01-… …]
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

from browser.site_server import (  # noqa: E402
    CHROMIUM_ARGS,
    PagesHandler,
    build_and_serve,
    precompress,
    serve,
)

CATEGORIES = ("performance", "accessibility", "best-practices")


def lighthouse(url: str, out: Path) -> dict[str, float]:
    subprocess.run(
        [
            "npx",
            "--no-install",
            "lighthouse",
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "CHROME_PATH": shutil.which("chromium") or ""},
    )
    report = json.loads(out.read_text())
    return {name: report["categories"][name]["score"] * 100 for name in CATEGORIES}


def strip_runtime(site: Path) -> None:
    """The same site with the runtime's tags removed from every page."""
    for page in site.rglob("*.html"):
        text = page.read_text()
        lines = [line for line in text.splitlines() if "assets/lecture/" not in line]
        page.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", nargs="*")
    parser.add_argument("--runs", type=int, default=5, help="runs per page; medians are shown")
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score each page without the runtime (twice the time)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = build_and_serve(ROOT / "mkdocs.yml", tmp / "site", {}, PagesHandler)
        bare_dir = tmp / "bare"
        shutil.copytree(site.directory, bare_dir)
        strip_runtime(bare_dir)
        for directory in (site.directory, bare_dir):
            precompress(directory)  # (not while Lighthouse times the first runs)
        bare = serve(bare_dir, PagesHandler)
        pages = args.pages or sorted(
            page.parent.relative_to(site.directory).as_posix().strip(".") + "/"
            for page in site.directory.rglob("index.html")
            if "data-lecture-widget=" in page.read_text()
        )
        print(
            f"{'page':42} "
            + "  ".join(f"{name:>14}" for name in CATEGORIES)
            + "   (without the runtime)"
        )
        worst = dict.fromkeys(CATEGORIES, 100.0)
        for path in pages:
            runs = [
                (
                    lighthouse(site.url + path.lstrip("/"), tmp / "report.json"),
                    lighthouse(bare.url + path.lstrip("/"), tmp / "baseline.json")
                    if args.baseline
                    else dict.fromkeys(CATEGORIES, float("nan")),
                )
                for _ in range(args.runs)
            ]
            scores, baseline = (
                {name: statistics.median(run[i][name] for run in runs) for name in CATEGORIES}
                for i in (0, 1)
            )
            for name in CATEGORIES:
                worst[name] = min(worst[name], scores[name])
            print(
                f"{path:42} "
                + "  ".join(
                    f"{scores[name]:6.0f} ({baseline[name]:3.0f})" + " " * 3 for name in CATEGORIES
                )
            )
        print("lowest: " + ", ".join(f"{name} {worst[name]:.0f}" for name in CATEGORIES))
        site.close()
        bare.close()


if __name__ == "__main__":
    main()

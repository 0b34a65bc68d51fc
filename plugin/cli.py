"""The `mkdocs-lecture` command: `new`, `check` (and `bundle`, for Zensical)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .new import NewCourseError, new_course


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mkdocs-lecture", description="Course sites with live Python widgets."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="write a starter course into a new folder")
    new.add_argument("folder", type=Path)
    check = commands.add_parser("check", help="check every widget of a built site")
    check.add_argument("site", nargs="?", default="site", type=Path, help="default: site")
    check.add_argument("--timeout", type=float, default=90.0, help="seconds per widget")
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(args.folder)
    from .check import run_check  # Playwright is an optional dependency

    return run_check(args.site, args.timeout)


def _new(folder: Path) -> int:
    try:
        written = new_course(folder)
    except NewCourseError as error:
        print(f"mkdocs-lecture new: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote {path}")
    print(
        f"\nYour course is in {folder}. Next:\n"
        f"  cd {folder}\n"
        "  mkdocs serve          # the course at http://127.0.0.1:8000, rebuilt as you edit\n"
        "  mkdocs build          # the site, in site/, for any static host\n"
        "Publishing on GitHub Pages: push to GitHub and set Pages' source to GitHub Actions."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

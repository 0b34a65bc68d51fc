"""The `mkdocs-lecture` command: `new`, `import-jekyll`, `new-widget`, `check`, and
`bundle` (after `zensical build`)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .new import NewCourseError, new_course, new_widget


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mkdocs-lecture", description="Course sites with live Python widgets."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="write a starter course into a new folder")
    new.add_argument("folder", type=Path)
    widget = commands.add_parser("new-widget", help="write a widget to start from")
    widget.add_argument("name", help="the widget's name: ```{name}``` in pages")
    widget.add_argument(
        "--into", type=Path, default=Path("widgets"), help="its folder's parent (default: widgets)"
    )
    imported = commands.add_parser(
        "import-jekyll", help="copy a Jekyll course into a new MkDocs course"
    )
    imported.add_argument("source", type=Path, help="the Jekyll site's folder")
    imported.add_argument("folder", type=Path, help="the new course's folder")
    check = commands.add_parser("check", help="check every widget of a built site")
    check.add_argument("site", nargs="?", default="site", type=Path, help="default: site")
    check.add_argument("--timeout", type=float, default=90.0, help="seconds per widget")
    bundle = commands.add_parser(
        "bundle", help="after `zensical build`: write the site's runtime, widgets and Pyodide"
    )
    bundle.add_argument("site", nargs="?", default="site", type=Path, help="default: site")
    bundle.add_argument(
        "-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="default: mkdocs.yml"
    )
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(args.folder)
    if args.command == "import-jekyll":
        return _import_jekyll(args.source, args.folder)
    if args.command == "new-widget":
        return _new_widget(args.name, args.into)
    if args.command == "bundle":
        return _bundle(args.site, args.config_file)
    from .check import run_check  # Playwright is an optional dependency

    return run_check(args.site, args.timeout)


def _new(folder: Path) -> int:
    return _write(
        "new",
        lambda: new_course(folder),
        f"Your course is in {folder}. Next:\n"
        f"  cd {folder}\n"
        "  mkdocs serve          # the course at http://127.0.0.1:8000, rebuilt as you edit\n"
        "  mkdocs build          # the site, in site/, for any static host\n"
        "Publishing on GitHub Pages: push to GitHub and set Pages' source to GitHub Actions.",
    )


def _import_jekyll(source: Path, folder: Path) -> int:
    from .jekyll.importer import import_jekyll

    return _write(
        "import-jekyll",
        lambda: import_jekyll(source, folder),
        f"The course from {source} is in {folder}: its pages in docs/, _config.yml, "
        "_includes/, _layouts/ and assets/ beside docs/. Next:\n"
        f"  cd {folder}\n"
        "  mkdocs build --strict  # each Liquid or LaTeX problem with its page and line\n"
        "  mkdocs serve           # the course at http://127.0.0.1:8000",
    )


def _new_widget(name: str, into: Path) -> int:
    return _write(
        "new-widget",
        lambda: new_widget(name, into),
        f"Use it: in mkdocs.yml, `widgets_dirs: [{into}]` under the lecture plugin, and in a "
        f"page:\n\n```{{{name}}}\ntext: Python runs in this page\n```\n\n"
        "`mkdocs-lecture check site` runs its smoke test (view.js) in Chromium.",
    )


def _write(command: str, write: Callable[[], list[Path]], next_steps: str) -> int:
    """Run a command that writes files; list them, then what to do next."""
    try:
        written = write()
    except NewCourseError as error:
        print(f"mkdocs-lecture {command}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote {path}")
    print(f"\n{next_steps}")
    return 0


def _bundle(site: Path, config_file: Path) -> int:
    from .postbuild import PostBuildError, bundle_site

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    try:
        found = bundle_site(site, config_file)
    except PostBuildError as error:
        print(f"mkdocs-lecture bundle: {error}", file=sys.stderr)
        return 2
    widgets = ", ".join(f"{count} {name}" for name, count in sorted(found.uses.items()))
    print(
        f"Wrote {site / 'assets/lecture'} for {len(found.pages)} page(s) with widgets"
        + (f" ({widgets})." if widgets else ".")
    )
    for page in found.error_pages:
        print(f"ERROR: {site / page}: a widget fence could not be built (see the build's output)")
    return 1 if found.error_pages else 0


if __name__ == "__main__":
    sys.exit(main())

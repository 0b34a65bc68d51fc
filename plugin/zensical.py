"""Zensical runs the Markdown extension but not MkDocs plugins.

There the extension learns the page from Zensical's rendering context (its name and URL,
the docs folder, where its text starts after the front matter), reports a bad fence on
stderr and in the page instead of aborting the build with a traceback, and puts the
runtime's tags in the page itself. `mkdocs-lecture bundle SITE`, run after
`zensical build`, writes what the plugin's build step writes (`assets/lecture/`).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markdown import Markdown
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from .extension import LectureExtension, WidgetError
    from .packages import Packages, PagePackages

CONTEXT = "rendering_context"  # zensical.extensions.context.ContextPreprocessor


def adopt_page(md: Markdown, extension: LectureExtension, lines: list[str]) -> None:
    """When Zensical is rendering, tell the extension which page `lines` are."""
    if CONTEXT not in md.preprocessors:
        return
    context = md.preprocessors[CONTEXT]
    config, page = context.config, context.page  # type: ignore[attr-defined]
    docs_dir = Path(config.get("root_dir") or ".", config["docs_dir"])  # relative to mkdocs.yml
    try:
        source = (docs_dir / page.path).read_text(encoding="utf-8-sig")
    except OSError:
        source = ""
    name = f"{docs_dir.name}/{page.path}"
    extension.docs_dir = docs_dir
    extension.on_error = report
    extension.on_warning = warn
    offset = _line_offset(source, lines)
    extension.set_page(
        name, offset, page.url, packages=_page_packages(extension, config, name, source, offset)
    )


def _page_packages(
    extension: LectureExtension, config: dict, name: str, source: str, offset: int
) -> PagePackages:
    """The site's packages (the `lecture` entry of mkdocs.yml, as `mkdocs-lecture bundle`
    reads it) for the extension, and the page's front-matter `packages:`."""
    from .extension import WidgetError
    from .packages import PackageError, PagePackages

    config_file = Path(config.get("root_dir") or ".", "mkdocs.yml")
    try:
        extension.packages = _site_packages(config_file.resolve(), _mtime(config_file))
        front_matter = "\n".join(source.replace("\r\n", "\n").split("\n")[:offset])
        meta = yaml.safe_load(front_matter.strip().strip("-")) if offset else None
        return extension.packages.of_page(meta if isinstance(meta, dict) else {}, front_matter)
    except PackageError as error:
        report(WidgetError(name if error.line else config_file.name, error.line or 1, str(error)))
    except yaml.YAMLError:
        pass  # (Zensical reports a front matter it cannot read)
    return PagePackages()


@functools.cache
def _site_packages(config_file: Path, _mtime: float) -> Packages:
    """The plugin's options and `packages:` from `config_file`, once per version of it."""
    from .packages import Packages
    from .postbuild import read_options

    packages = Packages.from_config(read_options(config_file))
    packages.resolve_site()
    return packages


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def _line_offset(source: str, lines: list[str]) -> int:
    """How many lines of the file come before `lines` (Zensical strips the front matter)."""
    text = "\n".join(lines)
    source = source.replace("\r\n", "\n")
    return source[: len(source) - len(text)].count("\n") if source.endswith(text) else 0


def report(error: WidgetError) -> None:
    """Zensical has no channel for an extension's problems: stderr, as its own read, and
    the error box in the page (`mkdocs-lecture bundle` fails on those)."""
    print(f"Error: lecture: {error.source}:{error.line}: {error.message}", file=sys.stderr)


def warn(warning: WidgetError) -> None:
    """A widget's warning about an option, on stderr as Zensical writes its own."""
    print(f"Warning: lecture: {warning.source}:{warning.line}: {warning.message}", file=sys.stderr)


def relative_url(path: str, page_url: str) -> str:
    """`path` (from the site's root) as seen from the page at `page_url`."""
    return get_relative_url(path, page_url or ".")

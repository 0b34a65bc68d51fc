"""Jekyll lecture markdown as it comes: a page written for Jekyll builds with no hand edits.

On a Jekyll page (front matter with `layout:`, or every page with `jekyll: true`):

- mojibake (UTF-8 read as Mac Roman or Windows-1252) is repaired (`mojibake.py`);
- front matter: `title` is the page title (and its H1 if it has none), `author` and
  `date` a byline under the H1, `category`/`categories`/`tags` lists in the page's meta,
  `layout` unused, `permalink` ignored with an INFO (MkDocs makes URLs from file paths);
- Liquid is translated (`liquid.py`), math becomes MathML (`math.py`), inline HTML keeps
  no script and fetches nothing from third parties (`html.py`, `processors.py`), and a
  list right after a paragraph is a list, as on GitHub.

`JekyllExtension` is a Python-Markdown extension; the MkDocs plugin calls `start_page`
from `on_page_markdown` and `finish_page` from `on_page_content`.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from mkdocs.utils import get_relative_url

from . import kramdown, math, tufte
from .config import front_matter_defaults, read_config, site_variables
from .liquid import translate
from .mojibake import CODECS, repair, repair_with
from .page import JekyllPage, byline_html, normalize_meta, with_title_and_byline
from .processors import ListAfterParagraph, RawHtml, SafeElements, ScriptBlocks, StashMark
from .urls import RootUrls, RootUrlsInHtml

log = logging.getLogger("mkdocs.plugins.lecture")
MODES = (True, False, "auto")
GENERIC_POINTER = "See the live demos in this course."


def is_jekyll_page(meta: dict[str, Any], mode: bool | str) -> bool:
    """`jekyll: true` in the page's front matter or in the plugin's config, or (`auto`, the
    default) a `layout:` in the front matter: a Jekyll key MkDocs never uses."""
    if mode is False:
        return False
    if isinstance(meta.get("jekyll"), bool):
        return meta["jekyll"]
    return mode is True or "layout" in meta


class JekyllExtension(Extension):
    """See the module docstring. `demo_page`: the page (`path.md`, optionally with
    `#anchor`) the note of a left-out script points to."""

    def __init__(
        self,
        *,
        mode: bool | str = "auto",
        external_images: str = "link",
        script_pointer: str = "",
        demo_page: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.mode, self.keep_images = mode, external_images == "keep"
        self.script_pointer, self.demo_page = script_pointer, demo_page
        self.page: JekyllPage | None = None
        self.math_css = False  # some page links math.STYLESHEET: the build writes it
        self.tufte_css = False  # some page links tufte.STYLESHEET: the build writes it
        self.site_config: tuple[dict[str, Any], str] | None = None  # _config.yml, once a build

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        state = RawHtml()
        current = lambda: self.page  # noqa: E731
        md.preprocessors.register(StashMark(md, state, "blocks_start"), "lecture_jekyll_a", 20.5)
        md.preprocessors.register(StashMark(md, state, "blocks_end"), "lecture_jekyll_b", 19.5)
        math.register(md, current)
        kramdown.register(md, lambda: self.page is not None)
        md.parser.blockprocessors.register(
            ListAfterParagraph(md.parser, lambda: self.page is not None), "lecture_jekyll_lists", 12
        )
        md.treeprocessors.register(
            SafeElements(md, current, self.keep_images), "lecture_jekyll_images", 15
        )
        md.postprocessors.register(
            ScriptBlocks(md, state, current, self.pointer, self.keep_images),
            "lecture_jekyll_scripts",
            31,  # before raw_html (30) puts the stashed HTML back
        )
        # before MkDocs' links (0), which checks the relative paths
        md.treeprocessors.register(RootUrls(md, current), "lecture_jekyll_root_urls", 0.5)
        md.postprocessors.register(
            RootUrlsInHtml(md, state, current), "lecture_jekyll_root_urls_html", 30.5
        )

    # The page's life: start_page (its Markdown), conversion, finish_page (its HTML).

    def start_page(
        self,
        markdown: str,
        *,
        page: Any,
        files: Any,
        config: Any,
        source: str,
        line_offset: int,
    ) -> str:
        """The page's Markdown made ready for conversion, if it is a Jekyll page."""
        self.page = None
        if self.mode is False:
            return markdown
        if self.site_config is None:
            self.site_config = read_config(Path(config.docs_dir))
        site_config = self.site_config
        for key, value in front_matter_defaults(site_config[0], page.file.src_uri).items():
            page.meta.setdefault(key, value)  # (a collection's layout makes its pages Jekyll's)
        if not is_jekyll_page(page.meta, self.mode):
            return markdown
        meta = page.meta
        _, codec = repair(page.file.content_string)
        if codec:
            markdown = repair_with(markdown, codec)
            _repair_values(meta, codec)
        normalize_meta(meta)
        jekyll_page = JekyllPage(
            source=source,
            src_uri=page.file.src_uri,
            url=page.url,
            line_offset=line_offset,
            meta=meta,
            markdown=markdown,
            site=site_variables(site_config[0], config),
            config_name=site_config[1],
            docs_dir=config.docs_dir,
            files=files,
        )
        if codec:
            jekyll_page.info(None, f"repaired mojibake (UTF-8 text read as {CODECS[codec]}).")
        if "permalink" in meta:
            jekyll_page.info(
                None,
                f"permalink {meta['permalink']!r} ignored: MkDocs makes URLs from file paths "
                f"(this page is at '{page.url or './'}').",
            )
        markdown = translate(markdown, jekyll_page)
        self.page = jekyll_page
        return markdown

    def finish_page(self, html: str, title: str | None) -> str:
        """The page's HTML with its title as H1 (if it has none) and its byline, the
        stylesheet of math tables when it has a cell aligned left or right (`math.CSS`),
        and that of Tufte's notes when it has some (`tufte.CSS`): links in the content, as
        Material's instant navigation swaps it in; no inline style."""
        page, self.page = self.page, None
        if page is None:
            return html
        html = with_title_and_byline(html, title or "", byline_html(page.meta, page.src_uri))
        if math.ALIGNED_CELL.search(html):
            self.math_css = True
            href = get_relative_url(math.STYLESHEET, page.url)
            html += f'\n<link rel="stylesheet" href="{escape(href)}">'
        if tufte.TUFTE_HTML.search(html):
            self.tufte_css = True
            href = get_relative_url(tufte.STYLESHEET, page.url)
            html += f'\n<link rel="stylesheet" href="{escape(href)}">'
        return html

    def pointer(self) -> str:
        """HTML pointing readers to a live demo, for the note of a left-out script."""
        if self.script_pointer:
            return escape(self.script_pointer)
        page = self.page
        path, _, anchor = self.demo_page.partition("#")
        target = page.files.get_file_from_path(path) if page and path and page.files else None
        if page is None or target is None:
            if path and page is not None:
                log.warning(
                    "lecture: jekyll_demo: '%s' is not a page of this site (%s points to it)",
                    path,
                    page.src_uri,
                )
            return GENERIC_POINTER
        href = get_relative_url(target.url, page.url) + (f"#{anchor}" if anchor else "")
        where = "on this page" if target.src_uri == page.src_uri else "of this course"
        return f'Try the <a href="{escape(href)}">live demo</a> {where}.'


def jekyll_assets(docs_dir: Path) -> list[Path]:
    """The files of a Jekyll site's `assets/` beside `docs/` (the site's root holds
    `_config.yml`, `_posts/`, `_includes/` or `_layouts/`), published as `assets/…`."""
    root = docs_dir.resolve().parent
    assets = root / "assets"
    markers = ("_config.yml", "_posts", "_includes", "_layouts")
    if not assets.is_dir() or not any((root / name).exists() for name in markers):
        return []
    return sorted(path for path in assets.rglob("*") if path.is_file())


def write_math_css(site_dir: Path) -> None:
    """The stylesheet that Jekyll pages with aligned math link (`math.STYLESHEET`)."""
    _write(site_dir / math.STYLESHEET, math.CSS)


def write_tufte_css(site_dir: Path) -> None:
    """The stylesheet that Jekyll pages with Tufte's notes link (`tufte.STYLESHEET`)."""
    _write(site_dir / tufte.STYLESHEET, tufte.CSS)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _repair_values(value: Any, codec: str) -> Any:
    """Front-matter strings (nested in lists and mappings) repaired with the page's codec."""
    if isinstance(value, str):
        return repair_with(value, codec)
    if isinstance(value, dict):
        for key in list(value):
            value[key] = _repair_values(value[key], codec)
    elif isinstance(value, list):
        value[:] = [_repair_values(item, codec) for item in value]
    return value


__all__ = [
    "MODES",
    "JekyllExtension",
    "is_jekyll_page",
    "jekyll_assets",
    "write_math_css",
    "write_tufte_css",
]

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

import re
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from markdown import Extension, Markdown
from mkdocs.utils import get_relative_url

from . import math
from .liquid import translate
from .mojibake import CODECS, repair, repair_with
from .page import JekyllPage, byline_html, normalize_meta, with_title_and_byline
from .processors import ListAfterParagraph, RawHtml, SafeElements, ScriptBlocks, StashMark

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
    """See the module docstring. `widget_uses()` lists the widgets of the page being
    converted (to point to a demo on the page itself)."""

    def __init__(
        self,
        *,
        mode: bool | str = "auto",
        external_images: str = "link",
        script_pointer: str = "",
        demo_widget: str = "labeling",
        widget_uses: Callable[[], Iterable[Any]] = list,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.mode, self.keep_images = mode, external_images == "keep"
        self.script_pointer, self.demo_widget = script_pointer, demo_widget
        self.widget_uses = widget_uses
        self.page: JekyllPage | None = None
        self._demo_pages: tuple[int, Any] = (0, None)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        state = RawHtml()
        current = lambda: self.page  # noqa: E731
        md.preprocessors.register(StashMark(md, state, "blocks_start"), "lecture_jekyll_a", 20.5)
        md.preprocessors.register(StashMark(md, state, "blocks_end"), "lecture_jekyll_b", 19.5)
        math.register(md, current)
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
            site={
                "title": config.site_name or "",
                "description": config.site_description or "",
                "author": config.site_author or "",
                "url": config.site_url or "",
            },
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
        """The page's HTML with its title as H1 (if it has none) and its byline."""
        page, self.page = self.page, None
        if page is None:
            return html
        return with_title_and_byline(html, title or "", byline_html(page.meta, page.src_uri))

    def pointer(self) -> str:
        """HTML pointing readers to a live demo, for the note of a left-out script."""
        if self.script_pointer:
            return escape(self.script_pointer)
        name = self.demo_widget
        for use in self.widget_uses():
            if use.widget.name == name:
                link = f'<a href="#{escape(use.id)}">live {escape(name)} demo</a>'
                return f"Try the {link} on this page."
        page = self.page
        target = self._demo_page(page.files) if page and name else None
        if page is not None and target is not None and target.src_uri != page.src_uri:
            href = escape(get_relative_url(target.url, page.url))
            return f'Try the <a href="{href}">live {escape(name)} demo</a> of this course.'
        return GENERIC_POINTER

    def _demo_page(self, files: Any) -> Any:
        """The first page of the course with a `{demo_widget}` fence (cached per build)."""
        if files is None:
            return None
        if self._demo_pages[0] != id(files):
            name = re.escape(self.demo_widget)
            fence = re.compile(rf"^ *(?:`{{3,}}|~{{3,}})\s*\{{{name}\}}\s*$", re.MULTILINE)
            found = next((f for f in files.documentation_pages() if fence.search(_read(f))), None)
            self._demo_pages = (id(files), found)
        return self._demo_pages[1]


def _read(file: Any) -> str:
    try:
        return file.content_string
    except (OSError, UnicodeDecodeError):
        return ""


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


__all__ = ["MODES", "JekyllExtension", "is_jekyll_page"]

"""A Jekyll page being built: where it is, its front matter, and how it reports problems."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

log = logging.getLogger("mkdocs.plugins.lecture")
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass
class JekyllPage:
    """The page being converted: names for messages, its front matter, the site it is in."""

    source: str  # "docs/post.md", for messages
    src_uri: str  # "post.md", relative to docs_dir
    url: str  # the page's URL relative to the site root ("post/")
    line_offset: int  # lines before the Markdown body (front matter)
    meta: dict[str, Any]
    markdown: str = ""  # the body after Liquid, to find the line of later problems
    site: dict[str, Any] = field(default_factory=dict)  # site.title, site.url, … (config.py)
    config_name: str = ""  # the site's _config.yml, for messages ("" when it has none)
    docs_dir: str = "docs"
    files: Any = None  # mkdocs Files, to resolve {% link %} and {% post_url %}
    # the course's demo to point to instead of a left-out script: (text, href) or None
    demo: Callable[[], tuple[str, str] | None] = lambda: None
    liquid: Any = None  # its Liquid engine (engine.PageLiquid), made when first needed

    def error(self, line: int | None, message: str) -> None:
        """An error (fails --strict); the page still builds."""
        log.error("lecture: %s: %s", self.where(line), message)

    def info(self, line: int | None, message: str) -> None:
        log.info("lecture: %s: %s", self.where(line), message)

    def warning(self, line: int | None, message: str) -> None:
        log.warning("lecture: %s: %s", self.where(line), message)

    def where(self, line: int | None) -> str:
        return f"{self.source}:{line}" if line else self.source

    def line_of(self, snippet: str) -> int | None:
        """The page line where `snippet` first appears in the body, if it does."""
        index = self.markdown.find(snippet.strip()[:200]) if snippet.strip() else -1
        return self.line_offset + self.markdown.count("\n", 0, index) + 1 if index >= 0 else None


def report_error(source: str, line: int, message: str) -> None:
    """An error at `source:line` (fails --strict), in the format of widget errors."""
    log.error("lecture: %s:%s: %s", source, line, message)


def words(value: Any) -> list[str]:
    """Jekyll's `categories`/`tags`: a list, or a string of space-separated words."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def normalize_meta(meta: dict[str, Any]) -> None:
    """`category` and `categories` become one `categories` list; `tags` a list (as the
    tags plugins of MkDocs expect). `layout` stays, unused."""
    categories = words(meta.pop("category", None)) + words(meta.get("categories"))
    if categories:
        meta["categories"] = list(dict.fromkeys(categories))
    if "tags" in meta:
        meta["tags"] = words(meta["tags"])


def page_date(meta: dict[str, Any], src_uri: str) -> dt.date | None:
    """The post's date: front matter `date`, else the `2022-06-26-` prefix of its file name."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for text in (str(value) if value is not None else "", src_uri.rsplit("/", 1)[-1]):
        match = DATE_PREFIX.match(text.strip())
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                continue
    return None


def long_date(date: dt.date) -> str:
    """`26 June 2022`, the same in every locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def author_names(value: Any) -> str:
    """`author` as a string, a list, or a mapping with a `name` (jekyll-seo-tag's form)."""
    if isinstance(value, dict):
        value = value.get("name", "")
    if isinstance(value, list | tuple):
        return ", ".join(author_names(item) for item in value if item)
    return str(value).strip() if value is not None else ""


def byline_html(meta: dict[str, Any], src_uri: str) -> str:
    """`<p class="lecture-byline">Tao He · <time …>26 June 2022</time></p>`, or ''."""
    parts = []
    author = author_names(meta.get("author"))
    if author:
        parts.append(f'<span class="lecture-byline__author">{escape(author)}</span>')
    date = page_date(meta, src_uri)
    if date:
        parts.append(f'<time datetime="{date.isoformat()}">{long_date(date)}</time>')
    if not parts:
        return ""
    return f'<p class="lecture-byline">{" · ".join(parts)}</p>'


def with_title_and_byline(html: str, title: str, byline: str) -> str:
    """The page's HTML with the title as its H1 if it has none, and the byline under the
    H1 that opens the page (or at the top when the page does not open with one)."""
    body = html.lstrip()
    if title and not re.search(r"<h1[\s>]", html, re.IGNORECASE):
        body = f"<h1>{escape(title)}</h1>\n{body}"
    if not byline:
        return body
    if re.match(r"<h1[\s>]", body, re.IGNORECASE):
        end = body.lower().find("</h1>") + len("</h1>")
        return f"{body[:end]}\n{byline}{body[end:]}"
    return f"{byline}\n{body}"

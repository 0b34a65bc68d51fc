"""Root-absolute URLs of a Jekyll page (`/assets/x.png`, `/classification/`): Jekyll
serves the site at the domain's root, MkDocs anywhere (a GitHub Pages project site is at
`user.github.io/course/`), so they are made relative to the site's root:

- in Markdown links and images, to the target's path relative to the page's file, before
  MkDocs' own link processor (priority 0), which checks it and writes the URL;
- in raw HTML (`<img src="/assets/x.png">`, `href="/…"`), to the URL relative to the page.

The target is a file of the site (`assets/x.png`), or a page by its path or URL
(`/classification/` → `classification.md`), with `_config.yml`'s `baseurl` in front or not
(`/notes/assets/x.png` when it is `/notes`). One that is not there is a WARNING with the
page and line, and the URL stays as written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from markdown import Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from .page import JekyllPage
    from .processors import RawHtml

ROOT_ABSOLUTE = re.compile(r"^/(?!/)")
HTML_URL = re.compile(
    r"(?P<before><[A-Za-z][^<>]*?\s(?:src|href|poster|data)\s*=\s*)"
    r"(?P<quote>[\"']?)(?P<url>/(?!/)[^\"'\s<>]*)(?P=quote)",
    re.IGNORECASE,
)


def find_target(page: JekyllPage, url: str) -> Any | None:
    """The site's file that the root-absolute `url` names, or None."""
    files = page.files
    if files is None:
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    candidates = [path] if path else ["index.md"]
    if path and not posixpath.splitext(path.rstrip("/"))[1]:
        bare = path.rstrip("/")
        candidates += [f"{bare}.md", f"{bare}/index.md", f"{bare}/README.md"]
    for candidate in candidates:
        found = files.get_file_from_path(candidate)
        if found is not None:
            return found
    wanted = path.rstrip("/") + "/" if path else ""
    pages = files.documentation_pages() if hasattr(files, "documentation_pages") else []
    found = next((f for f in pages if f.url == wanted), None)
    base = str(page.site.get("baseurl") or "").strip("/")  # _config.yml's, spelt out
    if found is None and base and f"{path}/".startswith(f"{base}/"):
        return find_target(page, url[len(base) + 1 :] or "/")
    return found


def url_suffix(url: str) -> str:
    parts = urlsplit(url)
    return (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""
    )


def missing_message(url: str) -> str:
    return (
        f"'{url}' is not a file of this site (docs/, or the Jekyll site's assets/ beside "
        "it): add it there, or fix the link."
    )


def _missing(page: JekyllPage, url: str) -> None:
    page.warning(page.line_of(url), missing_message(url))


class RootUrls(Treeprocessor):
    """Markdown links and images: `/x` → the path of `x` relative to the page's file."""

    def __init__(self, md: Markdown, page: Callable[[], JekyllPage | None]) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: ElementTree.Element) -> None:
        page = self.page()
        if page is None:
            return
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            url = element.get(attribute) if attribute else None
            if not attribute or not url or not ROOT_ABSOLUTE.match(url):
                continue
            target = find_target(page, url)
            if target is None:
                _missing(page, url)
                continue
            base = posixpath.dirname(page.src_uri) or "."
            element.set(attribute, posixpath.relpath(target.src_uri, base) + url_suffix(url))


class RootUrlsInHtml(Postprocessor):
    """Raw HTML of the page (blocks and inline): `src="/x"` → the URL of `x` relative to the
    page's URL (MkDocs does not read raw HTML)."""

    def __init__(self, md: Markdown, state: RawHtml, page: Callable[[], JekyllPage | None]) -> None:
        super().__init__(md)
        self.state, self.page = state, page
        self.done: set[int] = set()

    def run(self, text: str) -> str:
        page = self.page()
        if page is None:
            return text
        stash = self.md.htmlStash.rawHtmlBlocks
        for index in range(self.state.blocks_start, len(stash)):
            raw = stash[index]
            if index in self.done or not isinstance(raw, str) or "/" not in raw:
                continue
            self.done.add(index)
            stash[index] = HTML_URL.sub(lambda m: self._relative(page, m), raw)
        return text

    @staticmethod
    def _relative(page: JekyllPage, match: re.Match[str]) -> str:
        url = match["url"]
        target = find_target(page, url)
        if target is None:
            _missing(page, url)
            return match[0]
        relative = get_relative_url(target.url or ".", page.url) or "."
        quote = match["quote"] or '"'
        return f"{match['before']}{quote}{relative}{url_suffix(url)}{quote}"

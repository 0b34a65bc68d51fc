"""Python-Markdown processors for Jekyll pages: GitHub-style lists, external images, and
inline HTML whose scripts are left out. Each acts only while a Jekyll page is converted."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .html import (
    Scan,
    host,
    image_label,
    is_external,
    sanitize,
    scan,
    script_note,
    unsafe_attribute,
)

if TYPE_CHECKING:
    from .page import JekyllPage

LIST_LINE = re.compile(r"^ {0,3}(?:[*+-]|1\.)[ \t]+\S")


@dataclass
class RawHtml:
    """Where, in the HTML stash of one conversion, the page's own HTML blocks are."""

    blocks_start: int = 0  # stash index before Python-Markdown's html_block preprocessor
    blocks_end: int = 0  # … and after it
    scans: dict[int, Scan] | None = None
    logged: set[int] = field(default_factory=set)


class StashMark(Preprocessor):
    """Records the stash size around `html_block` (priority 20): entries stored by it are
    the page's raw HTML blocks (not code blocks or widgets, stored before it)."""

    def __init__(self, md: Markdown, state: RawHtml, attribute: str) -> None:
        super().__init__(md)
        self.state, self.attribute = state, attribute

    def run(self, lines: list[str]) -> list[str]:
        setattr(self.state, self.attribute, len(self.md.htmlStash.rawHtmlBlocks))
        return lines


class ListAfterParagraph(BlockProcessor):
    """A list right after a paragraph line starts a list, as on GitHub and in kramdown's
    GFM mode (Python-Markdown wants a blank line first, and would show "- item" as text)."""

    def __init__(self, parser: BlockParser, active: Callable[[], bool]) -> None:
        super().__init__(parser)
        self.active = active

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        if not self.active():
            return False
        lines = block.split("\n")
        return not LIST_LINE.match(lines[0]) and any(LIST_LINE.match(ln) for ln in lines[1:])

    def run(self, parent: ElementTree.Element, blocks: list[str]) -> bool:
        lines = blocks.pop(0).split("\n")
        cut = next(i for i in range(1, len(lines)) if LIST_LINE.match(lines[i]))
        blocks[:0] = ["\n".join(lines[:cut]), "\n".join(lines[cut:])]
        return True


class SafeElements(Treeprocessor):
    """`![alt](https://…)`: a link instead (INFO), or kept with a WARNING.
    `[text](javascript:…)`: a link without its target (INFO)."""

    def __init__(self, md: Markdown, page: Callable[[], JekyllPage | None], keep: bool) -> None:
        super().__init__(md)
        self.page, self.keep = page, keep

    def run(self, root: ElementTree.Element) -> None:
        page = self.page()
        if page is None:
            return
        for link in root.iter("a"):
            if unsafe_attribute("href", link.get("href")):
                page.info(
                    page.line_of(link.get("href", "")),
                    "left out of a link: its "
                    "javascript: URL (scripts of imported pages do not run).",
                )
                del link.attrib["href"]
        parents = {child: parent for parent in root.iter() for child in parent}
        for image in list(root.iter("img")):
            src = image.get("src", "")
            if not is_external(src):
                continue
            line = page.line_of(src)
            if self.keep:
                page.warning(
                    line,
                    f"external image {src}: readers' browsers fetch it from a "
                    "third party (jekyll_external_images: link replaces it by a link).",
                )
                continue
            inside_link, ancestor = False, parents.get(image)
            while ancestor is not None:
                inside_link = inside_link or ancestor.tag == "a"
                ancestor = parents.get(ancestor)
            label = image_label(image.get("alt", ""), host(src))
            replacement = ElementTree.Element("span" if inside_link else "a")
            replacement.set("class", "lecture-external-image")
            if not inside_link:
                replacement.set("href", src)
                replacement.set("rel", "noopener noreferrer")
            replacement.text = label
            replacement.tail = image.tail
            parent = parents[image]
            parent.insert(list(parent).index(image), replacement)
            parent.remove(image)
            page.info(line, f"external image {src} shown as a link (no third-party request).")


class ScriptBlocks(Postprocessor):
    """HTML blocks that would run a script (a `<script>`, an `on…=` handler, a `javascript:`
    URL) are replaced by a note: together with the raw HTML blocks right next to them (the
    widget's markup is useless without its script). Other raw HTML loses only its scripts
    and handlers; its external images become links unless kept."""

    def __init__(
        self,
        md: Markdown,
        state: RawHtml,
        page: Callable[[], JekyllPage | None],
        pointer: Callable[[], str],
        keep_images: bool,
    ) -> None:
        super().__init__(md)
        self.state, self.page, self.pointer, self.keep_images = state, page, pointer, keep_images

    def run(self, text: str) -> str:
        page = self.page()
        if page is None:
            return text
        stash = self.md.htmlStash.rawHtmlBlocks
        state = self.state
        if state.scans is None:  # first call (toc runs postprocessors on headings first)
            state.scans = {
                i: scan(raw)
                for i, raw in enumerate(stash)
                if isinstance(raw, str) and i >= state.blocks_start
            }
        text, replaced = self._replace_groups(text, page)
        for index, found in state.scans.items():
            if index in replaced or not (found.unsafe or found.images):
                continue
            if self.md.htmlStash.get_placeholder(index) not in text:
                continue  # not in this text (toc runs postprocessors on each heading)
            raw = stash[index]
            assert isinstance(raw, str)
            if found.unsafe or not self.keep_images:
                stash[index] = sanitize(raw, link_images=not self.keep_images)
            if index not in state.logged:
                state.logged.add(index)
                self._log(page, raw, found)
        return text

    def _replace_groups(self, text: str, page: JekyllPage) -> tuple[str, set[int]]:
        """Replace runs of adjacent unsafe raw HTML blocks by one note each."""
        state, stash, scans_of = self.state, self.md.htmlStash, self.state.scans or {}
        spots = []
        for index in range(state.blocks_start, state.blocks_end):
            marker = f"<p>{stash.get_placeholder(index)}</p>"
            at = text.find(marker)
            if at >= 0:
                spots.append((at, at + len(marker), index))
        spots.sort()
        groups: list[list[tuple[int, int, int]]] = []
        for spot in spots:
            if groups and not text[groups[-1][-1][1] : spot[0]].strip():
                groups[-1].append(spot)
            else:
                groups.append([spot])
        replaced: set[int] = set()
        for group in reversed(groups):
            scans = [scans_of[i] for _, _, i in group if i in scans_of]
            if not any(found.unsafe for found in scans):
                continue
            headings = [heading for found in scans for heading in found.headings]
            note = script_note(headings[0] if headings else "", self.pointer())
            text = text[: group[0][0]] + note + text[group[-1][1] :]
            replaced.update(i for _, _, i in group)
            first = stash.rawHtmlBlocks[group[0][2]]
            page.info(
                page.line_of(first if isinstance(first, str) else ""),
                "an inline script of the original post is left out (scripts of imported "
                "pages do not run); a note stands in its place.",
            )
        return text, replaced

    def _log(self, page: JekyllPage, raw: str, found: Scan) -> None:
        line = page.line_of(raw)
        if found.unsafe:
            what = ", ".join(
                [*(["<script>"] if found.scripts else []), *dict.fromkeys(found.handlers)]
            )
            page.info(
                line, f"left out of inline HTML: {what} (scripts of imported pages do not run)."
            )
        if found.images and not self.keep_images:
            for src in found.images:
                page.info(line, f"external image {src} shown as a link (no third-party request).")
        elif found.images:
            for src in found.images:
                page.warning(
                    line,
                    f"external image {src}: readers' browsers fetch it from a "
                    "third party (jekyll_external_images: link replaces it by a link).",
                )

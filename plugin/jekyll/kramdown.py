"""kramdown's habits on Jekyll pages (Jekyll's Markdown is kramdown, in its GFM mode):

- a nested list's marker indented to its parent item's content column (2 spaces under
  `- `, 3 under `1. `) nests, where Python-Markdown wants 4 (`ListIndent`);
- attribute lists: ALDs `{:name: …}`, block IALs `{: .class #id key="v"}` on the line after
  a block (or before a paragraph), span IALs `*x*{: .c}` (`KramdownAttributes`, parsed with
  attr_list's scanner; bare words are references to ALDs, as in kramdown, not attributes);
- `{:toc}` on a list: the table of contents of the page's headings (`KramdownToc`);
- heading ids as kramdown's GFM parser makes them (lower case, punctuation dropped, each
  space a hyphen: "k - Nearest" → `k---nearest`), so the anchors authors wrote by hand
  still lead somewhere (`toc`'s `slugify`, swapped while a Jekyll page is converted);
- `markdown="1"` (`block`, `span`) in HTML blocks: md_in_html, loaded for Jekyll pages
  when the site does not load it (`register`);
- definition lists (`term`, then `: definition`, its content indented to the column after
  the colon, a lazy line continuing it): def_list, loaded for Jekyll pages likewise, the
  lines re-indented by `ListIndent`.

Each acts only while a Jekyll page is converted. Rules: kramdown's syntax page (lists,
HTML blocks, attribute lists) and its HTML converter's page (TOC).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from typing import Any
from xml.etree import ElementTree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import def_list, md_in_html
from markdown.extensions.attr_list import sanitize_name
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from markdown.treeprocessors import Treeprocessor

MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[*+:-]|\d+\.)(?P<gap>[ \t]+|$)(?P<rest>.*)$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
IAL = r"\{:(?![:/])(?!\s*[\w][\w-]*:)[ \t]*(?P<attrs>(?:\\\}|[^}\n])*)\}"
IAL_LINE = re.compile(rf"^ {{0,3}}{IAL}[ \t]*$")
IAL_LAST_LINE = re.compile(rf"\n[ \t]*{IAL}[ \t]*$")
SPAN_IAL = re.compile(rf"^{IAL}")
ALD_LINE = re.compile(r"^ {0,3}\{:(?P<name>[\w][\w-]*):[ \t]*(?P<attrs>(?:\\\}|[^}\n])*)\}[ \t]*$")
HEADER_ID = re.compile(r"[ \t]+\{#(?P<id>[A-Za-z][\w:-]*)\}[ \t]*$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TOC_MARK = "data-lecture-kramdown-toc"
GFM_NON_WORD = re.compile(r"[^\w\- \t]")


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


class ListIndent(Preprocessor):
    """Lists re-indented from kramdown's columns to Python-Markdown's 4 spaces a level.

    kramdown: a list item's content (later paragraphs, nested lists) is indented to the
    column of the first character after its marker; a marker indented that far is a nested
    list. So is a definition's, after its `:`. Python-Markdown: 4 spaces a level. Runs
    after fences, display math and raw HTML are stashed, so only Markdown lines are moved;
    the number of lines never changes."""

    def __init__(self, md: Markdown, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.active = active

    def run(self, lines: list[str]) -> list[str]:
        if not self.active():
            return lines
        out: list[str] = []
        stack: list[tuple[int, int, str]] = []  # open items: kramdown's column, ours, kind
        attached: set[int] = set()  # IAL lines that belong to the block before them
        blank_before = True
        for line in lines:
            if not line.strip():
                out.append(line)
                blank_before = True
                continue
            indent = _indent(line)
            marker = MARKER.match(line) if not RULE.match(line) else None
            base = stack[-1][0] if stack else 0
            if marker and indent < base + 4 and (stack or indent < 4):
                kind = _kind(marker["marker"])
                kept = list(stack)
                while stack and indent < stack[-1][0]:
                    sibling = stack.pop()
                popped = len(stack) < len(kept)
                if popped and {kind, sibling[2]} == {"bullet", "ordered"} and not blank_before:
                    # kramdown: a marker of the other kind where an item of this list could
                    # start is text of the item above ("1. a" then "  * b")
                    stack = kept
                    out.append(MARKER.sub(r"\g<indent>\\\g<marker>\g<gap>\g<rest>", line, 1))
                    blank_before = False
                    continue
                level = len(stack)
                gap = marker["gap"].expandtabs(4) or " "
                column = indent + len(marker["marker"]) + (len(gap) if marker["rest"] else 4)
                if len(gap) > 4:  # "-     code": content column is marker + 1
                    column = indent + len(marker["marker"]) + 1
                ours = 4 * level
                stack.append((column, ours + 4, kind))
                out.append(" " * ours + line.lstrip(" \t"))
            elif stack and not blank_before and indent < stack[-1][0] and IAL_LINE.match(line):
                # an IAL after a list is the list's and ends it: a block of its own, which
                # KramdownAttributes gives to the list before it
                stack = []
                out.append("")
                attached.add(len(out))
                out.append(line)
            elif stack and (indent >= stack[-1][0] or not blank_before):
                column, ours, kind = stack[-1]
                if indent >= column:
                    out.append(" " * (ours + indent - column) + line.lstrip(" \t"))
                elif kind == "definition":  # a lazy line of a definition: indented into it,
                    out.append(" " * ours + line.lstrip(" \t"))  # as def_list wants it
                else:
                    out.append(line)  # a lazy line: part of the paragraph above
            else:
                while stack and indent < stack[-1][0]:
                    stack.pop()
                if stack:
                    column, ours, _ = stack[-1]
                    out.append(" " * (ours + indent - column) + line.lstrip(" \t"))
                else:
                    out.append(line)
            blank_before = False
        return _split_after_ials(out, attached)


def _kind(marker: str) -> str:
    return "definition" if marker == ":" else "ordered" if marker[0].isdigit() else "bullet"


def _split_after_ials(lines: list[str], attached: set[int]) -> list[str]:
    """Block IAL lines as kramdown reads them: IALs with a blank line (or nothing) on both
    sides belong to no block and are dropped (the line stays, blank); IALs that end a
    paragraph followed by more text close it ("Para\n{:.c}\nNext": two paragraphs)."""
    out: list[str] = []
    count = len(lines)
    index = 0
    while index < count:
        if not IAL_LINE.match(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end + 1 < count and IAL_LINE.match(lines[end + 1]):
            end += 1
        before = lines[index - 1] if index else ""
        after = lines[end + 1] if end + 1 < count else ""
        run = lines[index : end + 1]
        if not before.strip() and not after.strip() and index not in attached:
            out.extend("" for _ in run)
        else:
            out.extend(run)
            if before.strip() and after.strip():
                out.append("")
        index = end + 1
    return out


# kramdown's attribute-list grammar (lib/kramdown/parser/kramdown/extensions.rb)
ALD_NAME = r"\w[\w-]*"
ALD_ANY = re.compile(
    r"(?:\A|(?<=\s))(?:"
    rf"(?P<key>{ALD_NAME})=(?P<quote>[\"'])(?P<value>(?:\\\}}|\\(?P=quote)|[^}}\x02])*?)(?P=quote)"
    rf"|(?P<ref>{ALD_NAME})"
    r"|(?P<idclass>(?:#[A-Za-z][\w:-]*|\.[^\s.#]+)+)"
    r")(?=\s|\Z)"
)
ID_OR_CLASS = re.compile(r"#(?P<id>[A-Za-z][\w:-]*)|\.(?P<cls>[^\s.#]+)")


def parse_attributes(text: str, definitions: dict[str, str], depth: int = 0) -> list[tuple]:
    """kramdown's attribute definitions → [(name, value)], `.` for a class, in order:
    referenced ALDs first, then the list's own; anything else is ignored, as in kramdown."""
    refs: list[str] = []
    own: list[tuple[str, str]] = []
    for match in ALD_ANY.finditer(text):
        if match["ref"]:
            refs.append(match["ref"])
        elif match["idclass"]:
            for part in ID_OR_CLASS.finditer(match["idclass"]):
                own.append(("id", part["id"]) if part["id"] else (".", part["cls"]))
        else:
            value = re.sub(rf"\\([}}{match['quote']}])", r"\1", match["value"])
            own.append((match["key"], value))
    found: list[tuple[str, str]] = []
    for ref in refs:
        if ref in definitions and depth < 8:
            found.extend(parse_attributes(definitions[ref], definitions, depth + 1))
    return found + own


def assign(element: ElementTree.Element, attributes: list[tuple[str, str]]) -> None:
    for name, value in attributes:
        if name == ".":
            classes = element.get("class", "").split()
            element.set("class", " ".join([*classes, value]))
        else:
            element.set(sanitize_name(name), value)


class KramdownAttributes(Treeprocessor):
    """Block and span IALs and ALDs, with kramdown's meaning, before attr_list (8) sees them.

    Block IALs: the last line of a paragraph (attr_list's place too); a paragraph of IALs
    alone applies to the block before it (a heading: `## Title` then `{: .no_toc}`), or to
    the next when it comes first; the first line of a paragraph applies to it; the last
    line of a list's last item applies to the list (`{:toc}` marks it for `KramdownToc`).
    Span IALs: right after an inline element. `## Title {#id}`: the heading's id."""

    def __init__(self, md: Markdown, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.active = active

    def run(self, root: ElementTree.Element) -> None:
        if not self.active():
            return
        definitions: dict[str, str] = {}
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "p" and not len(child) and child.text:
                    lines = child.text.strip().split("\n")
                    if lines and all(ALD_LINE.match(line) for line in lines):
                        for line in lines:
                            match = ALD_LINE.match(line)
                            assert match is not None
                            old = definitions.get(match["name"], "")
                            definitions[match["name"]] = f"{old} {match['attrs']}"
                        parent.remove(child)
        for parent in list(root.iter()):
            self._blocks(parent, definitions)
        for element in root.iter():
            if element.tag in HEADINGS:
                self._header_id(element)
            if element.tail and element.tail.startswith("{:"):
                self._span(element, definitions)

    def _blocks(self, parent: ElementTree.Element, definitions: dict[str, str]) -> None:
        children = list(parent)
        for index, child in enumerate(children):
            if child.tag in ("ul", "ol", "blockquote") and len(child):
                self._container(child, definitions)
            if child.tag != "p":
                continue
            text = child.text or ""
            lines = text.strip("\n").split("\n")
            if not len(child) and all(IAL_LINE.match(line) for line in lines):
                # IALs alone: for the block before them, else the one after; kramdown
                # ignores them when there is neither
                target = children[index - 1] if index else None
                if target is None and index + 1 < len(children):
                    target = children[index + 1]
                for line in lines if target is not None else []:
                    match = IAL_LINE.match(line)
                    assert match is not None
                    self._apply(target, match["attrs"], definitions)
                parent.remove(child)
                continue
            while "\n" in text and (match := IAL_LINE.match(text.split("\n", 1)[0])):
                self._apply(child, match["attrs"], definitions)  # an IAL before a paragraph
                text = text.split("\n", 1)[1]
                child.text = text
            for attrs in self._trailing(child):
                self._apply(child, attrs, definitions)

    def _container(self, element: ElementTree.Element, definitions: dict[str, str]) -> None:
        """IALs on the line after a list or a blockquote: Python-Markdown reads them as lazy
        lines of its last paragraph or item; kramdown applies them to the whole block."""
        last = element[-1]
        if element.tag == "blockquote":
            if last.tag != "p":
                return
            target = last
        elif len(last) and last[-1].tag == "p":
            target = last[-1]
        elif len(last) and last[-1].tag in ("ul", "ol"):
            return  # the nested list's own
        else:
            target = last
        for attrs in self._trailing(target):
            self._apply(element, attrs, definitions)

    @staticmethod
    def _trailing(element: ElementTree.Element) -> list[str]:
        """The IALs on the last lines of `element`'s text, taken out, first one first."""
        holder, attribute = (element[-1], "tail") if len(element) else (element, "text")
        text = getattr(holder, attribute) or ""
        found = []
        while match := IAL_LAST_LINE.search(text):
            found.insert(0, match["attrs"])
            text = text[: match.start()]
        if found:
            setattr(holder, attribute, text)
        return found

    def _apply(self, element: ElementTree.Element, attrs: str, definitions: dict[str, str]) -> None:
        if "toc" in attrs.split() and element.tag in ("ul", "ol"):
            element.set(TOC_MARK, "")
        assign(element, parse_attributes(attrs, definitions))

    def _span(self, element: ElementTree.Element, definitions: dict[str, str]) -> None:
        tail = element.tail or ""
        while match := SPAN_IAL.match(tail):
            assign(element, parse_attributes(match["attrs"], definitions))
            tail = tail[match.end() :]
        element.tail = tail

    @staticmethod
    def _header_id(element: ElementTree.Element) -> None:
        holder, attribute = (element[-1], "tail") if len(element) else (element, "text")
        text = getattr(holder, attribute) or ""
        match = HEADER_ID.search(text)
        if match:
            element.set("id", match["id"])
            setattr(holder, attribute, text[: match.start()])


def gfm_slugify(value: str, separator: str = "-") -> str:
    """kramdown's GFM header id (Jekyll's default input): lower case, characters other than
    letters, digits, `_`, `-` and spaces dropped, each space or tab a hyphen."""
    return GFM_NON_WORD.sub("", value.lower()).replace(" ", "-").replace("\t", "-")


class GfmIds(Treeprocessor):
    """Just before `toc` (5): on a Jekyll page, toc makes heading ids as kramdown does."""

    def __init__(self, md: Markdown, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.active = active
        self.original: Any = None

    def run(self, root: ElementTree.Element) -> None:
        if "toc" not in self.md.treeprocessors:
            return
        toc: Any = self.md.treeprocessors["toc"]
        if self.original is None:
            self.original = toc.slugify
        toc.slugify = gfm_slugify if self.active() else self.original


class KramdownToc(Treeprocessor):
    """After `toc` (5): a list marked `{:toc}` becomes the page's table of contents, as
    kramdown's HTML converter writes it: nested lists of links to every heading with an id
    (headings with class `no_toc` left out), the list's own attributes, id `markdown-toc`
    unless it has one, and each link's id `<list id>-<heading id>`. Headings without an id
    (no `toc` extension) get kramdown's GFM id."""

    def __init__(self, md: Markdown, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.active = active

    def run(self, root: ElementTree.Element) -> None:
        if not self.active():
            return
        marked = [(p, e) for p in root.iter() for e in p if e.get(TOC_MARK) is not None]
        if not marked:
            return
        used = {e.get("id") for e in root.iter() if e.get("id")}
        headings = []
        for element in root.iter():
            if element.tag not in HEADINGS or "no_toc" in element.get("class", "").split():
                continue
            if not element.get("id"):
                base = gfm_slugify("".join(element.itertext()).strip()) or "section"
                new, count = base, 0
                while new in used:
                    count += 1
                    new = f"{base}-{count}"
                used.add(new)
                element.set("id", new)
            headings.append((int(element.tag[1]), element))
        for parent, marked_list in marked:
            toc = self.tree(marked_list, headings)
            index = list(parent).index(marked_list)
            toc.tail = marked_list.tail
            parent.remove(marked_list)
            parent.insert(index, toc)

    @staticmethod
    def tree(
        marked: ElementTree.Element, headings: list[tuple[int, ElementTree.Element]]
    ) -> ElementTree.Element:
        kind = marked.tag
        sections = ElementTree.Element(kind, {k: v for k, v in marked.items() if k != TOC_MARK})
        sections.set("id", sections.get("id") or "markdown-toc")
        stack: list[tuple[int, ElementTree.Element, ElementTree.Element]] = []  # level, li, sub
        for level, heading in headings:
            item = ElementTree.Element("li")
            link = ElementTree.SubElement(item, "a")
            link.set("href", f"#{heading.get('id')}")
            link.set("id", f"{sections.get('id')}-{heading.get('id')}")
            _copy_content(heading, link)
            sub = ElementTree.Element(kind)
            while True:
                if not stack:
                    sections.append(item)
                    break
                if stack[-1][0] < level:
                    stack[-1][2].append(item)
                    break
                _close(stack.pop())
            stack.append((level, item, sub))
        while stack:
            _close(stack.pop())
        return sections


def _close(entry: tuple[int, ElementTree.Element, ElementTree.Element]) -> None:
    _, item, sub = entry
    if len(sub):
        item.append(sub)


def _copy_content(heading: ElementTree.Element, link: ElementTree.Element) -> None:
    """The heading's content inside the TOC link: its links unwrapped (kramdown's
    `unwrap_links`), toc's permalink left out."""
    link.text = heading.text
    for child in heading:
        if child.tag == "a" and "headerlink" in child.get("class", "").split():
            _append_text(link, child.tail)
            continue
        copy = deepcopy(child)
        if copy.tag == "a":
            _append_text(link, copy.text)
            for inner in copy:
                link.append(inner)
            _append_text(link, copy.tail)
            continue
        for inner_parent in list(copy.iter()):
            for inner in list(inner_parent):
                if inner.tag == "a":
                    _unwrap(inner_parent, inner)
        link.append(copy)


def _append_text(element: ElementTree.Element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _unwrap(parent: ElementTree.Element, child: ElementTree.Element) -> None:
    index = list(parent).index(child)
    parent.remove(child)
    before = parent[index - 1] if index else None
    pieces = [child.text or "", *[]]
    if before is None:
        parent.text = (parent.text or "") + pieces[0]
    else:
        before.tail = (before.tail or "") + pieces[0]
    for offset, inner in enumerate(list(child)):
        parent.insert(index + offset, inner)
    last = parent[index + len(child) - 1] if len(child) else before
    if last is None:
        parent.text = (parent.text or "") + (child.tail or "")
    else:
        last.tail = (last.tail or "") + (child.tail or "")


class _JekyllHtmlBlocks(Preprocessor):
    """`html_block` when the site has no md_in_html: md_in_html's on Jekyll pages (so
    `markdown="1"` works), Python-Markdown's own elsewhere."""

    def __init__(self, md: Markdown, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.active = active
        self.plain = HtmlBlockPreprocessor(md)
        self.extra = md_in_html.HtmlBlockPreprocessor(md)

    def run(self, lines: list[str]) -> list[str]:
        return (self.extra if self.active() else self.plain).run(lines)


class _OnJekyllPages(BlockProcessor):
    """A block processor that acts only while `active()`."""

    def __init__(self, parser: BlockParser, active: Callable[[], bool]) -> None:
        super().__init__(parser)
        self.active = active

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        return self.active() and super().test(parent, block)


class _JekyllDefinitions(_OnJekyllPages, def_list.DefListProcessor):
    """def_list's definition lists, on Jekyll pages (when the site does not load it)."""


class _JekyllDefinitionIndent(_OnJekyllPages, def_list.DefListIndentProcessor):
    """def_list's indented definition content, on Jekyll pages."""


def register(md: Markdown, active: Callable[[], bool]) -> None:
    """Add kramdown's habits to `md`; they act only while `active()`."""
    md.preprocessors.register(ListIndent(md, active), "lecture_jekyll_list_indent", 19.4)
    md.treeprocessors.register(KramdownAttributes(md, active), "lecture_jekyll_ial", 8.5)
    md.treeprocessors.register(GfmIds(md, active), "lecture_jekyll_gfm_ids", 5.1)
    md.treeprocessors.register(KramdownToc(md, active), "lecture_jekyll_toc", 4.9)
    if "markdown_block" not in md.parser.blockprocessors:  # the site has no md_in_html
        md.preprocessors.register(_JekyllHtmlBlocks(md, active), "html_block", 20)
        md.parser.blockprocessors.register(
            md_in_html.MarkdownInHtmlProcessor(md.parser), "markdown_block", 105
        )
        md.postprocessors.register(md_in_html.MarkdownInHTMLPostprocessor(md), "raw_html", 30)
    if "deflist" not in md.parser.blockprocessors:  # the site has no def_list
        md.parser.blockprocessors.register(_JekyllDefinitions(md.parser, active), "deflist", 25)
        indent = _JekyllDefinitionIndent(md.parser, active)
        md.parser.blockprocessors.register(indent, "defindent", 85)

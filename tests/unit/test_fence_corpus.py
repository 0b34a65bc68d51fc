"""Fences from real docs, and widget fences in every container (tests/unit/fence_corpus/).

Other extensions' attribute headers (```` ``` { .sh .no-copy } ````, ```` ```{linenums="1"} ````,
as Material's and pymdown-extensions' docs write them) must render exactly as without the
lecture extension; a bare name in braces is a widget wherever a fence can be (blockquotes,
lists, admonitions, details, content tabs, pymdownx blocks), and a bare name that is no
widget, or a second explicit id, is an error at its line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs_lecture.extension import LectureExtension, WidgetError
from pymdownx.slugs import slugify
from pymdownx.superfences import fence_code_format

CORPUS = Path(__file__).parent / "fence_corpus"
REAL_DOCS = sorted(CORPUS.glob("material_*.md")) + sorted(CORPUS.glob("pymdown_*.md"))

# Material's mkdocs.yml (without emoji, magiclink, snippets: slow or unrelated to fences).
MATERIAL: dict[str, dict[str, Any]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.betterem": {"smart_enable": "all"},
    "pymdownx.caret": {},
    "pymdownx.details": {},
    "pymdownx.highlight": {
        "anchor_linenums": True,
        "line_spans": "__span",
        "pygments_lang_class": True,
    },
    "pymdownx.inlinehilite": {},
    "pymdownx.keys": {},
    "pymdownx.mark": {},
    "pymdownx.smartsymbols": {},
    "pymdownx.superfences": {
        "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
    },
    "pymdownx.tabbed": {"alternate_style": True, "combine_header_slug": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.tilde": {},
}

BLOCK_TYPES = ["new", "settings", "note", "info", "tip", "warning", "example", "quote"]

# pymdown-extensions' zensical.yml (the same omissions, and its md-render fence), with its
# superfences' preserve_tabs: fences are then taken before whitespace normalizing, and the
# lecture extension takes its own just before that.
PYMDOWN: dict[str, dict[str, Any]] = {
    "toc": {"slugify": slugify(case="lower"), "permalink": ""},
    "admonition": {},
    "smarty": {"smart_quotes": False},
    "pymdownx.betterem": {},
    "attr_list": {},
    "def_list": {},
    "tables": {},
    "abbr": {},
    "footnotes": {},
    "md_in_html": {},
    "pymdownx.superfences": {
        "preserve_tabs": True,
        "relaxed_headers": True,
        "custom_fences": [{"name": "diagram", "class": "diagram", "format": fence_code_format}],
    },
    "pymdownx.highlight": {
        "line_spans": "__codeline",
        "line_anchors": "__codelineno",
        "anchor_linenums": True,
        "linenums_style": "pymdownx-inline",
    },
    "pymdownx.inlinehilite": {},
    "pymdownx.tilde": {},
    "pymdownx.caret": {},
    "pymdownx.smartsymbols": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.mark": {},
    "pymdownx.keys": {},
    "pymdownx.details": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.saneheaders": {},
    "pymdownx.blocks.admonition": {"types": BLOCK_TYPES},
    "pymdownx.blocks.details": {},
    "pymdownx.blocks.html": {},
    "pymdownx.blocks.tab": {"alternate_style": True, "combine_header_slug": True},
}

# The hand-written pages: Material's set and the pymdownx blocks.
WIDGET_PAGES: dict[str, dict[str, Any]] = {
    **MATERIAL,
    "pymdownx.blocks.admonition": {},
    "pymdownx.blocks.details": {},
    "pymdownx.blocks.html": {},
    "pymdownx.blocks.tab": {"alternate_style": True},
}

FENCE_WITH_BRACES = re.compile(r"^[ >]*(?:`{3,}|~{3,}).*\{")
WIDGET_FENCE = re.compile(r"^[ >]*(?:`{3,}|~{3,})\s*\{\s*[A-Za-z0-9_-]+\s*\}\s*$")


def render(text: str, configs: dict[str, Any], lecture: LectureExtension | None = None) -> str:
    extensions: list[Any] = list(configs)
    if lecture:
        extensions.append(lecture)
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


def configs_for(page: Path) -> dict[str, Any]:
    return PYMDOWN if page.name.startswith("pymdown_") else MATERIAL


class Page(HTMLParser):
    """Each widget root (and error box) with the elements around it; the text outside them."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
        | {"track", "wbr"}
    )

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.roots: list[tuple[dict[str, str], list[tuple[str, dict[str, str]]]]] = []
        self.inside = 0  # stack depth of the root we are in (0: outside)
        self.outside: list[str] = []
        self.outside_tags: set[str] = set()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if not self.inside and "lecture-widget" in attributes.get("class", "").split():
            self.roots.append((attributes, list(self.stack)))
            self.inside = len(self.stack) + 1
        if not self.inside:
            self.outside_tags.add(tag)
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break
        if self.inside and len(self.stack) < self.inside:
            self.inside = 0

    def handle_data(self, data: str) -> None:
        if not self.inside:
            self.outside.append(data)

    def widgets(self) -> dict[str, list[str]]:
        """Widget id → the elements around it, outermost first ('div.admonition', 'li')."""
        return {
            attrs["id"]: [describe(tag, around) for tag, around in chain]
            for attrs, chain in self.roots
            if "data-lecture-widget" in attrs
        }

    def errors(self) -> list[list[str]]:
        return [
            [describe(tag, around) for tag, around in chain]
            for attrs, chain in self.roots
            if "data-lecture-widget" not in attrs
        ]


CONTAINER_CLASSES = {"admonition", "tabbed-block"}
CONTAINERS = ("blockquote", "li", "div.admonition", "details", "details[open]", "div.tabbed-block")
NEVER_AROUND_A_WIDGET = {"p", "pre", "code"}


def describe(tag: str, attrs: dict[str, str]) -> str:
    classes = [c for c in attrs.get("class", "").split() if c in CONTAINER_CLASSES]
    return tag + "".join(f".{c}" for c in classes) + ("[open]" if "open" in attrs else "")


def assert_in(chain: list[str], expected: list[str], what: str) -> None:
    """The containers around `what` are exactly `expected`, outermost first."""
    containers = [element for element in chain if element in CONTAINERS]
    assert containers == expected, f"{what}: in {chain}, expected the containers {expected}"
    assert not NEVER_AROUND_A_WIDGET & set(chain), f"{what}: inside {chain}"


# Real docs: attribute headers pass through.


def test_the_corpus_holds_the_real_fences() -> None:
    counts = {
        page.name: sum(bool(FENCE_WITH_BRACES.match(line)) for line in page.read_text().split("\n"))
        for page in REAL_DOCS
    }
    assert len(REAL_DOCS) == 6 and all(counts.values()), counts
    assert sum(counts.values()) == 42  # brace fences, including examples inside outer fences


@pytest.mark.parametrize(
    "page", [*REAL_DOCS, CORPUS / "attribute_headers.md"], ids=lambda page: page.name
)
def test_attribute_headers_render_as_without_the_extension(page: Path) -> None:
    text = page.read_text()
    configs = WIDGET_PAGES if page.name == "attribute_headers.md" else configs_for(page)
    errors: list[WidgetError] = []
    lecture = LectureExtension(on_error=errors.append)
    with_lecture = render(text, configs, lecture)
    assert [str(error) for error in errors] == []
    assert lecture.uses == []
    assert with_lecture == render(text, configs)


def test_the_attribute_headers_do_reach_the_other_extensions() -> None:
    """Guards the comparison above: the headers are really read (not left as text)."""
    html = render((CORPUS / "attribute_headers.md").read_text(), WIDGET_PAGES, LectureExtension())
    assert len(re.findall(r'<div (?:id="example" )?class="[^"]*\bno-copy\b', html)) == 8
    assert len(re.findall(r'<div id="example" class="[^"]*\bno-copy\b', html)) == 2
    assert '<span class="filename">In an admonition</span>' in html
    assert 'data-linenum-start="30"' in html and "md-max-height" in html
    assert "{" not in "".join(Page(re.sub(r"<pre.*?</pre>", "", html, flags=re.S)).outside)


# Widget fences in every container.

WHERE = {
    "top-level": [],
    "spaced-name": [],
    "tilde-fence": [],
    "after-paragraph": [],
    "tokenizer-top-level": [],
    "in-blockquote": ["blockquote"],
    "in-tight-blockquote": ["blockquote"],
    "in-nested-blockquote": ["blockquote", "blockquote"],
    "in-list-item": ["li"],
    "in-ordered-list": ["li"],
    "in-nested-list": ["li", "li"],
    "in-list-in-blockquote": ["blockquote", "li"],
    "in-admonition": ["div.admonition"],
    "in-details": ["details"],
    "in-open-details": ["details[open]"],
    "in-tab": ["div.tabbed-block"],
    "in-second-tab": ["div.tabbed-block"],
    "in-tab-in-admonition": ["div.admonition", "div.tabbed-block"],
    "in-blocks-tab": ["div.tabbed-block"],
    "in-blocks-admonition": ["div.admonition"],
    "in-blocks-details": ["details"],
}


@pytest.fixture(scope="module")
def widget_page() -> tuple[str, LectureExtension, list[WidgetError]]:
    errors: list[WidgetError] = []
    lecture = LectureExtension(on_error=errors.append)
    lecture.set_page("widgets.md")
    html = render((CORPUS / "widgets.md").read_text(), WIDGET_PAGES, lecture)
    return html, lecture, errors


def test_every_widget_fence_becomes_a_root(widget_page: tuple) -> None:
    html, lecture, errors = widget_page
    text = (CORPUS / "widgets.md").read_text()
    fences = sum(bool(WIDGET_FENCE.match(line)) for line in text.split("\n"))
    assert fences == len(WHERE) == 21
    assert [str(error) for error in errors] == []
    assert sorted(use.id for use in lecture.uses) == sorted(WHERE)
    assert html.count('data-lecture-widget="python"') == 18
    assert html.count('data-lecture-widget="tokenizer"') == 3


@pytest.mark.parametrize("widget_id", list(WHERE))
def test_each_widget_is_in_its_container(widget_page: tuple, widget_id: str) -> None:
    widgets = Page(widget_page[0]).widgets()
    assert widget_id in widgets, f"no widget root with id {widget_id!r}"
    assert_in(widgets[widget_id], WHERE[widget_id], widget_id)


@pytest.mark.parametrize("widget_id", list(WHERE))
def test_each_widget_has_its_own_body(widget_page: tuple, widget_id: str) -> None:
    [use] = [use for use in widget_page[1].uses if use.id == widget_id]
    body = use.options.get("code") or use.options.get("text")
    assert body in (f'print("marker: {widget_id}")', f"marker: {widget_id}")


def test_no_widget_fence_is_left_as_code(widget_page: tuple) -> None:
    page = Page(widget_page[0])
    outside = "".join(page.outside)
    assert "marker:" not in outside and "{" not in outside and "```" not in outside
    assert not {"pre", "code"} & page.outside_tags
    assert "The end." in outside and "and text after it." in outside


def test_widgets_with_superfences_preserve_tabs() -> None:
    """pymdown-extensions' own site sets preserve_tabs: superfences then stashes fences at
    priority 31.05, before whitespace normalizing (30) and the lecture preprocessor (29)."""
    configs = {**WIDGET_PAGES, "pymdownx.superfences": {"preserve_tabs": True}}
    errors: list[WidgetError] = []
    lecture = LectureExtension(on_error=errors.append)
    html = render((CORPUS / "widgets.md").read_text(), configs, lecture)
    assert errors == []
    assert sorted(Page(html).widgets()) == sorted(WHERE)


# Errors.


@pytest.fixture(scope="module")
def error_page() -> tuple[str, LectureExtension, list[WidgetError], list[str]]:
    errors: list[WidgetError] = []
    lecture = LectureExtension(on_error=errors.append)
    lecture.set_page("widget_errors.md")
    text = (CORPUS / "widget_errors.md").read_text()
    html = render(text, WIDGET_PAGES, lecture)
    return html, lecture, errors, text.split("\n")


def lines_of(lines: list[str], pattern: str) -> list[int]:
    return [number for number, line in enumerate(lines, 1) if re.search(pattern, line)]


def test_misspelled_names_are_errors_at_their_lines(error_page: tuple) -> None:
    _, _, errors, lines = error_page
    typos = lines_of(lines, r"\{\s*(pyhton|Python|tokeniser)\s*\}")
    assert len(typos) == 4
    unknown = [error for error in errors if "unknown widget" in error.message]
    assert [error.line for error in unknown] == typos
    for error in unknown:
        assert error.source == "widget_errors.md"
        assert "{python}" in error.message and "{tokenizer}" in error.message
    assert "'{pyhton}'" in unknown[0].message and "'{Python}'" in unknown[1].message
    assert "'{tokeniser}'" in unknown[2].message


def test_a_second_explicit_id_is_an_error_at_its_line(error_page: tuple) -> None:
    _, lecture, errors, lines = error_page
    first, second = lines_of(lines, r"^\s*id: twice$")
    [duplicate] = [error for error in errors if "unknown widget" not in error.message]
    assert duplicate.line == second and "'twice'" in duplicate.message
    assert [use.id for use in lecture.uses] == ["twice", "after-the-errors"]
    assert lecture.uses[0].options["code"] == 'print("the first widget with this id")'
    assert first < second


def test_errors_are_shown_where_the_fences_were(error_page: tuple) -> None:
    html, _, errors, _ = error_page
    page = Page(html)
    assert len(errors) == 5 and html.count('role="alert"') == 5
    for chain, expected in zip(
        page.errors(),
        [[], ["blockquote"], ["div.admonition"], ["div.tabbed-block"], ["li"]],
        strict=True,
    ):
        assert_in(chain, expected, "error box")
    assert list(page.widgets()) == ["twice", "after-the-errors"]
    assert "{" not in "".join(page.outside)

"""kramdown's habits on Jekyll pages, their URLs, _config.yml and navigation order.

Where kramdown gives a reference, the expected HTML is kramdown's own (Ruby is not on the
test machine): its test suite's expected output (gettalong/kramdown, test/testcases/…,
commit 12ac774) or what its syntax page (doc/syntax.page) says, cited at each test.
Compared as trees: kramdown indents its HTML, Python-Markdown does not.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import markdown
import pytest
import yaml
from mkdocs_lecture.jekyll import JekyllExtension
from mkdocs_lecture.jekyll.config import front_matter_defaults, read_config, site_variables
from mkdocs_lecture.jekyll.kramdown import gfm_slugify, parse_attributes
from mkdocs_lecture.jekyll.liquid import translate
from mkdocs_lecture.jekyll.page import JekyllPage
from support import build_site

SAMPLES = Path(__file__).parents[1] / "jekyll" / "kramdown"


def jekyll_page(tmp_path: Path, text: str) -> JekyllPage:
    return JekyllPage(
        source="docs/notes/page.md",
        src_uri="notes/page.md",
        url="notes/page/",
        line_offset=0,
        meta={"layout": "page"},
        markdown=text,
        docs_dir=str(tmp_path / "docs"),
    )


def convert(tmp_path: Path, text: str, extensions: tuple = ("toc",), jekyll: bool = True) -> str:
    extension = JekyllExtension()
    extension.page = jekyll_page(tmp_path, text) if jekyll else None
    return markdown.Markdown(extensions=[*extensions, extension]).convert(text)


def tree(html: str) -> list:
    """HTML as nested [tag, attributes, text, children…], whitespace collapsed."""

    def walk(element: ElementTree.Element) -> list:
        text = re.sub(r"\s+", " ", element.text or "").strip()
        out: list = [element.tag, dict(element.attrib), text]
        for child in element:
            out.append(walk(child))
            tail = re.sub(r"\s+", " ", child.tail or "").strip()
            if tail:
                out.append(tail)
        return out

    return walk(ElementTree.fromstring(f"<root>{html}</root>"))[3:]


def same(ours: str, kramdown: str) -> None:
    assert tree(ours) == tree(kramdown), ours


# Lists: doc/syntax.page, "Ordered and Unordered lists": the column of the first character
# after the marker is the indentation of the item's content, nested lists included.


def test_two_space_nesting_under_a_dash(tmp_path: Path) -> None:
    # The syntax page's example ("* list 1 item 1 / * nested list item 1") and
    # test/testcases/block/08_list/nested.html for its output
    html = convert(
        tmp_path,
        "* list 1 item 1\n  * nested list item 1\n  * nested list item 2\n"
        "* list 1 item 2\n  * nested list item 1\n",
    )
    same(
        html,
        "<ul><li>list 1 item 1<ul><li>nested list item 1</li><li>nested list item 2</li>"
        "</ul></li><li>list 1 item 2<ul><li>nested list item 1</li></ul></li></ul>",
    )


def test_three_space_nesting_under_a_number(tmp_path: Path) -> None:
    # The syntax page: "1. list 1 item 1 / 1. nested list item 1 / … / 10. list 1 item 2 /
    # 1. nested list item 1" (3 spaces under "1. ", 4 under "10. ")
    html = convert(
        tmp_path,
        "1. list 1 item 1\n   1. nested list item 1\n   2. nested list item 2\n"
        "10. list 1 item 2\n    1. nested list item 1\n",
    )
    same(
        html,
        "<ol><li>list 1 item 1<ol><li>nested list item 1</li><li>nested list item 2</li>"
        "</ol></li><li>list 1 item 2<ol><li>nested list item 1</li></ol></li></ol>",
    )


def test_a_marker_of_the_other_kind_short_of_the_column_is_text(tmp_path: Path) -> None:
    # test/testcases/block/08_list/lazy_and_nested.{text,html}: 2 spaces under "1. " do not
    # nest (the content column is 3), and a "*" there is lazy text of the item
    html = convert(
        tmp_path,
        "1. Root level\n  * Second level\n    * Third level\n  * Back to second level\n",
    )
    same(
        html,
        "<ol><li>Root level\n  * Second level<ul><li>Third level\n  * Back to second level"
        "</li></ul></li></ol>",
    )


def test_item_paragraphs_and_code_at_the_content_column(tmp_path: Path) -> None:
    # The syntax page: following lines of an item are indented to its content column; code
    # in an item is indented 4 more
    html = convert(tmp_path, "- a\n\n  more of a\n\n      code of a\n\nAfter.\n")
    same(
        html,
        "<ul><li><p>a</p><p>more of a</p><pre><code>code of a\n</code></pre></li></ul>"
        "<p>After.</p>",
    )


def test_rules_code_and_ordinary_pages_are_left_alone(tmp_path: Path) -> None:
    assert convert(tmp_path, "* * *\n\n- - -\n") == "<hr />\n<hr />"
    text = "Text\n\n    - code, not a list\n"
    assert "<pre><code>- code, not a list" in convert(tmp_path, text)
    # an ordinary page keeps Python-Markdown's rule (4 spaces a level)
    flat = convert(tmp_path, "- a\n  - b\n", jekyll=False)
    assert flat.count("<ul>") == 1


# Definition lists: doc/syntax.page, "Definition Lists": a term line, then definitions
# starting with ":", their content indented to the column after it, lazy lines continuing.


def test_definition_lists_as_kramdown_makes_them(tmp_path: Path) -> None:
    # test/testcases/block/13_definition_list/simple.{text,html}: "kram" after ":   down"
    # is a lazy line of that definition
    html = convert(tmp_path, "kram\n: down\n\nkram\n:   down\nkram\n: down\n")
    same(
        html,
        "<dl><dt>kram</dt><dd>down</dd><dt>kram</dt><dd>down\nkram</dd><dd>down</dd></dl>",
    )
    # The syntax page: a blank line before a definition makes its content a paragraph
    same(
        convert(tmp_path, "term\n\n: definition\n"),
        "<dl><dt>term</dt><dd><p>definition</p></dd></dl>",
    )


def test_lists_in_a_definition_at_its_content_column(tmp_path: Path) -> None:
    # The shape of stanford-cs324/winter2022's calendar modules (_modules/2-data.md): lists
    # inside definitions at the column after ": "
    text = "Wed Jan 19\n: 1. Scrutiny\n  1. Documentation\n: Paper:\n\n  - The Pile\n"
    same(
        convert(tmp_path, text),
        "<dl><dt>Wed Jan 19</dt><dd><ol><li>Scrutiny</li><li>Documentation</li></ol></dd>"
        "<dd><p>Paper:</p><ul><li>The Pile</li></ul></dd></dl>",
    )
    assert "<dl>" not in convert(tmp_path, "kram\n: down\n", jekyll=False)  # ordinary pages


def test_the_table_of_contents_of_a_real_course_nests(tmp_path: Path) -> None:
    """cs231n's notes (tests/jekyll/kramdown/classification.md): a table of contents
    nested by two spaces, with anchors written by hand for kramdown's ids."""
    text = (SAMPLES / "classification.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    html = re.sub(r"<img [^>]*>", "", convert(tmp_path, text))  # raw HTML: not XML
    root = ElementTree.fromstring(f"<root>{html}</root>")
    toc = root.find("ul")
    assert toc is not None
    assert [a.text for a in toc.findall("li/a")] == ["Image Classification"]
    nested = toc.findall("li/ul/li/a")
    assert len(nested) == 5 and toc.find("li/ul/li/ul/li/a") is not None
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    targets = {a.get("href", "")[1:] for a in toc.iter("a")}
    assert targets <= ids  # every hand-written anchor leads to its heading
    assert "k---nearest-neighbor-classifier" in ids


# Heading ids: kramdown's GFM parser (Jekyll's default input), generate_gfm_header_id


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("k - Nearest Neighbor Classifier", "k---nearest-neighbor-classifier"),
        ("Summary: Applying kNN in practice", "summary-applying-knn-in-practice"),
        ("1. Intro", "1-intro"),
        ("Header \\` level 2", "header--level-2"),
    ],
)
def test_gfm_ids(text: str, slug: str) -> None:
    assert gfm_slugify(text) == slug


def test_ordinary_pages_keep_toc_ids(tmp_path: Path) -> None:
    assert 'id="k-nearest"' in convert(tmp_path, "## k - Nearest\n", jekyll=False)
    assert 'id="k---nearest"' in convert(tmp_path, "## k - Nearest\n")


# Attribute lists: doc/syntax.page, "Attribute List Definitions", "Inline Attribute Lists";
# test/testcases/block/11_ial/simple.{text,html} and span/ial/simple.{text,html}


def test_block_ials_as_kramdown_applies_them(tmp_path: Path) -> None:
    text = (
        'Some paragraph.\n{:.class .-class id key="val"}\n\n'
        "Some paragraph.\n{:.cls1#id.cls2}\n\n"
        "> quote\n{: #id}\n  {: .class}\n\n"
        '* list\n{: key="val"}\n\n'
        "    code block\n{: #other}\n\n"
        "    other code block\n\n"
        "## A header\n{:#myid}\n\n"
        "{:.cls}\nSome paragraph here\n\n"
        "{:.cls1}\n{:.cls2}\nSome paragraph here\n\n"
        "Paragraph\n{:.cls}\nParagraph\n\n"
        "Another header\n==============\n{: .class #other}\n\n"
        '{:id: #id key="valo"}\n{:id: #other .myclass other}\n'
        "{:other: key1=\"val\\\"\"  - ig.nored as_is#this key2='val\\'' .other-class}\n\n"
        "{:.invalid}\n"
    )
    same(
        convert(tmp_path, text),
        # kramdown's expected HTML (its test suite), attributes as kramdown sets them
        '<p key1="val&quot;" key2="val\'" class="other-class myclass class -class" id="other"'
        ' key="val">Some paragraph.</p>'
        '<p class="cls1 cls2" id="id">Some paragraph.</p>'
        '<blockquote id="id" class="class"><p>quote</p></blockquote>'
        '<ul key="val"><li>list</li></ul>'
        '<pre id="other"><code>code block\n</code></pre>'
        "<pre><code>other code block\n</code></pre>"
        '<h2 id="myid">A header</h2>'
        '<p class="cls">Some paragraph here</p>'
        '<p class="cls1 cls2">Some paragraph here</p>'
        '<p class="cls">Paragraph</p><p>Paragraph</p>'
        '<h1 class="class" id="other">Another header</h1>',
    )


def test_span_ials(tmp_path: Path) -> None:
    text = (
        "This is a `span`{: .hund #dog}.\n\n"
        "This is a `span`{: .hund #dog}{: .katz key='val'}.\n\n"
        "This *is*{:.underline} some `code`{:#id}{:.class}.\n"
        "A [link](test.html){:rel='something'} and some **tools**{:.tools}.\n"
    )
    same(
        convert(tmp_path, text),
        '<p>This is a <code class="hund" id="dog">span</code>.</p>'
        '<p>This is a <code class="hund katz" id="dog" key="val">span</code>.</p>'
        '<p>This <em class="underline">is</em> some <code id="id" class="class">code</code>.'
        ' A <a href="test.html" rel="something">link</a> and some'
        ' <strong class="tools">tools</strong>.</p>',
    )


def test_just_the_docs_labels_and_header_ids(tmp_path: Path) -> None:
    # stanford-cs324/winter2022 _modules/1-behavior.md: "**Lecture**{: .label .label-purple }"
    html = convert(tmp_path, "**Lecture**{: .label .label-purple } today\n\n## Setup {#setup}\n")
    same(html, '<p><strong class="label label-purple">Lecture</strong> today</p>'
         '<h2 id="setup">Setup</h2>')  # fmt: skip


def test_bare_words_are_references_not_attributes() -> None:
    assert parse_attributes("toc .a", {}) == [(".", "a")]
    assert parse_attributes("ref #b", {"ref": ".c"}) == [(".", "c"), ("id", "b")]


def test_ials_stay_text_on_ordinary_pages(tmp_path: Path) -> None:
    assert "{: .c}" in convert(tmp_path, "Para\n{: .c}\n", extensions=(), jekyll=False)


# {:toc}: doc/converter/html.page, "Automatic Table of Contents Generation";
# test/testcases/block/16_toc/toc_levels.html for the shape of its output


def test_toc_list(tmp_path: Path) -> None:
    text = (
        "* Here comes the table of content\n{:toc}\n\n# Contents\n{:.no_toc}\n\n"
        "## Header \\` level 2\n\n### Header [level](x.html) 3\n\n## Other level 2\n"
    )
    html = convert(tmp_path, text)
    same(
        html.split("\n<h1", 1)[0],
        '<ul id="markdown-toc">'
        '<li><a href="#header--level-2" id="markdown-toc-header--level-2">Header ` level 2</a>'
        '<ul><li><a href="#header-level-3" id="markdown-toc-header-level-3">Header level 3'
        "</a></li></ul></li>"
        '<li><a href="#other-level-2" id="markdown-toc-other-level-2">Other level 2</a></li>'
        "</ul>",
    )
    assert '<h1 class="no_toc" id="contents">' in html


def test_ordered_toc_without_the_toc_extension(tmp_path: Path) -> None:
    html = convert(tmp_path, "1. TOC\n{:toc .small}\n\n## One\n\n## One\n", extensions=())
    same(
        html,
        '<ol class="small" id="markdown-toc">'
        '<li><a href="#one" id="markdown-toc-one">One</a></li>'
        '<li><a href="#one-1" id="markdown-toc-one-1">One</a></li></ol>'
        '<h2 id="one">One</h2><h2 id="one-1">One</h2>',
    )


def test_just_the_docs_toc_in_details(tmp_path: Path) -> None:
    """just-the-docs' own pattern: a TOC in `<details markdown="block">`."""
    text = (
        '<details open markdown="block">\n  <summary>\n    Table of contents\n  </summary>\n'
        "  {: .text-delta }\n1. TOC\n{:toc}\n</details>\n\n## A\n\n### B\n"
    )
    html = convert(tmp_path, text)
    assert '<summary class="text-delta">' in html
    assert (
        '<ol id="markdown-toc"><li><a href="#a" id="markdown-toc-a">A</a><ol><li>'
        '<a href="#b" id="markdown-toc-b">B</a></li></ol></li></ol>'
    ) in html


# markdown="1": doc/syntax.page, "HTML Blocks"; test/testcases/block/09_html/markdown_attr


@pytest.mark.parametrize("extensions", [(), ("md_in_html",)])
def test_markdown_in_html(tmp_path: Path, extensions: tuple) -> None:
    text = (
        '<div markdown="block">\n*para*\n</div>\n\n<div markdown="span">\n*para*\n</div>\n\n'
        '<div markdown="1">\n*para*\n</div>\n\n<p markdown="1">\n*para*\n</p>\n'
    )
    same(
        convert(tmp_path, text, extensions=extensions),
        "<div><p><em>para</em></p></div><div><em>para</em></div>"
        "<div><p><em>para</em></p></div><p><em>para</em></p>",
    )


def test_markdown_in_html_only_on_jekyll_pages(tmp_path: Path) -> None:
    text = '<div markdown="1">\n*para*\n</div>\n'
    assert convert(tmp_path, text, extensions=(), jekyll=False) == text.strip()


def test_kramdown_inline_double_dollars_are_inline_math(tmp_path: Path) -> None:
    # doc/syntax.page, "Math Blocks": $$…$$ inside a paragraph is inline math (math.py)
    html = convert(tmp_path, "A model $$p$$ assigns $$x_{1:L}$$ a probability.\n")
    assert html.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 2


# Root-absolute URLs (issue 18, item 3)


class Files:
    """The site's files as MkDocs' `Files` answers for them (src_uri → url)."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.files = [SimpleNamespace(src_uri=src, url=url) for src, url in pairs]

    def get_file_from_path(self, path: str) -> SimpleNamespace | None:
        return next((f for f in self.files if f.src_uri == path), None)

    def documentation_pages(self) -> list[SimpleNamespace]:
        return [f for f in self.files if f.src_uri.endswith(".md")]


SITE_FILES = Files(
    ("assets/classify.png", "assets/classify.png"),
    ("classification.md", "classification/"),
    ("notes/page.md", "notes/page/"),
)


def convert_with_files(tmp_path: Path, text: str) -> str:
    extension = JekyllExtension()
    extension.page = jekyll_page(tmp_path, text)
    extension.page.files = SITE_FILES
    return markdown.Markdown(extensions=[extension]).convert(text)


def test_root_absolute_urls_become_relative(tmp_path: Path) -> None:
    html = convert_with_files(
        tmp_path,
        "![cat](/assets/classify.png) [notes](/classification/#knn) [home](/)\n\n"
        '<div class="fig"><img src="/assets/classify.png" width="50%"></div>\n\n'
        'See <a href="/classification">the notes</a>, <a href="//cdn.example/x">cdn</a>.\n',
    )
    # Markdown: the path from the page's file (notes/page.md), which MkDocs then checks
    assert '<img alt="cat" src="../assets/classify.png" />' in html
    assert '<a href="../classification.md#knn">notes</a>' in html
    # raw HTML: the URL from the page's URL (notes/page/)
    assert '<img src="../../assets/classify.png" width="50%">' in html
    assert '<a href="../../classification/">the notes</a>' in html
    assert 'href="//cdn.example/x"' in html  # protocol-relative: another host


def test_a_missing_target_is_a_warning_with_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = "Intro.\n\n![x](/assets/missing.png)\n\n<img src='/assets/gone.jpg'>\n"
    html = convert_with_files(tmp_path, text)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "lecture: docs/notes/page.md:3: '/assets/missing.png' is not a file of this site "
        "(docs/, or the Jekyll site's assets/ beside it): add it there, or fix the link.",
        "lecture: docs/notes/page.md:5: '/assets/gone.jpg' is not a file of this site "
        "(docs/, or the Jekyll site's assets/ beside it): add it there, or fix the link.",
    ]
    assert 'src="/assets/missing.png"' in html  # left as written


def test_a_course_under_a_project_path_builds_with_its_assets_beside_docs(
    tmp_path: Path,
) -> None:
    """cs231n's page as it comes, in a Jekyll site laid out as it is (assets/ and
    _config.yml at the root, the pages in docs/), published under /course/."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "classify.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "_config.yml").write_text("title: CS231n\n")
    site = build_site(
        tmp_path,
        {
            "classification.md": (SAMPLES / "classification.md").read_text(encoding="utf-8"),
            "index.md": "# Home\n\n[Notes](/classification/) and ![](/assets/classify.png)\n",
        },
        site_url="https://user.github.io/course/",
        markdown_extensions=["toc"],
    )
    page = (site / "classification" / "index.html").read_text(encoding="utf-8")
    assert '<img src="../assets/classify.png">' in page
    assert (site / "assets" / "classify.png").is_file()
    assert 'href="#k---nearest-neighbor-classifier"' in page
    assert 'id="k---nearest-neighbor-classifier"' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/classification/"' in home  # not a Jekyll page: left alone


# Navigation order (issue 18, item 5): the front matter of stanford-cs324/winter2022
# (commit 274fb9c, MIT): index.md, calendar.md, lectures.md and lectures/*.md, just-the-docs'
# nav_order, parent and has_children, with short bodies of our own


def front(**meta: object) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\n{lines}---\n\nText.\n"


CS324 = {
    "index.md": front(layout="default", title="Home", nav_order=1),
    "about.md": front(layout="page", title="About"),
    "calendar.md": front(layout="default", title="Calendar", nav_order=2),
    "lectures.md": front(layout="default", title="Lectures", nav_order=3, has_children="true"),
    "lectures/adaptation.md": front(layout="page", parent="Lectures", title="Adaptation",
                                    nav_order=4.7),
    "lectures/capabilities.md": front(layout="page", parent="Lectures", title="Capabilities",
                                      nav_order=2.1),
    "lectures/data.md": front(layout="page", parent="Lectures", title="Data", nav_order=3),
    "lectures/introduction.md": front(layout="page", parent="Lectures", title="Introduction",
                                      nav_order=1),
    "_posts/2022-01-10-week-2.md": front(layout="post", title="Week 2"),
    "_posts/2022-01-03-week-1.md": front(layout="post", title="Week 1", date="2022-01-03"),
    "_posts/2021-12-20-welcome.md": front(layout="post", title="Welcome",
                                          date="2022-01-17"),
}  # fmt: skip


def nav_titles(site: Path) -> list[str]:
    """The navigation of the mkdocs theme's home page: titles in order, sections as '['."""
    html = (site / "index.html").read_text(encoding="utf-8")
    bar = html[html.index('<ul class="nav navbar-nav">') :]
    bar = bar[: bar.index('<ul class="nav navbar-nav ms-md-auto">')]
    links = re.findall(r'class="((?:nav-link|dropdown-item)[^"]*)"[^>]*>([^<]+)<', bar)
    return [("[" if "dropdown-toggle" in cls else "") + text.strip() for cls, text in links]


def test_navigation_follows_front_matter(tmp_path: Path) -> None:
    site = build_site(tmp_path, CS324)
    assert nav_titles(site) == [
        "Home",
        "Calendar",
        "[Lectures",
        "Lectures",
        "Introduction",
        "Capabilities",
        "Data",
        "Adaptation",
        "[posts",
        "Week 1",
        "Week 2",
        "Welcome",
        "About",
    ]


def test_an_explicit_nav_is_kept(tmp_path: Path) -> None:
    site = build_site(tmp_path, CS324, nav=["about.md", "index.md"])
    assert nav_titles(site)[:2] == ["About", "Home"]


# Site settings (issue 18, item 4): _config.yml beside docs/ (or in it) gives `site.*`.
# CS324_CONFIG is the head of stanford-cs324/winter2022's _config.yml (commit 274fb9c, MIT).

CS324_CONFIG = """\
title: CS324
tagline: CS324 - Large Language Models
description: Understanding and developing large language models.
author: Percy Liang
exclude: ["Gemfile", "Gemfile.lock", "LICENSE", "README.md"]
markdown: kramdown
"""


def mkdocs_settings(site_url: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        site_name="Test course", site_description=None, site_author="Nobody", site_url=site_url
    )


def site_page(tmp_path: Path, config: str, site_url: str | None = None) -> JekyllPage:
    (tmp_path / "_config.yml").write_text(config)
    values, name = read_config(tmp_path / "docs")
    page = jekyll_page(tmp_path, "")
    page.site, page.config_name = site_variables(values, mkdocs_settings(site_url)), name
    page.files = SITE_FILES
    return page


def test_site_settings_come_from_config_yml(tmp_path: Path) -> None:
    config = CS324_CONFIG + "owner:\n  name: Percy\n  email: p@x\nterms: [a, b]\nyear: 2022\n"
    page = site_page(tmp_path, config)
    text = (
        "# {{ site.tagline }}\n"
        "{{ site.title }}: {{ site.description }} ({{ site.author }}, {{ site.year }})\n"
        "{{ site.owner.name }} {{ site.terms }} {{ site.tagline | upcase }}\n"
    )
    assert translate(text, page) == (
        "# CS324 - Large Language Models\n"  # _config.yml's title wins over site_name
        "CS324: Understanding and developing large language models. (Percy Liang, 2022)\n"
        "Percy a, b CS324 - LARGE LANGUAGE MODELS\n"
    )


# `defaults:` as in stanford-cs324/winter2022's _config.yml (commit 274fb9c, MIT): its
# calendar's modules take their layout from it, not from their front matter.
DEFAULTS = {
    "collections": {"modules": {"output": True}, "staffers": {"output": True}},
    "defaults": [
        {"scope": {"path": ""}, "values": {"layout": "default", "search": True}},
        {"scope": {"path": "", "type": "modules"}, "values": {"layout": "module"}},
        {"scope": {"path": "", "type": "staffers"}, "values": {"layout": "staffer"}},
        {"scope": {"path": "_modules/old"}, "values": {"nav_exclude": True}},
        {"scope": {"path": "", "type": "posts"}, "values": {"layout": "post"}},
    ],
}


@pytest.mark.parametrize(
    ("src_uri", "expected"),
    [
        ("_modules/2-data.md", {"layout": "module", "search": True}),
        ("_modules/old/x.md", {"layout": "module", "search": True, "nav_exclude": True}),
        ("_posts/2022-01-03-week-1.md", {"layout": "post", "search": True}),
        ("about.md", {"layout": "default", "search": True}),
        ("_drafts/x.md", {"layout": "default", "search": True}),  # (not a collection here)
    ],
)
def test_front_matter_defaults_as_jekyll_applies_them(src_uri: str, expected: dict) -> None:
    assert front_matter_defaults(DEFAULTS, src_uri) == expected


def test_a_collection_page_is_a_jekyll_page_by_its_defaults(tmp_path: Path) -> None:
    """A module of cs324's calendar has only a title; its layout, from `defaults:`, makes
    it a Jekyll page, so its definition lists are kramdown's."""
    (tmp_path / "_config.yml").write_text(CS324_CONFIG + yaml.safe_dump(DEFAULTS))
    module = "---\ntitle: Data\n---\n\nWed Jan 19\n: *Percy Liang*\n"
    site = build_site(tmp_path, {"index.md": "# Home\n", "_modules/2-data.md": module})
    html = (site / "_modules/2-data/index.html").read_text()
    assert "<dt>Wed Jan 19</dt>" in html and "<dd><em>Percy Liang</em></dd>" in html


def test_mkdocs_settings_stand_in_without_config_yml(tmp_path: Path) -> None:
    page = jekyll_page(tmp_path, "")
    page.site = site_variables(*read_config(tmp_path / "docs")[:1], mkdocs_settings())
    assert translate("{{ site.title }} by {{ site.author }}\n", page) == "Test course by Nobody\n"


def test_unknown_site_keys_are_errors_with_their_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = site_page(tmp_path, "title: T\nowner:\n  name: P\n")
    text = "a\n{{ site.tagline }}\n{{ site.owner }}\n{{ site.owner.mail }}\n{{ site.posts }}\n"
    assert translate(text, page) == text  # left as written
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [e.split(". If it is not Liquid")[0] for e in errors] == [
        "lecture: docs/notes/page.md:2: 'site.tagline' is not in _config.yml: add it there, "
        "or remove it",
        "lecture: docs/notes/page.md:3: 'site.owner' is a mapping in _config.yml: name one "
        "key (site.owner.name)",
        "lecture: docs/notes/page.md:4: 'site.owner.mail' is not in _config.yml: add it "
        "there, or remove it",
        "lecture: docs/notes/page.md:5: 'site.posts' is made by Jekyll from the site's "
        "files: not supported",
    ]
    caplog.clear()
    (tmp_path / "_config.yml").unlink()
    page.config_name = ""
    translate("{{ site.tagline }}\n", page)
    assert "no _config.yml beside docs/ (or in it)" in caplog.records[0].getMessage()


def test_site_baseurl_stays_relative_and_site_url_is_the_sites_address(tmp_path: Path) -> None:
    """baseurl: /notes is where the Jekyll site was; links stay relative to the site's root,
    so the build works under any path. site.url: mkdocs.yml's site_url, else _config.yml's
    url and baseurl; `{{ site.url }}{{ site.baseurl }}` is that address once."""
    config = "baseurl: /notes\nurl: https://old.example.edu\n"
    text = (
        "![x]({{ site.baseurl }}/assets/classify.png)\n"
        '<img src="{{ site.baseurl }}/assets/classify.png">\n'
        "{{ site.url }}{{ site.baseurl }}/x {{ site.url }}/y {{ '/z' | absolute_url }}\n"
    )
    relative = '![x](../assets/classify.png)\n<img src="../../assets/classify.png">\n'
    page = site_page(tmp_path, config)
    assert translate(text, page) == relative + (
        "https://old.example.edu/notes/x https://old.example.edu/notes/y "
        "https://old.example.edu/notes/z\n"
    )
    page = site_page(tmp_path, config, site_url="https://user.github.io/course/")
    assert translate(text, page) == relative + (
        "https://user.github.io/course/x https://user.github.io/course/y "
        "https://user.github.io/course/z\n"
    )


def test_root_absolute_urls_spelling_out_the_baseurl(tmp_path: Path) -> None:
    page = site_page(tmp_path, "baseurl: /notes\n")
    extension = JekyllExtension()
    extension.page = page
    html = markdown.Markdown(extensions=[extension]).convert(
        "![a](/notes/assets/classify.png) [b](/notes/classification/)\n\n"
        '<img src="/notes/assets/classify.png">\n'
    )
    assert 'src="../assets/classify.png"' in html
    assert 'href="../classification.md"' in html
    assert '<img src="../../assets/classify.png">' in html


def test_a_config_yml_that_cannot_be_read_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "_config.yml").write_text("title: [unclosed\n")
    assert read_config(tmp_path / "docs") == ({}, "")
    assert caplog.records[0].levelno == logging.WARNING
    assert caplog.records[0].getMessage().startswith("lecture: _config.yml cannot be read (")


def test_cs324_home_page_with_its_config_yml(tmp_path: Path) -> None:
    """The head of stanford-cs324/winter2022's index.md (commit 274fb9c, MIT), with its
    _config.yml inside docs/ (not published) and a figure by `{{ site.baseurl }}`."""
    home = (
        "---\nlayout: default\ntitle: Home\nnav_order: 1\n---\n\n"
        "# {{ site.tagline }}\n\n"
        "The field of natural language processing (NLP) has been transformed by massive\n"
        "pre-trained language models.\n\n"
        "![Model]({{ site.baseurl }}/assets/model.png)\n"
        '<img src="{{ site.baseurl }}/assets/model.png" alt="model">\n'
    )
    lecture = "---\nlayout: page\ntitle: Intro\n---\n\n![m]({{ site.baseurl }}/assets/model.png)\n"
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "model.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    pages = {"_config.yml": CS324_CONFIG, "index.md": home, "lectures/intro.md": lecture}
    site = build_site(tmp_path, pages, site_url="https://user.github.io/cs324/")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>CS324 - Large Language Models</h1>", html)
    assert '<img alt="Model" src="assets/model.png" />' in html
    assert '<img src="./assets/model.png" alt="model">' in html
    intro = (site / "lectures" / "intro" / "index.html").read_text(encoding="utf-8")
    assert '<img alt="m" src="../../assets/model.png" />' in intro
    assert not (site / "_config.yml").exists()

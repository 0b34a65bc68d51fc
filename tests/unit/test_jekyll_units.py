"""The pieces of Jekyll support, without a build: mojibake, Liquid, math, inline HTML, byline."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import markdown
import pytest
from mkdocs_lecture.jekyll import JekyllExtension, is_jekyll_page
from mkdocs_lecture.jekyll.html import sanitize, scan
from mkdocs_lecture.jekyll.liquid import translate
from mkdocs_lecture.jekyll.math import to_mathml
from mkdocs_lecture.jekyll.mojibake import repair
from mkdocs_lecture.jekyll.page import (
    JekyllPage,
    byline_html,
    normalize_meta,
    with_title_and_byline,
)
from support import FakeFile, FakeFiles, errors

SEED = Path(__file__).parents[1] / "jekyll" / "sft-lecture.md"
MATHML = "{http://www.w3.org/1998/Math/MathML}"


def make_page(tmp_path: Path, **meta: object) -> JekyllPage:
    docs = tmp_path / "docs"
    (docs / "_posts").mkdir(parents=True, exist_ok=True)
    return JekyllPage(
        source="docs/_posts/2022-07-01-b.md",
        src_uri="_posts/2022-07-01-b.md",
        url="_posts/2022-07-01-b/",
        line_offset=4,
        meta={"title": "Bee & co", **meta},
        site={"title": "Course", "url": "https://example.org/course/"},
        docs_dir=str(docs),
        files=FakeFiles(
            FakeFile("_posts/2022-06-24-a.md", "_posts/2022-06-24-a/"),
            FakeFile("_posts/2022-07-01-b.md", "_posts/2022-07-01-b/"),
            FakeFile("about.md", "about/"),
        ),
    )


# Mojibake


def test_seed_mojibake_is_repaired_exactly() -> None:
    text = SEED.read_text(encoding="utf-8")
    fixed, codec = repair(text)
    assert codec == "mac_roman"
    assert fixed == text.encode("mac_roman").decode("utf-8")
    assert "“What is 2 + 2?”" in fixed and "👍" in fixed and "✅" in fixed


@pytest.mark.parametrize(
    "clean",
    [
        "Un café, s\u2019il vous plaît.",
        "German quotes: \u201aso\u2018 and „so“.",
        "A thumbs up 👍 and a check ✅.",
        "plain ASCII",
        "Ünïcödé with \u201a and é together: \u201aé",
    ],
)
def test_clean_text_is_never_touched(clean: str) -> None:
    assert repair(clean) == (clean, None)


def windows_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252, its five undefined bytes kept as C1 controls."""
    return "".join(
        bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in text.encode()
    )


def test_windows_mojibake_is_repaired() -> None:
    clean = "It\u2019s “quoted”, café, naïve — and 9.11 < 9.9?"
    assert windows_mojibake(clean) != clean
    assert repair(windows_mojibake(clean)) == (clean, "cp1252")
    assert repair("cafÃ©") == ("café", "cp1252")  # not U+0329 through Mac Roman


def test_partly_repaired_text_is_left_alone() -> None:
    mixed = "\u201aÄú is mojibake but 👍 is not"
    assert repair(mixed) == (mixed, None)


# Front matter and byline


def test_start_page_repairs_front_matter_and_finish_page_adds_the_byline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def mac_roman(text: str) -> str:  # what the page looks like after the bad decode
        return text.encode().decode("mac_roman")

    title, author, body = "“Café”", "Zoë", "It\u2019s {{ page.title }}.\n"
    front = f"---\nlayout: post\ntitle: {title}\nauthor: {author}\ncategory: a\n---\n\n"
    page = SimpleNamespace(
        meta={"layout": "post", "title": mac_roman(title), "author": mac_roman(author)},
        file=SimpleNamespace(content_string=mac_roman(front + body), src_uri="post.md"),
        url="post/",
    )
    page.meta["category"] = "a"
    config = SimpleNamespace(
        site_name="S",
        site_description=None,
        site_author=None,
        site_url=None,
        docs_dir=str(tmp_path),
    )
    extension = JekyllExtension()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lecture"):
        out = extension.start_page(
            mac_roman(body),
            page=page,
            files=None,
            config=config,
            source="docs/post.md",
            line_offset=6,
        )
    assert out == "It\u2019s “Café”.\n"
    assert page.meta == {"layout": "post", "title": title, "author": author, "categories": ["a"]}
    assert "lecture: docs/post.md: repaired mojibake (UTF-8 text read as Mac Roman)." in caplog.text
    html = extension.finish_page("<p>x</p>", page.meta["title"])
    assert html.startswith(
        '<h1>“Café”</h1>\n<p class="lecture-byline"><span class="lecture-byline__author">Zoë'
    )
    assert extension.page is None


def test_categories_and_tags_become_lists() -> None:
    meta: dict[str, object] = {"category": "Jekyll", "categories": "ml nlp", "tags": "a b"}
    normalize_meta(meta)
    assert meta == {"categories": ["Jekyll", "ml", "nlp"], "tags": ["a", "b"]}


def test_byline_is_escaped_and_dated() -> None:
    meta = {"author": "Tao <He> & co", "date": dt.date(2022, 6, 26)}
    assert byline_html(meta, "post.md") == (
        '<p class="lecture-byline"><span class="lecture-byline__author">Tao &lt;He&gt; &amp; '
        'co</span> · <time datetime="2022-06-26">26 June 2022</time></p>'
    )
    assert "24 June 2022" in byline_html({}, "_posts/2022-06-24-a.md")  # from the file name
    assert "9 May 2021" in byline_html({"date": "2021-05-09 10:00:00 +0800"}, "x.md")
    assert byline_html({"author": {"name": "Ada"}}, "x.md").count("Ada") == 1
    assert byline_html({}, "x.md") == ""


def test_title_becomes_h1_only_when_missing_and_byline_goes_under_it() -> None:
    byline = '<p class="lecture-byline">A</p>'
    assert with_title_and_byline("<p>x</p>", "T & U", byline) == (
        f"<h1>T &amp; U</h1>\n{byline}\n<p>x</p>"
    )
    assert with_title_and_byline('<h1 id="a">A</h1><p>x</p>', "T", byline) == (
        f'<h1 id="a">A</h1>\n{byline}<p>x</p>'
    )
    assert with_title_and_byline("<p>x</p><h1>Later</h1>", "T", byline).startswith(byline)


def test_jekyll_pages_are_found_by_layout_unless_configured() -> None:
    assert is_jekyll_page({"layout": "post"}, "auto")
    assert not is_jekyll_page({"title": "MkDocs page"}, "auto")
    assert is_jekyll_page({}, True)
    assert not is_jekyll_page({"layout": "post"}, False)
    assert not is_jekyll_page({"layout": "post", "jekyll": False}, "auto")


# Liquid


def test_variables_and_site_root(tmp_path: Path) -> None:
    page = make_page(tmp_path)
    text = (
        "{{ page.title }} in {{ site.title }}\n"
        "![x]({{ site.baseurl }}/assets/x.svg)\n"
        '<img src="{{ site.baseurl }}/assets/x.svg">\n'
        '<img src="{{ "/assets/y.svg" | relative_url }}">\n'
        "{{ '/a/' | absolute_url }} {{ page.date | date: '%d/%m/%Y' }}\n"
    )
    page.meta["date"] = dt.date(2022, 7, 1)
    assert translate(text, page) == (
        "Bee &amp; co in Course\n"
        "![x](../assets/x.svg)\n"  # relative to the file: MkDocs checks and rewrites it
        '<img src="../../assets/x.svg">\n'  # relative to the page's URL: raw HTML
        '<img src="../../assets/y.svg">\n'
        "https://example.org/course/a/ 01/07/2022\n"
    )


def test_highlight_becomes_a_fence_on_the_same_lines(tmp_path: Path) -> None:
    text = "a\n{% highlight md linenos %}\n```\nx\n```\n{% endhighlight %}\nb\n"
    out = translate(text, make_page(tmp_path))
    assert out == "a\n````md\n```\nx\n```\n````\nb\n"  # a fence longer than the content's
    assert out.count("\n") == text.count("\n")


def test_raw_and_code_are_left_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "{% raw %}{{ page.nope }} {% if %}{% endraw %}\n"
        "`{{ page.nope }}` and `{% raw %}{{ x }}{% endraw %}`\n"
        "```liquid\n{% for x in y %}{{ x }}{% endfor %}\n{% raw %}{{ z }}{% endraw %}\n```\n"
        "{% comment %}gone {{ page.nope }}{% endcomment %}end\n"
    )
    assert translate(text, make_page(tmp_path)) == (
        "{{ page.nope }} {% if %}\n"
        "`{{ page.nope }}` and `{{ x }}`\n"
        "```liquid\n{% for x in y %}{{ x }}{% endfor %}\n{{ z }}\n```\n"
        "end\n"
    )
    assert errors(caplog) == []


def test_links_to_posts(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "[a]({% post_url 2022-06-24-a %}) [b]({% link about.md %})\n"
        '<a href="{% post_url 2022-06-24-a %}">a</a> '
        "[c]({{ site.baseurl }}{% link about.md %})\n"
    )
    assert translate(text, make_page(tmp_path)) == (
        '[a](2022-06-24-a.md) [b](../about.md)\n<a href="../2022-06-24-a/">a</a> [c](../about.md)\n'
    )
    assert errors(caplog) == []


def test_includes_with_parameters(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    includes = tmp_path / "_includes"  # next to docs/
    includes.mkdir()
    (includes / "box.html").write_text('<div class="box">{{ include.text }}{{ include.x }}</div>\n')
    (tmp_path / "docs" / "_posts" / "part.md").write_text("Part of {{ page.title }}\n")
    text = '{% include box.html text="Hi {{ page.title }}" %}\n{% include_relative part.md %}\n'
    assert translate(text, page) == (
        '<div class="box">Hi Bee &amp; co</div>\nPart of Bee &amp; co\n'
    )
    assert errors(caplog) == []


def test_bad_includes_are_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    (tmp_path / "docs" / "_includes").mkdir()
    (tmp_path / "docs" / "_includes" / "box.html").write_text("[{{ include.x }}]")
    (tmp_path / "secret.txt").write_text("secret")
    text = "{% include box.html x=site.nope %}\n{% include ../../secret.txt %}\n"
    assert translate(text, page) == "[]\n\n"
    assert [message.split(": ", 3)[2] for message in errors(caplog)] == [
        "'{% include box.html %}'",
        "'{% include ../../secret.txt %}'",
    ]


def test_unsupported_liquid_is_an_error_with_page_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        "ok\n"
        "{% seo %}\n"
        "{% for t in page.tags %}{{ t }}{% endfor %}\n"
        "{{ site.github.url }} {{ page.url }} {{ page.nope }}\n"
        "{{ page.title | slugify }}\n"
        "{% include nope.html %} {% link nope.md %} {% post_url 1999-01-01-nope %}\n"
        "{% highlight python %}\nunclosed\n"
    )
    out = translate(text, make_page(tmp_path))
    assert "{% seo %}" in out  # left as it is
    assert "{% for t in page.tags %}{{ t }}{% endfor %}" in out  # an error: left as it is
    assert "bee-co\n" in out  # slugify: a filter of the engine
    lines = [message.split(": ", 2)[1] for message in errors(caplog)]
    source = "docs/_posts/2022-07-01-b.md"
    assert lines == [f"{source}:{n}" for n in (6, 7, 8, 8, 8, 10, 10, 10, 11)]
    messages = "\n".join(errors(caplog))
    assert "Liquid tag '{% seo %}' is not supported" in messages
    assert "'page.tags' is not in the page's front matter" in messages  # never an empty loop
    assert "unknown Liquid variable 'site.github.url'" in messages
    assert "link pages with {% link path/to/page.md %}" in messages
    assert "add 'nope:' to it" in messages
    assert "no file 'nope.html' in _includes/" in messages
    assert "no docs/nope.md" in messages
    assert "'{% highlight %}' is never closed" in messages


# Math


@pytest.mark.parametrize(
    ("tex", "tag"),
    [("x^2", "msup"), (r"\frac{a}{b}", "mfrac"), (r"\sqrt{d}", "msqrt"), (r"x_i", "msub")],
)
def test_latex_becomes_mathml(tex: str, tag: str) -> None:
    mathml = to_mathml(tex, display=False)
    assert mathml is not None
    root = ElementTree.fromstring(mathml)
    assert root.tag == f"{MATHML}math"
    assert root.find(f".//{MATHML}{tag}") is not None


@pytest.mark.parametrize("bad", [r"\frac{a}", "x^", r"\nonexistent{x}", "{"])
def test_latex_it_cannot_convert_is_refused(bad: str) -> None:
    assert to_mathml(bad, display=False) is None


def convert(tmp_path: Path, text: str, **options: object) -> str:
    extension = JekyllExtension(**options)  # type: ignore[arg-type]
    extension.page = make_page(tmp_path)
    extension.page.markdown = text
    md = markdown.Markdown(extensions=[extension, "md_in_html", "admonition", "fenced_code"])
    return md.convert(text)


def test_math_in_markdown(tmp_path: Path) -> None:
    html = convert(
        tmp_path,
        "Square $x^2$, costs $5 and $10, US$5, \\$x\\$, `$y$`, \\(z\\).\n\n"
        "$$\n- a\n+ b\n$$\n\nInline $$e$$ here.\n",
    )
    assert html.count("<math") == 4
    assert 'display="block"' in html and html.count('display="block"') == 1
    assert "costs $5 and $10, US$5, $x$, <code>$y$</code>" in html
    assert "<li>" not in html  # the display block's lines are not a list


def test_no_math_inside_html_tags_or_on_ordinary_pages(tmp_path: Path) -> None:
    html = convert(tmp_path, '<span title="a $b$ c">s</span> $y$\n')
    assert html.startswith('<p><span title="a $b$ c">s</span> <math ')
    extension = JekyllExtension()  # no Jekyll page being converted
    assert markdown.markdown("$y$ and $$z$$", extensions=[extension]) == "<p>$y$ and $$z$$</p>"


def test_javascript_links_lose_their_target(tmp_path: Path) -> None:
    assert convert(tmp_path, "[js](javascript:alert(1))\n") == "<p><a>js</a></p>"


def test_list_right_after_a_paragraph(tmp_path: Path) -> None:
    html = convert(tmp_path, "Including:\n- one\n- two\n")
    assert html == "<p>Including:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


# Inline HTML


def test_scan_finds_scripts_handlers_and_javascript_urls() -> None:
    found = scan(
        '<div onclick="x()"><a href=" JavaScript:y()">a</a><h3> The <b>game</b> </h3>'
        "<script>if (a < b) {}</script><img src='//cdn.example.com/i.png'></div>"
    )
    assert found.scripts == 1 and found.unsafe
    assert found.handlers == ["onclick", "href=…"]
    assert found.headings == ["The game"]
    assert found.images == ["//cdn.example.com/i.png"]
    assert not scan('<p title="onclick=x()">onclick="no"</p>').unsafe


def test_sanitize_keeps_markup_and_drops_scripts() -> None:
    html = (
        '<p class="a" onmouseover="x()">Hi &amp; <b>bye</b><script>alert(1)</script>'
        '<img src="https://example.com/a.png" alt="A cat"></p>'
    )
    assert sanitize(html, link_images=True) == (
        '<p class="a">Hi &amp; <b>bye</b><a class="lecture-external-image" '
        'href="https://example.com/a.png" rel="noopener noreferrer">Image from the original '
        "post: A cat (example.com)</a></p>"
    )


def test_script_block_becomes_a_note_with_a_pointer(tmp_path: Path) -> None:
    text = (
        "Intro.\n\n<!-- game -->\n<div id='g'>\n<h3>The game</h3>\n</div>\n\n"
        "<script>\nrender('$x$');\n</script>\n\n```html\n<script>kept as code</script>\n```\n\n"
        "After <b onclick='x()'>bold</b>.\n"
    )
    html = convert(tmp_path, text, script_pointer="See the live demos in this course.")
    assert "<script>" not in html.replace("&lt;script&gt;", "")
    assert html.count("lecture-script-note") == 1
    assert "(“The game”)" in html and "See the live demos in this course." in html
    assert "render(" not in html and "<math" not in html
    assert "&lt;script&gt;kept as code&lt;/script&gt;" in html
    assert "After <b>bold</b>." in html


def test_note_without_a_demo_page_says_so_generally(tmp_path: Path) -> None:
    html = convert(tmp_path, "<div><h2>Game</h2><button onclick='go()'>Go</button></div>\n")
    assert "See the live demos in this course." in html
    assert "(“Game”)" in html and "<button" not in html

"""The tags of tufte-jekyll's Ruby plugins (`jekyll/tufte.py`), as deepgenerativemodels/notes
uses them: each writes what its plugin in the theme's `_plugins/` writes (the file and line
cited by each test), on the page's lines; a missing argument is an error at its line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import markdown
import pytest
from mkdocs_lecture.jekyll import JekyllExtension
from mkdocs_lecture.jekyll.liquid import translate
from mkdocs_lecture.jekyll.page import JekyllPage
from mkdocs_lecture.jekyll.tufte import CSS, TufteError, shellsplit
from support import FakeFile, FakeFiles, build_site

SOURCE = "docs/notes/vae.md"


def make_page(tmp_path: Path) -> JekyllPage:
    """docs/notes/vae.md (at notes/vae/), its body from line 4, and a site image."""
    (tmp_path / "docs" / "notes").mkdir(parents=True, exist_ok=True)
    return JekyllPage(
        source=SOURCE,
        src_uri="notes/vae.md",
        url="notes/vae/",
        line_offset=3,
        meta={"title": "VAE"},
        site={"title": "DGM"},
        config_name="_config.yml",
        docs_dir=str(tmp_path / "docs"),
        files=FakeFiles(
            FakeFile("notes/vae.md", "notes/vae/"),
            FakeFile("assets/img/vae.png", "assets/img/vae.png"),
        ),
    )


def messages(caplog: pytest.LogCaptureFixture, level: int = logging.ERROR) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


# Each tag's HTML, as the Ruby plugin writes it


def test_marginnote_as_marginnote_rb_writes_it_with_dgm_index_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # deepgenerativemodels/notes' index.md, lines 6-8: a note of two lines with Markdown
    text = (
        "staff.\n"
        "{% marginnote 'mn-id-whatever' 'The notes are still **under construction**!\n"
        "Since these notes are brand new, [Github](https://github.com/x).'%}\n"
        "You too may help.\n"
    )
    out = translate(text, make_page(tmp_path))
    assert messages(caplog) == []
    # marginnote.rb:12
    assert out == (
        "staff.\n"
        "<label for='mn-id-whatever' class='margin-toggle'> &#8853;</label>"
        "<input type='checkbox' id='mn-id-whatever' class='margin-toggle'/>"
        "<span class='marginnote'>The notes are still **under construction**!\n"
        "Since these notes are brand new, [Github](https://github.com/x). </span>\n"
        "You too may help.\n"
    )
    # the note's Markdown is the page's: converted with it, inside the paragraph
    html = markdown.Markdown().convert(out)
    assert "<strong>under construction</strong>" in html
    assert '<a href="https://github.com/x">Github</a>. </span>' in html
    assert html.startswith("<p>staff.\n<label") and html.count("<p>") == 1


def test_sidenote_as_sidenote_rb_writes_it(tmp_path: Path) -> None:
    out = translate(
        'A claim{% sidenote "sn-1" "See [1], it\'s \\"shown\\"." %} here.', make_page(tmp_path)
    )
    # sidenote.rb:12
    assert out == (
        "A claim<label for='sn-1' class='margin-toggle sidenote-number'></label>"
        "<input type='checkbox' id='sn-1' class='margin-toggle'/>"
        "<span class='sidenote'>See [1], it's \"shown\". </span> here."
    )


def test_newthought_as_newthought_rb_writes_it(tmp_path: Path) -> None:
    page = make_page(tmp_path)
    # newthought.rb:17 (a space after the span)
    assert translate("{% newthought 'In this lecture' %}we", page) == (
        "<span class='newthought'>In this lecture</span> we"
    )
    # shellsplit: unquoted, each word is an argument, and the plugin shows the first
    assert translate("{% newthought In this lecture %}", page) == (
        "<span class='newthought'>In</span> "
    )


def test_marginfigure_as_margin_figure_rb_writes_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    text = (
        "{% marginfigure 'mf-1' 'assets/img/vae.png' 'The *model*.' %}\n"
        "{% marginfigure 'mf-2' 'https://example.org/x.png' 'From the web' %}\n"
    )
    out = translate(text, page)
    assert messages(caplog) == []
    # margin_figure.rb:22-24: baseurl/url, here the file's URL relative to the page's
    # margin_figure.rb:18-20: an http(s):// or // URL as it is
    assert out == (
        "<label for='mf-1' class='margin-toggle'>&#8853;</label>"
        "<input type='checkbox' id='mf-1' class='margin-toggle'/>"
        "<span class='marginnote'><img class='fullwidth' src='../../assets/img/vae.png'/><br>"
        "The *model*.</span>\n"
        "<label for='mf-2' class='margin-toggle'>&#8853;</label>"
        "<input type='checkbox' id='mf-2' class='margin-toggle'/>"
        "<span class='marginnote'><img class='fullwidth' src='https://example.org/x.png'/><br>"
        "From the web</span>\n"
    )


def test_maincolumn_and_fullwidth_as_their_plugins_write_them(tmp_path: Path) -> None:
    page = make_page(tmp_path)
    # main_column_img.rb:20: the caption before the image
    assert translate("{% maincolumn '/assets/img/vae.png' 'A VAE' %}", page) == (
        "<figure><figcaption>A VAE</figcaption><img src='../../assets/img/vae.png'/></figure>"
    )
    # main_column_img.rb:18
    assert translate("{% maincolumn '//example.org/x.png' 'A VAE' %}", page) == (
        "<figure><figcaption>A VAE</figcaption><img src='//example.org/x.png'/></figure>"
    )
    # fullwidth.rb:21-22, with no caption: an empty one, as Ruby's nil shows
    assert translate("{% fullwidth 'assets/img/vae.png' %}", page) == (
        "<figure class='fullwidth'><img src='../../assets/img/vae.png'/>"
        "<figcaption></figcaption></figure>"
    )
    # fullwidth.rb:18-19
    assert translate("{% fullwidth 'http://example.org/x.png' 'Wide' %}", page) == (
        "<figure class='fullwidth'><img src='http://example.org/x.png'/>"
        "<figcaption>Wide</figcaption></figure>"
    )


def test_liquid_inside_an_argument_stays_text_as_liquid_reads_the_tag_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = translate("{% sidenote 'sn' 'In {{ page.title }}' %}", make_page(tmp_path))
    assert messages(caplog) == []
    assert "<span class='sidenote'>In {{ page.title }} </span>" in out


def test_arguments_split_as_ruby_shellsplit_splits_them() -> None:
    # shellwords.rb: quotes, adjacent pieces joined, backslash escapes, newlines in quotes
    assert shellsplit(" 'a b'  \"c\\\"d\" e\\ f 'g'\"h\" 'x\ny' ") == [
        "a b",
        'c"d',
        "e f",
        "gh",
        "x\ny",
    ]
    assert shellsplit('"\\n\\$"') == ["\\n$"]  # in double quotes only $ ` \" \\ escape
    assert shellsplit("") == []
    with pytest.raises(TufteError, match="unmatched quote '"):
        shellsplit("'id' 'never closed")


def test_lines_between_arguments_are_kept_for_the_next_lines(tmp_path: Path) -> None:
    text = "{% marginnote 'mn'\n   'note' %}\n{% sidenote %}\n"
    out = translate(text, make_page(tmp_path))
    assert out.startswith("<label\n for='mn' class='margin-toggle'>")
    assert out.count("\n") == text.count("\n")


# Errors and warnings, at the tag's page line


def test_missing_arguments_are_errors_at_the_tag_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        "Intro.\n\n"
        "{% marginnote 'only-an-id' %}\n"
        "{% fullwidth %}\n"
        "{% sidenote 'sn' 'not closed %}\n"
    )
    out = translate(text, make_page(tmp_path))
    assert messages(caplog) == [
        f"lecture: {SOURCE}:6: '{{% marginnote %}}': needs 2 quoted arguments, the id and "
        "the note (1 given): {% marginnote 'mn-id' 'The note' %}.",
        f"lecture: {SOURCE}:7: '{{% fullwidth %}}': needs 1 quoted argument, the url "
        "(0 given): {% fullwidth 'assets/img/x.png' 'The caption' %}.",
        f"lecture: {SOURCE}:8: '{{% sidenote %}}': unmatched quote ' in \"'sn' 'not closed\": "
        "close it.",
    ]
    assert out == text  # left in the page as it is, like other tags in error


def test_a_missing_image_is_a_warning_at_the_tag_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = translate("\n{% maincolumn 'assets/img/gone.png' 'Gone' %}", make_page(tmp_path))
    assert messages(caplog, logging.WARNING) == [
        f"lecture: {SOURCE}:5: '/assets/img/gone.png' is not a file of this site (docs/, or "
        "the Jekyll site's assets/ beside it): add it there, or fix the link."
    ]
    assert "<img src='../../assets/img/gone.png'/>" in out  # the plugin's baseurl/url


def test_tags_in_a_control_flow_block_are_rendered_by_the_engine(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        "{% if page.title %}\n"
        "{% sidenote 'sn' 'For {{ page.title }}' %}{% marginfigure 'mf' '/assets/img/vae.png' %}\n"
        "{% endif %}\n"
        "{% if true %}\n{% newthought %}\n{% endif %}\n"
    )
    out = translate(text, make_page(tmp_path))
    assert "<span class='sidenote'>For {{ page.title }} </span>" in out
    # root-absolute, for urls.py to make relative in the page's HTML
    assert "<img class='fullwidth' src='/assets/img/vae.png'/><br></span>" in out
    assert messages(caplog) == [
        f"lecture: {SOURCE}:8: '{{% newthought %}}': needs 1 quoted argument, the text "
        "(0 given): {% newthought 'The first words' %}"
    ]


# On the built page: the stylesheet linked, no inline style


def test_pages_with_tufte_notes_link_the_tufte_stylesheet(tmp_path: Path) -> None:
    pages = {
        "notes/vae.md": "---\nlayout: post\n---\n\nA{% sidenote 'sn' 'Note *one*' %} claim.\n",
        "plain.md": "---\nlayout: post\n---\n\nNo notes.\n",
    }
    site = build_site(tmp_path, pages)
    html = (site / "notes" / "vae" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/lecture/jekyll-tufte.css">' in html
    assert "<span class='sidenote'>Note <em>one</em> </span>" in html
    assert not re.search(r"<(?:label|input|span)[^>]*\sstyle=", html)  # a strict CSP holds
    assert "jekyll-tufte.css" not in (site / "plain" / "index.html").read_text(encoding="utf-8")
    css = (site / "assets" / "lecture" / "jekyll-tufte.css").read_text(encoding="utf-8")
    assert css == CSS
    assert "input.margin-toggle { display: none; }" in css


def test_a_site_without_tufte_notes_gets_no_stylesheet(tmp_path: Path) -> None:
    extension = JekyllExtension()
    assert extension.finish_page("<p>x</p>", "T") == "<p>x</p>"  # not a Jekyll page
    site = build_site(tmp_path, {"a.md": "---\nlayout: post\n---\n\nText.\n"})
    assert not (site / "assets" / "lecture" / "jekyll-tufte.css").exists()

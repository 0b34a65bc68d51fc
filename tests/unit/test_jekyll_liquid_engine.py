"""Liquid rendered by python-liquid (`jekyll/engine.py`): include files with control flow
and filters, a page's control-flow blocks (lines kept), Jekyll collections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs_lecture.jekyll.liquid import translate
from mkdocs_lecture.jekyll.page import JekyllPage
from support import FakeFile, FakeFiles, errors

CORPUS = Path(__file__).parents[1] / "jekyll" / "corpus"
SOURCE = "docs/inference/ve.md"


def make_page(tmp_path: Path, site: dict[str, object] | None = None) -> JekyllPage:
    """docs/inference/ve.md of a course whose includes are cs228's (beside docs/)."""
    (tmp_path / "docs" / "inference").mkdir(parents=True, exist_ok=True)
    if not (tmp_path / "_includes").exists():
        shutil.copytree(CORPUS / "_includes", tmp_path / "_includes")
    return JekyllPage(
        source=SOURCE,
        src_uri="inference/ve.md",
        url="inference/ve/",
        line_offset=3,
        meta={"title": "Variable elimination", "tags": ["a", "b"]},
        site={"title": "CS228", "url": "https://example.org/cs228", **(site or {})},
        config_name="_config.yml",
        docs_dir=str(tmp_path / "docs"),
        files=FakeFiles(
            FakeFile("inference/ve.md", "inference/ve/"),
            FakeFile("_modules/1-intro.md", "_modules/1-intro/"),
            FakeFile("_modules/2-more.md", "_modules/2-more/"),
        ),
    )


# Include files: rendered by the engine


def test_cs228_marginfigure_renders_its_assign_if_and_slice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    text = (
        'Marginalize.{% include marginfigure.html id="marg" url="assets/img/m.png" '
        'description="Out with $$B$$ from {{ page.title }} & co" %}\n'
        "{% include marginfigure.html id='web' url='https://example.org/x.png' "
        "description='From the web' %}\n"
    )
    out = translate(text, page)
    assert errors(caplog) == []
    assert '<label for="marg" class="margin-toggle">&#8853;</label>' in out
    # the else branch: a relative URL, from the page's URL to the site's root
    assert (
        '<span class="marginnote"><img class="fullwidth" src="../../assets/img/m.png" '
        'alt="Out with $$B$$ from Variable elimination & co" /><br>'
    ) in out
    # the if branch ('https://' is slice: 0, 8): the URL as it is
    assert '<img class="fullwidth" src="https://example.org/x.png" alt="From the web" />' in out
    assert "{%" not in out and "prefix" not in out


def test_cs228_maincolumn_img(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    text = "{% include maincolumn_img.html src='assets/img/kl.png' caption='KL(p||q) <b>' %}\n"
    out = translate(text, page)
    assert errors(caplog) == []
    assert out == (
        '<figure class="maincolumn">\n'
        '    <figcaption class="marginnote">KL(p||q) <b></figcaption>'
        '<img src="../../assets/img/kl.png" alt="KL(p||q) <b>" /></figure>\n'
    )


def test_include_filters_and_variables(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path, {"owner": {"name": "Ermon <Group>"}})
    (tmp_path / "_includes" / "f.html").write_text(
        "{{ '/assets/a.css' | relative_url }} {{ 'x' | absolute_url }} "
        "{{ site.owner.name }} {{ include.n | plus: 1 }} {{ page.tags | jsonify }} "
        "{{ 'Hello World!' | slugify }} {{ include.md | markdownify }} "
        "{{ page.tags | array_to_sentence_string }} {{ include.missing }}|"
        "{{ include.img-url }}"
    )
    text = "{% include f.html n=2 md='*em* & $$x<y$$' img-url=\"a.png\" %}\n"
    assert translate(text, page) == (
        "../../assets/a.css https://example.org/cs228/x Ermon &lt;Group&gt; 3 "
        '["a", "b"] hello-world *em* & $$x<y$$ a and b |a.png\n'
    )
    assert errors(caplog) == []


def test_an_error_inside_an_include_names_its_file_line_and_the_page_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    includes = tmp_path / "_includes"
    (includes / "bad.html").write_text("<p>\n{{ include.x }}\n{% if include.x = 1 %}x{% endif %}\n")
    (includes / "shows.html").write_text("a\nb\n{{ site.nope }}\n")
    (includes / "outer.html").write_text("<div>\n{% include shows.html %}\n</div>\n")
    text = "one\n{% include bad.html x=1 %}\n{% include outer.html %}\n"
    assert translate(text, page) == "one\n\n\n"
    assert [message.split(": ", 2)[1:] for message in errors(caplog)] == [
        [
            "_includes/bad.html:3",
            "Liquid: expected end of expression, found '=' "
            f"(in '{{% include bad.html %}}' at {SOURCE}:5)",
        ],
        [
            "_includes/shows.html:3",  # nested: the innermost file and line
            "Liquid: 'site.nope' is not in _config.yml and not a collection of it: add it "
            f"there, or remove it (in '{{% include outer.html %}}' at {SOURCE}:6)",
        ],
    ]


def test_a_missing_include_inside_an_include(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    (tmp_path / "_includes" / "outer.html").write_text("x\n{% include nope.html %}\n")
    translate("{% include outer.html %}\n", page)
    assert errors(caplog) == [
        f"lecture: _includes/outer.html:2: '{{% include %}}': no file 'nope.html' in "
        f"_includes/ in docs/ or next to it (in '{{% include outer.html %}}' at {SOURCE}:4)"
    ]


# The page's control flow: rendered block by block, lines kept


def test_page_if_and_for_keep_line_numbers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    text = (
        "{% assign n = 3 %}\n"  # line 4 (3 lines of front matter)
        "{% if page.title == 'Nope' %}\n"
        "hidden\n"
        "lines\n"
        "{% else %}\n"
        "{% for i in (1..n) %}{{ i }}{% unless forloop.last %}, {% endunless %}{% endfor %}\n"
        "{% endif %}\n"
        "Tags: {% for tag in page.tags %}*{{ tag }}* {% endfor %}\n"
        "n is {{ n }}; {{ page.nope }}\n"  # line 12
    )
    out = translate(text, page)
    assert out.count("\n") == text.count("\n")
    assert "hidden" not in out
    assert "1, 2, 3\n" in out
    assert "Tags: *a* *b* \n" in out
    assert "n is 3; {{ page.nope }}\n" in out
    assert [message.split(": ", 2)[1] for message in errors(caplog)] == [f"{SOURCE}:12"]


def test_includes_inside_page_blocks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    text = (
        "{% for i in (1..2) %}"
        "{% include maincolumn_img.html src='a.png' caption='{{ i }}: {{ page.title }} & co' %}"
        "{% endfor %}\n"
    )
    out = translate(text, page)
    assert errors(caplog) == []
    assert '<img src="../../a.png" alt="2: Variable elimination & co" />' in out


def test_page_blocks_leave_code_untouched(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    text = (
        "{% if page.title %}\n"
        "```liquid\n"
        "{{ page.title }} {% raw %}{% if x %}{% endraw %}\n"
        "```\n"
        "Use `{{ site.title }}` for {{ site.title }}.\n"
        "{% endif %}\n"
    )
    out = translate(text, page)
    assert errors(caplog) == []
    assert "```liquid\n{{ page.title }} {% if x %}\n```\n" in out
    assert "Use `{{ site.title }}` for CS228.\n" in out


def test_whitespace_control_and_captures(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = make_page(tmp_path)
    text = (
        "a\n{%- capture who -%}\n  {{ site.title | downcase }}\n{%- endcapture -%}\n\nb {{ who }}\n"
    )
    out = translate(text, page)
    assert errors(caplog) == []
    # Liquid's trimming joins the lines, as in Jekyll: no padding in the middle of a line
    assert out == "ab cs228\n"
    assert translate("{%- assign x = 1 -%}\n\n{{ x }}\n", page) == "1\n"


def test_errors_in_page_blocks_have_page_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path)
    text = "ok\n{% for x in site.nope %}\n{{ x }}\n{% endfor %}\n{% if a %}\nnever closed\n"
    out = translate(text, page)
    assert "{% for x in site.nope %}\n{{ x }}\n{% endfor %}" in out  # left as it is
    assert [message.split(": ", 2)[1:] for message in errors(caplog)] == [
        [
            f"{SOURCE}:5",
            "Liquid: 'site.nope' is not in _config.yml and not a collection of it: add it "
            "there, or remove it",
        ],
        [f"{SOURCE}:8", "'{% if %}' is never closed: add '{% endif %}'."],
    ]


def test_a_jekyll_tag_in_a_page_block_errs_at_its_page_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # a tag's problem is at its line in the block: the block's first page line is added
    text = "ok\n\n{% if true %}\n\n{% link nope.md %}\n{% endif %}\n"
    translate(text, make_page(tmp_path))
    assert [message.split(": ", 2)[1] for message in errors(caplog)] == [f"{SOURCE}:8"]


# Collections


def test_collections_are_read_from_their_folders(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    collections = {"modules": None, "announcements": None}
    page = make_page(tmp_path, {"collections": collections})
    modules = tmp_path / "docs" / "_modules"
    modules.mkdir(parents=True)
    (modules / "2-more.md").write_text("---\ntitle: More\n---\n\nMore *text*.\n")
    (modules / "1-intro.md").write_text("---\ntitle: Intro\nweek: 1\n---\n\nIntro text.\n")
    text = (
        "{% for module in site.modules %}\n"
        "## {{ module.title }} ({{ module.url }}, {{ module.slug }})\n"
        "{{ module }}\n"
        "{% endfor %}\n"
        "{% assign news = site.announcements | reverse %}"
        "{% for a in news %}{{ a }}{% endfor %}\n"
        "{{ site.modules.size }} modules; week {{ site.modules.first.week }}\n"
    )
    out = translate(text, page)
    assert errors(caplog) == []
    assert "## Intro (/_modules/1-intro/, 1-intro)\nIntro text.\n" in out
    assert "## More (/_modules/2-more/, 2-more)\nMore *text*.\n" in out
    assert out.index("Intro") < out.index("More")
    assert "2 modules; week 1\n" in out  # announcements: declared, no folder: none


def test_undeclared_collections_stay_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = make_page(tmp_path, {"collections": {"modules": None}})
    (tmp_path / "docs" / "_staffers").mkdir(parents=True)  # a folder, but not declared
    translate("{% for s in site.staffers %}{{ s }}{% endfor %}\n{{ site.posts }}\n", page)
    messages = errors(caplog)
    assert len(messages) == 2
    assert "'site.staffers' is not in _config.yml" in messages[0]
    assert "'site.posts' is made by Jekyll from the site's files" in messages[1]  # no _posts/

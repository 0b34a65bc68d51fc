"""The Markdown extension: widget fences, validation errors, escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import markdown
import pytest
from mkdocs_lecture.extension import LectureExtension, WidgetError


def convert(text: str, *extensions: str, **kwargs: object) -> tuple[str, LectureExtension]:
    extension = LectureExtension(**kwargs)
    html = markdown.markdown(text, extensions=[extension, *extensions])
    return html, extension


def error_of(text: str) -> WidgetError:
    with pytest.raises(WidgetError) as caught:
        extension = LectureExtension()
        extension.set_page("docs/lesson.md")
        markdown.markdown(text, extensions=[extension])
    return caught.value


def options_json(html: str) -> dict:
    [root] = roots(html)
    return json.loads(root["data-lecture-options"] or "")


class Roots(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.roots: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "lecture-widget") in attrs:
            self.roots.append(dict(attrs))


def roots(html: str) -> list[dict[str, str | None]]:
    parser = Roots()
    parser.feed(html)
    return parser.roots


@pytest.mark.parametrize("extensions", [(), ("fenced_code",), ("pymdownx.superfences",)])
def test_widget_fence_becomes_a_root_and_code_blocks_stay(extensions: tuple[str, ...]) -> None:
    text = "Text\n\n```{python}\nprint(1)\n```\n\n```python\nprint(2)\n```\n"
    html, extension = convert(text, *extensions)
    [root] = roots(html)
    assert root["data-lecture-widget"] == "python"
    assert root["data-state"] == "static"
    assert re.fullmatch(r"python-[0-9a-f]{8}", root["id"] or "")
    assert options_json(html) == {"code": "print(1)", "isolate": False}
    assert '<span class="nb">print</span>' in html  # pre-rendered, highlighted
    assert html.count("print") == 3  # the widget's static view, its options, and the code block
    assert [use.widget.name for use in extension.uses] == ["python"]


def test_widget_fence_inside_a_longer_fence_is_left_as_code() -> None:
    text = "````markdown\n```{python}\nprint(1)\n```\n````\n"
    html, extension = convert(text, "fenced_code")
    assert not roots(html) and not extension.uses
    assert "{python}" in html


def test_indented_fence_in_an_admonition() -> None:
    text = '!!! note "Try it"\n\n    ```{python}\n    x = 1\n    print(x)\n    ```\n'
    html, _ = convert(text, "admonition")
    assert '<div class="admonition note">' in html
    assert options_json(html)["code"] == "x = 1\nprint(x)"


def test_options_header_and_explicit_id() -> None:
    html, _ = convert("```{python}\n---\nisolate: true\nid: first-cell\n---\nx = 1\n```\n")
    assert roots(html)[0]["id"] == "first-cell"
    assert options_json(html) == {"code": "x = 1", "isolate": True}


def test_ids_are_stable_and_unique() -> None:
    text = "```{python}\nx = 1\n```\n\n```{python}\nx = 1\n```\n"
    first = [root["id"] for root in roots(convert(text)[0])]
    again = [root["id"] for root in roots(convert("Intro\n\n" + text)[0])]
    assert first == again and len(set(first)) == 2


def test_markup_in_options_stays_text() -> None:
    html, _ = convert('```{python}\nprint("\'><img src=x onerror=alert(1)>")\n```\n')
    assert "<img" not in html and "<script" not in html
    assert options_json(html)["code"] == 'print("\'><img src=x onerror=alert(1)>")'


def test_unknown_widget_lists_the_valid_ones() -> None:
    error = error_of("Intro\n\n```{pyhton}\nx = 1\n```\n")
    assert error.line == 3
    assert str(error).startswith("docs/lesson.md:3: unknown widget '{pyhton}'")
    assert "{python}" in error.message


def test_unknown_option_names_the_key_its_line_and_the_valid_keys() -> None:
    error = error_of("```{python}\n---\nisolate: true\nisolated: true\n---\nx = 1\n```\n")
    assert error.line == 4
    assert "unknown option 'isolated'" in error.message
    assert "Valid options: code, id, isolate" in error.message


def test_wrong_type_names_the_key_and_the_type() -> None:
    error = error_of("\n```{python}\n---\nisolate: sometimes\n---\nx = 1\n```\n")
    assert error.line == 4
    assert "option 'isolate' must be of type boolean" in error.message
    assert '"sometimes"' in error.message


def test_bad_yaml_gives_its_line() -> None:
    error = error_of("```{python}\n---\nisolate: [true\n---\nx = 1\n```\n")
    assert "not valid YAML" in error.message
    assert error.line in (3, 4)


def test_body_option_in_header_is_refused() -> None:
    error = error_of("```{python}\n---\ncode: x\n---\ny = 2\n```\n")
    assert error.line == 3 and "'code' is the fence body" in error.message


def test_errors_can_be_rendered_instead_of_raised() -> None:
    seen: list[WidgetError] = []
    html, _ = convert("```{nope}\n```\n", on_error=seen.append)
    assert len(seen) == 1
    assert 'role="alert"' in html and "unknown widget" in html


def test_error_text_is_escaped() -> None:
    html, _ = convert("```{python}\n---\n<b>bold: 1\n---\n```\n", on_error=lambda error: None)
    assert "<b>" not in html and "&lt;b&gt;" in html


@pytest.mark.parametrize(
    "info",
    [
        " { .sh .no-copy }",
        '{.python title="x" hl_lines="2"}',
        '{linenums="1 1 2"}',
        "{#id .lang}",
        "{.python}",
        "python {.no-copy}",
    ],
)
def test_attribute_headers_are_left_to_other_extensions(info: str) -> None:
    text = f"```{info}\nprint(1)\n```\n"
    with_lecture, extension = convert(text, "pymdownx.superfences", "attr_list")
    assert not extension.uses
    assert with_lecture == markdown.markdown(text, extensions=["pymdownx.superfences", "attr_list"])


def test_bare_names_with_spaces_are_widgets() -> None:
    html, _ = convert("``` { python }\nx = 1\n```\n")
    assert roots(html)[0]["data-lecture-widget"] == "python"


def test_widgets_in_nested_blockquotes_and_lists() -> None:
    text = (
        "> Quote\n>\n> > ```{python}\n> > x = 1\n> > y = 2\n> > ```\n>\n"
        "> - item\n>\n>     ```{python}\n>     z = 3\n>     ```\n"
    )
    html, extension = convert(text, "pymdownx.superfences")
    assert [use.options["code"] for use in extension.uses] == ["x = 1\ny = 2", "z = 3"]
    assert html.count("<blockquote>") == 2 and "<li>" in html
    assert "<pre" not in html.split('class="lecture-widget"')[0]  # nothing left as code


def test_a_fence_in_a_blockquote_ends_with_the_blockquote() -> None:
    html, extension = convert("> ```{python}\n> x = 1\n\nAfter\n", "pymdownx.superfences")
    assert extension.uses[0].options["code"] == "x = 1"
    assert "<p>After</p>" in html


def test_a_second_explicit_id_is_an_error_at_its_line() -> None:
    text = "```{python}\n---\nid: cell\n---\nx = 1\n```\n\n```{python}\n---\nid: cell\n---\n```\n"
    error = error_of(text)
    assert error.line == 10
    assert "id 'cell' is already the id of the widget at line 1" in error.message


def test_a_lazy_line_continues_the_blockquote_as_in_python_markdown() -> None:
    _, extension = convert("> ```{python}\nprint(5)\n> ```\n\nAfter\n", "pymdownx.superfences")
    assert [use.options["code"] for use in extension.uses] == ["print(5)"]


@pytest.mark.parametrize(
    ("text", "container"),
    [
        ("Text[^1].\n\n[^1]: Note\n\n    ```{python}\n    x = 1\n    ```\n", '<li id="fn:1">'),
        ("Term\n:   Definition\n\n    ```{python}\n    x = 1\n    ```\n", "<dd>"),
        ('<div class="box" markdown>\n\n```{python}\nx = 1\n```\n\n</div>\n', '<div class="box">'),
    ],
)
def test_widgets_in_footnotes_definitions_and_html_blocks(text: str, container: str) -> None:
    html, extension = convert(text, "footnotes", "def_list", "md_in_html", "pymdownx.superfences")
    assert len(extension.uses) == 1
    before, _, _ = html.partition('class="lecture-widget"')
    assert container in before and "<pre" not in before and "<code" not in before


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("- item\n\n    > ```{python}\n    > x = 1\n    > ```\n", "x = 1"),
        ("!!! note\n    > ```{python}\n    > x = 1\n    > ```\n", "x = 1"),
        ("> ```{python}\n> x = 1\n\n> y = 2\n> ```\n", "x = 1\n\ny = 2"),
    ],
)
def test_blockquotes_inside_containers_and_across_a_blank_line(text: str, code: str) -> None:
    html, extension = convert(text, "admonition", "pymdownx.superfences")
    assert [use.options["code"] for use in extension.uses] == [code]
    assert "{python}" not in html
    assert -1 < html.find("<blockquote>") < html.find('class="lecture-widget"')


def test_tab_indented_fence_with_superfences_preserving_tabs() -> None:
    extension = LectureExtension()
    html = markdown.markdown(
        "- item\n\n\t```{python}\n\tx = 1\n\t```\n",
        extensions=[extension, "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"preserve_tabs": True}},
    )
    assert [use.options["code"] for use in extension.uses] == ["x = 1"]
    assert -1 < html.find("<li>") < html.find('class="lecture-widget"')


def test_a_fence_never_closed_is_an_error_at_its_line() -> None:
    error = error_of("Intro\n\n```{python}\nprint(1)\n\nMore text\n")
    assert error.line == 3
    assert "its fence is never closed" in error.message and "line of ```" in error.message


def test_an_id_a_heading_also_has_is_an_error_at_the_widget() -> None:
    seen: list[WidgetError] = []
    extension = LectureExtension(on_error=seen.append)
    markdown.markdown(
        "# Chat\n\n```{python}\n---\nid: chat\n---\nx = 1\n```\n", extensions=[extension, "toc"]
    )
    [error] = seen
    assert error.line == 3
    assert "id 'chat' is also the id of a <h1> of this page ('Chat')" in error.message

"""Math as MathJax readers write it: environments, commands and page-wide macros become
well-formed MathML (`jekyll/tex.py`), and real course notes build with every formula as
MathML (tests/jekyll/corpus/, see its SOURCES.md)."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
from mkdocs_lecture.jekyll import JekyllExtension
from mkdocs_lecture.jekyll.liquid import translate
from mkdocs_lecture.jekyll.math import CSS as MATH_CSS
from mkdocs_lecture.jekyll.page import JekyllPage
from mkdocs_lecture.jekyll.tex import TexError, convert, mathjax_macros, site_macros
from support import ROOT, mkdocs_build, write_project

CORPUS = Path(__file__).parents[1] / "jekyll" / "corpus"
M = "{http://www.w3.org/1998/Math/MathML}"


def mathml(tex: str, display: bool = True, macros: dict | None = None) -> ElementTree.Element:
    root = ElementTree.fromstring(convert(tex, display, macros))
    assert root.tag == f"{M}math"
    assert root.get("display") == ("block" if display else "inline")
    return root


def rows(table: ElementTree.Element) -> list[list[ElementTree.Element]]:
    return [list(row) for row in table.findall(f"{M}mtr")]


def text(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


@pytest.mark.parametrize("name", ["aligned", "align", "align*", "split"])
def test_aligned_is_a_table_of_rows_and_columns(name: str) -> None:
    root = mathml(rf"\begin{{{name}}} a &= b + c \\ d &= e \end{{{name}}}")
    table = root.find(f".//{M}mtable")
    assert table is not None
    cells = rows(table)
    assert [len(row) for row in cells] == [2, 2]
    assert [cell.get("columnalign") for cell in cells[0]] == ["right", "left"]
    assert text(cells[0][0]) == "a" and text(cells[1][1]) == "=e"
    assert "&" not in ElementTree.tostring(root, encoding="unicode")


def test_aligned_on_one_line_with_a_matrix_in_a_row() -> None:
    """The issue's two cases: latex2mathml wrote `<mi>&</mi>` for both."""
    root = mathml(
        r"\begin{aligned} y &= \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} x "
        r"\\ &= z \end{aligned}"
    )
    outer = root.find(f".//{M}mtable")
    assert outer is not None and len(rows(outer)) == 2
    inner = outer.find(f".//{M}mtable")
    assert inner is not None and [len(row) for row in rows(inner)] == [2, 2]


def test_gathered_and_gather_center_one_column() -> None:
    for name in ("gathered", "gather*"):
        table = mathml(rf"\begin{{{name}}} a \\ b + c \end{{{name}}}").find(f".//{M}mtable")
        assert table is not None
        assert [[cell.get("columnalign") for cell in row] for row in rows(table)] == [
            ["center"],
            ["center"],
        ]


@pytest.mark.parametrize(
    ("name", "left", "right"),
    [
        ("matrix", None, None),
        ("pmatrix", "(", ")"),
        ("bmatrix", "[", "]"),
        ("Bmatrix", "{", "}"),
        ("vmatrix", "|", "|"),
        ("Vmatrix", "‖", "‖"),
    ],
)
def test_matrices_are_tables_in_their_brackets(
    name: str, left: str | None, right: str | None
) -> None:
    root = mathml(rf"\begin{{{name}}} 1 & 2 \\ 3 & 4 \end{{{name}}}", display=False)
    row = root.find(f"{M}mrow")
    assert row is not None
    children = list(row)
    table = next(child for child in children if child.tag == f"{M}mtable")
    assert [len(r) for r in rows(table)] == [2, 2]
    if left is not None:
        assert children[0].tag == f"{M}mo" and children[0].text == left
        assert children[-1].tag == f"{M}mo" and children[-1].text == right


def test_smallmatrix() -> None:
    table = mathml(r"\begin{smallmatrix} a & b \\ c & d \end{smallmatrix}").find(f".//{M}mtable")
    assert table is not None and [len(r) for r in rows(table)] == [2, 2]


def test_cases_is_a_brace_and_a_two_column_table() -> None:
    root = mathml(r"f(x) = \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}")
    brace = root.find(f".//{M}mo[@fence='true']")
    assert brace is not None and brace.text == "{"
    table = root.find(f".//{M}mtable")
    assert table is not None and [len(r) for r in rows(table)] == [2, 2]
    assert text(rows(table)[1][1]) == "otherwise"


def test_array_keeps_its_column_alignment() -> None:
    table = mathml(r"\begin{array}{rl} a & b \\ c & d \end{array}").find(f".//{M}mtable")
    assert table is not None
    assert [cell.get("columnalign") for cell in rows(table)[0]] == ["right", "left"]


def test_text_mathbb_operatorname_left_right() -> None:
    root = mathml(
        r"\operatorname{tr}(A) \in \mathbb{R} \text{ for all } \left( \frac{a}{b} \right)"
    )
    serialized = ElementTree.tostring(root, encoding="unicode")
    assert root.find(f".//{M}mo").text == "tr"  # type: ignore[union-attr]
    assert "\N{DOUBLE-STRUCK CAPITAL R}" in serialized
    assert any(t.text.replace("\xa0", " ") == " for all " for t in root.iter(f"{M}mtext"))
    fences = [mo.text for mo in root.iter(f"{M}mo") if mo.get("fence") == "true"]
    assert fences == ["(", ")"]


def test_operatorname_star_takes_limits_below() -> None:
    root = mathml(r"\operatorname*{arg\,max}_\theta f(\theta)")
    assert root.find(f".//{M}munder") is not None


def test_sized_braces_and_commands_mathjax_knows() -> None:
    root = mathml(r"\big\{ x \big\} \backslash \arg\max_x A \hdots", display=False)
    braces = [mo.text for mo in root.iter(f"{M}mo") if mo.get("maxsize")]
    assert braces == ["{", "}"]


def test_tag_is_shown() -> None:
    root = mathml(r"E = mc^2 \tag{3}")
    assert [t.text for t in root.iter(f"{M}mtext")] == ["(3)"]
    starred = mathml(r"E = mc^2 \tag*{A}")
    assert [t.text for t in starred.iter(f"{M}mtext")] == ["A"]


def test_tag_of_a_row_is_its_last_cell() -> None:
    table = mathml(r"\begin{align} a &= b \tag{1} \\ c &= d \end{align}").find(f".//{M}mtable")
    assert table is not None
    first, second = rows(table)
    assert text(first[-1]) == "(1)" and text(second[-1]) == ""
    assert len(first) == len(second) == 3


def test_equation_is_unwrapped_and_labels_go() -> None:
    for name in ("equation", "equation*"):
        root = mathml(rf"\begin{{{name}}} x = 1 \label{{eq:x}} \nonumber \end{{{name}}}")
        assert text(root) == "x=1" and root.find(f".//{M}mtable") is None


def test_newcommand_holds_for_later_formulas() -> None:
    macros: dict = {}
    first = mathml(r"\newcommand{\R}{\mathbb{R}} \def\half{\frac12} x", macros=macros)
    assert text(first) == "x"
    later = mathml(r"\R^n \half", display=False, macros=macros)
    assert later.find(f".//{M}msup/{M}mi").text == "\N{DOUBLE-STRUCK CAPITAL R}"  # type: ignore[union-attr]
    assert later.find(f".//{M}mfrac") is not None


def test_macros_with_arguments_defaults_and_redefinitions() -> None:
    macros: dict = {}
    convert(r"\newcommand{\norm}[1]{\left\| #1 \right\|}", True, macros)
    convert(r"\newcommand\pair[2][a]{(#1, #2)}", True, macros)
    convert(r"\renewcommand{\d}{\mathrm{d}} \DeclareMathOperator*{\argmax}{arg\,max}", True, macros)
    root = mathml(r"\norm{x} \pair{b} \pair[c]{d} \d x \argmax_x", macros=macros)
    assert text(root).startswith("‖x‖(a,b)(c,d)")
    assert root.find(f".//{M}munder") is not None
    only_definitions = mathml(r"\newcommand{\e}{\epsilon}", macros=macros)
    assert len(only_definitions) == 1 and len(only_definitions[0]) == 0


def test_macros_of_a_mathjax_configuration(tmp_path: Path) -> None:
    config = r"""<script type="text/x-mathjax-config">
    MathJax.Hub.Config({ TeX: { Macros: {
        E: "{\\mathbb{E}}", bfx: "{\\bf x}", note: ["\\textcolor{blue}{[NOTE: #1]}", 1],
        "RR": '\\mathbb{R}' } } });
    </script>"""
    macros = mathjax_macros(config)
    assert set(macros) == {r"\E", r"\bfx", r"\note", r"\RR"}
    assert macros[r"\note"][0] == 1
    v3 = mathjax_macros(
        r"window.MathJax = {tex: {macros: {RR: '\\mathbb{R}', b: ['{\\bf #1}', 1]}}}"
    )
    assert set(v3) == {r"\RR", r"\b"}
    (tmp_path / "docs").mkdir()
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "post.html").write_text(config)
    found = site_macros(str(tmp_path / "docs"))
    assert (
        text(mathml(r"\E[\RR]", macros=found))
        == "\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL E}[\N{DOUBLE-STRUCK CAPITAL R}]"
    )


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        (r"\frac{a}", r"'\frac' is missing an argument"),
        (r"\nonexistent{x}", r"unknown command '\nonexistent'"),
        (r"\begin{aligned} a &= b", r"'\begin{aligned}' is never closed"),
        (r"\begin{foo} x \end{foo}", "unknown environment 'foo'"),
        (r"a & b", "'&' outside an environment"),
        (r"\newcommand{R}{\mathbb{R}}", r"'\newcommand' needs a command name"),
        (r"\sqrt", r"'\sqrt' is missing an argument"),
        (r"\text", r"'\text' is missing an argument"),
    ],
)
def test_wrong_latex_is_an_error_naming_the_command(bad: str, named: str) -> None:
    with pytest.raises(TexError) as error:
        convert(bad, True)
    assert named in str(error.value)


def test_error_in_the_build_names_the_command(tmp_path: Path) -> None:
    page = "---\nlayout: post\n---\n\n# Bad\n\nIt is $\\nope{x}$.\n"
    config = write_project(tmp_path, {"bad.md": page})
    result = mkdocs_build(config, "--strict")
    assert result.returncode != 0
    assert (
        "docs/bad.md:7: the LaTeX '$\\nope{x}$' cannot be converted to MathML (unknown "
        "command '\\nope')"
    ) in result.stderr


def test_real_course_notes_build_with_every_formula_as_mathml(tmp_path: Path) -> None:
    """Excerpts of stanford-cs324/winter2022, ermongroup/cs228-notes and
    deepgenerativemodels/notes (tests/jekyll/corpus/SOURCES.md): page macros, the site's
    MathJax macros, align*, \\text, \\mathbb, the `{% math %}` tag of mathjaxtag.rb (in
    list items too, indented by spaces or a tab, with blank lines inside)."""
    shutil.copytree(CORPUS / "docs", tmp_path / "docs")
    shutil.copytree(CORPUS / "_layouts", tmp_path / "_layouts")
    config = write_project(
        tmp_path,
        {},
        plugins=[{"lecture": {"pyodide_dir": str(ROOT / "node_modules" / "pyodide")}}],
    )
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr
    counts = {}
    for page in CORPUS_PAGES:
        html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        assert "lecture-math-error" not in html
        formulas = re.findall(r"<math .*?</math>", html, re.S)
        for formula in formulas:
            assert_parses_in_html(formula)
        source = (CORPUS / "docs" / f"{page}.md").read_text(encoding="utf-8")
        source = re.sub(r"<!--.*?-->", "", source, flags=re.S)  # (a comment is no formula)
        text = re.sub(r"<math .*?</math>|<!--.*?-->", "", html, flags=re.S)
        assert "$$" not in text and "{%" not in text and "\\[" not in text
        # each `$$…$$` and each `{% math %}` is one formula (macros only: an empty <math>)
        expected = source.count("$$") // 2 + source.count("{% math %}")
        counts[page] = (len(formulas), expected)
    assert counts == CORPUS_PAGES


def assert_parses_in_html(formula: str) -> None:
    """As XML, and as an HTML parser reads it: inside a token element (`mi`, `mo`, `mn`,
    `mtext`, `ms`) it reads HTML, so an element there ends the formula (the rest of it
    shows as run-on text in Chromium)."""
    for element in ElementTree.fromstring(formula).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert not (tag in {"mi", "mo", "mn", "mtext", "ms"} and len(element)), formula


def test_operators_and_spaces_are_written_as_an_html_page_parses_them() -> None:
    """latex2mathml writes `\\mathop{…}` and starred operator names as an `<mo>` holding
    elements; MathML 2's named spaces are lengths in MathML Core."""
    cases = {
        r"\DeclareMathOperator*{\argmax}{arg\,max} \argmax_x f(x)": "<mo>arg\u2009max</mo>",
        r"\operatorname*{lim\,sup}_n a_n": "<mo>lim\u2009sup</mo>",
        r"\mathop{\mathrm{Var}}(X)": "<mo>Var</mo>",
        r"\mathop{}\!\mathrm{d}x": '<mo /><mspace width="-0.1667em" />',
        r"\mathop{\frac{a}{b}} x": "<mrow><mrow><mfrac>",
    }
    for tex, expected in cases.items():
        formula = convert(tex, display=True)
        assert expected in formula, formula
        assert_parses_in_html(formula)


def test_one_upright_letter_is_upright() -> None:
    """MathJax writes `\\mathrm{d}` as `<mi mathvariant="normal">d</mi>`; a plain `<mi>d</mi>`
    is italic in MathML Core (Chromium drew the `d` of `dx` in italic)."""
    for tex in (r"\int f(x)\,\mathrm{d}x", r"\mathrm {e}^{i\pi}", r"\mathrm{d}"):
        formula = convert(tex, display=False)
        assert re.search(r'<mi mathvariant="normal">[de]</mi>', formula), formula
    assert "<mi>x</mi>" in convert(r"\mathrm{d}x", display=False)  # (only the letter in it)


CORPUS_PAGES = {  # page: (<math> elements, formulas in its source)
    "cs324/environment": (9, 9),
    "cs324/introduction": (13, 13),
    "cs228/latent": (46, 46),
    "dgm/vae": (55, 55),
    "dgm/flow": (18, 18),
    "dgm/gan": (9, 9),
    "dgm/autoregressive": (9, 9),
}


# The `{% math %}` tags of mathjaxtag.rb (deepgenerativemodels/notes' _plugins/):
# `{% math %}…{% endmath %}` display math, `{% m %}…{% em %}` inline math.


def jekyll_page(tmp_path: Path) -> JekyllPage:
    return JekyllPage(
        source="docs/notes.md",
        src_uri="notes.md",
        url="notes/",
        line_offset=4,
        meta={"layout": "post"},
        docs_dir=str(tmp_path / "docs"),
    )


def test_math_tags_become_math_delimiters_on_the_same_lines(tmp_path: Path) -> None:
    text = (
        "a\n{% math %}\n\\begin{align}\nx &= 1\n\n\\end{align}\n{% endmath %}\n"
        "   {% math %}p{% endmath %}\n"
        "so {% math %} q {% endmath %} here, and {% m %}r + s{% em %}.\n"
    )
    out = translate(text, jekyll_page(tmp_path))
    assert out == (
        "a\n\\[\n\\begin{align}\nx &= 1\n%\n\\end{align}\n\\]\n"  # a blank line: a comment
        "   \\[p\\]\n"
        "so $$ q $$ here, and \\(r + s\\).\n"  # in a sentence: kramdown's inline $$
    )
    assert out.count("\n") == text.count("\n")


def test_unclosed_math_tags_are_errors_with_their_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    translate("a\n\n{% endmath %}\n{% m %}x\n", jekyll_page(tmp_path))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "lecture: docs/notes.md:7: '{% endmath %}' without its opening tag: remove it.",
        "lecture: docs/notes.md:8: '{% m %}' is never closed: add '{% em %}'.",
    ]


def test_math_tags_in_list_items_are_display_math(tmp_path: Path) -> None:
    """gan/index.md and flow/index.md of deepgenerativemodels/notes: a formula indented by a
    tab (a paragraph of the item) and by three spaces with blank lines around it."""
    text = (
        "1. Take a step on $$\\theta$$:\n"
        "\t{% math %}\n\t\\triangledown_\\theta V = 0\n\t{% endmath %} \n"
        "2. So we have\n\n   {% math %}\n\n   p_X = p_Z\n\n   {% endmath %}\n\n"
        "3. Done.\n"
    )
    page = jekyll_page(tmp_path)
    body = translate(text, page)
    page.markdown = body
    extension = JekyllExtension()
    extension.page = page
    html = markdown.Markdown(extensions=[extension]).convert(body)
    items = ElementTree.fromstring(html.replace("&#x", "&amp;#x")).findall("li")
    assert len(items) == 3
    assert [m.get("display") for m in items[0].iter(f"{M}math")] == ["inline", "block"]
    assert [m.get("display") for m in items[1].iter(f"{M}math")] == ["block"]
    assert "\\" not in "".join(items[0].itertext()) + "".join(items[1].itertext())


# MathML Core (Chromium) ignores `columnalign`: pages with aligned cells link a stylesheet.


def test_pages_with_aligned_math_link_the_math_stylesheet(tmp_path: Path) -> None:
    pages = {
        "notes/aligned.md": "---\nlayout: x\n---\n\n$$\\begin{aligned} a &= b \\end{aligned}$$\n",
        "plain.md": "---\nlayout: post\n---\n\nJust $x$, $$\\begin{bmatrix} 1 \\end{bmatrix}$$.\n",
    }
    config = write_project(tmp_path, pages)
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    aligned = (site / "notes" / "aligned" / "index.html").read_text(encoding="utf-8")
    link = '<link rel="stylesheet" href="../../assets/lecture/jekyll-math.css">'
    assert link in aligned  # in the content, which Material's instant navigation swaps in
    assert 'href="assets/lecture/jekyll-math.css"' not in aligned
    assert "jekyll-math.css" not in (site / "plain" / "index.html").read_text(encoding="utf-8")
    css = (site / "assets" / "lecture" / "jekyll-math.css").read_text(encoding="utf-8")
    assert css == MATH_CSS
    assert 'mtd[columnalign="left"] { text-align: left; }' in css
    assert 'mtd[columnalign="right"] { text-align: right; }' in css
    formula = re.search(r"<math .*?</math>", aligned, re.S)
    assert formula and not re.search(r"\sstyle=", formula[0])  # a strict CSP's style-src holds
    assert not (site / "assets" / "lecture" / "runtime.js").exists()  # no widgets, no runtime


def test_a_site_without_aligned_math_gets_no_stylesheet(tmp_path: Path) -> None:
    config = write_project(tmp_path, {"a.md": "---\nlayout: post\n---\n\n$x$\n"})
    assert mkdocs_build(config, "--strict").returncode == 0
    assert not (tmp_path / "site" / "assets" / "lecture").exists()

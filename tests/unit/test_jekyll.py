"""Jekyll lecture markdown as it comes, through `mkdocs build`: the seed lecture as it was
received, and the Jekyll-style pages of tests/jekyll/."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import ROOT, build_errors, build_site, mkdocs_build, write_project

FIXTURES = Path(__file__).parents[1] / "jekyll"
SEED = FIXTURES / "sft-lecture.md"  # a copy of shared/seed/sft-lecture.md, as received
SEED_SHA256 = "2e82603292e7f1c6d9a7a818f369291a7e9e288f22adb88353c2e57f042dc397"  # as received
# Mojibake of “, ”, 👍, ✅ and the apostrophe, as in the seed
MOJIBAKE = ("\u201aÄú", "\u201aÄù", "üëç", "\u201aúÖ", "\u201aÄô")
LABELS = "# Label some reviews\n\n```{labeling}\n```\n"
COURSE_EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
]
MATERIAL = {"name": "material", "font": False, "features": ["navigation.instant"]}


def plugin(**options: object) -> list[object]:
    return [{"lecture": {"pyodide_dir": str(ROOT / "node_modules" / "pyodide"), **options}}]


def body(html: str) -> str:
    """The page's content, without the theme's own markup and scripts."""
    start = html.index("<h1")
    ends = [html.find(tag, start) for tag in ("</article>", "<footer")]
    return html[start : min(end for end in ends if end >= 0)]


def log_lines(output: str, level: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(level)]


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The seed dropped into the docs/ of a course like ours (Material, instant navigation,
    the course's extensions, a page with the labeling widget), built with --strict."""
    folder = tmp_path_factory.mktemp("seed")
    (folder / "docs").mkdir()
    shutil.copyfile(SEED, folder / "docs" / "sft-lecture.md")
    config = write_project(
        folder,
        {"index.md": "# Course\n", "labels.md": LABELS},
        theme=MATERIAL,
        plugins=plugin(jekyll_demo="labels.md"),
        markdown_extensions=COURSE_EXTENSIONS,
    )
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    return folder / "site", result.stderr


def test_committed_seed_is_the_one_received() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_builds_strict_without_a_warning(seed_site: tuple[Path, str]) -> None:
    _, log = seed_site
    assert log_lines(log, "WARNING") == [] and log_lines(log, "ERROR") == []
    assert "lecture: docs/sft-lecture.md: repaired mojibake (UTF-8 text read as Mac Roman)." in log
    assert log.count("external image https://github.com/user-attachments/") == 4
    assert "docs/sft-lecture.md:14: an inline script of the original post is left out" in log


def test_seed_reads_right(seed_site: tuple[Path, str]) -> None:
    site, _ = seed_site
    html = (site / "sft-lecture" / "index.html").read_text(encoding="utf-8")
    content = body(html)
    assert not [sequence for sequence in MOJIBAKE if sequence in html]
    assert "<code>“What is 2 + 2?”</code>" in content
    assert "<title>SUPERVISED FINETUNING - " in html
    assert re.search(
        r"</h1>\n<p class=\"lecture-byline\"><span class=\"lecture-byline__author\">Tao He"
        r"</span> · <time datetime=\"2022-06-26\">26 June 2022</time></p>",
        content,
    )
    assert content.count("<h1") == 3  # its own H1s: no title H1 added


def test_seed_runs_no_script_and_points_to_the_labeling_demo(
    seed_site: tuple[Path, str],
) -> None:
    site, _ = seed_site
    content = body((site / "sft-lecture" / "index.html").read_text(encoding="utf-8"))
    assert "<script" not in content
    assert "onclick" not in content and "labelSample" not in content
    assert 'id="finetuning-game"' not in content  # its container went with its script
    note = re.search(r'<div class="admonition note lecture-script-note">.*?</div>', content, re.S)
    assert note is not None
    assert "(“Supervised Finetuning Game”)" in note[0]
    assert 'Try the <a href="../labels/">live demo</a> of this course.' in note[0]


def test_seed_fetches_no_external_image(seed_site: tuple[Path, str]) -> None:
    site, _ = seed_site
    content = body((site / "sft-lecture" / "index.html").read_text(encoding="utf-8"))
    assert not re.search(r"<img[^>]+src=\"(https?:)?//", content)
    links = re.findall(
        r'<a class="lecture-external-image" href="(https://github.com/user-attachments/[^"]+)" '
        r'rel="noopener noreferrer">Image from the original post \(github.com\)</a>',
        content,
    )
    assert len(links) == 4


@pytest.fixture(scope="module")
def posts_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """tests/jekyll/: two Jekyll posts (front matter, Liquid, math, inline HTML with scripts,
    includes from _includes/ beside and inside docs/) and an ordinary MkDocs page."""
    folder = tmp_path_factory.mktemp("posts")
    shutil.copytree(FIXTURES / "docs", folder / "docs")
    shutil.copytree(FIXTURES / "_includes", folder / "_includes")
    config = write_project(
        folder,
        {"labels.md": LABELS},
        site_name="Imported posts",
        theme={"name": "mkdocs", "highlightjs": False},
        plugins=plugin(jekyll_demo="labels.md"),
        markdown_extensions=COURSE_EXTENSIONS,
    )
    result = mkdocs_build(config, "--strict")
    assert result.returncode == 0, result.stderr
    assert log_lines(result.stderr, "WARNING") == []
    return folder / "site", result.stderr


def read(site: Path, page: str) -> str:
    return body((site / page / "index.html").read_text(encoding="utf-8"))


def test_front_matter(posts_site: tuple[Path, str]) -> None:
    site, log = posts_site
    attention = read(site, "_posts/2022-07-01-attention")
    assert re.match(
        r'<h1 id="attention-step-by-step">Attention, step by step.*?</h1>\n'
        r'<p class="lecture-byline"><span class="lecture-byline__author">Ada Lovelace</span> · '
        r'<time datetime="2022-07-01">1 July 2022</time></p>',
        attention,
    )
    tokens = read(site, "_posts/2022-06-24-tokens")  # no H1 of its own: the title is one
    assert tokens.startswith(
        '<h1>Tokens</h1>\n<p class="lecture-byline"><span class="lecture-byline__author">'
        "Grace Hopper, Alan Turing</span> · <time"
    )
    assert (
        "docs/_posts/2022-07-01-attention.md: permalink '/lectures/attention/' ignored: MkDocs "
        "makes URLs from file paths (this page is at '_posts/2022-07-01-attention/')."
    ) in log


def test_liquid(posts_site: tuple[Path, str]) -> None:
    site, _ = posts_site
    attention = read(site, "_posts/2022-07-01-attention")
    assert 'You are reading "Attention, step by step" in Imported posts.' in attention
    assert '<img alt="Attention weights" src="../../assets/attention.svg" />' in attention
    assert '<a href="../2022-06-24-tokens/">tokens</a>' in attention  # post_url
    assert '<a href="../2022-06-24-tokens/">what the model learns from tokens</a>' in attention
    assert "<p>Softmax weights are positive and add up to 1.</p>" in attention  # include
    assert '<span class="k">def</span>' in attention and "linenos" not in attention
    assert "In Jekyll you would write {{ page.title }} to show the title" in attention  # raw
    assert "<code>{{ page.author }}</code>" in attention
    assert '{{</span><span class="w"> </span><span class="nv">site</span>' in attention
    tokens = read(site, "_posts/2022-06-24-tokens")
    assert '<img src="../../assets/attention.svg" alt="A local figure">' in tokens
    assert '<strong>Exercise.</strong> Count the tokens of "Tokens" by hand.' in tokens
    assert '<p class="docs-note">This note comes from docs/_includes/.</p>' in tokens
    assert "written on\n24 June 2022." in tokens
    assert not (site / "_includes").exists()  # Jekyll's includes are not published


def test_math_is_mathml(posts_site: tuple[Path, str]) -> None:
    site, _ = posts_site
    attention = read(site, "_posts/2022-07-01-attention")
    formulas = re.findall(r"<math .*?</math>", attention, re.S)
    assert len(formulas) == 3
    for formula in formulas:
        ElementTree.fromstring(formula)  # well-formed MathML
    assert 'display="block"><mrow><msub><mi>&#x003B1;</mi>' in attention
    assert "A GPU hour costs $5 and a TPU hour $10 here" in attention
    tokens = read(site, "_posts/2022-06-24-tokens")
    assert tokens.count("<math ") == 4 and "about $0.01." in tokens
    assert "<li>&quot;strawberry&quot; is a few tokens" in tokens or '<li>"strawberry"' in tokens
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "$x^2$ stays text" in index and "{{ page.title }}" in index  # not a Jekyll page


def test_inline_html(posts_site: tuple[Path, str]) -> None:
    site, log = posts_site
    attention = read(site, "_posts/2022-07-01-attention")
    assert "<script" not in attention and "onclick" not in attention
    assert "(“Try it: attention weights”)" in attention
    assert 'Try the <a href="../../labels/">live demo</a> of this course.' in attention
    tokens = read(site, "_posts/2022-06-24-tokens")
    assert 'Click <a href="#">this link</a> for nothing at all.' in tokens
    assert "docs/_posts/2022-06-24-tokens.md:27: left out of inline HTML: onclick" in log


def test_external_images_become_links(posts_site: tuple[Path, str]) -> None:
    site, log = posts_site
    for page in ("_posts/2022-07-01-attention", "_posts/2022-06-24-tokens"):
        assert not re.search(r"<img[^>]+src=\"(https?:)?//", read(site, page))
    assert (
        '<a class="lecture-external-image" href="https://example.com/heatmap.png" '
        'rel="noopener noreferrer">Image from the original post: heat map of the weights '
        "(example.com)</a>"
    ) in read(site, "_posts/2022-07-01-attention")
    assert "Image from the original post: BPE merges (example.com)" in read(
        site, "_posts/2022-06-24-tokens"
    )
    assert (
        "docs/_posts/2022-07-01-attention.md:52: external image https://example.com/heatmap.png "
        "shown as a link (no third-party request)."
    ) in log


def test_unsupported_liquid_fails_strict_with_page_and_line(tmp_path: Path) -> None:
    text = (FIXTURES / "errors" / "unsupported.md").read_text(encoding="utf-8")
    config = write_project(tmp_path, {"unsupported.md": text}, plugins=plugin())
    strict = mkdocs_build(config, "--strict")
    assert strict.returncode != 0
    errors = log_lines(strict.stderr, "ERROR")
    where = [re.search(r"docs/unsupported\.md:(\d+)", line)[1] for line in errors]  # type: ignore[index]
    assert where == ["7", "8", "10", "14", "15", "12"]
    assert "Liquid tag '{% seo %}' is not supported in Jekyll pages" in errors[0]
    assert "Replace it by the text it should produce" in errors[0]
    assert "'page.tags' is not in the page's front matter" in errors[3]  # no silent loop
    assert "the LaTeX '$\\frac{a}$' cannot be converted to MathML" in errors[-1]
    lenient = mkdocs_build(config)  # without --strict the page still builds
    assert lenient.returncode == 0
    page = read(tmp_path / "site", "unsupported")
    assert '<code class="lecture-math-error">$\\frac{a}$</code>' in page
    assert "{% seo %} A title!" in page  # the engine renders control flow
    assert "unsupported-liquid" in page  # {{ page.title | slugify }}: the engine's filter


def test_kept_external_images_warn(tmp_path: Path) -> None:
    text = "---\nlayout: post\n---\n\n# Cats\n\n![a cat](https://example.com/cat.png)\n"
    errors = build_errors(
        tmp_path, {"cats.md": text}, plugins=plugin(jekyll_external_images="keep")
    )
    assert (
        "WARNING -  lecture: docs/cats.md:7: external image https://example.com/cat.png: "
        "readers' browsers fetch it from a third party"
    ) in errors
    assert '<img alt="a cat" src="https://example.com/cat.png" />' in read(
        tmp_path / "site", "cats"
    )


def test_jekyll_false_leaves_pages_alone(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copyfile(SEED, tmp_path / "docs" / "sft-lecture.md")
    site = build_site(tmp_path, {}, plugins=plugin(jekyll=False))
    html = (site / "sft-lecture" / "index.html").read_text(encoding="utf-8")
    assert MOJIBAKE[0] in html and "labelSample" in html and "lecture-byline" not in html

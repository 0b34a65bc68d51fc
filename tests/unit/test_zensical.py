"""Under Zensical: the extension alone, with the page from Zensical's rendering context,
and `mkdocs-lecture bundle` after the build (pages rendered as Zensical renders them:
see `build_site_like_zensical`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs_lecture.postbuild import scan_site
from support import ROOT, build_site_like_zensical, package_index, render_page

PAGES = {
    "index.md": "# Home\n\n## Try it\n\n```{python}\nprint(6 * 7)\n```\n",
    "lesson/tokens.md": "---\ntitle: Tokens\n---\n\n# Tokens\n\n```{tokenizer}\ntext: hello\n```\n",
    "plain.md": "# No widgets\n",
}


def test_pages_carry_the_runtime_once_relative_to_their_url(tmp_path: Path) -> None:
    site = build_site_like_zensical(tmp_path, PAGES)
    home = (site / "index.html").read_text()
    lesson = (site / "lesson/tokens/index.html").read_text()
    assert home.count('src="assets/lecture/runtime.js"') == 1  # not once per heading (toc)
    assert '<link rel="stylesheet" href="assets/lecture/lecture.css">' in home
    assert lesson.count('src="../../assets/lecture/runtime.js"') == 1
    assert "runtime.js" not in (site / "plain/index.html").read_text()
    assert "<p><script" not in home


def test_a_bad_fence_is_reported_at_its_file_line_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "---\ntitle: Bad\n---\n\n# Bad\n\n```{python}\n---\nisolat: true\n---\nx = 1\n```\n"
    site = build_site_like_zensical(tmp_path, {"index.md": "# Home\n", "bad.md": text})
    error = capsys.readouterr().err
    assert error.startswith("Error: lecture: docs/bad.md:9: widget '{python}': unknown option")
    assert scan_site(site).error_pages == ["bad/index.html"]


def bundle(site: Path, config: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "bundle", str(site), "-f", str(config)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def write_config(folder: Path, options: str) -> Path:
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: t\nplugins:\n  - search\n  - lecture:\n{options}\n")
    return config


def test_bundle_writes_what_the_plugin_writes(tmp_path: Path) -> None:
    site = build_site_like_zensical(tmp_path, PAGES)
    options = f"      pyodide_dir: {ROOT / 'node_modules/pyodide'}\n      pyodide_snapshot: false"
    result = bundle(site, write_config(tmp_path, options))
    assert result.returncode == 0, result.stderr
    assert "for 2 page(s) with widgets (1 python, 1 tokenizer)" in result.stdout
    out = site / "assets/lecture"
    for name in ("runtime.js", "worker.js", "config.js", "lecture.css", "pyodide/pyodide.mjs"):
        assert (out / name).is_file(), name
    assert (out / "widgets/tokenizer/data/cl100k_base.tokens.gz").is_file()  # the data pages use
    assert not (out / "widgets/tokenizer/data/o200k_base.tokens.gz").exists()
    assert not (out / "pyodide/python-snapshot.zst").exists()


def test_bundle_fails_on_pages_with_widget_errors_and_on_bad_options(tmp_path: Path) -> None:
    site = build_site_like_zensical(tmp_path, {"index.md": "```{pyhton}\nx\n```\n"})
    cdn = "      pyodide: https://cdn.example.org/pyodide/v314.0.7/full/"
    result = bundle(site, write_config(tmp_path, cdn))
    assert result.returncode == 1
    assert "index.html: a widget fence could not be built" in result.stdout
    result = bundle(site, write_config(tmp_path, "      pyodide_snapshot: sometimes"))
    assert result.returncode == 2
    assert "option 'pyodide_snapshot'" in result.stderr
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  lecture:\n    pyodide: selfhosted\n")
    result = bundle(site, tmp_path / "mkdocs.yml")  # plugins as a mapping, a bad value
    assert result.returncode == 2
    assert "option 'pyodide': 'selfhosted': use 'self-hosted'" in result.stderr
    assert bundle(tmp_path / "docs", tmp_path / "mkdocs.yml").returncode == 2  # not a site


def test_packages_come_from_mkdocs_yml_and_the_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As under the plugin: the `lecture` entry's `packages:` for every page, a page's own
    in its front matter, and an error at its line (PyPI played on 127.0.0.1)."""
    with package_index(tmp_path) as env:
        for name in (
            "MKDOCS_LECTURE_CACHE",
            "PIP_INDEX_URL",
            "PIP_CONFIG_FILE",
            "PIP_NO_CACHE_DIR",
        ):
            monkeypatch.setenv(name, env[name])
        lecture = {"pyodide_dir": str(ROOT / "node_modules/pyodide"), "packages": ["mdurl"]}
        settings = {"site_name": "Course", "plugins": [{"lecture": lecture}]}
        (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(settings))
        docs = tmp_path / "docs"
        docs.mkdir()
        cell = "```{python}\nimport markdown_it, mdurl\n```\n"
        (docs / "a.md").write_text(f"---\ntitle: A\npackages: [markdown-it-py]\n---\n\n{cell}")
        (docs / "b.md").write_text(f"---\npackages: [no-such-package]\n---\n\n{cell}")
        listed = render_page(docs, "a.md", "a/")
        render_page(docs, "b.md", "b/")
    assert 'data-lecture-packages="markdown-it-py mdurl"' in listed
    errors = capsys.readouterr().err
    assert "Error: lecture: docs/b.md:2: " in errors and "no-such-package" in errors

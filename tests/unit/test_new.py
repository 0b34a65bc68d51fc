"""`mkdocs-lecture new`: a starter course that builds strictly, in an empty folder only;
`mkdocs-lecture import-jekyll`: a Jekyll course as an MkDocs course, built strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs_lecture.jekyll.importer import import_jekyll
from mkdocs_lecture.new import RELEASE, NewCourseError
from support import ROOT, mkdocs_build


def new(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "new", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_new_writes_a_course_that_builds_strictly(tmp_path: Path) -> None:
    course = tmp_path / "course"
    result = new(course)
    assert result.returncode == 0, result.stderr
    files = sorted(
        path.relative_to(course).as_posix() for path in course.rglob("*") if path.is_file()
    )
    assert files == [
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "docs/index.md",
        "mkdocs.yml",
    ]
    assert "mkdocs serve" in result.stdout
    pages = (course / ".github/workflows/pages.yml").read_text()
    assert f"'mkdocs-lecture>={RELEASE}'" in pages and "${{ steps.pages" in pages
    assert "dev" not in RELEASE
    index = (course / "docs/index.md").read_text()
    for widget in ("python", "tokenizer", "chat", "labeling"):
        assert f"```{{{widget}}}" in index
    config = (course / "mkdocs.yml").read_text()
    [line] = [line for line in config.splitlines() if line.startswith("  - lecture")]
    here = f"  - lecture:\n      pyodide_dir: {ROOT / 'node_modules/pyodide'}"  # no fetching
    (course / "mkdocs.yml").write_text(config.replace(line, here))
    result = mkdocs_build(course / "mkdocs.yml", "--strict")
    assert result.returncode == 0, result.stderr


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    result = new(tmp_path)
    assert result.returncode == 2
    assert "is not an empty folder" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.md"]


# `mkdocs-lecture import-jekyll SRC DEST` (issue 18, item 6): a small Jekyll course of our
# own, laid out as Jekyll sites are, with the habits the plugin reads.

JEKYLL_SITE = {
    "_config.yml": "title: Deep Models\ntagline: Notes for the course\nbaseurl: /notes\n"
    "destination: built\nexclude: [README.md, drafts/*, scripts]\n",
    "index.md": "---\nlayout: default\ntitle: Home\nnav_order: 1\n---\n\n# {{ site.tagline }}\n\n"
    "Read [the notes]({% link vae/index.md %}) and the [news]({% post_url 2022-01-03-start %}).\n",
    "vae/index.md": "---\nlayout: post\ntitle: VAE\n---\n\n{% math %}\n\\newcommand{\\bx}"
    "{\\mathbf{x}}\n{% endmath %}\n\nThe data $$\\bx$$:\n\n{% math %}\n\\begin{align}\n"
    "p(\\bx) &= \\int p(\\bx, z) dz\n\\end{align}\n{% endmath %}\n\n![model](vae.png)\n"
    '<img src="/notes/assets/logo.png" alt="logo">\n',
    "vae/vae.png": "png",
    "_posts/2022-01-03-start.md": "---\nlayout: post\ntitle: Start\n---\n\n"
    '{% include note.html text="Welcome" %}\n',
    "_includes/note.html": '<p class="note">{{ include.text }}</p>\n',
    "_layouts/default.html": "<html>{{ content }}</html>\n",
    "assets/logo.png": "png",
    "README.md": "# How to build with Jekyll\n",
    "drafts/todo.md": "---\nlayout: post\n---\n\n{% if x %}\n",
    "scripts/make/figures.py": "print('a folder excluded by name')\n",
    "_drafts/2022-02-01-later.md": "---\nlayout: post\n---\n\nNot published by Jekyll.\n",
    "Gemfile": "gem 'jekyll'\n",
    "_sass/main.scss": "body {}\n",
    "built/index.html": "<html></html>\n",
    ".git/HEAD": "ref\n",
}


def test_import_jekyll_writes_a_course_that_builds_strictly(tmp_path: Path) -> None:
    source, course = tmp_path / "jekyll", tmp_path / "course"
    for name, text in JEKYLL_SITE.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    command = [sys.executable, "-m", "mkdocs_lecture.cli", "import-jekyll", str(source)]
    result = subprocess.run([*command, str(course)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "_config.yml",
        "_includes/note.html",
        "_layouts/default.html",
        "assets/logo.png",
        "docs/_posts/2022-01-03-start.md",
        "docs/index.md",
        "docs/vae/index.md",
        "docs/vae/vae.png",
        "mkdocs.yml",
    ]
    config = (course / "mkdocs.yml").read_text()
    assert config.startswith("site_name: Deep Models\n") and "name: material" in config
    [line] = [line for line in config.splitlines() if line.startswith("  - lecture")]
    here = f"  - lecture:\n      pyodide_dir: {ROOT / 'node_modules/pyodide'}"  # no fetching
    (course / "mkdocs.yml").write_text(config.replace(line, here))
    result = mkdocs_build(course / "mkdocs.yml", "--strict")
    assert result.returncode == 0, result.stderr
    site = course / "site"
    home = (site / "index.html").read_text()
    assert "Notes for the course</h1>" in home and 'href="vae/"' in home
    vae = (site / "vae" / "index.html").read_text()
    assert vae.count("<math ") == 3 and 'src="../assets/logo.png"' in vae
    assert (site / "assets" / "logo.png").is_file()
    assert not (site / "_config.yml").exists()


def test_import_jekyll_wants_a_jekyll_site_and_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    with pytest.raises(NewCourseError, match="is not a Jekyll site"):
        import_jekyll(tmp_path / "site", tmp_path / "course")
    (tmp_path / "site" / "_config.yml").write_text("title: T\n")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "x").write_text("")
    with pytest.raises(NewCourseError, match="is not an empty folder"):
        import_jekyll(tmp_path / "site", tmp_path / "course")

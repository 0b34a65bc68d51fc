"""Shared test helpers: building a site with the plugin."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
import yaml
from markdown.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def write_project(folder: Path, pages: dict[str, str], **config: object) -> Path:
    """A small MkDocs project using the plugin; returns its mkdocs.yml."""
    docs = folder / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    settings = {
        "site_name": "Test course",
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "theme": {"name": "mkdocs"},
        "plugins": [{"lecture": {"pyodide_dir": str(ROOT / "node_modules" / "pyodide")}}],
        **config,
    }
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    return config_file


def build_site(
    folder: Path, pages: dict[str, str], env: dict[str, str] | None = None, **config: object
) -> Path:
    """Build a small project with `--strict`, which must pass; returns the built site."""
    result = mkdocs_build(write_project(folder, pages, **config), "--strict", env=env)
    assert result.returncode == 0, result.stderr
    return folder / "site"


def build_errors(folder: Path, pages: dict[str, str], **config: object) -> str:
    """Build a small project with `--strict`, which must fail; returns what MkDocs said."""
    result = mkdocs_build(write_project(folder, pages, **config), "--strict")
    assert result.returncode != 0, "the build passed"
    return result.stderr


def mkdocs_build(
    config_file: Path, *args: str, env: dict[str, str] | None = None, builder: str = "mkdocs"
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` (or `properdocs build`) in a subprocess, as an author would
    (`env`: variables to change)."""
    return subprocess.run(
        [sys.executable, "-m", builder, "build", "-f", str(config_file), *args],
        capture_output=True,
        text=True,
        cwd=config_file.parent,
        env={**os.environ, **(env or {})},
        check=False,
    )


# Zensical 0.1.1 does not install here (its theme package, zensical-ui, has no files on the
# index), so its side of the extension is played by its interface: a preprocessor named
# `rendering_context` whose `page` has `path` and `url` and whose `config` has `docs_dir`
# (zensical/extensions/context.py), and a fresh Markdown per page from `markdown_extensions`,
# given the page's text without its front matter.
ZENSICAL_EXTENSIONS = ["toc", "admonition", "pymdownx.superfences", "lecture"]


class RenderingContext(Preprocessor):
    def __init__(self, md: markdown.Markdown, page: SimpleNamespace, config: dict) -> None:
        super().__init__(md)
        self.page, self.config = page, config

    def run(self, lines: list[str]) -> list[str]:
        return lines


def render_page(docs: Path, path: str, url: str) -> str:
    """Render `docs/path` as Zensical does: front matter stripped, a fresh Markdown."""
    text = (docs / path).read_text()
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5 :]
    md = markdown.Markdown(extensions=ZENSICAL_EXTENSIONS)
    page = SimpleNamespace(path=path, url=url)
    config = {"docs_dir": docs.name, "root_dir": str(docs.parent)}  # as Zensical leaves them
    md.preprocessors.register(RenderingContext(md, page, config), "rendering_context", 0)
    return md.convert(text)


def build_site_like_zensical(folder: Path, pages: dict[str, str]) -> Path:
    """A site of rendered pages, each in a minimal HTML page, as a generator writes them."""
    docs, site = folder / "docs", folder / "site"
    for path, text in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text)
        url = "" if path == "index.md" else path.removesuffix(".md") + "/"
        out = site / url / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        body = render_page(docs, path, url)
        out.write_text(
            f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"
        )
    return site


def site_wheel(site: Path) -> zipfile.ZipFile:
    """The widgets' wheel a built site carries (gzipped, as the worker fetches it)."""
    [packed] = (site / "assets/lecture").glob("lecture_widgets-*.whl.gz")
    return zipfile.ZipFile(io.BytesIO(gzip.decompress(packed.read_bytes())))


WHEELS = Path(__file__).parent / "packages"  # real PyPI wheels (SOURCES.md there)


@contextlib.contextmanager
def package_index(folder: Path, *, own_cache: bool = True) -> Iterator[dict[str, str]]:
    """PyPI played by a PEP 503 simple index of the test wheels on 127.0.0.1 (pip checks
    their hashes): the environment a build uses it with (and, `own_cache`, a cache folder
    of its own, where nothing is downloaded yet)."""
    from mkdocs_lecture.check import serve

    root = folder / "index"
    (root / "files").mkdir(parents=True)
    for wheel in WHEELS.glob("*.whl"):
        shutil.copy(wheel, root / "files" / wheel.name)
        project = root / "simple" / wheel.name.split("-")[0].replace("_", "-")
        project.mkdir(parents=True)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        link = f"../../files/{wheel.name}#sha256={digest}"
        (project / "index.html").write_text(
            f'<!DOCTYPE html><html><body><a href="{link}">{wheel.name}</a></body></html>\n'
        )
    with serve(root) as url:
        yield {
            **os.environ,
            **({"MKDOCS_LECTURE_CACHE": str(folder / "cache")} if own_cache else {}),
            "PIP_INDEX_URL": f"{url}simple/",
            "PIP_CONFIG_FILE": os.devnull,
            "PIP_NO_CACHE_DIR": "1",
            "PIP_EXTRA_INDEX_URL": "",
        }


@dataclass
class FakeFile:
    """What Jekyll pages read of an MkDocs file."""

    src_uri: str
    url: str


class FakeFiles:
    """What Jekyll pages read of MkDocs' files: enough for links, posts and collections."""

    def __init__(self, *files: FakeFile) -> None:
        self.files = files

    def get_file_from_path(self, path: str) -> FakeFile | None:
        return next((f for f in self.files if f.src_uri == path), None)

    def documentation_pages(self) -> list[FakeFile]:
        return [f for f in self.files if f.src_uri.endswith(".md")]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The messages logged at ERROR and above."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]

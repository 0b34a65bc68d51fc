"""Shared test helpers: building a site with the plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

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


def build_site(folder: Path, pages: dict[str, str], **config: object) -> Path:
    """Build a small project with `--strict`, which must pass; returns the built site."""
    result = mkdocs_build(write_project(folder, pages, **config), "--strict")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def build_errors(folder: Path, pages: dict[str, str], **config: object) -> str:
    """Build a small project with `--strict`, which must fail; returns what MkDocs said."""
    result = mkdocs_build(write_project(folder, pages, **config), "--strict")
    assert result.returncode != 0, "the build passed"
    return result.stderr


def mkdocs_build(
    config_file: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` in a subprocess, as an author would (`env`: variables to change)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), *args],
        capture_output=True,
        text=True,
        cwd=config_file.parent,
        env={**os.environ, **(env or {})},
        check=False,
    )

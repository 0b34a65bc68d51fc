"""`mkdocs-lecture import-jekyll SRC DEST`: a Jekyll course copied into a new MkDocs course.

The pages, posts and their files go to `DEST/docs/`; what Jekyll reads but does not publish
as pages stays beside `docs/`, where the plugin looks for it: `_config.yml` (`site.*`),
`_includes/`, `_layouts/` (the MathJax macros of the site's configuration) and `assets/`
(published as `assets/`). Left out: dot-files, Jekyll's own folders (`_site/`, `_sass/`,
`_plugins/`, `_data/`, the `destination:` of `_config.yml`), Ruby's files and what
`_config.yml` excludes. `mkdocs.yml` and the rest of `mkdocs-lecture new`'s starter
(workflows, `.gitignore`) are written with `site_name` from `_config.yml`'s `title`.
"""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

import yaml

from ..new import RELEASE, STARTER, NewCourseError

BESIDE_DOCS = ("_config.yml", "_includes", "_layouts", "assets")
LEFT_OUT = {
    *("_site", "_sass", "_plugins", "_data", "_drafts", "vendor", "node_modules"),
    *("Gemfile", "Gemfile.lock", "Rakefile", "mkdocs.yml"),
}
MARKERS = ("_config.yml", "_posts", "_layouts", "_includes")


def import_jekyll(source: Path, folder: Path) -> list[Path]:
    """Copy the Jekyll site `source` into `folder` (new or empty) as an MkDocs course;
    returns the files written."""
    if not source.is_dir() or not any((source / name).exists() for name in MARKERS):
        raise NewCourseError(
            f"'{source}' is not a Jekyll site (no _config.yml, _posts/, _layouts/ or "
            "_includes/ in it)."
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewCourseError(f"'{folder}' is not an empty folder: choose a new one.")
    if folder.resolve().is_relative_to(source.resolve()):
        raise NewCourseError(f"'{folder}' is inside '{source}': choose a folder outside it.")
    config = _config(source)
    excluded = [str(item).strip("/") for item in config.get("exclude") or []]
    destination = str(config.get("destination") or "").strip("/")
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        top = relative.parts[0]
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if top in LEFT_OUT or top == destination:  # (destination: Jekyll's output)
            continue
        prefixes = ["/".join(relative.parts[: n + 1]) for n in range(len(relative.parts))]
        if any(fnmatch.fnmatch(p, pattern) for p in prefixes for pattern in excluded):
            continue  # (as Jekyll: a pattern names a file or a folder with all it holds)
        if path.is_symlink() and not path.resolve().is_relative_to(source.resolve()):
            continue  # (nothing from outside the course)
        target = folder / relative if top in BESIDE_DOCS else folder / "docs" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        written.append(target)
    title = str(config.get("title") or source.resolve().name)
    for template in sorted(STARTER.rglob("*")):
        parts = template.relative_to(STARTER).parts
        if not template.is_file() or parts[0] == "docs" or "__pycache__" in parts:
            continue
        parts = tuple(f".{part[1:]}" if part.startswith("_") else part for part in parts)
        text = template.read_text("utf-8").replace("{version}", RELEASE)
        if parts == ("mkdocs.yml",):
            name = yaml.safe_dump({"site_name": title}, allow_unicode=True).strip()
            text = text.replace("site_name: My course", name, 1)
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        written.append(target)
    return written


def _config(source: Path) -> dict:
    try:
        values = yaml.safe_load((source / "_config.yml").read_text("utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise NewCourseError(f"'{source / '_config.yml'}' cannot be read: {error}") from error
    return values if isinstance(values, dict) else {}

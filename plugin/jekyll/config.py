"""A Jekyll site's `_config.yml` (in `docs/` or beside it): the `site.*` its pages read.

- `site.title`, `site.description`, `site.author` and custom keys (`site.tagline`, nested
  `site.author.name`) come from `_config.yml`; mkdocs.yml's `site_name`,
  `site_description` and `site_author` stand in for the first three where it has none.
- `site.url` is the address of the site's root: mkdocs.yml's `site_url` (where this build
  is published), else `_config.yml`'s `url` followed by its `baseurl` (the Jekyll site's).
- `site.baseurl` stays the relative path to the site's root (`liquid.py`): links are
  relative, so the site works under any path. `_config.yml`'s `baseurl` is kept only to
  recognise root-absolute URLs that spell it out (`/notes/vae/x.png` when it is `/notes`,
  `urls.py`).

Read once per build. A `_config.yml` that cannot be read is a WARNING (so `--strict` fails)
and the pages read mkdocs.yml's settings only.
"""

from __future__ import annotations

import logging
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("mkdocs.plugins.lecture")
CONFIG = "_config.yml"


def config_file(docs_dir: Path) -> Path | None:
    """`docs/_config.yml`, else `_config.yml` beside `docs/`, if there is one."""
    for folder in (docs_dir, docs_dir.parent):
        if (folder / CONFIG).is_file():
            return folder / CONFIG
    return None


def read_config(docs_dir: Path) -> tuple[dict[str, Any], str]:
    """The mapping of the site's `_config.yml` and its name for messages (`_config.yml`,
    `docs/_config.yml`), or ({}, "") when there is none or it cannot be read."""
    path = config_file(docs_dir)
    if path is None:
        return {}, ""
    shown = path.resolve().relative_to(docs_dir.resolve().parent).as_posix()
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problem = str(error).replace("\n", " ")
        log.warning("lecture: %s cannot be read (%s): site.* from mkdocs.yml only.", shown, problem)
        return {}, ""
    if values is None:
        return {}, shown
    if not isinstance(values, dict):
        log.warning("lecture: %s is not a mapping of settings: site.* from mkdocs.yml only.", shown)
        return {}, ""
    return {str(key): value for key, value in values.items()}, shown


def front_matter_defaults(values: dict[str, Any], src_uri: str) -> dict[str, Any]:
    """What `_config.yml`'s `defaults:` give the page at `src_uri` (a path of the Jekyll
    site, as `docs/` holds it): the `values` of each entry whose scope takes the page in
    (`path`: a folder or a glob, none for all; `type`: `pages`, `posts`, or a collection's
    name), the more specific over the less (a longer path, then a type), as Jekyll applies
    them. The page's own front matter wins over them all."""
    collections = values.get("collections")
    labels = set(collections) if isinstance(collections, dict | list) else set()
    folder = src_uri.split("/", 1)[0]
    kind = "posts" if folder == "_posts" else "pages"
    if folder.startswith("_") and folder[1:] in labels:
        kind = folder[1:]
    found: list[tuple[int, bool, dict[str, Any]]] = []
    for entry in values.get("defaults") or []:
        scope = entry.get("scope") if isinstance(entry, dict) else None
        scope = scope if isinstance(scope, dict) else {}
        path = str(scope.get("path") or "").strip("/")
        within = not path or src_uri.startswith(path + "/") or fnmatch(src_uri, path)
        if within and scope.get("type", kind) == kind and isinstance(entry.get("values"), dict):
            found.append((len(path), "type" in scope, entry["values"]))
    merged: dict[str, Any] = {}
    for *_, given in sorted(found, key=lambda item: item[:2]):  # (stable: later wins ties)
        merged.update(given)
    return merged


def site_variables(values: dict[str, Any], mkdocs_config: Any) -> dict[str, Any]:
    """`site` as the pages read it: `_config.yml`'s values over mkdocs.yml's settings, and
    `url` the address of the site's root (see the module docstring)."""
    site: dict[str, Any] = {
        "title": mkdocs_config.site_name or "",
        "description": mkdocs_config.site_description or "",
        "author": mkdocs_config.site_author or "",
    }
    site.update({key: value for key, value in values.items() if value is not None})
    jekyll_url = str(values.get("url") or "").rstrip("/")
    if jekyll_url:
        jekyll_url += "/" + str(values.get("baseurl") or "").strip("/")
    site["url"] = (mkdocs_config.site_url or jekyll_url).rstrip("/")
    site["baseurl"] = "/" + str(values.get("baseurl") or "").strip("/")
    return site

"""`mkdocs-lecture bundle [SITE]`: the plugin's build step, for a site built by a generator
that runs only the Markdown extension (Zensical): find the widgets the built pages use and
write `SITE/assets/lecture/`. Options come from the `lecture` entry of `plugins:` in
mkdocs.yml, as for the plugin (Zensical ignores that entry)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from .bundle import BundleError, write_site_assets
from .offline import write_service_worker
from .packages import PackageError, Packages
from .plugin import LectureConfig
from .pyodide_core import PyodideError
from .registry import RegistryError, discover
from .snapshot import SnapshotError


class PostBuildError(RuntimeError):
    """The site cannot be bundled, with why."""


@dataclass
class SiteWidgets:
    """What the built pages use: widgets, their data files, and pages with widget errors."""

    uses: Counter[str] = field(default_factory=Counter)
    files: set[str] = field(default_factory=set)
    packages: set[str] = field(default_factory=set)  # lock names (data-lecture-packages)
    pages: set[str] = field(default_factory=set)
    error_pages: list[str] = field(default_factory=list)
    roots: list[dict[str, str]] = field(default_factory=list)  # {"page", "id", "widget"}


class _Roots(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.roots: list[dict[str, str | None]] = []
        self.errors = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("data-lecture-widget"):
            self.roots.append(attributes)
        elif "lecture-widget--error" in (attributes.get("class") or "").split():
            self.errors += 1


def scan_site(site: Path) -> SiteWidgets:
    found = SiteWidgets()
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(errors="replace")
        if "lecture-widget" not in text:
            continue
        parser = _Roots()
        parser.feed(text)
        name = page.relative_to(site).as_posix()
        if parser.errors:
            found.error_pages.append(name)
        for root in parser.roots:
            widget = root["data-lecture-widget"] or ""
            found.uses[widget] += 1
            found.pages.add(name)
            found.files.update((root.get("data-lecture-files") or "").split())
            found.packages.update((root.get("data-lecture-packages") or "").split())
            page_url = name.removesuffix("index.html")
            found.roots.append({"page": page_url, "id": root.get("id") or "", "widget": widget})
    return found


def read_options(config_file: Path) -> LectureConfig:
    """The plugin's options from `config_file` (defaults when it has no `lecture` entry)."""
    options: dict[str, Any] = {}
    if config_file.exists():
        with config_file.open("rb") as file:
            settings = yaml_load(file) or {}
        plugins = settings.get("plugins") or []
        for entry in [plugins] if isinstance(plugins, dict) else plugins:  # a dict, or a list
            if entry == "lecture" or (isinstance(entry, dict) and "lecture" in entry):
                options = (entry["lecture"] if isinstance(entry, dict) else None) or {}
    config = LectureConfig(config_file_path=str(config_file.resolve()))
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        raise PostBuildError(
            "; ".join(f"option '{name}': {error}" for name, error in failed)
            + f" (in the lecture entry of {config_file})"
        )
    return config


def bundle_site(site: Path, config_file: Path) -> SiteWidgets:
    """Write `site/assets/lecture/` for the widgets `site` uses; what it found."""
    if not (site / "index.html").exists():
        raise PostBuildError(f"{site} is not a built site: build it first.")
    try:
        config = read_options(config_file)
        found = scan_site(site)
        widgets = discover(map(Path, config.widgets_dirs))
        unknown = sorted(set(found.uses) - set(widgets))
        if unknown:
            raise PostBuildError(
                f"the site uses widgets this installation does not have: {', '.join(unknown)}"
                " (set `widgets_dirs` in the lecture entry of mkdocs.yml)."
            )
        solvable = [
            {**root, "title": root["page"] or "Home"}
            for root in found.roots
            if getattr(widgets[root["widget"]].module, "SOLVABLE", False)
        ]
        packages = Packages.from_config(config)
        packages.resolve_site()
        if found.packages:
            packages.use(sorted(found.packages))
        write_site_assets(site, widgets, found.files, config, solvable, packages)
        write_service_worker(site, config.offline)
    except (
        ConfigurationError,
        RegistryError,
        PyodideError,
        BundleError,
        SnapshotError,
        PackageError,
    ) as error:
        raise PostBuildError(str(error)) from error
    return found

"""The MkDocs plugin `lecture`: configuration and hooks over the Markdown extension."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .bundle import ASSETS_DIR, BundleError, module_imports, write_site_assets
from .extension import LectureExtension, WidgetError, runtime_tags
from .jekyll import (
    MODES,
    JekyllExtension,
    is_jekyll_page,
    jekyll_assets,
    write_math_css,
    write_tufte_css,
)
from .jekyll.config import CONFIG
from .jekyll.nav import order_navigation
from .offline import TEMPLATES as SERVICE_WORKER_DIR
from .offline import write_service_worker
from .packages import PackageError, Packages, PagePackages
from .pyodide_core import DOWNLOAD_URL, PyodideError
from .registry import BUILTIN_DIR, RegistryError, Widget, discover
from .snapshot import SnapshotError

log = logging.getLogger("mkdocs.plugins.lecture")
CDN_URL = re.compile(r"^https://\S+/$")


class PyodideSource(c.Type):
    """`self-hosted`, or the base URL of a Pyodide CDN folder."""

    def __init__(self) -> None:
        super().__init__(str, default="self-hosted")

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if value != "self-hosted" and not CDN_URL.match(value):
            raise ValidationError(
                f"'{value}': use 'self-hosted' or an https:// base URL ending in '/' (for "
                "example the jsDelivr URL of Pyodide's full/ folder)."
            )
        return value


class LectureConfig(Config):
    pyodide = PyodideSource()
    """`self-hosted` (the pinned core copied into the site) or a CDN base URL ending in `/`."""
    pyodide_dir = c.Dir(exists=False, default="node_modules/pyodide")
    """Where the npm package `pyodide` is, relative to mkdocs.yml; when it holds none, the
    plugin fetches the pinned core once into its cache folder."""
    pyodide_download_url = c.Type(str, default=DOWNLOAD_URL)
    """Where that core is downloaded from when npm pack cannot get it (checked by hash)."""
    pyodide_snapshot = c.Optional(c.Type(bool))
    """Self-hosted only: ship a snapshot of Python already started (made with Node at build
    time): Python is ready about twice as soon, for 2.6 MB more to download, which each
    reader's browser fetches only where the link makes it pay. Unset: when it can be made
    (Node.js is on PATH) and kept; true: required; false: never."""
    packages = c.ListOfItems(c.Type(str), default=[])
    """Packages every page may import (requirements, e.g. `tabulate==0.10.0`): Pyodide's own
    by name (those need not be listed: an import finds them), others as pure-Python wheels
    from PyPI, fetched once at build and shipped in the site. A page adds its own with
    `packages:` in its front matter."""
    pyodide_packages_dir = c.Optional(c.Dir(exists=True))
    """A full Pyodide distribution folder of the pinned release (pyodide-lock.json and the
    wheels): the Pyodide packages the site uses are copied into it from there."""
    pyodide_packages_url = c.Optional(c.Type(str))
    """Where readers load Pyodide's packages from when they are not in the site (default:
    the `pyodide` CDN URL, or the Pyodide CDN's folder of the pinned release)."""
    packages_from_cdn = c.Type(bool, default=True)
    """false: a Pyodide package that would come from the CDN is an error (a site that must
    stay self-contained sets `pyodide_packages_dir`)."""
    offline = c.Type(bool, default=False)
    """Readers can reload the pages they have opened, and run them, without a network: a
    service worker at the site's root (`lecture-offline.js`) keeps those pages, the runtime
    and Pyodide (self-hosted) in the browser's cache, replaced by the next build whose runtime
    changed. false: that file unregisters the worker of an earlier build and deletes its cache."""
    widgets_dirs = c.ListOfItems(c.Dir(exists=True), default=[])
    """Folders of the author's own widgets, one subfolder per widget."""
    jekyll = c.Choice(MODES, default="auto")
    """Jekyll pages as they come: `auto` (pages whose front matter has `layout:`), true, false."""
    jekyll_external_images = c.Choice(("link", "keep"), default="link")
    """External images of Jekyll pages: a link (INFO), or kept (WARNING: a third-party fetch)."""
    jekyll_script_pointer = c.Type(str, default="")
    """Text of the note that stands for a left-out script (default: a link to `jekyll_demo`)."""
    jekyll_demo = c.Type(str, default="")
    """The page (`path.md`, optionally `#anchor`) that note links to as the live demo."""


class LecturePlugin(BasePlugin[LectureConfig]):
    """Adds widget fences to every page and the runtime to the pages that use them."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.widgets: dict[str, Widget] = discover(map(Path, self.config.widgets_dirs))
        except RegistryError as error:
            raise PluginError(f"lecture: {error}") from error
        self.data_files: set[str] = set()  # "<owner widget>/<path>" the pages need
        self.widget_pages: dict[str, list[str]] = {}  # page → the widgets it uses, in order
        self.solvable: list[dict[str, str]] = []  # the exercises and questions, in page order
        self.imports: dict[str, list[str]] = {}  # module → the modules it imports
        self.docs_name = Path(config.docs_dir).name
        self.docs_dir = config.docs_dir
        self.packages = Packages.from_config(self.config)
        try:
            self.packages.resolve_site()
        except PackageError as error:
            raise PluginError(f"lecture: {error}") from error
        self.extension = LectureExtension(
            widgets=self.widgets,
            on_error=self._report,
            docs_dir=Path(config.docs_dir),
            on_warning=self._warn,
            packages=self.packages,
        )
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        self.jekyll = JekyllExtension(
            mode=self.config.jekyll,
            external_images=self.config.jekyll_external_images,
            script_pointer=self.config.jekyll_script_pointer,
            demo_page=self.config.jekyll_demo,
        )
        config.markdown_extensions.append(self.jekyll)  # type: ignore[arg-type]
        if self.config.offline and self.config.pyodide != "self-hosted":
            log.warning(
                "lecture: offline: Pyodide comes from %s, which no service worker keeps: "
                "offline, pages reload but Python cannot start (use pyodide: self-hosted).",
                self.config.pyodide,
            )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.config.jekyll is not False:  # Jekyll's includes and config: read, not published
            for file in [
                f for f in files if f.src_uri.startswith("_includes/") or f.src_uri == CONFIG
            ]:
                files.remove(file)
            root = Path(config.docs_dir).resolve().parent
            for path in jekyll_assets(Path(config.docs_dir)):
                uri = path.relative_to(root).as_posix()
                if files.get_file_from_path(uri) is None:  # docs/ first
                    files.append(
                        File(
                            uri,
                            src_dir=str(root),
                            dest_dir=config.site_dir,
                            use_directory_urls=config.use_directory_urls,
                        )
                    )
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Without `nav` in mkdocs.yml, Jekyll pages in their front matter's order."""
        if config.nav or self.config.jekyll is False:
            return nav
        return order_navigation(nav, lambda meta: is_jekyll_page(meta, self.config.jekyll))

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files, **_: Any
    ) -> str:
        source = page.file.content_string
        before = source[: len(source) - len(markdown)] if source.endswith(markdown) else ""
        leading_blank = markdown[: len(markdown) - len(markdown.lstrip())]
        offset = before.count("\n") + leading_blank.count("\n")
        name = f"{self.docs_name}/{page.file.src_uri}"
        self.extension.set_page(name, offset, packages=self._page_packages(page, name, before))
        return self.jekyll.start_page(
            markdown, page=page, files=files, config=config, source=name, line_offset=offset
        )

    def on_page_content(self, html: str, *, page: Page, **_: Any) -> str:
        html = self.jekyll.finish_page(html, page.meta.get("title"))
        if not self.extension.uses:
            return html
        for use in self.extension.uses:
            self.data_files.update(use.files)
            if getattr(use.widget.module, "SOLVABLE", False):
                entry = {"page": page.url, "title": page.title or page.url, "id": use.id}
                self.solvable.append({**entry, "widget": use.widget.name})
        names = dict.fromkeys(use.widget.name for use in self.extension.uses)
        self.widget_pages[page.file.src_uri] = list(names)
        # For Material's instant navigation, which swaps only the content and re-creates its
        # scripts; on a full load the runtime runs from <head>.
        return f"{html}\n{runtime_tags(self._asset_url(page))}"

    def on_post_page(self, output: str, *, page: Page, **_: Any) -> str:
        """On a page with widgets, the runtime runs from <head>: its modules and the page's
        views are fetched at once, and it runs once its own are in (async: often before the
        page is parsed, which the theme's script holds up; a repeat visit, which starts
        Python then, answered ~130 ms sooner than deferred, a cold visit the same)."""
        end = output.find("</head>")
        if page.file.src_uri not in self.widget_pages or end < 0:
            return output  # (a theme without <head> has the content's tag)
        url = self._asset_url(page)
        views = [f"widgets/{name}/view.js" for name in self.widget_pages[page.file.src_uri]]
        # The runtime's imports, then each view with its own (the runtime has its tag).
        modules = dict.fromkeys(self._imports("runtime.js"))
        for view in views:
            modules.update(dict.fromkeys([view, *self._imports(view)]))
        head = "".join(f'<link rel="modulepreload" href="{url(name)}">\n' for name in modules)
        head += f'<script type="module" async src="{url("runtime.js")}"></script>\n'
        return f"{output[:end]}{head}{output[end:]}"

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The runtime, the widgets and Pyodide, and the service worker (`offline`), when
        some page uses widgets (a site that uses none gets nothing, and fetches nothing);
        the stylesheets of math tables and of Tufte's notes when a Jekyll page links them."""
        if self.jekyll.math_css:
            write_math_css(Path(config.site_dir))
        if self.jekyll.tufte_css:
            write_tufte_css(Path(config.site_dir))
        if not self.widget_pages:
            return
        try:
            write_site_assets(
                Path(config.site_dir),
                self.widgets,
                self.data_files,
                self.config,
                self.solvable,
                self.packages,
            )
            write_service_worker(Path(config.site_dir), self.config.offline)
        except (PyodideError, BundleError, SnapshotError, PackageError) as error:
            raise PluginError(f"lecture: {error}") from error

    def on_serve(self, server: LiveReloadServer, **_: Any) -> LiveReloadServer:
        beside = [Path(self.docs_dir).parent / name for name in ("_includes", "assets", CONFIG)]
        folders = {BUILTIN_DIR, ASSETS_DIR, SERVICE_WORKER_DIR}  # and Jekyll's, beside docs/
        folders |= set(map(Path, self.config.widgets_dirs))
        for folder in folders | {path for path in beside if path.exists()}:
            server.watch(str(folder))
        return server

    def _page_packages(self, page: Page, name: str, front_matter: str) -> PagePackages:
        """The packages of the page's front matter, or none and an error at its line."""
        try:
            return self.packages.of_page(page.meta, front_matter)
        except PackageError as error:
            self._report(WidgetError(name, error.line or 1, str(error)))
            return PagePackages()

    def _imports(self, module: str) -> list[str]:
        """What a module of `assets/lecture/` imports (read once per build)."""
        if module not in self.imports:
            self.imports[module] = module_imports(module, self.widgets)
        return self.imports[module]

    @staticmethod
    def _asset_url(page: Page) -> Callable[[str], str]:
        return lambda path: get_relative_url(f"assets/lecture/{path}", page.url)

    def _report(self, error: WidgetError) -> None:
        """Log a bad widget fence as an error (so --strict fails); the page shows it too."""
        log.error("lecture: %s:%s: %s", error.source, error.line, error.message)

    @staticmethod
    def _warn(warning: WidgetError) -> None:
        """Log a widget's warning about an option (--strict fails on it too)."""
        log.warning("lecture: %s:%s: %s", warning.source, warning.line, warning.message)

"""The Markdown extension: turn widget fences into widget roots.

A widget fence names its widget, and only its widget, in braces, so ordinary code blocks
never change and other extensions' attribute headers (```` ``` { .sh .no-copy } ````,
```` ```{linenums="1"} ````) are left to them:

    ```{tokenizer}
    text: What is bigger, 9.11 or 9.9?
    ```

The body is YAML options; a widget with a body option (the `python` cell's `code`)
takes the body as that text instead, after an optional `---` YAML header.
Fences are found before any other fence handling (Python-Markdown's `fenced_code`
or pymdownx's `superfences`), so the extension works with either or neither, and
wherever a fence can be: indented in lists, admonitions, details and tabs, or after the
`>` of blockquotes.
Usable on its own: `markdown.markdown(text, extensions=["lecture"])`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import jsonschema
import yaml
from lecture_widgets.options import OptionError, OptionWarning
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

from .packages import PackageError, Packages, PagePackages
from .registry import Widget, data_file_problem, discover
from .zensical import adopt_page, relative_url

QUOTE = re.compile(r"^(?:[ \t]*> ?)+")  # blockquote markers, also inside lists and the like
QUOTE_MARKER = re.compile(r"^[ \t]*> ?")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
WIDGET_INFO = re.compile(r"^\s*\{\s*(?P<name>[A-Za-z0-9_-]+)\s*\}\s*$")
SUPERFENCES_PRESERVING_TABS = "fenced_raw_block"
SOH, EOT = "\u0001", "\u0004"  # placeholder marks that survive whitespace normalizing
ID_OPTION = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"}


class WidgetError(ValueError):
    """A widget fence that cannot be built: where it is, what is wrong, how to fix it."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.message = source, line, message


@dataclass
class WidgetUse:
    """One widget fence of the page that was converted last."""

    widget: Widget
    id: str
    options: dict[str, Any]
    line: int
    files: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)  # lock names, without dependencies


def raise_error(error: WidgetError) -> None:
    raise error


def log_warning(warning: WidgetError) -> None:
    logging.getLogger("mkdocs_lecture").warning(
        "%s:%s: %s", warning.source, warning.line, warning.message
    )


class LectureExtension(Extension):
    """Python-Markdown extension for widget fences. See the module docstring."""

    def __init__(
        self,
        widgets: dict[str, Widget] | None = None,
        on_error: Callable[[WidgetError], None] = raise_error,
        docs_dir: Path | None = None,
        on_warning: Callable[[WidgetError], None] = log_warning,
        packages: Packages | None = None,
        **kwargs: Any,
    ) -> None:
        """`widgets`: name → Widget (default: the built-in ones); `on_error`: called with
        each WidgetError (default: raise it); `docs_dir`: where options' file paths start
        (default: the current folder); `on_warning`: called with a widget's warning about
        an option that works but is probably a mistake (default: log it); `packages`: the
        build's packages (default: Pyodide's, from `node_modules/pyodide` or the cache)."""
        super().__init__(**kwargs)
        self._widgets, self.on_error, self.on_warning = widgets, on_error, on_warning
        self.packages = packages or Packages()
        self.page_packages = PagePackages()  # what the page's front matter lists
        self.docs_dir = docs_dir or Path.cwd()
        self.source_name = "<markdown>"
        self.line_offset = 0
        self.page_url: str | None = None
        self.uses: list[WidgetUse] = []

    @property
    def widgets(self) -> dict[str, Widget]:
        if self._widgets is None:
            self._widgets = discover()
        return self._widgets

    def set_page(
        self,
        source_name: str,
        line_offset: int = 0,
        url: str | None = None,
        packages: PagePackages | None = None,
    ) -> None:
        """Name the page about to be converted (for error messages) and its first line.
        With its `url` (from the site's root), a page with widgets gets the runtime's tags
        (not with the MkDocs plugin, which adds its own). `packages`: its front matter's."""
        self.source_name, self.line_offset, self.page_url = source_name, line_offset, url
        self.page_packages = packages or PagePackages()

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.reset()
        # After whitespace normalizing (30), before fenced_code and superfences (25); or,
        # when superfences preserves tabs (its fences are taken at 31.05, before the
        # normalizing), just before it, with its placeholders that survive normalizing.
        md.preprocessors.register(WidgetFencePreprocessor(md, self), "lecture_widgets", 29)
        early = WidgetFencePreprocessor(md, self, before_normalizing=True)
        md.preprocessors.register(early, "lecture_widgets_early", 31.1)
        md.preprocessors.register(PagePreprocessor(md, self), "lecture_page", 40)
        # After toc (5) and attr_list (8) have given the page's elements their ids.
        md.treeprocessors.register(IdClashTreeprocessor(md, self), "lecture_id_clash", 1)

    def reset(self) -> None:
        self.uses = []


class PagePreprocessor(Preprocessor):
    """Under Zensical, which runs no MkDocs plugin, learn the page from its context."""

    def __init__(self, md: Markdown, extension: LectureExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        adopt_page(self.md, self.extension, lines)
        return lines


class IdClashTreeprocessor(Treeprocessor):
    """A widget's id that an element of the page also has (a heading's, from toc) is an
    error at the widget's line: the page would have two elements with one id."""

    def __init__(self, md: Markdown, extension: LectureExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        uses = {use.id: use for use in self.extension.uses}
        for element in root.iter():
            use = uses.get(element.get("id", ""))
            if use is not None:
                self.extension.on_error(
                    WidgetError(
                        self.extension.source_name,
                        use.line,
                        f"id '{use.id}' is also the id of a <{element.tag}> of this page "
                        f"({''.join(element.itertext()).strip()[:40]!r}); two elements would "
                        "share it: choose another id.",
                    )
                )


def runtime_tags(url: Callable[[str], str]) -> str:
    """The runtime's module and stylesheet, as a page's content carries them (`url`: of a
    file of `assets/lecture/`, from the page). An async module also runs when Material's
    instant navigation swaps the content in (a module runs once per document). The script
    comes first, so that Markdown takes the two as a block."""
    return (
        f'<script type="module" async src="{url("runtime.js")}"></script>\n'
        f'<link rel="stylesheet" href="{url("lecture.css")}">'
    )


class WidgetFencePreprocessor(Preprocessor):
    """Replace each widget fence by its root element (stashed as raw HTML)."""

    def __init__(
        self, md: Markdown, extension: LectureExtension, before_normalizing: bool = False
    ) -> None:
        super().__init__(md)
        self.extension = extension
        self.before_normalizing = before_normalizing

    def run(self, lines: list[str]) -> list[str]:
        if self.before_normalizing != (SUPERFENCES_PRESERVING_TABS in self.md.preprocessors):
            return lines
        out: list[str] = []
        index = 0
        while index < len(lines):
            depth = _quote_depth(lines[index])
            match = FENCE.match(_unquote(lines[index], depth))
            if not match:
                out.append(lines[index])
                index += 1
                continue
            end, after = _fence_end(lines, index + 1, match["fence"], depth)
            widget = WIDGET_INFO.match(match["info"])
            if not widget:  # an ordinary fenced block: copy it untouched, widgets and all
                out.extend(lines[index:after])
                index = after
                continue
            indent = match["indent"]
            body = [_dedent(_unquote(line, depth), indent) for line in lines[index + 1 : end]]
            closed = end < len(lines)
            html = self._widget_html(widget["name"], body, index, match["fence"], closed)
            # The root as a block of its own, in its containers; no more blank lines than
            # needed (two end a footnote).
            prefix = _prefix(lines[index], depth)
            if out and not _blank(out[-1]):
                out.append(prefix.rstrip())
            out.append(prefix + indent + self._placeholder(html))
            if after < len(lines) and not _blank(lines[after]):
                out.append(_prefix(prefix, min(depth, _quote_depth(lines[after]))).rstrip())
            index = after
        page_url = self.extension.page_url
        if page_url is not None and self.extension.uses:  # (not a postprocessor: toc runs
            # those on each heading's text)
            tags = runtime_tags(lambda path: relative_url(f"assets/lecture/{path}", page_url))
            out.extend(["", self._placeholder(tags)])
        return out

    def _placeholder(self, html: str) -> str:
        placeholder = self.md.htmlStash.store(html)
        if self.before_normalizing:  # pymdownx._bypassnorm turns these back after it
            placeholder = placeholder.replace(STX, SOH).replace(ETX, EOT)
        return placeholder

    def _widget_html(self, name: str, body: list[str], index: int, fence: str, closed: bool) -> str:
        line = self.extension.line_offset + index + 1
        try:
            if not closed:
                raise WidgetError(
                    self.extension.source_name,
                    line,
                    f"widget '{{{name}}}': its fence is never closed, so it would take the "
                    f"rest of the page; end its body with a line of {fence}.",
                )
            use = self._parse(name, body, line)
        except WidgetError as error:
            self.extension.on_error(error)
            return _error_html(error)
        self.extension.uses.append(use)
        return _root_html(use)

    def _parse(self, name: str, body: list[str], line: int) -> WidgetUse:
        source = self.extension.source_name
        widgets = self.extension.widgets
        if name not in widgets:
            raise WidgetError(
                source,
                line,
                f"unknown widget '{{{name}}}'. Valid widgets: "
                + ", ".join(f"{{{known}}}" for known in sorted(widgets))
                + ".",
            )
        widget = widgets[name]
        options, key_lines, text_lines = _read_options(widget, body, source, line)
        _validate(widget, options, key_lines, source, line)
        options = _with_defaults(widget.schema, options)
        packages = self._packages(widget, options, text_lines, line)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", OptionWarning)
                options = widget.prepare(options, self.extension.docs_dir)
        except OptionError as error:
            raise WidgetError(
                source,
                key_lines.get(error.option, line),
                f"widget '{{{name}}}': option '{error.option}': {error}",
            ) from error
        for caught_warning in caught:
            warning = caught_warning.message
            if not isinstance(warning, OptionWarning):
                warnings.warn_explicit(
                    warning, caught_warning.category, caught_warning.filename, caught_warning.lineno
                )
                continue
            self.extension.on_warning(
                WidgetError(
                    source,
                    key_lines.get(warning.option, line),
                    f"widget '{{{name}}}': option '{warning.option}': {warning}",
                )
            )
        widget_id = options.pop("id", None)
        if widget_id is not None:
            self._check_unique(widget_id, key_lines["id"])
        else:
            widget_id = self._stable_id(name, body)
        files = widget.data_files(options)
        for path in files:
            problem = data_file_problem(path, self.extension.widgets)
            if problem:
                raise WidgetError(source, line, f"widget '{{{name}}}': {problem}.")
        return WidgetUse(widget, widget_id, options, line, files, packages)

    def _packages(
        self, widget: Widget, options: dict[str, Any], text_lines: dict[str, int], line: int
    ) -> list[str]:
        """The packages the Python the widget runs imports, and the page's (packages.py)."""
        code = [
            (options[key], text_lines.get(key, line))
            for key in widget.python_options
            if isinstance(options.get(key), str)
        ]
        if not code:
            return []
        try:
            return self.extension.packages.needed(code, self.extension.page_packages)
        except PackageError as error:
            raise WidgetError(
                self.extension.source_name,
                error.line or line,
                f"widget '{{{widget.name}}}': {error}",
            ) from error

    def _check_unique(self, widget_id: str, line: int) -> None:
        """Two widgets with one id would share a DOM id and the reader's saved state."""
        first = next((use for use in self.extension.uses if use.id == widget_id), None)
        if first:
            raise WidgetError(
                self.extension.source_name,
                line,
                f"id '{widget_id}' is already the id of the widget at line {first.line}: "
                "ids must be unique on a page; choose another or remove it (then one is made "
                "from the widget's content).",
            )

    def _stable_id(self, name: str, body: list[str]) -> str:
        """An id from the widget's content, so saved reader state follows the widget."""
        digest = hashlib.sha1("\n".join([name, *body]).encode()).hexdigest()[:8]
        widget_id = f"{name}-{digest}"
        taken = {use.id for use in self.extension.uses}
        suffix = 2
        while widget_id in taken:
            widget_id, suffix = f"{name}-{digest}-{suffix}", suffix + 1
        return widget_id


def _quote_depth(line: str) -> int:
    """How many blockquotes (`>`) the line is in."""
    quote = QUOTE.match(line)
    return quote[0].count(">") if quote else 0


def _unquote(line: str, depth: int) -> str:
    """The line without its first `depth` blockquote markers."""
    for _ in range(depth):
        line = QUOTE_MARKER.sub("", line, count=1)
    return line


def _prefix(line: str, depth: int) -> str:
    """The line's first `depth` blockquote markers, with the indentation around them."""
    return line[: len(line) - len(_unquote(line, depth))]


def _dedent(line: str, indent: str) -> str:
    line = line.rstrip("\r")  # (before normalizing, a line may still end with one)
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def _blank(line: str) -> bool:
    """Blank, once its blockquote markers are set aside."""
    return not _unquote(line, _quote_depth(line)).strip()


def closing_fence(fence: str) -> re.Pattern[str]:
    """The line that closes a fence opened by `fence` (the same character, as many or more)."""
    return re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}\s*$")


def _fence_end(lines: list[str], start: int, fence: str, depth: int) -> tuple[int, int]:
    """Where the body of `fence` (opened before `start`) ends, and the index after the fence.
    A fence ends at its closing fence, with its blockquote, or with the page. As in
    Python-Markdown, a line without `>` continues a blockquote, and so does a blank line
    before another line of it."""
    closing = closing_fence(fence)
    for index in range(start, len(lines)):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            _quote_depth(lines[index]) < depth
            and _blank(lines[index])
            and _quote_depth(following) < depth
        ):
            return index, index
        if closing.match(_unquote(lines[index], depth)):
            return index, index + 1
    return len(lines), len(lines)


def _read_options(
    widget: Widget, body: list[str], source: str, line: int
) -> tuple[dict[str, Any], dict[str, int], dict[str, int]]:
    """The options and, for error messages, the page line of each top-level key and of
    the first line of each text value (a block scalar's starts below its key)."""
    yaml_lines, yaml_start = body, line + 1
    text: str | None = None
    text_line = line + 1
    if widget.body_option:
        if body and body[0].strip() == "---" and "---" in (b.strip() for b in body[1:]):
            close = next(i for i, b in enumerate(body) if i and b.strip() == "---")
            yaml_lines, yaml_start, text = body[1:close], line + 2, "\n".join(body[close + 1 :])
            text_line = line + close + 2
        else:
            yaml_lines, text = [], "\n".join(body)
    source_text = "\n".join(yaml_lines)
    try:
        node = yaml.compose(source_text, Loader=yaml.SafeLoader)
        options = yaml.safe_load(source_text) if node is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = yaml_start + mark.line if mark else line
        problem = getattr(error, "problem", None) or str(error)
        raise WidgetError(
            source, at, f"widget '{{{widget.name}}}': the options are not valid YAML ({problem})."
        ) from error
    if not isinstance(options, dict):
        raise WidgetError(
            source,
            line,
            f"widget '{{{widget.name}}}': the options must be 'key: value' lines, "
            f"got {type(options).__name__}. Valid options: {_valid_keys(widget)}.",
        )
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    key_lines = {
        key.value: yaml_start + key.start_mark.line
        for key, _ in pairs
        if isinstance(key, yaml.ScalarNode)
    }
    text_lines = {
        key.value: yaml_start + value.start_mark.line + (value.style in ("|", ">"))
        for key, value in pairs
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
    }
    if text is not None:
        if widget.body_option in options:
            raise WidgetError(
                source,
                key_lines[widget.body_option],
                f"widget '{{{widget.name}}}': '{widget.body_option}' is the fence body; "
                "remove it from the options header.",
            )
        options[widget.body_option] = text
        text_lines[widget.body_option] = text_line
    return options, key_lines, text_lines


def _schema(widget: Widget) -> dict[str, Any]:
    schema = dict(widget.schema)
    schema["properties"] = {"id": ID_OPTION, **schema.get("properties", {})}
    schema.setdefault("additionalProperties", False)
    return schema


def _valid_keys(widget: Widget) -> str:
    return ", ".join(sorted(_schema(widget)["properties"]))


def _validate(
    widget: Widget, options: dict[str, Any], key_lines: dict[str, int], source: str, line: int
) -> None:
    validator = jsonschema.Draft202012Validator(_schema(widget))
    error = jsonschema.exceptions.best_match(validator.iter_errors(options))
    if error is None:
        return
    key = str(error.absolute_path[0]) if error.absolute_path else None
    where = f"option '{'.'.join(map(str, error.absolute_path))}'" if key else "options"
    if error.validator == "additionalProperties":
        unknown = sorted(set(options) - set(_schema(widget)["properties"]))
        key = unknown[0]
        message = f"unknown option '{key}'. Valid options: {_valid_keys(widget)}."
    elif error.validator == "required":
        message = f"{error.message}. Valid options: {_valid_keys(widget)}."
    elif error.validator == "enum":
        choices = ", ".join(json.dumps(choice) for choice in error.validator_value)
        message = f"{where} is {json.dumps(error.instance)}; valid choices: {choices}."
    elif error.validator == "type":
        message = (
            f"{where} must be of type {error.validator_value}, "
            f"got {json.dumps(error.instance)} ({type(error.instance).__name__})."
        )
    else:
        message = f"{where}: {error.message}."
    raise WidgetError(
        source, key_lines.get(key, line) if key else line, f"widget '{{{widget.name}}}': {message}"
    )


def _with_defaults(schema: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        key: json.loads(json.dumps(spec["default"]))
        for key, spec in schema.get("properties", {}).items()
        if "default" in spec
    }
    return {**defaults, **options}


def _root_html(use: WidgetUse) -> str:
    """The root element. Options ride on an attribute, not a JSON <script>: Material's instant
    navigation re-creates every inline <script> of the page as JavaScript."""
    options = json.dumps(use.options, ensure_ascii=False, sort_keys=True)
    files = f' data-lecture-files="{escape(" ".join(use.files))}"' if use.files else ""
    if use.packages:
        files += f' data-lecture-packages="{escape(" ".join(use.packages))}"'
    return (
        f'<div class="lecture-widget" data-lecture-widget="{use.widget.name}" id="{use.id}" '
        f'data-state="static" data-lecture-options="{escape(options)}"{files}>\n'
        f'<div class="lecture-widget__static">{use.widget.render_static(use.options)}</div>\n'
        "</div>"
    )


def _error_html(error: WidgetError) -> str:
    return (
        '<div class="lecture-widget lecture-widget--error" role="alert" data-state="error">'
        f"<strong>Widget error</strong> <code>{escape(error.source)}:{error.line}</code>"
        f"<p>{escape(error.message)}</p></div>"
    )


def makeExtension(**kwargs: Any) -> LectureExtension:
    return LectureExtension(**kwargs)

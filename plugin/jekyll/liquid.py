"""Translate the Liquid of a Jekyll page into Markdown, reporting problems with their line.

Translated: `{{ site.baseurl }}` and simple variables (`site.title`, `page.<front-matter
key>`, `include.<parameter>`, a few filters), `{% raw %}`, `{% comment %}`,
`{% highlight lang %}` (a fenced code block; `linenos` ignored), `{% include_relative %}`,
`{% link %}` and `{% post_url %}` (links MkDocs validates), mathjaxtag.rb's `{% math %}`
and `{% m %}`, and the tags of tufte-jekyll's plugins (`tufte.py`: `{% marginnote %}`, …).
Rendered by python-liquid (`engine.py`): the files of `{% include %}`, and the page's
control flow, each block on its own (`assign`, `capture`, `if`/`unless`/`case`, `for`, …),
its code regions kept as they are, padded with newlines to the lines it had, and its
variables kept for the page's next blocks and outputs.
Anything else is an error naming the page and line, and is left in the page as it is.
Liquid inside fenced code blocks and code spans is left alone, except `{% raw %}` tags,
which Jekyll authors put there for Jekyll to remove.

A small translator for the page rather than rendering it whole with the engine: the page
is translated to Markdown, not rendered; code must stay untouched; Jekyll's own tags
(highlight, include, link, post_url) are not part of Liquid; and every problem needs the
page line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import posixpath
import re
from html import escape
from typing import Any

from liquid.exceptions import LiquidError
from mkdocs.utils import get_relative_url

from ..extension import FENCE, closing_fence
from . import tufte
from .engine import MAX_DEPTH, PARAM, Html, LiquidProblem, find_include, page_liquid, shown_name
from .page import JekyllPage, long_date, page_date, report_error
from .urls import find_target, missing_message, url_suffix

TOKEN = re.compile(
    r"\{%-?\s*(?P<tag>\w*)(?P<args>.*?)-?%\}"
    r"|\{\{-?(?P<expr>.*?)-?\}\}"
    r"|(?P<open>\{\{|\{%)",
    re.S,
)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
MD_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|(?:^|\n) {0,3}\[[^\]\n]+\]:[ \t]*<?)(?:\{\{-?\s*site\.baseurl\s*-?\}\})?\Z"
)
SUPPORTED_TAGS = (
    "raw, comment, highlight, include, include_relative, link, post_url, math, m, "
    "tufte-jekyll's marginnote, sidenote, newthought, marginfigure, maincolumn, fullwidth, and "
    "Liquid's assign, capture, if, unless, case, for, tablerow, increment, decrement, cycle, "
    "echo, liquid"
)
# rendered by the engine: blocks up to their end tag, and single tags
ENGINE_BLOCKS = {"if", "unless", "for", "case", "capture", "tablerow"}
ENGINE_TAGS = {"assign", "increment", "decrement", "cycle", "echo", "liquid"}
LOGIC_INNER = {"else", "elsif", "when", "break", "continue"}
UNSUPPORTED_PAGE_VARS = {"url", "id", "content", "excerpt", "path", "next", "previous"}
SUPPORTED_VARS = (
    "site.baseurl, site.url, site.title, site.description, site.author, site.<key of "
    "_config.yml>, page.<front-matter key>, include.<parameter>"
)
JEKYLL_MADE = {
    *("pages", "posts", "collections", "data", "time", "static_files", "html_pages"),
    *("html_files", "categories", "tags", "documents", "related_posts"),
}
AFTER_SITE_URL = re.compile(r"\{\{-?\s*site\.url\s*-?\}\}\Z")
NOT_LIQUID = "If it is not Liquid (LaTeX braces, say), wrap it in {% raw %}…{% endraw %}."
# mathjaxtag.rb (deepgenerativemodels/notes, …): display and inline math, with their closers
MATH_TAGS = {"math": ("endmath", "\\[", "\\]"), "m": ("em", "\\(", "\\)")}


class _Unsupported(ValueError):
    pass


def translate(
    text: str,
    page: JekyllPage,
    *,
    source: str | None = None,
    line_offset: int | None = None,
    variables: dict[str, str] | None = None,
    depth: int = 0,
) -> str:
    """`text` (the page's body, or an include) with its Liquid translated."""
    return _Translator(
        text,
        page,
        source or page.source,
        page.line_offset if line_offset is None else line_offset,
        variables,
        depth,
    ).run()


class _Translator:
    def __init__(
        self,
        text: str,
        page: JekyllPage,
        source: str,
        offset: int,
        variables: dict[str, str] | None,
        depth: int,
    ) -> None:
        self.text, self.page, self.source, self.offset = text, page, source, offset
        self.variables, self.depth = variables, depth
        self.code = _code_regions(text)

    def line(self, at: int) -> int:
        return self.offset + self.text.count("\n", 0, at) + 1

    def error(self, at: int, message: str) -> None:
        report_error(self.source, self.line(at), message)

    def in_code(self, at: int) -> bool:
        index = bisect.bisect_right(self.code, (at, float("inf"))) - 1
        return index >= 0 and self.code[index][0] <= at < self.code[index][1]

    def run(self) -> str:
        text, out, pos = self.text, [], 0
        while (match := TOKEN.search(text, pos)) is not None:
            before = text[pos : match.start()]
            pos = match.end()
            lead = ""
            engine = match["tag"] in ENGINE_BLOCKS | ENGINE_TAGS
            if engine and match[0].startswith("{%-") and not self.in_code(match.start()):
                kept = before.rstrip()  # '{%-' trims the whitespace before it
                before, lead = kept, before[len(kept) :]
            out.append(before)
            if self.in_code(match.start()):
                if match["tag"] not in ("raw", "endraw"):
                    out.append(match[0])
                continue
            if match["open"]:
                closer = "}}" if match["open"] == "{{" else "%}"
                self.error(
                    match.start(),
                    f"'{match['open']}' without '{closer}': close it. {NOT_LIQUID}",
                )
                out.append(match[0])
            elif match["expr"] is not None:
                out.append(self.output(match))
            elif engine:
                piece, pos = self.render_block(match, lead)
                out.append(piece)
            else:
                piece, pos = self.tag(match)
                out.append(piece)
        out.append(text[pos:])
        return "".join(out)

    # {% tags %}

    def tag(self, match: re.Match[str]) -> tuple[str, int]:
        """The translation of a tag and where to continue."""
        name, args, at, end = match["tag"], match["args"].strip(), match.start(), match.end()
        if name in ("raw", "comment"):
            close = re.compile(rf"\{{%-?\s*end{name}\s*-?%\}}").search(self.text, end)
            if close is None:
                self.error(at, f"'{{% {name} %}}' is never closed: add '{{% end{name} %}}'.")
                return (self.text[end:], len(self.text)) if name == "raw" else ("", end)
            return (self.text[end : close.start()] if name == "raw" else ""), close.end()
        if name == "highlight":
            return self.highlight(match)
        if name in MATH_TAGS:
            return self.math(match)
        if name in tufte.TAGS:
            return self.tufte(match)
        if name in ("include", "include_relative"):
            return self.include(name, args, at), end
        if name in ("link", "post_url"):
            return self.link(name, args, at), end
        ends = {"endraw", "endcomment", "endhighlight", "endmath", "em"}
        if name in ends | LOGIC_INNER or name.removeprefix("end") in ENGINE_BLOCKS:
            self.error(at, f"'{{% {name} %}}' without its opening tag: remove it.")
            return "", end
        self.error(
            at,
            f"Liquid tag '{{% {name} %}}' is not supported in Jekyll pages (supported: "
            f"{SUPPORTED_TAGS}). Replace it by the text it should produce, or wrap it in "
            "{% raw %}…{% endraw %} to show it as it is.",
        )
        return match[0], end

    def highlight(self, match: re.Match[str]) -> tuple[str, int]:
        """`{% highlight lang linenos %}…{% endhighlight %}` → a fenced code block, same lines."""
        end = re.compile(r"\{%-?\s*endhighlight\s*-?%\}").search(self.text, match.end())
        if end is None:
            self.error(
                match.start(), "'{% highlight %}' is never closed: add '{% endhighlight %}'."
            )
            return match[0], match.end()
        lang = (match["args"].split() or [""])[0]
        body = RAW_TAG.sub("", self.text[match.end() : end.start()])
        line_start = self.text.rfind("\n", 0, match.start()) + 1
        before = self.text[line_start : match.start()]
        indent, lead = (before, "") if not before.strip() else ("", "\n")
        fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", body))])
        if not body.startswith("\n"):
            body = "\n" + body
        last = body.rfind("\n")
        if body[last + 1 :].strip():
            body, closing = body + "\n", indent
        else:
            body, closing = body[: last + 1], body[last + 1 :]
        return f"{lead}{fence}{lang}{body}{closing}{fence}", end.end()

    def math(self, match: re.Match[str]) -> tuple[str, int]:
        """`{% math %}…{% endmath %}` → `\\[…\\]` (`$$…$$` inside a sentence), and
        `{% m %}…{% em %}` → `\\(…\\)`: the tags of the mathjaxtag.rb plugin, on the same
        lines, for `math.py`. A blank line inside (MathJax reads the whole script) becomes a
        LaTeX comment, `%`, so the formula stays one block."""
        name, at = match["tag"], match.start()
        closer, opening, closing = MATH_TAGS[name]
        end = re.compile(rf"\{{%-?\s*{closer}\s*-?%\}}").search(self.text, match.end())
        if end is None:
            self.error(at, f"'{{% {name} %}}' is never closed: add '{{% {closer} %}}'.")
            return match[0], match.end()
        body = translate(
            self.text[match.end() : end.start()],
            self.page,
            source=self.source,
            line_offset=self.line(match.end()) - 1,
            variables=self.variables,
            depth=self.depth,
        )
        line_start = self.text.rfind("\n", 0, at) + 1
        indent = self.text[line_start:at]
        after = self.text[end.end() :].partition("\n")[0]
        if name == "math" and (indent.strip() or after.strip()):
            opening = closing = "$$"  # in a sentence: kramdown's inline math
        lines = body.split("\n")
        for index in range(1, len(lines) - 1):
            if not lines[index].strip():
                lines[index] = re.sub(r"[^ \t]", " ", indent) + "%"
        return opening + "\n".join(lines) + closing, end.end()

    def tufte(self, match: re.Match[str]) -> tuple[str, int]:
        """A tag of tufte-jekyll's plugins (`tufte.py`) → the HTML it writes, its image URL
        relative to the page (a missing file a WARNING at the tag's line), the lines kept
        (newlines between its arguments put inside its first HTML tag)."""
        name, at = match["tag"], match.start()
        try:
            html = tufte.render(name, match["args"], lambda url: self.file_url(url, at))
        except tufte.TufteError as problem:
            self.error(at, f"'{{% {name} %}}': {problem}.")
            return match[0], match.end()
        missing = match[0].count("\n") - html.count("\n")
        if missing > 0:
            html = re.sub(r"^<\w+", lambda tag: tag[0] + "\n" * missing, html, count=1)
        return html, match.end()

    def file_url(self, url: str, at: int) -> str:
        """The URL, relative to the page's, of the site's file at the root-absolute `url`
        (`urls.py`'s rule); a missing one a WARNING at the line of `at`, and the path from
        the site's root."""
        target = find_target(self.page, url)
        if target is None:
            self.page.warning(self.line(at), missing_message(url))
            return self.base(at) + url
        return (get_relative_url(target.url or ".", self.page.url) or ".") + url_suffix(url)

    def render_block(self, match: re.Match[str], lead: str) -> tuple[str, int]:
        """A control-flow block (`{% if %}…{% endif %}`) or tag (`{% assign %}`) rendered by
        the engine, its code regions untouched, padded with newlines to the lines it had."""
        name, start, end = match["tag"], match.start(), match.end()
        if name in ENGINE_BLOCKS:
            close = self.block_end(name, end)
            if close is None:
                self.error(start, f"'{{% {name} %}}' is never closed: add '{{% end{name} %}}'.")
                return match[0], end
            end = close
        trail = ""
        if self.text[:end].endswith("-%}"):  # '-%}' trims the whitespace after it
            rest = self.text[end:]
            trail = rest[: len(rest) - len(rest.lstrip())]
        original = lead + self.text[start:end] + trail
        pieces, pos = [lead], start
        for code_start, code_end in self.code:
            if code_end <= start or code_start >= end:
                continue
            code = RAW_TAG.sub("", self.text[max(code_start, start) : min(code_end, end)])
            pieces += [self.text[pos : max(code_start, start)], "{% raw %}", code, "{% endraw %}"]
            pos = min(code_end, end)
        pieces += [self.text[pos:end], trail]
        first_line = self.line(start) - lead.count("\n") - 1
        try:
            rendered = page_liquid(self.page).render_block("".join(pieces), self.source, first_line)
        except LiquidProblem as problem:
            report_error(problem.source, problem.line, problem.message)
            return original, end + len(trail)
        # the lines it had, when that only adds blank lines after the end of a line (not
        # where Liquid's '-' trimming joined lines, as Jekyll does)
        if rendered.endswith("\n") or self.text[end + len(trail) :][:1] in ("", "\n"):
            rendered += "\n" * max(0, original.count("\n") - rendered.count("\n"))
        return rendered, end + len(trail)

    def block_end(self, name: str, pos: int) -> int | None:
        """Where the block `name` opened before `pos` ends (after its end tag), nested
        blocks of the same name counted, code regions and raw/comment skipped."""
        depth = 1
        while (match := TOKEN.search(self.text, pos)) is not None:
            pos = match.end()
            tag = match["tag"]
            if tag is None or self.in_code(match.start()):
                continue
            if tag in ("raw", "comment"):
                close = re.compile(rf"\{{%-?\s*end{tag}\s*-?%\}}").search(self.text, pos)
                pos = close.end() if close else pos
            depth += (tag == name) - (tag == f"end{name}")
            if depth == 0:
                return pos
        return None

    def include(self, name: str, args: str, at: int) -> str:
        file_name, _, params = args.partition(" ")
        if "{{" in file_name or not file_name:
            self.error(at, f"'{{% {name} %}}' needs a file name written out (no variables).")
            return ""
        found, shown = find_include(self.page, name, file_name)
        if found is None:
            self.error(at, f"'{{% {name} {file_name} %}}': no file '{file_name}' in {shown}.")
            return ""
        if self.depth >= MAX_DEPTH:
            self.error(at, f"'{{% {name} {file_name} %}}': includes nest too deep (a loop?).")
            return ""
        variables: dict[str, Any] = {}
        for key, value in PARAM.findall(params):
            if value[0] in "\"'":  # a string, with the page's Liquid in it
                variables[key] = Html(
                    translate(
                        value[1:-1],
                        self.page,
                        source=self.source,
                        line_offset=self.line(at) - 1,
                        variables=self.variables,
                        depth=self.depth + 1,
                    )
                )
            else:
                try:
                    variables[key] = self._variable(value, at)
                except _Unsupported as problem:
                    self.error(at, f"'{{% {name} {file_name} %}}': {key}={value}: {problem}.")
                    variables[key] = ""
        shown_file = shown_name(self.page, found)
        if name == "include":  # a template: rendered by the engine
            try:
                result = page_liquid(self.page).render_include(found, shown_file, variables)
            except (OSError, UnicodeDecodeError) as error:
                self.error(at, f"'{{% {name} {file_name} %}}': cannot read it ({error}).")
                return ""
            except LiquidProblem as problem:
                report_error(
                    problem.source,
                    problem.line,
                    f"{problem.message} (in '{{% {name} {file_name} %}}' at "
                    f"{self.source}:{self.line(at)})",
                )
                return ""
        else:  # a part of the page: translated as the page is
            try:
                content = found.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self.error(at, f"'{{% {name} {file_name} %}}': cannot read it ({error}).")
                return ""
            text_variables = {k: Html(self._text(v, escaped=True)) for k, v in variables.items()}
            result = translate(
                content,
                self.page,
                source=shown_file,
                line_offset=0,
                variables=text_variables,
                depth=self.depth + 1,
            )
        return result[:-1] if result.endswith("\n") else result

    def link(self, name: str, args: str, at: int) -> str:
        url, problem = link_url(self.page, name, args, markdown_link=self.in_markdown_link(at))
        if problem:
            self.error(at, f"{problem}.")
        return url

    # {{ output }}

    def output(self, match: re.Match[str]) -> str:
        at = match.start()
        expr = match["expr"].strip()
        parts = [p.strip() for p in re.findall(r"""(?:"[^"]*"|'[^']*'|[^|])+""", expr)]
        scope = re.split(r"[.\[]", parts[0])[0] if parts else ""
        if self.page.liquid is not None and scope in self.page.liquid.locals | {"forloop": 0}:
            return self.render_output(match)  # a variable of the page's blocks
        key = parts[0].split(".")[1] if scope == "site" and "." in parts[0] else ""
        if key and key not in self.page.site and page_liquid(self.page).collection(key):
            return self.render_output(match)  # a collection: its documents
        try:
            if not parts:
                raise _Unsupported(f"empty output '{match[0]}'")
            value = self._variable(parts[0], at)
            is_url = parts[0] == "site.baseurl"
            if is_url and AFTER_SITE_URL.search(self.text[max(0, at - 40) : at]):
                value = ""  # '{{ site.url }}{{ site.baseurl }}': site.url holds the path
            elif is_url and re.match(r"\{%-?\s*(link|post_url)\b", self.text[match.end() :]):
                return ""  # Jekyll 3's '{{ site.baseurl }}{% link … %}': the link is relative
            for part in parts[1:]:
                value, is_url = self._filter(value, part, is_url, at)
        except _Unsupported as problem:
            self.error(at, f"{problem}. {NOT_LIQUID}")
            return match[0]
        return self._text(value, escaped=not is_url)

    def render_output(self, match: re.Match[str]) -> str:
        """`{{ … }}` rendered by the engine, with the page's block variables."""
        first_line = self.line(match.start()) - 1
        try:
            return page_liquid(self.page).render_block(match[0], self.source, first_line)
        except LiquidProblem as problem:
            report_error(problem.source, problem.line, problem.message)
            return match[0]

    def _variable(self, name: str, at: int) -> Any:
        if name[:1] in "\"'" and name[-1:] == name[:1] and len(name) >= 2:
            return name[1:-1]
        if re.fullmatch(r"-?\d+(\.\d+)?", name):
            return name
        scope, _, key = name.partition(".")
        if scope == "site" and key:
            return self._site(key, at)
        if scope == "page" and key and "." not in key:
            if key in UNSUPPORTED_PAGE_VARS:
                raise _Unsupported(
                    f"'page.{key}' is not supported (MkDocs makes the URLs): "
                    "link pages with {% link path/to/page.md %}"
                )
            if key == "date" and page_date(self.page.meta, self.page.src_uri):
                return page_date(self.page.meta, self.page.src_uri)
            if key not in self.page.meta:
                raise _Unsupported(
                    f"'page.{key}' is not in the front matter: add '{key}:' to it, or "
                    "remove the variable"
                )
            return self.page.meta[key]
        if scope == "include" and key and self.variables is not None:
            return self.variables.get(key, "")  # like Jekyll: an omitted parameter is empty
        if self.page.liquid is not None:
            try:
                return self.page.liquid.value(name)  # a variable of the page's blocks
            except (KeyError, AttributeError, TypeError):
                pass
        raise _Unsupported(f"unknown Liquid variable '{name}'. Supported: {SUPPORTED_VARS}")

    def _filter(self, value: Any, part: str, is_url: bool, at: int) -> tuple[Any, bool]:
        name, _, arg = (s.strip() for s in part.partition(":"))
        arg = arg[1:-1] if arg[:1] in "\"'" and arg[-1:] == arg[:1] and len(arg) >= 2 else arg
        if name == "relative_url":
            path = self._text(value, escaped=False)
            return (path if "://" in path else f"{self.base(at)}/{path.lstrip('/')}"), True
        if name == "absolute_url":
            site = self._variable("site.url", at)
            return f"{site}/{self._text(value, escaped=False).lstrip('/')}", True
        if name in ("date", "date_to_string", "date_to_long_string", "date_to_xmlschema"):
            date = _as_date(value)
            if date is None:
                raise _Unsupported(f"'{part}' needs a date, got {value!r}")
            if name == "date":
                return date.strftime(arg or "%Y-%m-%d"), False
            if name == "date_to_xmlschema":
                return date.isoformat(), False
            if name == "date_to_long_string":
                return long_date(date), False
            return f"{date.day} {long_date(date).split()[1][:3]} {date.year}", False
        simple = {
            "upcase": str.upper,
            "downcase": str.lower,
            "capitalize": str.capitalize,
            "strip": str.strip,
            "escape": str,
            "xml_escape": str,
        }
        if name in simple:
            return simple[name](self._text(value, escaped=False)), is_url
        liquid = page_liquid(self.page)
        if name in liquid.env.filters:  # Liquid's and Jekyll's others: the engine's
            try:
                template = liquid.env.from_string(f"{{{{ lecture_value | {part} }}}}")
                return Html(template.render(**liquid.globals(), lecture_value=value)), False
            except LiquidError as error:
                raise _Unsupported(f"'{part}': {error.message}") from None
        raise _Unsupported(
            f"Liquid filter '{name}' is not supported (supported: relative_url, absolute_url, "
            f"date, date_to_string, date_to_long_string, {', '.join(simple)}); "
            "replace the expression by its value"
        )

    def _site(self, key: str, at: int) -> Any:
        """`site.<key>` (`config.py`): the site's root, its address, or `_config.yml`'s value."""
        if key == "baseurl":
            return self.base(at)
        if key == "url":
            if not self.page.site.get("url"):
                raise _Unsupported(
                    "'site.url' needs 'site_url' in mkdocs.yml (or 'url' in _config.yml)"
                )
            return str(self.page.site["url"]).rstrip("/")
        config = self.page.config_name
        value: Any = self.page.site
        for depth, part in enumerate(key.split(".")):
            if depth == 0 and part not in value:
                documents = page_liquid(self.page).collection(part)
                if documents is not None:  # a collection: its documents
                    value = {part: documents}
            if not isinstance(value, dict) or part not in value:
                first = key.split(".")[0]
                if first in JEKYLL_MADE and depth == 0:
                    raise _Unsupported(
                        f"'site.{key}' is made by Jekyll from the site's files: not supported"
                    )
                if not config:
                    raise _Unsupported(
                        f"unknown Liquid variable 'site.{key}': no _config.yml beside docs/ (or "
                        f"in it) to read it from. Supported: {SUPPORTED_VARS}"
                    )
                raise _Unsupported(f"'site.{key}' is not in {config}: add it there, or remove it")
            value = value[part]
        if isinstance(value, dict):
            keys = ", ".join(f"site.{key}.{k}" for k in list(value)[:3])
            raise _Unsupported(f"'site.{key}' is a mapping in {config}: name one key ({keys})")
        return value

    def base(self, at: int) -> str:
        """`site.baseurl`: the relative path to the site's root. In a Markdown link target it is
        relative to the page's file, so that MkDocs checks and rewrites the link; elsewhere
        (raw HTML, text) relative to the page's URL."""
        if self.in_markdown_link(at):
            return posixpath.relpath(".", posixpath.dirname(self.page.src_uri) or ".")
        return get_relative_url(".", self.page.url)

    def in_markdown_link(self, at: int) -> bool:
        return MD_LINK_TARGET.search(self.text[max(0, at - 300) : at]) is not None

    @staticmethod
    def _text(value: Any, *, escaped: bool) -> str:
        if isinstance(value, Html):
            return str(value)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        elif value is None:
            value = ""
        return escape(str(value)) if escaped else str(value)


def link_url(page: JekyllPage, name: str, args: str, *, markdown_link: bool) -> tuple[str, str]:
    """The URL of `{% link path %}` or `{% post_url name %}` (relative to the page's file in
    a Markdown link, so that MkDocs checks it; else to its URL), and a problem or ''."""
    target_name = args.strip().strip("\"'")
    files = page.files
    target = None
    if name == "link":
        target = files.get_file_from_path(target_name.lstrip("/")) if files else None
        wanted = f"docs/{target_name.lstrip('/')}"
    else:
        stem = target_name.strip("/")
        wanted = f"a page named {stem.rsplit('/', 1)[-1]}.md (in _posts/ usually)"
        candidates = [
            f for f in (files.documentation_pages() if files else []) if _is_post(f.src_uri, stem)
        ]
        candidates.sort(key=lambda f: ("_posts/" not in f.src_uri, f.src_uri))
        target = candidates[0] if candidates else None
    if target is None:
        return "", f"'{{% {name} {target_name} %}}': no {wanted}. Check the name"
    if markdown_link:
        base = posixpath.dirname(page.src_uri) or "."
        return posixpath.relpath(target.src_uri, base), ""
    return get_relative_url(target.url, page.url) or "./", ""


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _is_post(src_uri: str, stem: str) -> bool:
    """Whether the page `src_uri` is the post `stem` of `{% post_url [dir/]2022-06-26-x %}`."""
    path = src_uri.rsplit(".", 1)[0]
    folder, _, name = stem.rpartition("/")
    if path.rsplit("/", 1)[-1] != name:
        return False
    return not folder or f"{folder}/" in f"{path}/"


def _code_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of fenced code blocks and code spans, in order."""
    regions: list[tuple[int, int]] = []
    position = 0
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is not None:
            regions.append((position, position + len(line)))
            if closing_fence(fence).match(bare):
                fence = None
        elif match := FENCE.match(bare):
            fence = match["fence"]
            regions.append((position, position + len(line)))
        else:
            regions.extend(
                (position + span.start(), position + span.end())
                for span in CODE_SPAN.finditer(bare)
            )
        position += len(line)
    return regions

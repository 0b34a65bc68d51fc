"""Liquid rendered by a real engine (python-liquid): include files, and a page's
control-flow blocks (`assign`, `capture`, `if`, `unless`, `case`, `for`, …).

Pages stay with the translator (`liquid.py`): their code stays untouched and each problem
has its page line. Include files are templates, though: Tufte-style includes
(`marginfigure.html`) compute with `assign`, `if`/`else` and filters, which only an engine
renders right. The engine sees what the translator sees:

- `include.*`: the `{% include file k=v %}` parameters (strings already translated on the
  page; `k=variable` looked up), `page.*`: the front matter (plus `date`, `url`), `site.*`:
  `_config.yml` (`config.py`) with `site.baseurl` the relative path to the site's root, and
  `site.<collection>`: the documents of `_config.yml`'s `collections:` (and `site.posts`),
  each its front matter, `content` (its Markdown), `url`, `slug`, `path`.
- Jekyll's own tags: `{% include %}` with `k=v` parameters (nested includes),
  `{% include_relative %}`, `{% link %}`, `{% post_url %}`; tufte-jekyll's plugins'
  (`tufte.py`: `{% marginnote %}`, `{% sidenote %}`, …); Jekyll's common filters
  (`relative_url`, `absolute_url`, `markdownify`, `jsonify`, `slugify`, `where_exp`, the
  `date_to_*` family, `number_of_words`, `array_to_sentence_string`, …).
- Output is HTML-escaped, as the translator escapes values; an include's parameters and
  a document's `content` are the page's text and are not.
- `site.x` or `page.x` that does not exist is an error as soon as it is shown or looped
  over (never a silent empty loop); in a condition it is false, as Jekyll authors test
  `{% if page.x %}`. An unknown `include.x` or local variable is empty, as in Jekyll.

Errors are `LiquidProblem`s naming the file and line where they are (the include file's
line, or the page's line for a page block); the caller adds the page line of the include.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

import yaml
from liquid import Environment, Markup, RenderContext, Undefined
from liquid.ast import Node
from liquid.exceptions import LiquidError
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG
from liquid.undefined import FalsyStrictUndefined
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from . import tufte
from .page import long_date, page_date

if TYPE_CHECKING:
    from .page import JekyllPage

PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[\w.-]+)""")
MAX_DEPTH = 8
STRICT_SCOPES = {"site", "page"}
DOCUMENT_SUFFIXES = (".md", ".markdown", ".html")


class LiquidProblem(Exception):
    """A problem at `source:line` (an include file, or the page)."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(message)
        self.source, self.line, self.message = source, line, message


class Html(str):
    """Text that is already the page's (translated, escaped where it had to be): shown as
    it is."""

    def __html__(self) -> str:
        return str(self)


class Document(dict):  # type: ignore[type-arg]
    """A collection's document: its front matter, `content`, `url`… Shown, it is its
    content (Jekyll shows its output), left as Markdown for the page."""

    def __str__(self) -> str:
        return str(self.get("content", ""))

    def __html__(self) -> str:
        return str(self)


# Undefined variables: strict for site.* and page.*, lenient (Jekyll's way) otherwise.


class _Strict(FalsyStrictUndefined):
    pass


def _undefined(name: str, *, token: Any = None, obj: Any = None, hint: str | None = None) -> Any:
    if name in STRICT_SCOPES:
        path = (hint or name).removesuffix(" is undefined").strip("'")
        if name == "site":
            why = "not in _config.yml and not a collection of it"
        else:
            why = "not in the page's front matter"
        hint = f"'{path}' is {why}: add it there, or remove it"
        return _Strict(name, token=token, hint=hint)
    return Undefined(name, token=token, hint=hint)


# Jekyll's filters


def _slugify(value: Any, mode: str = "default") -> str:
    text = unicodedata.normalize("NFKD", str(value)).lower()
    if mode == "raw":
        return re.sub(r"\s+", "-", text).strip("-")
    if mode != "pretty":
        text = text.encode("ascii", "ignore").decode() if mode == "ascii" else text
        return re.sub(r"[^\w]+", "-", text).strip("-")
    return re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text).strip("-")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None


def _date_filter(kind: str) -> Any:
    def apply(value: Any) -> str:
        date = _as_date(value)
        if date is None:
            return str(value or "")
        if kind == "xmlschema":
            return date.isoformat()
        if kind == "rfc822":
            return date.strftime("%a, %d %b %Y %H:%M:%S +0000")
        if kind == "long":
            return long_date(date)
        return f"{date.day} {long_date(date).split()[1][:3]} {date.year}"

    return apply


def _json(value: Any) -> Markup:
    return Markup(json.dumps(value, default=str, ensure_ascii=False))


def _sentence(value: Any, connector: str = "and") -> str:
    items = [str(item) for item in (value or [])]
    if len(items) < 3:
        return f" {connector} ".join(items)
    return f"{', '.join(items[:-1])}, {connector} {items[-1]}"


def _group_by(value: Any, key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for item in value or []:
        name = item.get(key, "") if isinstance(item, dict) else ""
        groups.setdefault(str(name if name is not None else ""), []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def _number(value: Any) -> int:
    try:
        return int(float(str(value).strip()))
    except ValueError:
        return 0


class PageLiquid:
    """The engine for one page: its variables, its includes, its page blocks' variables."""

    def __init__(self, page: JekyllPage) -> None:
        self.page = page
        self.env = Environment(autoescape=True)
        self.env.undefined = _undefined  # type: ignore[assignment]
        self.env.add_tag(_IncludeTag)
        self.env.add_tag(_IncludeRelativeTag)
        self.env.add_tag(_LinkTag)
        self.env.add_tag(_PostUrlTag)
        for name in tufte.TAGS:
            self.env.add_tag(type(f"_Tufte_{name}", (_TufteTag,), {"name": name}))
        self._add_filters()
        self.templates: dict[Path, Any] = {}
        self.locals: dict[str, Any] = {}  # `assign`/`capture` of the page's blocks
        self.collections: dict[str, list[Document]] = {}

    # variables

    def globals(self) -> dict[str, Any]:
        page = self.page
        meta = dict(page.meta)
        date = page_date(page.meta, page.src_uri)
        if date:
            meta["date"] = date
        meta.setdefault("url", "/" + page.url)
        meta.setdefault("path", page.src_uri)
        site = _Site(self, page.site)
        site["baseurl"] = self.root()
        site["url"] = str(page.site.get("url") or "").rstrip("/")
        return {"site": site, "page": meta, **self.locals}

    def root(self) -> str:
        """`site.baseurl`: the relative path from the page's URL to the site's root."""
        return get_relative_url(".", self.page.url)

    # rendering

    def render_include(self, path: Path, shown: str, params: dict[str, Any]) -> str:
        """The include file `path` rendered with `include.*` = `params`."""
        template = self.template(path, shown)
        context = RenderContext(template, globals={**self.globals(), "include": params})
        buffer = StringIO()
        _render(template, context, buffer, shown)
        return buffer.getvalue()

    def render_block(self, text: str, source: str, first_line: int) -> str:
        """A block of the page (`{% if %}…{% endif %}`) rendered; its `assign`s and
        `capture`s are kept for the page's next blocks."""
        try:
            template = self.env.from_string(text, name=source)
        except LiquidError as error:
            raise _located(error, source, first_line) from None
        context = RenderContext(template, globals=self.globals())
        buffer = StringIO()
        _render(template, context, buffer, source, first_line)
        self.locals.update(context.locals)
        return buffer.getvalue()

    def value(self, name: str) -> Any:
        """The value of `name` (`x`, `x.y`) among the page blocks' variables, or KeyError."""
        scope, *rest = name.split(".")
        if scope not in self.locals:
            raise KeyError(name)
        value = self.locals[scope]
        for part in rest:
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value

    def template(self, path: Path, shown: str) -> Any:
        if path not in self.templates:
            text = path.read_text(encoding="utf-8")
            try:
                template = self.env.from_string(text, name=shown)
            except LiquidError as error:
                raise _located(error, shown, 0) from None
            template.lecture_source = text
            self.templates[path] = template
        return self.templates[path]

    def collection(self, name: str) -> list[Document] | None:
        """The documents of collection `name` (`_config.yml`'s `collections:`, or `posts`),
        or None if it is not one."""
        if name not in self.collections:
            declared = self.page.site.get("collections") or {}
            docs = Path(self.page.docs_dir)
            if name == "posts" and not any((f / "_posts").is_dir() for f in (docs, docs.parent)):
                return None  # no _posts/: site.posts stays an error, not an empty loop
            if name != "posts" and name not in declared:
                return None
            self.collections[name] = read_collection(self.page, name, declared)
        return self.collections[name]

    def _add_filters(self) -> None:
        env = self.env

        def relative_url(value: Any) -> str:
            path = str(value if value is not None else "")
            if "://" in path or path.startswith("//"):
                return path
            return f"{self.root()}/{path.lstrip('/')}"

        def absolute_url(value: Any) -> str:
            site = str(self.page.site.get("url") or "").rstrip("/")
            path = str(value if value is not None else "")
            return path if "://" in path else f"{site}/{path.lstrip('/')}"

        filters: dict[str, Any] = {
            "relative_url": relative_url,
            "absolute_url": absolute_url,
            # Markdown left for the page's Markdown: the page converts it, with its math
            "markdownify": lambda value: Html(str(value if value is not None else "")),
            "smartify": lambda value: str(value if value is not None else ""),
            "jsonify": _json,
            "inspect": _json,
            "slugify": _slugify,
            "xml_escape": lambda value: str(value if value is not None else ""),
            "cgi_escape": lambda value: quote_plus(str(value)),
            "uri_escape": lambda value: quote(str(value), safe="/:?#[]@!$&'()*+,;="),
            "date_to_string": _date_filter("short"),
            "date_to_long_string": _date_filter("long"),
            "date_to_xmlschema": _date_filter("xmlschema"),
            "date_to_rfc822": _date_filter("rfc822"),
            "number_of_words": lambda value: len(str(value or "").split()),
            "array_to_sentence_string": _sentence,
            "normalize_whitespace": lambda value: " ".join(str(value or "").split()),
            "to_integer": _number,
            "group_by": _group_by,
            "push": lambda value, item: [*(value or []), item],
            "pop": lambda value: list(value or [])[:-1],
            "shift": lambda value: list(value or [])[1:],
            "unshift": lambda value, item: [item, *(value or [])],
        }
        for name, function in filters.items():
            env.add_filter(name, function)


class _Site(dict):  # type: ignore[type-arg]
    """`site`: `_config.yml`'s values, and its collections read when first asked for."""

    def __init__(self, liquid: PageLiquid, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.liquid = liquid

    def __missing__(self, key: str) -> Any:
        documents = self.liquid.collection(key)
        if documents is None:
            raise KeyError(key)
        return documents


def read_collection(page: JekyllPage, name: str, declared: Any) -> list[Document]:
    """The documents of `_<name>/` (in docs/ or beside it): front matter, `content`, `url`."""
    docs = Path(page.docs_dir)
    options = declared.get(name) if isinstance(declared, dict) else None
    options = options if isinstance(options, dict) else {}
    folder = next((f / f"_{name}" for f in (docs, docs.parent) if (f / f"_{name}").is_dir()), None)
    documents: list[Document] = []
    if folder is None:
        return documents  # declared, with no documents yet: Jekyll's empty collection too
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in DOCUMENT_SUFFIXES:
            continue
        try:
            body, meta = get_data(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        relative = path.relative_to(docs.parent).as_posix()
        in_docs = path.resolve().is_relative_to(docs.resolve())
        mkdocs_file = (
            page.files.get_file_from_path(path.relative_to(docs).as_posix())
            if in_docs and page.files
            else None
        )
        slug = path.stem
        if name == "posts":
            slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", slug)
        url = "/" + mkdocs_file.url if mkdocs_file is not None else f"/{name}/{slug}/"
        document = Document(meta)
        document.update(
            content=Html(body),
            url=url,
            slug=slug,
            path=relative,
            relative_path=relative,
            collection=name,
            id=url.rstrip("/"),
        )
        date = page_date(meta, path.name)
        if date:
            document["date"] = date
        documents.append(document)
    sort_by = options.get("sort_by")
    if name == "posts":
        documents.sort(key=lambda d: (str(d.get("date", "")), d["path"]), reverse=True)
    elif sort_by:
        documents.sort(key=lambda d: (d.get(sort_by) is None, str(d.get(sort_by, ""))))
    return documents


def find_include(page: JekyllPage, name: str, file_name: str) -> tuple[Path | None, str]:
    """The file of `{% include file_name %}` (`_includes/` in docs/ or beside it) or
    `{% include_relative %}` (beside the page), and the folders searched, for messages."""
    docs = Path(page.docs_dir)
    if name == "include":
        folders = [docs / "_includes", docs.parent / "_includes"]
        shown = "_includes/ in docs/ or next to it"
    else:
        folders = [(docs / page.src_uri).parent]
        shown = f"{folders[0].relative_to(docs.parent)}/"
    found = next(
        (f / file_name for f in folders if _inside(f, f / file_name) and (f / file_name).is_file()),
        None,
    )
    return found, shown


def shown_name(page: JekyllPage, path: Path) -> str:
    return path.relative_to(Path(page.docs_dir).parent).as_posix()


def _inside(folder: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _render(template: Any, context: Any, buffer: Any, source: str, first_line: int = 0) -> None:
    try:
        template.render_with_context(context, buffer)
    except LiquidProblem as problem:
        if problem.source == source:  # a tag's, at its line in the block
            problem.line += first_line
        raise
    except LiquidError as error:
        raise _located(error, source, first_line) from None


def _located(error: LiquidError, source: str, first_line: int) -> LiquidProblem:
    """`error` (python-liquid's, with its token) as a problem at `source:line`."""
    where = error.context()
    line = first_line + (where[0] if where else 1)
    message = str(error.message)
    if error.__class__.__name__ == "UndefinedError":
        message = message.removesuffix(".")
    return LiquidProblem(source, line, f"Liquid: {message}")


# Jekyll's tags


class _TagNode(Node):
    def __init__(self, token: Any, expression: str, tag: str) -> None:
        super().__init__(token)
        self.expression, self.tag, self.blank = expression, tag, False

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        liquid: PageLiquid = context.env.page_liquid  # type: ignore[attr-defined]
        text = self.render_tag(liquid, context)
        buffer.write(text)
        return len(text)

    def render_tag(self, liquid: PageLiquid, context: RenderContext) -> str:
        raise NotImplementedError

    def line(self) -> int:
        return self.token.source.count("\n", 0, self.token.start_index) + 1

    def problem(self, context: RenderContext, message: str) -> LiquidProblem:
        return LiquidProblem(
            str(context.template.name), self.line(), f"'{{% {self.tag} %}}': {message}"
        )


class _JekyllTag(Tag):
    block = False
    node: type[_TagNode] = _TagNode

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = ""
        if stream.current.kind == TOKEN_EXPRESSION:
            expression = stream.current.value
        return self.node(token, expression.strip(), self.name)


class _IncludeNode(_TagNode):
    def render_tag(self, liquid: PageLiquid, context: RenderContext) -> str:
        file_name, _, params = self.expression.partition(" ")
        if not file_name or "{{" in file_name:
            raise self.problem(context, "needs a file name written out (no variables)")
        if self.tag == "include_relative":
            found, shown = find_include(liquid.page, self.tag, file_name)
        else:
            found, shown = find_include(liquid.page, "include", file_name)
        if found is None:
            raise self.problem(context, f"no file '{file_name}' in {shown}")
        depth = context.tag_namespace.get("lecture_depth", 0)
        if depth >= MAX_DEPTH:
            raise self.problem(context, "includes nest too deep (a loop?)")
        values: dict[str, Any] = {}
        for key, value in PARAM.findall(params):
            if value[0] in "\"'":
                text = value[1:-1]
                if "{{" in text or "{%" in text:
                    inner = StringIO()
                    context.env.from_string(text).render_with_context(context, inner)
                    text = inner.getvalue()
                values[key] = Html(text)  # the page's text (escaped where rendered)
            elif re.fullmatch(r"-?\d+(\.\d+)?", value):
                values[key] = value
            else:
                values[key] = context.get(value.split("."), token=self.token)
        name = shown_name(liquid.page, found)
        template = liquid.template(found, name)
        buffer = StringIO()
        with context.extend({"include": values}, template=template):
            context.tag_namespace["lecture_depth"] = depth + 1
            try:
                _render_partial(template, context, buffer, name)
            finally:
                context.tag_namespace["lecture_depth"] = depth
        return buffer.getvalue()


def _render_partial(template: Any, context: Any, buffer: Any, source: str) -> None:
    try:
        template.render_with_context(context, buffer, partial=True)
    except LiquidProblem:
        raise
    except LiquidError as error:
        if error.token is not None and error.token.source != template.lecture_source:
            raise  # from another template: located by its own include
        raise _located(error, source, 0) from None


class _IncludeTag(_JekyllTag):
    name = "include"
    node = _IncludeNode


class _IncludeRelativeTag(_JekyllTag):
    name = "include_relative"
    node = _IncludeNode


class _LinkNode(_TagNode):
    def render_tag(self, liquid: PageLiquid, context: RenderContext) -> str:
        from .liquid import link_url

        url, problem = link_url(liquid.page, self.tag, self.expression, markdown_link=False)
        if problem:
            raise self.problem(context, problem)
        return url


class _LinkTag(_JekyllTag):
    name = "link"
    node = _LinkNode


class _PostUrlTag(_JekyllTag):
    name = "post_url"
    node = _LinkNode


class _TufteNode(_TagNode):
    """A tag of tufte-jekyll's plugins (`tufte.py`); its image URL root-absolute, for
    `urls.py` to resolve in the page."""

    def render_tag(self, liquid: PageLiquid, context: RenderContext) -> str:
        try:
            return tufte.render(self.tag, self.expression, lambda url: url)
        except tufte.TufteError as problem:
            raise self.problem(context, str(problem)) from None


class _TufteTag(_JekyllTag):
    node = _TufteNode


def page_liquid(page: JekyllPage) -> PageLiquid:
    """The page's engine, made when first needed."""
    if page.liquid is None:
        page.liquid = PageLiquid(page)
        page.liquid.env.page_liquid = page.liquid  # type: ignore[attr-defined]
    return page.liquid  # type: ignore[no-any-return]

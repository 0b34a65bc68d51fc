"""LaTeX math of a Jekyll page (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`) as MathML, made at
build time with latex2mathml (`tex.py`): browsers render MathML themselves, so no script and no
third-party request (MathJax's CDN) is needed.

Delimiters follow pandoc: the opening `$` has a non-space right after it, the closing `$`
a non-space right before it and no digit right after it, so "$5 and $10" stays text.
`$$…$$` on lines of their own, or alone in a paragraph, is display math; inside a
sentence it is inline (kramdown's reading). `\\[…\\]` counts only on lines of its own
(Markdown's `\\[1\\]` stays brackets), in a paragraph too (a formula in a list item).
`\\$` is a literal dollar. Code is never touched.
LaTeX is read as MathJax reads it (`tex.py`: environments, page-wide macros, the macros
of the site's MathJax configuration). LaTeX that cannot be converted is shown as code, and
logged as an error that names the command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from .tex import Macro, TexError, convert, site_macros

if TYPE_CHECKING:
    from .page import JekyllPage

DISPLAY_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<open>\$\$|\\\[)(?P<rest>.*)$")
INLINE = {
    # name: (pattern, display); display None: block when alone in its paragraph
    "dollar_escape": (r"\\\$", False),
    "display_dollars": (r"(?<![\\$])\$\$(?P<tex>(?:\\.|[^\\$\x02])+?)\$\$", None),
    "paren": (r"\\\((?P<tex>(?:\\[^)]|[^\\\x02])+?)\\\)", False),
    "bracket": (r"(?m)^[ \t]*\\\[(?P<tex>(?:\\[^\]]|[^\\\x02])+?)\\\][ \t]*$", True),
    "dollar": (
        r"(?<![\\$])\$(?![\s$])(?P<tex>(?:\\.|[^\\$\x02])+?)(?<!\s)\$(?![\d$])",
        False,
    ),
}


# MathML Core (Chromium) ignores `columnalign` and `columnspacing`: the alignment of the
# cells of `aligned`, `cases`, `array`… as CSS (Firefox and Safari read the attributes too),
# and `aligned`'s right-left pairs meeting at their relation, as in LaTeX.
STYLESHEET = "assets/lecture/jekyll-math.css"
CSS = """\
/* mkdocs-lecture: MathML tables of Jekyll pages (MathML Core ignores columnalign) */
mtd[columnalign="left"] { text-align: left; }
mtd[columnalign="right"] { text-align: right; }
mtable[columnspacing="0em 2em"] > mtr > mtd[columnalign="right"] { padding-right: 0; }
mtable[columnspacing="0em 2em"] > mtr > mtd[columnalign="left"] { padding-left: 0; }
"""
ALIGNED_CELL = re.compile(r'<mtd columnalign="(?:left|right)"')


def to_mathml(tex: str, display: bool, macros: dict[str, Macro] | None = None) -> str | None:
    """MathML for `tex`, or None when it cannot be converted (see `tex.convert`)."""
    try:
        return convert(tex, display, macros)
    except TexError:
        return None


class MathRenderer:
    """Turns LaTeX into MathML, or into code with an error naming the page, the line and
    the command. Macros hold page-wide: those the page defines, on top of the site's."""

    def __init__(self, page: Callable[[], JekyllPage | None]) -> None:
        self.page = page
        self.macros: dict[str, Macro] = {}
        self.macros_page: JekyllPage | None = None

    def __call__(self, tex: str, display: bool, source: str) -> str:
        page = self.page()
        if page is not self.macros_page:
            self.macros_page = page
            self.macros = site_macros(page.docs_dir) if page is not None else {}
        try:
            return convert(tex, display, self.macros)
        except TexError as error:
            reason = str(error)
        if page is not None:
            page.error(
                page.line_of(source),
                f"the LaTeX '{source.strip()}' cannot be converted to MathML ({reason}): fix "
                "it, or put it in backticks to show it as code.",
            )
        tag = "pre" if display else "code"
        return f'<{tag} class="lecture-math-error">{escape(source.strip())}</{tag}>'


class DisplayMathPreprocessor(Preprocessor):
    """`$$` or `\\[` blocks on lines of their own → a stashed `<math display="block">`, before
    Markdown reads their lines as lists or headings."""

    def __init__(self, md: Markdown, render: MathRenderer, active: Callable[[], bool]) -> None:
        super().__init__(md)
        self.render, self.active = render, active

    def run(self, lines: list[str]) -> list[str]:
        if not self.active():
            return lines
        out: list[str] = []
        index = 0
        while index < len(lines):
            block = self._block(lines, index)
            if block is None:
                out.append(lines[index])
                index += 1
                continue
            end, indent, tex, source = block
            html = self.render(tex, True, source)
            out.extend(["", indent + self.md.htmlStash.store(html), ""])
            index = end + 1
        return out

    @staticmethod
    def _block(lines: list[str], index: int) -> tuple[int, str, str, str] | None:
        """(last line, indent, LaTeX, source) of a display block starting at `index`."""
        match = DISPLAY_OPEN.match(lines[index])
        if not match:
            return None
        close = "$$" if match["open"] == "$$" else "\\]"
        parts = [match["rest"]]
        for end in range(index, len(lines)):
            if end > index:
                if not lines[end].strip():
                    return None
                parts.append(lines[end])
            body = "\n".join(parts).rstrip()
            if body.endswith(close) and (end > index or len(body) > len(close)):
                tex = body[: -len(close)]
                if close in tex:
                    return None  # "$$a$$ and $$b$$": inline math in a paragraph
                source = match["open"] + "\n".join([match["rest"], *lines[index + 1 : end + 1]])
                return end, match["indent"], tex, source.strip()
        return None


class MathInlineProcessor(InlineProcessor):
    def __init__(
        self,
        pattern: str,
        display: bool | None,
        render: MathRenderer,
        active: Callable[[], bool],
    ) -> None:
        super().__init__(pattern)
        self.display, self.render, self.active = display, render, active

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str | None, int | None, int | None]:
        if not self.active() or _inside_tag(data, m.start(0)):
            return None, None, None
        if "tex" not in m.re.groupindex:  # \$
            return "$", m.start(0), m.end(0)
        display = self.display
        if display is None:
            display = data.strip() == m.group(0).strip()
        html = self.render(m.group("tex"), display, m.group(0))
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


def _inside_tag(data: str, start: int) -> bool:
    """Whether `start` is inside an inline HTML tag (`<a title="$x$">`): not math."""
    opening = data.rfind("<", 0, start)
    return (
        opening > data.rfind(">", 0, start) and re.match(r"</?[A-Za-z]", data[opening:]) is not None
    )


def register(md: Markdown, page: Callable[[], JekyllPage | None]) -> None:
    """Add the math processors to `md`; they act only while `page()` is a Jekyll page."""
    render = MathRenderer(page)

    def active() -> bool:
        return page() is not None

    # After code fences (25), before raw HTML blocks (20): "y_{<t}" is no tag.
    md.preprocessors.register(
        DisplayMathPreprocessor(md, render, active), "lecture_jekyll_display_math", 20.6
    )
    # Before backslash escapes (180), after code spans (190).
    for priority, (name, (pattern, display)) in zip(
        (189, 188, 187, 186, 185), INLINE.items(), strict=True
    ):
        processor = MathInlineProcessor(pattern, display, render, active)
        processor.md = md
        md.inlinePatterns.register(processor, f"lecture_jekyll_math_{name}", priority)

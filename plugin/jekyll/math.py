"""LaTeX math of a Jekyll page (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`) as MathML, made at
build time with latex2mathml: browsers render MathML themselves, so no script and no
third-party request (MathJax's CDN) is needed.

Delimiters follow pandoc: the opening `$` has a non-space right after it, the closing `$`
a non-space right before it and no digit right after it, so "$5 and $10" stays text.
`$$…$$` on lines of their own, or alone in a paragraph, is display math; inside a
sentence it is inline (kramdown's reading). `\\[…\\]` counts only on lines of its own
(Markdown's `\\[1\\]` stays brackets). `\\$` is a literal dollar. Code is never touched.
LaTeX that latex2mathml cannot convert is shown as code, and logged as an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from latex2mathml.converter import convert
from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

if TYPE_CHECKING:
    from .page import JekyllPage

ARITY = {
    "mfrac": 2, "msub": 2, "msup": 2, "mroot": 2, "munder": 2, "mover": 2,
    "msubsup": 3, "munderover": 3,
}  # fmt: skip
DISPLAY_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<open>\$\$|\\\[)(?P<rest>.*)$")
INLINE = {
    # name: (pattern, display); display None: block when alone in its paragraph
    "dollar_escape": (r"\\\$", False),
    "display_dollars": (r"(?<![\\$])\$\$(?P<tex>(?:\\.|[^\\$\x02])+?)\$\$", None),
    "paren": (r"\\\((?P<tex>(?:\\[^)]|[^\\\x02])+?)\\\)", False),
    "bracket": (r"^\s*\\\[(?P<tex>(?:\\[^\]]|[^\\\x02])+?)\\\]\s*$", True),
    "dollar": (
        r"(?<![\\$])\$(?![\s$])(?P<tex>(?:\\.|[^\\$\x02])+?)(?<!\s)\$(?![\d$])",
        False,
    ),
}


def to_mathml(tex: str, display: bool) -> str | None:
    """MathML for `tex`, or None when latex2mathml cannot convert it (it raises, or writes
    an unknown command as text, or leaves a fraction or script without its arguments)."""
    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
        root = ElementTree.fromstring(mathml)
    except Exception:  # latex2mathml raises many kinds of errors on bad input
        return None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ARITY and len(element) != ARITY[tag]:
            return None
        if tag in ("mi", "mo", "mn") and "\\" in (element.text or ""):
            return None
    return mathml


class MathRenderer:
    """Turns LaTeX into MathML, or into code with an error naming the page and line."""

    def __init__(self, page: Callable[[], JekyllPage | None]) -> None:
        self.page = page

    def __call__(self, tex: str, display: bool, source: str) -> str:
        mathml = to_mathml(tex, display)
        if mathml is not None:
            return mathml
        page = self.page()
        if page is not None:
            page.error(
                page.line_of(source),
                f"the LaTeX '{source.strip()}' cannot be converted to MathML: fix it, or put "
                "it in backticks to show it as code.",
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

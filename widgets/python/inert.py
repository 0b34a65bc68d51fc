"""HTML from a cell made inert: parsed with html.parser and written again, quoted and
escaped, without what could run or navigate. Imported only when a cell shows HTML:
`html` and `html.parser` take ~0.25 s to import in Pyodide, which a first run would wait
for. What guarantees that nothing runs is the view's sandboxed frame, not this: this keeps
the page's console clean under a strict CSP."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

_DROPPED = {"script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link"}
_RAW = {"script", "style"}  # html.parser's CDATA elements: their text is not escaped
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = 0  # inside a dropped element with content (script)
        self.raw = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        self.raw = tag in _RAW and not close
        if tag in _DROPPED:
            if tag == "script" and not close:
                self.dropping += 1
            return
        if self.dropping:
            return
        kept = "".join(
            f' {name}="{escape(value or "", quote=True)}"'
            for name, value in attrs
            if not name.startswith("on") and not _scripted_url(name, value)
        )
        self.out.append(f"<{tag}{kept}{close}>")

    def handle_endtag(self, tag: str) -> None:
        self.raw = False
        if tag == "script" and self.dropping:
            self.dropping -= 1
        elif tag not in _DROPPED and not self.dropping:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(data if self.raw else escape(data, quote=False))


def _scripted_url(name: str, value: str | None) -> bool:
    squeezed = "".join((value or "").split()).lower()
    return name in _URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:"))


def inert_html(text: str) -> str:
    """`text` without what could run or navigate: scripts, handlers, scripted URLs,
    frames, `<base>`, `<meta>`, `<link>`; comments dropped; all else kept, re-quoted."""
    parser = _Inert()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)

"""Inline HTML of a Jekyll page: keep it, but run none of its scripts and fetch nothing
from third parties.

Read with the standard library's `html.parser` (not regular expressions over attributes):
`<script>` elements, `on…=` event handlers and `javascript:` URLs make HTML unsafe;
external `<img>` would make the reader's browser fetch from a third party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def is_external(url: str | None) -> bool:
    return bool(url) and EXTERNAL.match(url or "") is not None


def unsafe_attribute(name: str, value: str | None) -> bool:
    if name.startswith("on"):
        return True
    return name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value or "").lower().startswith(
        ("javascript:", "vbscript:")
    )


@dataclass
class Scan:
    """What a piece of HTML holds."""

    scripts: int = 0
    handlers: list[str] = field(default_factory=list)  # "onclick", "href=javascript:"
    headings: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # external image URLs

    @property
    def unsafe(self) -> bool:
        return bool(self.scripts or self.handlers)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = Scan()
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.result.scripts += 1
        for name, value in attrs:
            if unsafe_attribute(name, value):
                self.result.handlers.append(name if name.startswith("on") else f"{name}=…")
        if tag == "img" and is_external(dict(attrs).get("src")):
            self.result.images.append(dict(attrs).get("src") or "")
        if tag in HEADINGS:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self._heading is not None:
            text = " ".join("".join(self._heading).split())
            if text:
                self.result.headings.append(text)
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def scan(html: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.result


def host(src: str) -> str:
    src = src.strip()
    return urlsplit(src if "://" in src else f"https:{src}").hostname or src


def image_link(src: str, alt: str, *, inside_link: bool = False) -> str:
    """What stands for an external image: a link to it (nothing is fetched until a click)."""
    label = image_label(alt, host(src))
    if inside_link:
        return f'<span class="lecture-external-image">{escape(label)}</span>'
    return (
        f'<a class="lecture-external-image" href="{escape(src, quote=True)}" '
        f'rel="noopener noreferrer">{escape(label)}</a>'
    )


def image_label(alt: str, host: str) -> str:
    alt = " ".join((alt or "").split())
    generic = alt.lower() in ("", "image", "img", "picture", "photo", "screenshot", "figure")
    return f"Image from the original post{'' if generic else f': {alt}'} ({host})"


class _Rewriter(HTMLParser):
    """The same HTML without scripts, handlers and `javascript:` URLs; external images as
    links when `link_images`."""

    def __init__(self, link_images: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip = 0
        self.links = 0
        self.link_images = link_images

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, " /")
        if tag == "script":
            self.skip -= 1

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if tag == "script":
            self.skip += 1
            return
        if self.skip:
            return
        values = dict(attrs)
        if tag == "img" and self.link_images and is_external(values.get("src")):
            self.out.append(
                image_link(
                    values.get("src") or "", values.get("alt") or "", inside_link=bool(self.links)
                )
            )
            return
        if tag == "a":
            self.links += 1
        kept = [(name, value) for name, value in attrs if not unsafe_attribute(name, value)]
        if len(kept) == len(attrs):
            self.out.append(self.get_starttag_text() or f"<{tag}{close}>")
            return
        rendered = "".join(
            f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
            for name, value in kept
        )
        self.out.append(f"<{tag}{rendered}{close}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "a":
            self.links = max(0, self.links - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def sanitize(html: str, *, link_images: bool) -> str:
    """`html` without scripts, event handlers and `javascript:` URLs (external images
    replaced by links when `link_images`)."""
    rewriter = _Rewriter(link_images)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)


def script_note(what: str, pointer_html: str) -> str:
    """The visible note that stands for HTML whose script was left out (an admonition)."""
    named = f" (“{escape(what)}”)" if what else ""
    return (
        '<div class="admonition note lecture-script-note">\n'
        '<p class="admonition-title">Interactive demo left out</p>\n'
        f"<p>The original post ran a script here{named}. Scripts from imported pages are "
        f"not run on this site. {pointer_html}</p>\n</div>"
    )

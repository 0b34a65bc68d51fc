"""Build-time HTML for widgets' static views, with the standard library's ElementTree
(text and attributes are escaped by construction)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, tostring

Child = Element | str | None


def h(tag: str, attrs: dict[str, str] | None = None, *children: Child) -> Element:
    """An element with attributes and children (strings become text)."""
    element = Element(tag, {key: str(value) for key, value in (attrs or {}).items()})
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            if len(element):
                element[-1].tail = (element[-1].tail or "") + child
            else:
                element.text = (element.text or "") + child
        else:
            element.append(child)
    return element


def render(element: Element) -> str:
    return tostring(element, encoding="unicode", method="html")

"""The navigation of Jekyll pages in the order their front matter gives, when mkdocs.yml
sets no `nav` (MkDocs' own order is alphabetical):

- just-the-docs' `parent` (and `grand_parent`): a page goes under the page of that title,
  which becomes a section holding itself first and then its children;
- `nav_order` (numbers, or text) orders siblings; pages without it follow, posts (a `date`
  or a `2022-06-24-` file name) oldest first, then the rest in MkDocs' order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mkdocs.structure.nav import (
    Navigation,
    Section,
    _add_parent_links,
    _add_previous_and_next_links,
    _get_by_type,
)
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from .page import page_date


def order_navigation(nav: Navigation, is_jekyll: Any) -> Navigation:
    """`nav` reordered by the front matter of its Jekyll pages (`is_jekyll(meta)`)."""
    metas: dict[str, dict[str, Any]] = {}
    for page in nav.pages:
        try:
            _, meta = get_data(page.file.content_string)
        except Exception:  # an unreadable page: MkDocs reports it when it reads it
            continue
        if isinstance(meta, dict) and is_jekyll(meta):
            metas[page.file.src_uri] = meta
    if not metas:
        return nav
    children = _children(metas, nav.pages)
    moved = {child.file.src_uri for kids in children.values() for child in kids}
    items = _rebuild(nav.items, metas, children, moved)
    nav.items = items
    nav.pages = _get_by_type(items, Page)
    _add_parent_links(items)
    _add_previous_and_next_links(nav.pages)
    return nav


def _title(meta: dict[str, Any]) -> str:
    return str(meta.get("title", "")).strip()


def _children(metas: dict[str, dict[str, Any]], pages: list[Page]) -> dict[str, list[Page]]:
    """Each parent page → the pages whose `parent` (and `grand_parent`) names it."""
    by_title: dict[str, list[str]] = {}
    for uri, meta in metas.items():
        if _title(meta):
            by_title.setdefault(_title(meta), []).append(uri)
    children: dict[str, list[Page]] = {}
    for page in pages:
        meta = metas.get(page.file.src_uri)
        parent_title = str(meta.get("parent", "")).strip() if meta else ""
        if not parent_title:
            continue
        grand = str(meta.get("grand_parent", "")).strip() if meta else ""
        candidates = [
            uri
            for uri in by_title.get(parent_title, [])
            if uri != page.file.src_uri
            and (not grand or str(metas[uri].get("parent", "")).strip() == grand)
        ]
        if candidates:
            children.setdefault(candidates[0], []).append(page)
    return children


def _rebuild(
    items: list[Any],
    metas: dict[str, dict[str, Any]],
    children: dict[str, list[Page]],
    moved: set[str],
) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Page):
            if item.file.src_uri in moved:
                continue
            out.append(_with_children(item, metas, children))
        elif isinstance(item, Section):
            item.children = _rebuild(item.children, metas, children, moved)
            if item.children:
                out.append(item)
        else:
            out.append(item)
    return _sorted(out, metas)


def _with_children(
    page: Page, metas: dict[str, dict[str, Any]], children: dict[str, list[Page]], depth: int = 0
) -> Any:
    kids = children.get(page.file.src_uri)
    if not kids or depth > 8:
        return page
    nested = [_with_children(kid, metas, children, depth + 1) for kid in kids]
    section = Section(_title(metas[page.file.src_uri]) or page.file.name, [page])
    section.children += _sorted(nested, metas)
    return section


def _sorted(items: list[Any], metas: dict[str, dict[str, Any]]) -> list[Any]:
    def lead(item: Any) -> Page | None:
        if isinstance(item, Section) and item.children and isinstance(item.children[0], Page):
            item = item.children[0]
        return item if isinstance(item, Page) and item.file.src_uri in metas else None

    def key(entry: tuple[int, Any]) -> tuple:
        index, item = entry
        page = lead(item)
        meta = metas.get(page.file.src_uri, {}) if page is not None else {}
        order = meta.get("nav_order")
        if isinstance(order, int | float) and not isinstance(order, bool):
            return (0, 0, float(order), "", index)
        if order is not None:
            return (0, 1, 0.0, str(order).lower(), index)
        date = page_date(meta, page.file.src_uri) if page is not None else None
        if date is not None:
            return (1, 0, float(dt.date.toordinal(date)), "", index)
        return (2, 0, 0.0, "", index)

    if not any(lead(item) is not None for item in items):
        return items
    return [item for _, item in sorted(enumerate(items), key=key)]

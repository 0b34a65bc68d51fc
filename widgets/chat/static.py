"""The chat widget's static view: the author's conversation drawn at build time, with the
elements and classes ``view.js`` draws, from the same facts (:mod:`.display`) and the same
answer of :func:`.calls.view` (build time only: ``xml.etree`` would cost the browser's
first call time it does not need)."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from ..html import h, render
from .calls import view
from .display import KINDS, LEGEND, MARKERS, SPACE_MARKER, TRUNCATED_NOTE


def chip_text(group: dict[str, Any]) -> str:
    """What a chip shows: whitespace-only tokens with visible markers, newlines as ↵."""
    text = group["text"]
    if group["kind"] != "special" and text.isspace():
        text = text.replace(" ", SPACE_MARKER)
    return "".join(MARKERS.get(character, character) for character in text)


def chip_title(group: dict[str, Any]) -> str:
    ids = group["ids"]
    parts = [
        f"id {ids[0]}" if len(ids) == 1 else f"ids {', '.join(map(str, ids))} (one character)",
        KINDS[group["kind"]],
        "trained" if group["trained"] else "not trained",
    ]
    return " · ".join(parts)


def _chip(group: dict[str, Any]) -> Element:
    classes = ["lecture-chat__tok", f"is-{group['kind']}"]
    if group["trained"]:
        classes.append("is-trained")
    if group["found"]:
        classes.append("is-found")
    return h(
        "span",
        {"class": " ".join(classes), "title": chip_title(group)},
        h("span", {"class": "lecture-chat__text"}, chip_text(group)),
        h("span", {"class": "lecture-chat__id"}, " ".join(map(str, group["ids"]))),
    )


def tokens_element(result: dict[str, Any]) -> Element:
    """The token rows (``view.js`` draws the same elements)."""
    rows = []
    for row in result["rows"]:
        children: list[Element] = []
        for group in row["groups"]:
            children.append(_chip(group))
            if "\n" in group["text"]:
                children.append(h("br"))
        rows.append(h("div", {"class": "lecture-chat__row", "data-role": row["role"]}, *children))
    if result["truncated"]:
        rows.append(h("p", {"class": "lecture-chat__note"}, TRUNCATED_NOTE))
    return h("div", {"class": "lecture-chat__tokens"}, *rows)


def legend_element() -> Element:
    items = [
        h(
            "li",
            {},
            h(
                "span",
                {"class": "lecture-chat__row", "data-role": row_role},
                h(
                    "span",
                    {"class": f"lecture-chat__tok {classes}"},
                    h("span", {"class": "lecture-chat__text"}, text),
                ),
            ),
            h("span", {}, label),
        )
        for text, classes, row_role, label in LEGEND
    ]
    return h("ul", {"class": "lecture-chat__legend", "aria-label": "Legend"}, *items)


def static_html(options: dict[str, Any]) -> str:
    """The author's conversation, rendered at build time."""
    result = view(options["messages"], options["format"], options["mask"], False, options["find"])
    if not result["ok"]:  # prepare() has checked the messages: not reached from a page
        return render(h("p", {"class": "lecture-chat__error"}, result["error"]))
    found = [h("p", {"class": "lecture-chat__found"}, entry["text"]) for entry in result["found"]]
    return render(
        h(
            "div",
            {"class": "lecture-chat__output", "data-search-exclude": ""},
            legend_element(),
            tokens_element(result),
            h("p", {"class": "lecture-chat__summary"}, result["summary"]),
            *found,
        )
    )

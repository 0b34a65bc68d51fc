"""The chat widget's static view: the author's conversation drawn at build time, with the
elements and classes ``view.js`` draws (build time only: ``xml.etree`` would cost the
browser's first call time it does not need)."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from ..html import h, render
from .calls import MAX_SHOWN, view

#: how whitespace shows inside a chip (a newline also ends the line)
MARKERS = {"\n": "↵", "\t": "→", "\r": "␍"}


def chip_text(group: dict[str, Any]) -> str:
    """What a chip shows: whitespace-only tokens with visible markers, newlines as ↵."""
    text = group["text"]
    if group["kind"] != "special" and text.isspace():
        text = text.replace(" ", "·")
    return "".join(MARKERS.get(character, character) for character in text)


def chip_title(group: dict[str, Any]) -> str:
    ids = group["ids"]
    what = {"special": "special token", "template": "template text", "content": "message text"}
    parts = [
        f"id {ids[0]}" if len(ids) == 1 else f"ids {', '.join(map(str, ids))} (one character)",
        what[group["kind"]],
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
        rows.append(
            h(
                "p",
                {"class": "lecture-chat__note"},
                f"Only the first {MAX_SHOWN:,} tokens are drawn.",
            )
        )
    return h("div", {"class": "lecture-chat__tokens"}, *rows)


def summary(result: dict[str, Any]) -> str:
    """The counts in one sentence (the view's live region says the same)."""
    counts = result["counts"]
    return (
        f"{counts['total']:,} tokens ({result['title']}, {result['tokenizer']}): "
        f"{counts['content']:,} of message text, {counts['overhead']:,} of template; "
        f"{counts['trained']:,} trained."
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def found_text(find: str, entry: dict[str, int]) -> str:
    """Where ``find`` is complete in a reply, in words (the view says the same)."""
    return (
        f"“{find}” is complete at token {entry['token']} of message {entry['message']}'s "
        f"{_plural(entry['of'], 'text token')}: the model writes "
        f"{_plural(entry['token'] - 1, 'token')} of this reply before it."
    )


LEGEND = [
    ("<|…|>", "is-special", "user", "special token"),
    ("user↵", "is-template", "user", "template text"),
    ("system", "is-content", "system", "system"),
    ("user", "is-content", "user", "user"),
    ("assistant", "is-content", "assistant", "assistant"),
    ("trained", "is-content is-trained", "assistant", "trained on (in the loss)"),
]


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
    found = [
        h("p", {"class": "lecture-chat__found"}, found_text(options["find"], entry))
        for entry in result["found"]
    ]
    return render(
        h(
            "div",
            {"class": "lecture-chat__output", "data-search-exclude": ""},
            legend_element(),
            tokens_element(result),
            h("p", {"class": "lecture-chat__summary"}, summary(result)),
            *found,
        )
    )

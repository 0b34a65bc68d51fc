"""The tokenizer widget's static view, rendered at build time: the author's text as token
chips, per encoding. ``view.js`` builds the same elements with the same classes, so the
page reads right before Python is ready and looks the same after.

Build time only (the browser never imports it): ``lecture_widgets.html`` escapes text and
attributes by construction.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from ..html import h
from ..html import render as render_html
from .calls import tokenize
from .facts import LABELS, MARKERS, MODELS


def render(text: str, encodings: list[str], show: str, whitespace: bool) -> str:
    """The static view's HTML (see the module docstring)."""
    result = tokenize(text, encodings)
    panels = [_panel(entry, whitespace) for entry in result["encodings"]]
    return render_html(
        h(
            "div",
            {"class": "lecture-tokenizer", "data-show": show},
            h("div", {"class": "lecture-tokenizer__panels"}, *panels),
        )
    )


def _panel(entry: dict[str, Any], whitespace: bool) -> Element:
    groups = [group for piece in entry["pieces"] for group in piece]
    tokens = h("div", {"class": "lecture-tokenizer__tokens", "data-role": "tokens"})
    for group in groups:
        tokens.append(_chip(group, whitespace))
        if "\n" in group["text"]:
            tokens.append(h("br"))
    ids = h(
        "p",
        {"class": "lecture-tokenizer__ids", "data-role": "ids"},
        *[h("span", {}, " ".join(map(str, group["ids"])) + " ") for group in groups],
    )
    name = entry["name"]
    return h(
        "section",
        {"class": "lecture-tokenizer__panel", "data-encoding": name},
        h(
            "p",
            {"class": "lecture-tokenizer__head"},
            h("strong", {"class": "lecture-tokenizer__name"}, name),
            h("span", {"class": "lecture-tokenizer__model"}, MODELS[name]),
            h(
                "span",
                {"class": "lecture-tokenizer__count", "data-role": "count"},
                _count_text(entry["count"]),
            ),
            h(
                "span",
                {"class": "lecture-tokenizer__ratio", "data-role": "ratio"},
                _ratio_text(entry["per_token"]),
            ),
        ),
        tokens,
        h(
            "div",
            {"class": "lecture-tokenizer__idsrow"},
            h("span", {"class": "lecture-tokenizer__label"}, LABELS["ids"]),
            ids,
        ),
        h(
            "p",
            {"class": "lecture-tokenizer__note", "data-role": "note"},
            _note(groups) if entry["truncated"] else "",
        ),
    )


def _count_text(count: int) -> str:
    return f"{count:,} token{'' if count == 1 else 's'}"


def _ratio_text(per_token: float | None) -> str:
    return "" if per_token is None else f"{per_token:.1f} {LABELS['per_token']}"


def _note(groups: list[dict[str, Any]]) -> str:
    """What a truncated panel says: how many tokens its chips show."""
    return f"{LABELS['truncated']} {_count_text(sum(len(g['ids']) for g in groups))}."


def _chip(group: dict[str, Any], whitespace: bool) -> Element:
    parts = group.get("parts")
    chip = h(
        "span",
        {"class": "lecture-tok lecture-tok--split" if parts else "lecture-tok"},
        h("span", {"class": "lecture-tok__text"}, *_marked(group["text"], whitespace)),
    )
    if parts:
        chip.append(
            h(
                "span",
                {"class": "lecture-tok__parts"},
                *[
                    h(
                        "span",
                        {"class": "lecture-tok__part"},
                        h("span", {"class": "lecture-tok__hex"}, part["hex"]),
                        h("span", {"class": "lecture-tok__id"}, str(part["id"])),
                    )
                    for part in parts
                ],
            )
        )
    else:
        chip.append(h("span", {"class": "lecture-tok__id"}, str(group["ids"][0])))
    return chip


def _marked(text: str, whitespace: bool) -> list[Element | str]:
    """Text with markers for whitespace, as strings and marker elements (newlines are
    always marked: a chip holding only a newline would otherwise be empty)."""
    out: list[Element | str] = []
    run = ""
    for char in text:
        marker = MARKERS.get(char) if whitespace or char == "\n" else None
        if marker is None:
            run += char
            continue
        if run:
            out.append(run)
            run = ""
        out.append(h("span", {"class": "lecture-tok__ws"}, marker))
    if run:
        out.append(run)
    return out

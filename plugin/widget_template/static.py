"""The static view, built at build time with ElementTree (text is escaped by
construction); not shipped to the browser."""

from __future__ import annotations

from typing import Any

from lecture_widgets.html import h, render

from .words import reversed_words


def static_html(options: dict[str, Any]) -> str:
    return render(
        h(
            "p",
            {"class": "lecture-WIDGET_NAME__static"},
            f"{options['text']} → {reversed_words(options['text'])}",
        )
    )

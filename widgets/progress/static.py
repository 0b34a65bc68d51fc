"""The progress widget's static view: what it will show."""

from __future__ import annotations

from typing import Any

from ..html import h, render


def static_html(options: dict[str, Any]) -> str:
    return render(
        h(
            "p",
            {},
            "Your progress through the course's exercises and questions shows here; it is "
            "kept in your browser only.",
        )
    )

"""The exercise widget's static view (build time): the starter code, highlighted as the
page's other code blocks are, and what the reader has to do."""

from __future__ import annotations

from typing import Any

from ..html import h, render
from ..python.static import static_html as code_html
from .checks import count_checks


def static_html(options: dict[str, Any]) -> str:
    checks = count_checks(options["tests"]) + count_checks(options["hidden_tests"])
    note = h(
        "p",
        {"class": "lecture-exercise__task"},
        f"Exercise: edit the code until it passes {checks} checks.",
    )
    return render(note) + code_html({"code": options.get("starter", "")})

"""The quiz's static view (build time): the question, its code and its choices, without
the answer."""

from __future__ import annotations

from typing import Any

from ..html import h, render
from ..python.static import static_html as code_html


def static_html(options: dict[str, Any]) -> str:
    question = render(h("p", {"class": "lecture-quiz__question"}, options["question"]))
    code = code_html({"code": options["code"]}) if "code" in options else ""
    choices = render(h("ul", {}, *(h("li", {}, choice["text"]) for choice in options["choices"])))
    return question + code + (choices if options["choices"] else "")

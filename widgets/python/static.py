"""The `python` widget's static view (build time): the code, highlighted as the page's
other code blocks are."""

from __future__ import annotations

from typing import Any

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer


def static_html(options: dict[str, Any]) -> str:
    formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)  # as pymdownx.highlight
    return highlight(options["code"], PythonLexer(), formatter)

"""Course-level MkDocs hooks: small fixes to the theme's own markup."""

from __future__ import annotations

import re

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
THEME_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)">')


def on_post_page(output: str, **_: object) -> str:
    """Material's search dialog gets an accessible name (axe: aria-dialog-name), and its
    script is deferred: evaluated in a task of its own once the page is parsed, not inside
    the parser's, so that the page's text can be painted first (Lighthouse's mobile runs
    of page 04: median 94 → 97)."""
    output = output.replace(
        SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"')
    )
    return THEME_BUNDLE.sub(r'<script src="\1" defer>', output, count=1)

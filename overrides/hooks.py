"""Course-level MkDocs hooks: small accessibility fixes to the theme's own markup."""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, **_: object) -> str:
    """Material's search dialog has no accessible name (axe: aria-dialog-name)."""
    return output.replace(
        SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"')
    )

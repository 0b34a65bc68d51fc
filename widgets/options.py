"""What a widget's `prepare(options, docs_dir)` raises when an option cannot be used."""

from __future__ import annotations


class OptionError(ValueError):
    """A bad option value found while preparing a widget at build time.

    `option` names the key, so the build error points at its line.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option

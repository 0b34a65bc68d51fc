"""What a widget's `prepare(options, docs_dir)` raises when an option cannot be used, and
warns (with `warnings.warn`) when it can but probably should not be."""

from __future__ import annotations


class OptionError(ValueError):
    """A bad option value found while preparing a widget at build time.

    `option` names the key, so the build error points at its line.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class OptionWarning(UserWarning):
    """An option that works but is probably a mistake, found at build time; `option`
    names the key, so the warning points at its line."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option

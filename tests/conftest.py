"""Test layers: tests/unit (CPython), tests/pyodide (real Pyodide under Node, marked
`pyodide`), tests/browser (Chromium, marked `browser`). `-m "not browser and not pyodide"`
runs the fast layer alone."""

import os

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

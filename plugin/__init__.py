"""mkdocs-lecture: an MkDocs plugin for course sites with live Pyodide widgets."""

__version__ = "0.1.0"

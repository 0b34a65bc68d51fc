"""mkdocs-lecture: an MkDocs plugin for course sites with live Pyodide widgets."""

__version__ = "0.2.0.dev0"

"""mkdocs-lecture: an MkDocs plugin for course sites with live Pyodide widgets."""

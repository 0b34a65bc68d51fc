"""Scripts the tokenizer's developers run, never the browser (kept out of the wheel):
:mod:`.make_data` regenerates ``data/`` and ``unicode_tables.py`` (needs tiktoken)."""

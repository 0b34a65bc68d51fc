"""The tokenizer widget's engine: GPT tokenizers in pure Python, token for token equal
to tiktoken (``r50k_base``/``gpt2``, ``cl100k_base``, ``o200k_base``).

Standard library only, so the same code runs at build time (CPython 3.11+) and
in the reader's browser (Pyodide)::

    >>> enc = get_encoding("cl100k_base")
    >>> enc.encode("hello world")
    [15339, 1917]

Modules, one concern each:

- :mod:`.specs`: split patterns and special tokens (tiktoken's definitions).
- :mod:`.pretokenize`: the split pattern run with Python's ``re``, exactly.
- :mod:`.unicode_tables`: character classes measured from tiktoken (generated).
- :mod:`.bpe`: byte-pair merging of one piece, and its steps for teaching.
- :mod:`.core`: :class:`Encoding` (encode, decode, special tokens).
- :mod:`.encodings`: loading rank files from ``data/``, :func:`get_encoding`.
- :mod:`.display`: token ids grouped into whole characters for a view.
- :mod:`.datafile`: the compact rank file format.
- :mod:`.make_data`: regenerates ``data/`` and :mod:`.unicode_tables` (needs tiktoken).
- :mod:`.widget`: the page widget: options, the calls its view makes.
- :mod:`.static`: the widget's static view, rendered at build time.
"""

from .calls import CALLS, OPTIONS, data_files, merges, render_static, tokenize
from .core import Encoding
from .datafile import DataFileError
from .display import token_groups
from .encodings import DATA_DIR, bpe_steps, data_file, get_encoding, list_encoding_names

__all__ = [
    "CALLS",
    "DATA_DIR",
    "OPTIONS",
    "DataFileError",
    "Encoding",
    "bpe_steps",
    "data_file",
    "data_files",
    "get_encoding",
    "list_encoding_names",
    "merges",
    "render_static",
    "token_groups",
    "tokenize",
]

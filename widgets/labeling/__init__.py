"""The labeling game: the reader labels sentences, a small model learns from them live.

Standard library only, so the same code runs at build time (CPython 3.11+) and in
the reader's browser (Pyodide). The public entry point is :class:`Game`; every
input and output of its methods is JSON-able.

Modules, one concern each:

- :mod:`.data`: the bundled data sets, the author's own data set (CSV/JSONL) and
  its validation, the fixed held-out test split.
- :mod:`.features`: tokenization, negation scope, lexicon flags, feature ids.
- :mod:`.model`: Naive Bayes with incremental update and exact undo.
- :mod:`.metrics`: accuracy, per-class precision/recall, Cohen's kappa.
- :mod:`.game`: the game itself (sampling, history, explanations, state).
- :mod:`.make_data`: regenerates ``data/`` from the original sources.
- :mod:`.simulate`: simulated readers; prints the learning-curve table.
"""

from .data import DataError, Dataset, load_author_file, load_builtin
from .game import Game, GameError

__all__ = ["DataError", "Dataset", "Game", "GameError", "load_author_file", "load_builtin"]

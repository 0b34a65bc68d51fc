"""Naive Bayes with incremental update and exact undo.

Words are multinomial (counts per class, Laplace smoothing over the fixed
vocabulary of pool + test); the lexicon flags are Bernoulli (a sentence has the
flag or not, and both presence and absence are evidence). Everything the model
knows is integer counts: :meth:`NaiveBayes.remove` subtracts exactly what
:meth:`NaiveBayes.add` added, and every float is recomputed from the counts, so
undoing a label gives back the previous model bit for bit.

A document is ``(word_ids, flag_mask)``; word ids repeat for repeated words.
"""

from __future__ import annotations

from math import exp, log
from typing import Any

Doc = tuple[tuple[int, ...], int]


class NaiveBayes:
    """Two-class NB: log-odds of class 1 over class 0."""

    def __init__(
        self,
        n_words: int,
        n_flags: int = 0,
        alpha: float = 1.0,
        flag_alpha: float = 1.0,
        fit_prior: bool = False,
    ) -> None:
        self.n_words = n_words
        self.n_flags = n_flags
        self.alpha = alpha
        self.flag_alpha = flag_alpha
        self.fit_prior = fit_prior
        self.counts = ([0] * n_words, [0] * n_words)
        self.totals = [0, 0]
        self.docs = [0, 0]
        self.flag_counts = ([0] * n_flags, [0] * n_flags)
        #: per word: log(count1 + alpha) - log(count0 + alpha); only touched words change.
        self.weights = [0.0] * n_words
        self.length_term = 0.0
        self.bias = 0.0
        self.flag_weights: list[tuple[float, float]] = []
        self.flag_table: list[float] = [0.0]
        self._refresh()

    def _refresh(self) -> None:
        """Recompute the class-level terms from the counts."""
        a_v = self.alpha * self.n_words
        t0, t1 = self.totals
        d0, d1 = self.docs
        self.length_term = log(t1 + a_v) - log(t0 + a_v) if a_v else 0.0
        self.bias = log((d1 + 1) / (d0 + 1)) if self.fit_prior else 0.0
        fa = self.flag_alpha
        fw = []
        for k in range(self.n_flags):
            p1 = (self.flag_counts[1][k] + fa) / (d1 + 2 * fa)
            p0 = (self.flag_counts[0][k] + fa) / (d0 + 2 * fa)
            fw.append((log(p1) - log(p0), log(1 - p1) - log(1 - p0)))
        self.flag_weights = fw
        table = []
        for mask in range(1 << self.n_flags):
            s = self.bias
            for k, (present, absent) in enumerate(fw):
                s += present if mask >> k & 1 else absent
            table.append(s)
        self.flag_table = table

    def _update(self, doc: Doc, y: int, sign: int) -> None:
        ids, mask = doc
        counts = self.counts[y]
        for i in ids:
            counts[i] += sign
        self.totals[y] += sign * len(ids)
        self.docs[y] += sign
        flags = self.flag_counts[y]
        for k in range(self.n_flags):
            if mask >> k & 1:
                flags[k] += sign
        c0, c1 = self.counts
        a = self.alpha
        w = self.weights
        for i in set(ids):
            w[i] = log(c1[i] + a) - log(c0[i] + a)
        self._refresh()

    def add(self, doc: Doc, y: int) -> None:
        """Learn one labelled document (y is 0 or 1)."""
        self._update(doc, y, 1)

    def remove(self, doc: Doc, y: int) -> None:
        """Forget a document added before with the same label (exact inverse of add)."""
        if self.docs[y] <= 0:
            raise ValueError("remove() of a document that was never added")
        self._update(doc, y, -1)

    def log_odds(self, doc: Doc) -> float:
        """log P(class 1 | doc) - log P(class 0 | doc)."""
        ids, mask = doc
        w = self.weights
        return sum(map(w.__getitem__, ids)) - len(ids) * self.length_term + self.flag_table[mask]

    def log_odds_many(self, docs: list[Doc]) -> list[float]:
        """:meth:`log_odds` of many documents (the hot loop: kept flat)."""
        get = self.weights.__getitem__
        lt = self.length_term
        table = self.flag_table
        return [sum(map(get, ids)) - len(ids) * lt + table[mask] for ids, mask in docs]

    def contributions(
        self, doc: Doc
    ) -> tuple[list[tuple[int, int, float]], list[tuple[int, bool, float]], float]:
        """Additive parts of the log-odds: per word ``(id, count, weight)``, per flag
        ``(index, present, weight)``, and the prior. They sum to :meth:`log_odds`."""
        ids, mask = doc
        seen: dict[int, int] = {}
        for i in ids:
            seen[i] = seen.get(i, 0) + 1
        words = [(i, n, n * (self.weights[i] - self.length_term)) for i, n in seen.items()]
        flags = []
        for k, (present, absent) in enumerate(self.flag_weights):
            on = bool(mask >> k & 1)
            flags.append((k, on, present if on else absent))
        return words, flags, self.bias

    def state(self) -> dict[str, Any]:
        """Everything the model holds, as plain lists (for equality checks)."""
        return {
            "counts": [list(self.counts[0]), list(self.counts[1])],
            "totals": list(self.totals),
            "docs": list(self.docs),
            "flag_counts": [list(self.flag_counts[0]), list(self.flag_counts[1])],
            "weights": list(self.weights),
            "length_term": self.length_term,
            "bias": self.bias,
            "flag_table": list(self.flag_table),
        }


def probability(log_odds: float) -> float:
    """P(class 1) from log-odds, without overflow."""
    if log_odds >= 0:
        return 1.0 / (1.0 + exp(-log_odds))
    e = exp(log_odds)
    return e / (1.0 + e)

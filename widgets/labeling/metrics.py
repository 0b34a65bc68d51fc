"""Scores: accuracy, per-class precision/recall, agreement and Cohen's kappa.

Labels are class indices (0/1); the ``names`` argument turns them into the
label strings for JSON output. Undefined ratios (nothing predicted for a class,
kappa when chance agreement is total) are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def accuracy(pred: Sequence[int], gold: Sequence[int]) -> float:
    """Fraction of positions where ``pred`` equals ``gold`` (0.0 for empty input)."""
    if not gold:
        return 0.0
    return sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)


def per_class(
    pred: Sequence[int], gold: Sequence[int], names: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per label: precision, recall (= accuracy on that class), support, predicted count."""
    out = {}
    for c, name in enumerate(names):
        tp = sum(1 for p, g in zip(pred, gold, strict=True) if p == c and g == c)
        predicted = sum(1 for p in pred if p == c)
        support = sum(1 for g in gold if g == c)
        out[name] = {
            "precision": tp / predicted if predicted else None,
            "recall": tp / support if support else None,
            "support": support,
            "predicted": predicted,
        }
    return out


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two labelings of the same items (None if undefined)."""
    n = len(a)
    if n == 0:
        return None
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    classes = set(a) | set(b)
    pe = sum((sum(1 for x in a if x == c) / n) * (sum(1 for y in b if y == c) / n) for c in classes)
    if pe >= 1.0:
        return None
    return (po - pe) / (1.0 - pe)


def agreement(reader: Sequence[int], gold: Sequence[int]) -> dict[str, Any]:
    """How often the reader's labels match the data set's gold labels."""
    n = len(gold)
    agree = sum(r == g for r, g in zip(reader, gold, strict=True))
    return {
        "n": n,
        "agree": agree,
        "rate": agree / n if n else None,
        "kappa": cohen_kappa(reader, gold),
    }

"""Does logistic regression earn a place in the labeling game? A measurement, not shipped.

    .venv/bin/python bench/labeling_logreg.py [--seeds 30]

Same features as the game's default ("lexicon+bow": words with negation marking,
six lexicon flags), binary, plus a bias; L2-regularized logistic regression
trained by SGD, warm-started, a few epochs over all labels after each new label.
Uncertainty sampling = smallest |w.x| (seeded ties), like the game. Prints held-out
accuracy at 5/10/20/50/100 labels next to the game's Naive Bayes, and the time
per label (train + score pool and test).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from lecture_widgets.labeling.features import FLAGS
from lecture_widgets.labeling.game import Game

CHECKPOINTS = (5, 10, 20, 50, 100)


class LogReg:
    """Sparse binary logistic regression, SGD with L2, warm start."""

    def __init__(self, n_words: int, n_flags: int, l2: float, epochs: int, lr: float) -> None:
        self.w = [0.0] * (n_words + n_flags + 1)
        self.n_words = n_words
        self.n_flags = n_flags
        self.l2, self.epochs, self.lr = l2, epochs, lr

    def feats(self, doc: tuple[tuple[int, ...], int]) -> list[int]:
        ids, mask = doc
        out = sorted(set(ids))
        out += [self.n_words + k for k in range(self.n_flags) if mask >> k & 1]
        out.append(len(self.w) - 1)
        return out

    def fit(self, xs: list[list[int]], ys: list[int], rng: random.Random) -> None:
        w = self.w
        order = list(range(len(xs)))
        n = len(xs)
        for _ in range(self.epochs):
            rng.shuffle(order)
            for j in order:
                x = xs[j]
                z = sum(w[i] for i in x)
                p = 1 / (1 + math.exp(-z)) if z > -30 else 0.0
                g = ys[j] - p
                for i in x:
                    w[i] += self.lr * (g - self.l2 * w[i] / n)

    def decision(self, x: list[int]) -> float:
        w = self.w
        return sum(w[i] for i in x)


def run_logreg(
    seed: int, n_labels: int, l2: float, epochs: int, lr: float, dataset: str = "movies"
) -> tuple[list[float], float]:
    game = Game(dataset, seed=seed)
    prep = game._prep
    lr_model = LogReg(len(prep.space), len(FLAGS), l2, epochs, lr)
    xs_all = [lr_model.feats(d) for d in prep.docs]
    test, gold = game._test, game.dataset.gold
    avail = set(game._pool)
    xs: list[list[int]] = []
    ys: list[int] = []
    rng = random.Random(f"lr:{seed}")

    def acc() -> float:
        return statistics.fmean((lr_model.decision(xs_all[i]) > 0) == gold[i] for i in test)

    curve = [acc()]
    t_total = 0.0
    for step in range(n_labels):
        t0 = time.perf_counter()
        cand = sorted(avail)
        scores = [abs(lr_model.decision(xs_all[i])) for i in cand]
        best = min(scores)
        ties = [i for i, s in zip(cand, scores, strict=True) if s <= best + 1e-9]
        pick = random.Random(f"{seed}:{step}").choice(ties)
        avail.discard(pick)
        xs.append(xs_all[pick])
        ys.append(gold[pick])
        lr_model.fit(xs, ys, rng)
        curve.append(acc())
        t_total += time.perf_counter() - t0
    return curve, t_total / n_labels


def run_nb(seed: int, n_labels: int, dataset: str = "movies") -> tuple[list[float], float]:
    game = Game(dataset, seed=seed)
    gold = game.dataset.gold
    t_total = 0.0
    for _ in range(n_labels):
        t0 = time.perf_counter()
        item = game.next()
        game.label(item["id"], game.labels[gold[item["id"]]])
        t_total += time.perf_counter() - t0
    return [p["accuracy"] for p in game.history()], t_total / n_labels


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--dataset", default="movies")
    args = ap.parse_args()
    n = max(CHECKPOINTS)
    rows = [("naive bayes (game)", lambda s: run_nb(s, n, args.dataset))]
    for l2, epochs, lr in [(1.0, 5, 0.5), (0.1, 5, 0.5), (1.0, 10, 0.2), (0.01, 10, 0.2)]:
        rows.append(
            (
                f"logreg l2={l2} ep={epochs} lr={lr}",
                lambda s, a=(l2, epochs, lr): run_logreg(s, n, *a, dataset=args.dataset),
            )
        )
    print(f"{args.dataset}, uncertainty sampling, {args.seeds} seeds: mean held-out accuracy")
    print(
        f"{'model':<34}"
        + "".join(f"{'@' + str(c):>8}" for c in CHECKPOINTS)
        + "   ms/label (mean over 100 labels)"
    )
    for name, fn in rows:
        results = [fn(s) for s in range(args.seeds)]
        cells = "".join(f"{statistics.fmean(r[0][c] for r in results):>8.3f}" for c in CHECKPOINTS)
        ms = statistics.fmean(r[1] for r in results) * 1000
        print(f"{name:<34}{cells}   {ms:.2f}", flush=True)


if __name__ == "__main__":
    main()

"""Simulated readers: learning curves of the labeling game, averaged over seeds.

    python -m lecture_widgets.labeling.build.simulate [--dataset movies] [--seeds 30]

A simulated reader labels each offered sentence with its gold label (or, with
``flip``, the wrong one with that probability, drawn from a seeded RNG). The
table shows held-out accuracy (mean, standard deviation, worst and best seed)
at 5/10/20/50/100 labels, for each sampling strategy and feature set, and the
number of labels after which the mean curve first reaches 0.70.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence

from ..data import BUILTIN
from ..game import Game

CHECKPOINTS = (5, 10, 20, 50, 100)
#: (features, sampling, flip probability) rows of the table.
CONFIGS: tuple[tuple[str, str, float], ...] = (
    ("lexicon+bow", "uncertainty", 0.0),
    ("lexicon+bow", "random", 0.0),
    ("bow", "uncertainty", 0.0),
    ("bow", "random", 0.0),
    ("lexicon+bow-negation", "uncertainty", 0.0),
    ("lexicon+bow", "uncertainty", 0.2),
    ("lexicon+bow", "random", 0.2),
)


def simulate_reader(
    dataset: str = "movies",
    seed: int = 0,
    sampling: str = "uncertainty",
    features: str = "lexicon+bow",
    n_labels: int = 100,
    flip: float = 0.0,
) -> list[float]:
    """Held-out accuracy after 0..n_labels labels of one simulated reader."""
    game = Game(dataset, seed=seed, sampling=sampling, features=features)
    gold = game.dataset.gold
    rng = random.Random(f"reader:{seed}")
    for _ in range(n_labels):
        item = game.next()
        if item is None:
            break
        y = gold[item["id"]]
        if flip and rng.random() < flip:
            y = 1 - y
        game.label(item["id"], game.labels[y])
    return [point["accuracy"] for point in game.history()]


def first_reaching(curves: Sequence[Sequence[float]], target: float) -> int | None:
    """First number of labels at which the mean curve reaches ``target``."""
    for n in range(min(len(c) for c in curves)):
        if statistics.fmean(c[n] for c in curves) >= target:
            return n
    return None


def run_table(
    dataset: str = "movies",
    seeds: int = 30,
    checkpoints: Sequence[int] = CHECKPOINTS,
    configs: Sequence[tuple[str, str, float]] = CONFIGS,
) -> str:
    """The learning-curve table as text."""
    n_max = max(checkpoints)
    ref = Game(dataset)
    lines = [
        f"{dataset}: {seeds} simulated readers per row; held-out test "
        f"{ref.test_size} sentences; mean ±sd [worst-best seed]",
        f"reference lines: lexicon rule {ref.baseline_lexicon():.3f}, "
        f"all {len(ref.dataset.pool_ids())} pool labels (ceiling) {ref.ceiling():.3f}, "
        "no labels 0.500",
        "",
    ]
    head = (
        f"{'features':<22}{'sampling':<12}{'flip':>5} "
        + "".join(f"{f'@{n}':^26}" for n in checkpoints)
        + " to 0.70"
    )
    lines += [head, "-" * len(head)]
    for features, sampling, flip in configs:
        t0 = time.perf_counter()
        curves = [
            simulate_reader(dataset, s, sampling, features, n_max, flip) for s in range(seeds)
        ]
        cells = []
        for n in checkpoints:
            vals = [c[n] for c in curves]
            cells.append(
                f"{statistics.fmean(vals):.3f} ±{statistics.pstdev(vals):.3f} "
                f"[{min(vals):.2f}-{max(vals):.2f}]"
            )
        reach = first_reaching(curves, 0.70)
        dt = time.perf_counter() - t0
        lines.append(
            f"{features:<22}{sampling:<12}{flip:>5.0%} "
            + "".join(f"{c:^26}" for c in cells)
            + f" {reach if reach is not None else '>' + str(n_max):>7}"
            f"   ({dt:.1f} s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m lecture_widgets.labeling.build.simulate",
        description=__doc__.split("\n")[0],
    )
    ap.add_argument("--dataset", choices=BUILTIN, default="movies")
    ap.add_argument("--seeds", type=int, default=30)
    args = ap.parse_args(argv)
    print(run_table(args.dataset, args.seeds))
    return 0


if __name__ == "__main__":
    sys.exit(main())

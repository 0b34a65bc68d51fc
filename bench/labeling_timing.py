"""Cost of one reader action in the labeling game: label -> update -> rescore test + pool.

    .venv/bin/python bench/labeling_timing.py            # CPython
    node bench/labeling_timing_pyodide.mjs               # the same code in Pyodide

One "step" is ``label()`` (model update + held-out rescoring for the curve)
followed by ``next()`` (rescoring the unlabelled pool for uncertainty sampling).
Also timed: building a game (cold: feature extraction, and warm), undo, explain,
metrics, state round trip with 100 labels.
"""

from __future__ import annotations

import statistics
import sys
import time


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(0.95 * len(xs)))]
    med = statistics.median(xs)
    return f"median {med * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {xs[-1] * 1000:.2f} ms"


def main(dataset: str = "movies") -> None:
    from lecture_widgets.labeling.data import load_builtin
    from lecture_widgets.labeling.game import Game

    t0 = time.perf_counter()
    load_builtin(dataset)
    t1 = time.perf_counter()
    game = Game(dataset, seed=1)
    t2 = time.perf_counter()
    Game(dataset, seed=2)
    t3 = time.perf_counter()
    print(f"{sys.implementation.name} {sys.version.split()[0]} on {sys.platform}")
    print(
        f"load data {1000 * (t1 - t0):.1f} ms; first Game (features of "
        f"{len(game.dataset.texts)} sentences) {1000 * (t2 - t1):.1f} ms; "
        f"next Game {1000 * (t3 - t2):.2f} ms"
    )
    gold = game.dataset.gold
    steps: dict[str, list[float]] = {"label": [], "next": [], "step": []}
    item = game.next()
    for _ in range(300):
        a = time.perf_counter()
        game.label(item["id"], game.labels[gold[item["id"]]])
        b = time.perf_counter()
        item = game.next()
        c = time.perf_counter()
        steps["label"].append(b - a)
        steps["next"].append(c - b)
        steps["step"].append(c - a)
    for k, v in steps.items():
        print(f"{k:>6} (300 labels, pool {len(game._pool)}, test {game.test_size}): {ms(v)}")
    undo = []
    for _ in range(50):
        a = time.perf_counter()
        game.undo()
        undo.append(time.perf_counter() - a)
    print(f"  undo: {ms(undo)}")
    text = game.dataset.texts[0]
    ex = []
    for _ in range(50):
        a = time.perf_counter()
        game.explain(text)
        ex.append(time.perf_counter() - a)
    print(f"explain: {ms(ex)}")
    a = time.perf_counter()
    game.metrics()
    b = time.perf_counter()
    game.metrics()
    c = time.perf_counter()
    print(
        f"metrics: first {1000 * (b - a):.1f} ms (ceiling model cached after), "
        f"then {1000 * (c - b):.2f} ms"
    )
    g100 = Game(dataset, seed=3)
    for _ in range(100):
        it = g100.next()
        g100.label(it["id"], g100.labels[gold[it["id"]]])
    st = g100.state()
    a = time.perf_counter()
    Game.from_state(st)
    b = time.perf_counter()
    print(f"from_state with 100 labels: {1000 * (b - a):.1f} ms")
    a = time.perf_counter()
    g100.replay_flipped(0.2, seed=0)
    b = time.perf_counter()
    g100.cross_domain("restaurants")
    c = time.perf_counter()
    print(
        f"replay_flipped (100 labels): {1000 * (b - a):.1f} ms; "
        f"cross_domain (first, with feature extraction): {1000 * (c - b):.1f} ms"
    )
    # Same sentences offered and same curve on every runtime (compare the outputs).
    ids = [e[0] for e in st["events"][:20]]
    curve = [round(p["accuracy"], 6) for p in g100.history()]
    print(f"determinism: first ids {ids}; curve sum {sum(curve):.6f}")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Tokenizer speed on CPython: our pure-Python encoder against tiktoken (Rust), one run.

The text is tests/tokenizer_reference.py's mixed text (prose in many languages, code,
numbers, emoji). Ours is timed cold (piece cache emptied first: every piece merged) and
warm (the same text again: the cache the widget relies on while the reader types);
tiktoken has no such cache. Best of --repeat runs each; prints tokens per second and the
ratio ours / tiktoken.

    .venv/bin/python bench/tokenizer_speed.py [--chars 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lecture_widgets.tokenizer.encodings import get_encoding  # noqa: E402
from tokenizer_reference import (  # noqa: E402
    ENCODING_NAMES,
    mixed_text,
    reference_encoding,
    reference_missing,
)


def best(encode, text: str, repeat: int, before=lambda: None) -> float:
    """The shortest of ``repeat`` timings of ``encode(text)``, seconds."""
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        encode(text)
        times.append(time.perf_counter() - start)
    return min(times)


def rate(tokens: int, seconds: float) -> str:
    return f"{tokens / seconds / 1e6:7.2f} M tok/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    why = reference_missing()
    if why:
        sys.exit(f"needs tiktoken's reference: {why}")
    text = mixed_text(args.chars)
    print(f"text: {len(text):,} characters of mixed text, best of {args.repeat}, CPython")
    print(
        f"{'encoding':<12} {'tokens':>8} {'ours cold':>14} {'ours warm':>14} {'tiktoken':>14}"
        f" {'cold/tt':>8} {'warm/tt':>8}"
    )
    for name in ENCODING_NAMES:
        ours, theirs = get_encoding(name), reference_encoding(name)
        ids = ours.encode_ordinary(text)
        assert ids == theirs.encode_ordinary(text), f"{name}: ours differs from tiktoken"
        n = len(ids)
        cold = best(ours.encode_ordinary, text, args.repeat, before=ours.clear_cache)
        warm = best(ours.encode_ordinary, text, args.repeat)
        tt = best(theirs.encode_ordinary, text, args.repeat)
        print(
            f"{name:<12} {n:>8,} {rate(n, cold):>14} {rate(n, warm):>14} {rate(n, tt):>14}"
            f" {tt / cold:>8.3f} {tt / warm:>8.3f}"
        )
    print("ratio = our tokens per second / tiktoken's (1.0 = as fast as tiktoken)")


if __name__ == "__main__":
    main()

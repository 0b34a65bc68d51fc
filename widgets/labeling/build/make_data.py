"""Regenerate ``data/``: the three cleaned sentence sets and the reduced VADER lexicon.

    python -m lecture_widgets.labeling.build.make_data [--fixtures DIR] [--vader FILE]

``--fixtures`` is the folder holding ``imdb.json``, ``amazon.json`` and
``yelp.json`` (npm ``sentiment@5.0.2``, ``test/fixtures``; default: the
project's ``node_modules``). ``--vader`` is ``vader_lexicon.txt`` or the
``vaderSentiment-3.3.2`` wheel containing it (``pip download --no-deps
vaderSentiment==3.3.2``); without it the lexicon file is left as it is.

Cleaning: drop the trailing ``{"text": "", "class": null}`` record; repair the
Windows-1252 characters that were decoded as C1 controls (``\\x96`` -> en dash,
``\\x85`` -> ellipsis); strip and collapse whitespace; drop duplicates (same
words ignoring case and punctuation, first kept) and drop every copy of a
sentence that occurs with both labels. The test split (300 sentences, 150 per
label) is drawn once with a fixed seed and recorded in each file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import zipfile
from pathlib import Path

from ..data import DATA_DIR, DEFAULT_LABELS, DEFAULT_SPLIT_SEED, Dataset, clean_text
from ..data import stratified_test_ids as split
from ..features import CLAUSE_END, TOKEN_RE, dedup_key

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_FIXTURES = PROJECT_ROOT / "node_modules" / "sentiment" / "test" / "fixtures"
#: data set name -> (source file, description)
DOMAINS = {
    "movies": ("imdb.json", "IMDb movie review sentences (Kotzias et al. 2015, UCI)"),
    "products": ("amazon.json", "Amazon product review sentences (Kotzias et al. 2015, UCI)"),
    "restaurants": ("yelp.json", "Yelp restaurant review sentences (Kotzias et al. 2015, UCI)"),
}
TEST_SIZE = 300
LEXICON_NAME = "vader_valence.tsv"


def fix_c1(text: str) -> str:
    """Map C1 control characters back to the Windows-1252 characters they stand for."""
    out = []
    for ch in text:
        if "\x80" <= ch <= "\x9f":
            with contextlib.suppress(UnicodeDecodeError):  # 0x81, 0x8d... stay as they are
                ch = bytes([ord(ch)]).decode("cp1252")
        out.append(ch)
    return "".join(out)


def clean_records(records: list[dict]) -> tuple[list[str], list[int], dict[str, int]]:
    """Texts and 0/1 labels after cleaning, with counts of what was dropped."""
    texts: list[str] = []
    gold: list[int] = []
    first: dict[str, int] = {}
    conflicted: set[str] = set()
    stats = {"records": len(records), "null": 0, "duplicates": 0, "conflicting": 0}
    for rec in records:
        label = rec.get("class")
        text = clean_text(fix_c1(rec.get("text") or ""))
        if label not in (0, 1) or not text:
            stats["null"] += 1
            continue
        key = dedup_key(text) or text
        if key in first:
            if gold[first[key]] != label:
                conflicted.add(key)
            stats["duplicates"] += 1
            continue
        first[key] = len(texts)
        texts.append(text)
        gold.append(label)
    if conflicted:
        keep = [i for i, t in enumerate(texts) if (dedup_key(t) or t) not in conflicted]
        stats["conflicting"] = len(texts) - len(keep)
        texts = [texts[i] for i in keep]
        gold = [gold[i] for i in keep]
    return texts, gold, stats


def build_datasets(fixtures: Path = DEFAULT_FIXTURES) -> dict[str, tuple[Dataset, dict]]:
    """The cleaned data sets with their fixed test splits, and cleaning statistics."""
    out = {}
    for name, (filename, source) in DOMAINS.items():
        with (fixtures / filename).open(encoding="utf-8") as f:
            records = json.load(f)
        texts, gold, stats = clean_records(records)
        test = split(gold, TEST_SIZE, DEFAULT_SPLIT_SEED)
        ds = Dataset(
            name=name,
            labels=DEFAULT_LABELS,
            texts=tuple(texts),
            gold=tuple(gold),
            test_ids=tuple(test),
            split_seed=DEFAULT_SPLIT_SEED,
            source=source,
        )
        out[name] = (ds, stats)
    return out


def read_vader(path: Path) -> str:
    """The text of ``vader_lexicon.txt``, from the file itself or from the wheel."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            return z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
    return path.read_text(encoding="utf-8")


def reduce_lexicon(text: str) -> list[tuple[str, str]]:
    """(word, mean valence) for the entries the tokenizer can produce as one word."""
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word, valence = parts[0], parts[1]
        if TOKEN_RE.fullmatch(word) and word[0] not in CLAUSE_END and word == word.lower():
            float(valence)
            out.append((word, valence))
    return sorted(set(out))


def dump(ds: Dataset) -> str:
    """Compact JSON, one line, UTF-8."""
    return json.dumps(ds.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m lecture_widgets.labeling.build.make_data",
        description=__doc__.split("\n")[0],
    )
    ap.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    ap.add_argument("--vader", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (ds, stats) in build_datasets(args.fixtures).items():
        path = args.out / f"{name}.json"
        path.write_text(dump(ds), encoding="utf-8")
        pos = sum(ds.gold)
        print(
            f"{path.name}: {len(ds.texts)} sentences ({len(ds.texts) - pos} neg / {pos} pos), "
            f"test {len(ds.test_ids)}, pool {len(ds.texts) - len(ds.test_ids)}; "
            f"dropped {stats['null']} null, {stats['duplicates']} duplicate, "
            f"{stats['conflicting']} conflicting; {path.stat().st_size:,} bytes"
        )
    if args.vader is not None:
        entries = reduce_lexicon(read_vader(args.vader))
        path = args.out / LEXICON_NAME
        path.write_text("".join(f"{w}\t{v}\n" for w, v in entries), encoding="utf-8")
        print(f"{path.name}: {len(entries)} words; {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

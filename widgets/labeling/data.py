"""Data sets: the bundled ones, an author's own file, and the fixed test split.

A :class:`Dataset` is a list of sentences with gold labels (0 or 1, naming
``labels[0]`` / ``labels[1]``) and a fixed, recorded held-out test split. The
bundled files in ``data/`` are written by :mod:`.build.make_data`; an author's CSV or
JSONL file is read and validated by :func:`load_author_file` at site build time
and can be written out in the same format with :meth:`Dataset.to_dict`.

Texts are kept as plain strings: whitespace is normalized, nothing else is
touched (no HTML unescaping, no markup stripping). Escaping is the view's job.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..reader_input import ReaderInputError, read_json
from .features import dedup_key

DATA_DIR = Path(__file__).parent / "data"
BUILTIN = ("movies", "products", "restaurants")
#: What each bundled set's sentences review ("movie reviews").
KINDS = {"movies": "movie", "products": "product", "restaurants": "restaurant"}
#: The cross-domain test: the next bundled set (movies → products → restaurants → movies).
NEXT_DOMAIN = {name: BUILTIN[(i + 1) % len(BUILTIN)] for i, name in enumerate(BUILTIN)}
#: ... and for an author's data set, the first bundled one.
AUTHOR_NEXT_DOMAIN = BUILTIN[0]
FORMAT = "lecture-labeling/1"
DEFAULT_LABELS = ("negative", "positive")
DEFAULT_TEST_SIZE = 300
DEFAULT_SPLIT_SEED = 0
#: Each label needs this many sentences left in the pool after the test split.
MIN_POOL_PER_LABEL = 10
#: Upper bound on an author's data set: every label rescores the whole pool.
MAX_ROWS = 2000
MAX_TEXT_CHARS = 2000


class DataError(ValueError):
    """A data file is unusable; the message names the file, the line and the fix."""

    def __init__(self, path: str, line: int | None, problem: str, fix: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}. {fix}")


def other_domain(name: str) -> str:
    """The bundled data set a game on `name` is tested against (:data:`NEXT_DOMAIN`)."""
    return NEXT_DOMAIN.get(name, AUTHOR_NEXT_DOMAIN)


def clean_text(text: str) -> str:
    """Strip and collapse runs of whitespace to one space; nothing else changes."""
    return " ".join(text.split())


def stratified_test_ids(gold: list[int], test_size: int, seed: int) -> list[int]:
    """Pick ``test_size`` ids, alternating label 0 and 1, from a seeded shuffle.

    The alternation makes every even-length prefix exactly balanced, so a game
    with a smaller ``test_size`` can use a prefix of the recorded split.
    """
    rng = random.Random(seed)
    by_label: list[list[int]] = [[], []]
    for i, g in enumerate(gold):
        by_label[g].append(i)
    for ids in by_label:
        rng.shuffle(ids)
    out: list[int] = []
    for k in range(test_size):
        out.append(by_label[k % 2][k // 2])
    return out


@dataclass(frozen=True)
class Dataset:
    """Sentences, gold labels (0/1) and a fixed test split (ids into ``texts``)."""

    name: str
    labels: tuple[str, str]
    texts: tuple[str, ...]
    gold: tuple[int, ...]
    test_ids: tuple[int, ...]
    split_seed: int = DEFAULT_SPLIT_SEED
    source: str = ""
    notes: dict[str, Any] = field(default_factory=dict, compare=False)

    def pool_ids(self) -> list[int]:
        """Ids of the sentences the reader may label (everything not in the test split)."""
        held = set(self.test_ids)
        return [i for i in range(len(self.texts)) if i not in held]

    @property
    def fingerprint(self) -> str:
        """A short hash of texts, gold labels and split: saved games check it on restore."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            blob = json.dumps([self.texts, self.gold, self.test_ids], ensure_ascii=False)
            cached = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
            self.__dict__["_fingerprint"] = cached
        return cached

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written to ``data/*.json`` (and by the build for author data)."""
        return {
            "format": FORMAT,
            "name": self.name,
            "source": self.source,
            "labels": list(self.labels),
            "split_seed": self.split_seed,
            "test_size": len(self.test_ids),
            "fingerprint": self.fingerprint,
            "texts": list(self.texts),
            "gold": "".join(str(g) for g in self.gold),
            "test": list(self.test_ids),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "<data>") -> Dataset:
        """Read the JSON form back, checking its shape and fingerprint."""
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise DataError(
                where,
                None,
                f"not a {FORMAT} data file",
                "Regenerate it with lecture_widgets.labeling.build.make_data",
            )
        texts = d["texts"]
        gold = [int(c) for c in d["gold"]]
        if len(gold) != len(texts) or any(g not in (0, 1) for g in gold):
            raise DataError(
                where, None, "gold labels do not match the texts", "Regenerate the file"
            )
        test = [int(i) for i in d["test"]]
        if len(set(test)) != len(test) or any(not 0 <= i < len(texts) for i in test):
            raise DataError(
                where, None, "test split has repeated or out-of-range ids", "Regenerate the file"
            )
        ds = cls(
            name=str(d["name"]),
            labels=(str(d["labels"][0]), str(d["labels"][1])),
            texts=tuple(texts),
            gold=tuple(gold),
            test_ids=tuple(test),
            split_seed=int(d.get("split_seed", 0)),
            source=str(d.get("source", "")),
        )
        if "fingerprint" in d and d["fingerprint"] != ds.fingerprint:
            raise DataError(
                where,
                None,
                "fingerprint does not match the contents",
                "The file was edited by hand; regenerate it",
            )
        return ds


@cache
def load_builtin(name: str) -> Dataset:
    """One of the bundled data sets: ``movies``, ``products`` or ``restaurants``."""
    if name not in BUILTIN:
        raise DataError(
            name,
            None,
            f"unknown data set {name!r}",
            f"Use one of {', '.join(BUILTIN)}, or an author data file",
        )
    path = DATA_DIR / f"{name}.json"
    with path.open(encoding="utf-8") as f:
        return Dataset.from_dict(json.load(f), str(path))


def _read_rows(path: str, raw: bytes) -> tuple[list[tuple[int, Any, Any]], str]:
    """(line, text, label) per non-blank record, and the format name."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(
            path,
            line,
            "the file is not valid UTF-8",
            "Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        ) from None
    suffix = Path(path).suffix.lower()
    rows: list[tuple[int, Any, Any]] = []
    if suffix in (".jsonl", ".ndjson"):
        for n, line in enumerate(content.split("\n"), start=1):  # (a line may hold U+2028)
            if not line.strip():
                continue
            try:
                obj = read_json(line, max_depth=8)
            except ReaderInputError as e:
                raise DataError(
                    path,
                    n,
                    str(e).rstrip("."),
                    'Write one object per line: {"text": "...", "label": "..."}',
                ) from None
            if not isinstance(obj, dict):
                raise DataError(
                    path,
                    n,
                    f"a JSON {type(obj).__name__} instead of an object",
                    'Write one object per line: {"text": "...", "label": "..."}',
                )
            for key in ("text", "label"):
                if key not in obj:
                    raise DataError(
                        path,
                        n,
                        f"missing key {key!r} (keys: {sorted(obj)})",
                        f'Add "{key}" to every line',
                    )
            rows.append((n, obj["text"], obj["label"]))
        return rows, "jsonl"
    if suffix == ".csv":
        reader = csv.reader(io.StringIO(content, newline=""), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(
                path,
                1,
                "the file is empty",
                "Add a header line 'text,label' and one row per sentence",
            ) from None
        except csv.Error as e:
            raise DataError(path, 1, f"bad CSV ({e})", "Check the quoting") from None
        names = [h.strip().lower() for h in header]
        for key in ("text", "label"):
            if key not in names:
                raise DataError(
                    path,
                    1,
                    f"no column named {key!r} in the header "
                    f"(found: {', '.join(repr(h) for h in header) or 'nothing'})",
                    "The first line must name the columns, e.g. 'text,label'",
                )
        ti, li = names.index("text"), names.index("label")
        while True:
            start = reader.line_num + 1
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                raise DataError(
                    path,
                    start,
                    f"bad CSV ({e})",
                    'Put texts containing commas or quotes in "double quotes" '
                    "and double any quote inside them",
                ) from None
            if not rec or all(not c.strip() for c in rec):
                continue
            if len(rec) <= max(ti, li):
                raise DataError(
                    path,
                    start,
                    f"{len(rec)} field(s), the header has {len(header)}",
                    "Give every row a text and a label; put texts containing "
                    'commas in "double quotes"',
                )
            rows.append((start, rec[ti], rec[li]))
        return rows, "csv"
    raise DataError(
        path,
        None,
        f"unsupported file type {suffix or '(none)'!r}",
        "Use a .csv file (columns text,label) or a .jsonl file "
        '(one {"text": ..., "label": ...} per line)',
    )


def load_author_file(
    path: str | Path,
    *,
    name: str | None = None,
    labels: tuple[str, str] | list[str] | None = None,
    test_size: int = DEFAULT_TEST_SIZE,
    split_seed: int = DEFAULT_SPLIT_SEED,
) -> Dataset:
    """Read and validate an author's data set (CSV or JSONL with ``text`` and ``label``).

    Exactly two label values (any strings). ``labels`` fixes their order (the
    second is treated as the "positive" one by the lexicon baseline); by default
    they are sorted. Exact duplicates (same words, same label) are dropped and
    counted in ``notes``; the same sentence with two labels is an error. The test
    split is stratified, drawn with ``split_seed`` and recorded in the result.
    Raises :class:`DataError` naming the file, the line, the problem and the fix.
    """
    p = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise DataError(
            p, None, f"cannot read the file ({e.strerror})", "Check the path in the page's options"
        ) from None
    rows, fmt = _read_rows(p, raw)
    texts: list[str] = []
    raw_labels: list[str] = []
    lines: list[int] = []
    seen: dict[Any, int] = {}
    dropped = 0
    first_line: dict[str, int] = {}
    for line, text, label in rows:
        if not isinstance(text, str):
            raise DataError(
                p,
                line,
                f"text is a {type(text).__name__}, not a string",
                "Write the text as a string",
            )
        if isinstance(label, bool) or not isinstance(label, str | int):
            raise DataError(
                p,
                line,
                f"label is a {type(label).__name__}, not a string",
                'Write the label as a string, e.g. "positive"',
            )
        label = str(label).strip()
        text = clean_text(text)
        if not text:
            raise DataError(p, line, "empty text", "Remove the row or write its sentence")
        if len(text) > MAX_TEXT_CHARS:
            raise DataError(
                p,
                line,
                f"text is {len(text)} characters long (limit {MAX_TEXT_CHARS})",
                "Use single sentences or short passages",
            )
        if not label:
            raise DataError(p, line, "empty label", "Give every row one of the two labels")
        first_line.setdefault(label, line)
        if len(first_line) > 2:
            found = ", ".join(f"{lab!r} (first on line {n})" for lab, n in first_line.items())
            raise DataError(
                p,
                line,
                f"more than two labels: {found}",
                "The game needs exactly two label values; merge or drop the others",
            )
        key = dedup_key(text) or text
        if key in seen:
            j = seen[key]
            if raw_labels[j] != label:
                raise DataError(
                    p,
                    line,
                    f"the same sentence as line {lines[j]} with a different "
                    f"label ({label!r} vs {raw_labels[j]!r})",
                    "Keep one of the two rows",
                )
            dropped += 1
            continue
        seen[key] = len(texts)
        texts.append(text)
        raw_labels.append(label)
        lines.append(line)
    last = rows[-1][0] if rows else 1
    if len(first_line) < 2:
        found = f"only {next(iter(first_line))!r}" if first_line else "no rows"
        raise DataError(
            p, last, f"{found}; two label values are needed", "Add sentences of the other label"
        )
    if len(texts) > MAX_ROWS:
        raise DataError(
            p,
            None,
            f"{len(texts)} sentences (limit {MAX_ROWS})",
            "Use a random sample: every label the reader gives rescores them all",
        )
    if labels is None:
        order = tuple(sorted(first_line))
    else:
        order = tuple(str(x) for x in labels)
        if len(order) != 2 or set(order) != set(first_line):
            raise DataError(
                p,
                None,
                f"labels option {list(order)} does not match the labels "
                f"in the file {sorted(first_line)}",
                "Fix the option or the file so they name the same two labels",
            )
    gold = [order.index(lab) for lab in raw_labels]
    if test_size < 2 or test_size % 2:
        raise DataError(
            p,
            None,
            f"test_size {test_size} is not an even number >= 2",
            "Use an even test size so both labels are held out equally",
        )
    half = test_size // 2
    for g, lab in enumerate(order):
        have = gold.count(g)
        if have < half + MIN_POOL_PER_LABEL:
            most = 2 * max(0, min(gold.count(0), gold.count(1)) - MIN_POOL_PER_LABEL)
            raise DataError(
                p,
                None,
                f"too few rows for the test split: {have} sentence(s) "
                f"labelled {lab!r}, the split needs {half} of each label held out "
                f"plus {MIN_POOL_PER_LABEL} left to label",
                f"Add rows or lower test_size (at most {most} for this file)"
                if most >= 2
                else "Add rows",
            )
    test = stratified_test_ids(gold, test_size, split_seed)
    return Dataset(
        name=name or Path(path).stem,
        labels=(order[0], order[1]),
        texts=tuple(texts),
        gold=tuple(gold),
        test_ids=tuple(test),
        split_seed=split_seed,
        source=f"author file ({fmt})",
        notes={"duplicates_dropped": dropped, "rows": len(rows)},
    )

"""Features: lowercase words, a negation scope, and a few lexicon flags.

The lexicon (VADER's word valences) only decides whether a flag is *on* in a
sentence ("has a positive word", "has a negated negative word", ...). How much a
flag counts, and for which label, is learned by the model from the reader's
labels alone: the lexicon supplies the flags, not the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_FILE = Path(__file__).parent / "data" / "vader_valence.tsv"

#: Words (letters/digits, inner apostrophes) and clause punctuation.
TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,!?;:]+")
CLAUSE_END = frozenset(".,!?;:")
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nobody",
        "nowhere",
        "neither",
        "nor",
        "cannot",
        "without",
        "hardly",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "wouldnt",
        "cant",
        "couldnt",
        "shouldnt",
        "havent",
        "hasnt",
        "hadnt",
        "aint",
    }
)
#: Words that end a negation scope besides punctuation ("not great but fun").
SCOPE_BREAKERS = frozenset({"but", "however", "although", "though", "yet"})
#: VADER scales a negated word's valence by this factor (vaderSentiment.N_SCALAR).
NEGATION_SCALAR = -0.74
#: A lexicon word turns a flag on when its valence is at least this strong.
FLAG_THRESHOLD = 0.5

#: The lexicon flags, in bit order: name, description when on, when off.
FLAGS: tuple[tuple[str, str, str], ...] = (
    ("@positive", "has a positive word", "no positive word"),
    ("@negative", "has a negative word", "no negative word"),
    ("@not_positive", "has a negated positive word", "no negated positive word"),
    ("@not_negative", "has a negated negative word", "no negated negative word"),
    ("@net_positive", "word valences sum to more than zero", "valences do not sum above zero"),
    ("@net_negative", "word valences sum to less than zero", "valences do not sum below zero"),
)
FLAG_NAMES = tuple(flag[0] for flag in FLAGS)
FLAG_INDEX = {name: i for i, name in enumerate(FLAG_NAMES)}
NEGATED_PREFIX = "not_"


@cache
def load_lexicon() -> dict[str, float]:
    """VADER word -> mean valence (-4..4), from ``data/vader_valence.tsv``."""
    out: dict[str, float] = {}
    with LEXICON_FILE.open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.rstrip("\n").partition("\t")
            if word and value:
                out[word] = float(value)
    return out


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens and clause punctuation, in order."""
    return TOKEN_RE.findall(text.lower().replace("\u2019", "'"))


def words(text: str) -> list[str]:
    """Lowercase word tokens only."""
    return [t for t in tokenize(text) if t[0] not in CLAUSE_END]


def dedup_key(text: str) -> str:
    """Two sentences with the same key count as duplicates (same words, any case/punctuation)."""
    return " ".join(words(text))


def is_negator(token: str) -> bool:
    """``not``, ``never``, ``don't``, ``didnt``..."""
    return token in NEGATORS or token.endswith("n't")


def negation_marks(tokens: list[str]) -> list[bool]:
    """For each token, whether it lies in a negation scope.

    A scope opens after a negator and closes at clause punctuation or a contrast
    word (``but``); the negator itself is not in the scope.
    """
    marks = []
    inside = False
    for tok in tokens:
        if tok[0] in CLAUSE_END or tok in SCOPE_BREAKERS:
            inside = False
            marks.append(False)
        elif is_negator(tok):
            marks.append(False)
            inside = True
        else:
            marks.append(inside)
    return marks


@dataclass(frozen=True)
class FeatureConfig:
    """Which features to extract (the defaults are the game's default feature set)."""

    lexicon_flags: bool = True
    negation: bool = True


@dataclass(frozen=True)
class Analysis:
    """One sentence's features: word features, flags, and which words set each flag."""

    words: tuple[str, ...]
    flags: int
    evidence: dict[str, tuple[str, ...]]


def analyze(text: str, config: FeatureConfig, lexicon: dict[str, float] | None = None) -> Analysis:
    """Word features (``great``, or ``not_great`` in a negation scope when enabled)
    and the lexicon flags as a bit mask, with the words behind each flag."""
    toks = tokenize(text)
    marks = negation_marks(toks)
    feats: list[str] = []
    evidence: dict[str, list[str]] = {}
    hits: list[str] = []
    net = 0.0
    lex = lexicon if lexicon is not None else (load_lexicon() if config.lexicon_flags else {})
    for tok, neg in zip(toks, marks, strict=True):
        if tok[0] in CLAUSE_END:
            continue
        feats.append(NEGATED_PREFIX + tok if neg and config.negation else tok)
        if not config.lexicon_flags or is_negator(tok):
            continue
        v = lex.get(tok)
        if v is None or abs(v) < FLAG_THRESHOLD:
            continue
        shown = f"not {tok}" if neg else tok
        if neg:
            net += v * NEGATION_SCALAR
            flag = "@not_positive" if v > 0 else "@not_negative"
        else:
            net += v
            flag = "@positive" if v > 0 else "@negative"
        evidence.setdefault(flag, []).append(shown)
        hits.append(shown)
    if net > 0:
        evidence["@net_positive"] = hits
    elif net < 0:
        evidence["@net_negative"] = hits
    mask = 0
    for name in evidence:
        mask |= 1 << FLAG_INDEX[name]
    return Analysis(tuple(feats), mask, {k: tuple(v) for k, v in evidence.items()})


def lexicon_score(text: str, lexicon: dict[str, float] | None = None) -> float:
    """Summed VADER valence of the sentence's words, negated words scaled by -0.74."""
    lex = lexicon if lexicon is not None else load_lexicon()
    toks = tokenize(text)
    total = 0.0
    for tok, neg in zip(toks, negation_marks(toks), strict=True):
        v = None if is_negator(tok) else lex.get(tok)
        if v is not None:
            total += v * NEGATION_SCALAR if neg else v
    return total


class FeatureSpace:
    """Feature name <-> id. Documents become ``(word_ids, flag_mask)``.

    Word ids repeat when a word occurs twice (multinomial counts). The space is
    filled once from the pool and test sentences; later texts (``predict``,
    another domain) are encoded without growing it, unknown words dropped.
    """

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.lexicon = load_lexicon() if config.lexicon_flags else {}

    def __len__(self) -> int:
        return len(self.names)

    def encode(self, text: str, grow: bool = False) -> tuple[tuple[int, ...], int]:
        """Word ids (with repeats) and the flag mask of one text."""
        a = analyze(text, self.config, self.lexicon)
        ids = []
        for w in a.words:
            i = self.index.get(w)
            if i is None:
                if not grow:
                    continue
                i = self.index[w] = len(self.names)
                self.names.append(w)
            ids.append(i)
        return tuple(ids), a.flags

    def analyze(self, text: str) -> Analysis:
        """:func:`analyze` with this space's configuration."""
        return analyze(text, self.config, self.lexicon)

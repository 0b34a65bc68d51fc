"""Pre-tokenization: split text into pieces exactly as tiktoken's pattern does, with ``re``.

tiktoken's patterns are written for Rust's regex engine, whose ``\\p{L}``,
``\\p{N}``, ``\\s`` ... follow its own Unicode tables. Python's ``re`` has no
``\\p{...}``, its ``\\s`` also matches ``\\x1c``-``\\x1f``, its ``$`` also matches
before a final newline, and its idea of a letter follows the running Python's
Unicode version (14 on Python 3.11, 16 in Pyodide). So nothing here relies on
``re``'s Unicode knowledge:

- Every character belongs to one *signature*: the set of classes it is in, as
  measured from tiktoken itself (:mod:`.unicode_tables`; 9 signatures).
- Before matching, each non-ASCII character is replaced by one representative
  character of its signature (``str.translate``; same length, so positions
  carry over). ASCII characters and the case-fold characters (long s
  U+017F, Kelvin sign U+212A) stay as they are: the patterns' literals are all ASCII.
- :func:`translate` rewrites the pattern for that small alphabet: a class
  becomes the set of its ASCII members, case-fold characters and
  representatives; ``$`` becomes ``\\Z``; ``(?i:...)`` is spelled out with the
  measured case folds; possessive quantifiers stay (Python >= 3.11).

Pieces are then cut from the original text at the same positions. The regexes
stay small (they compile in about a millisecond) and no character class ever
needs an astral range, which ``re`` would test one by one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .unicode_tables import CASE_FOLDS, RUNS, SIGNATURES

_SURROGATE = re.compile("[\ud800-\udfff]")
_SIMPLE_ESCAPES = {"r": "\r", "n": "\n", "t": "\t"}


def fix_surrogates(text: str) -> str:
    """What tiktoken encodes when ``text`` is not valid UTF-8: surrogate pairs are
    joined, lone surrogates become U+FFFD (the ``utf-16`` round trip tiktoken does)."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _Alphabet:
    """The signature of each code point, and the reduced alphabet used for matching."""

    def __init__(self) -> None:
        starts, sigs = [], []
        for item in RUNS.split():
            start, _, sig = item.partition(":")
            starts.append(int(start, 16))
            sigs.append(int(sig))
        self.starts, self.sigs = starts, sigs
        self.classes = [frozenset(sig.split()) for sig in SIGNATURES]
        #: characters that are matched as themselves
        self.identity = {chr(c) for c in range(128)} | {c for cs in CASE_FOLDS.values() for c in cs}
        #: signature id -> its representative (the first non-identity member)
        self.reps: dict[int, str] = {}
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else 0x110000
            if sigs[i] in self.reps:
                continue
            for cp in range(start, end):
                if chr(cp) not in self.identity and not 0xD800 <= cp <= 0xDFFF:
                    self.reps[sigs[i]] = chr(cp)
                    break
        self.table = _Table(self)

    def signature(self, ch: str) -> int:
        return self.sigs[bisect_right(self.starts, ord(ch)) - 1]

    def members(self, name: str) -> list[str]:
        """Every character of the reduced alphabet that is in class ``name``."""
        out = [c for c in sorted(self.identity) if name in self.classes[self.signature(c)]]
        return out + [rep for sig, rep in sorted(self.reps.items()) if name in self.classes[sig]]


class _Table(dict):
    """``str.translate`` table: code point -> representative, filled on demand."""

    def __init__(self, alphabet: _Alphabet) -> None:
        super().__init__({ord(c): ord(c) for c in alphabet.identity})
        self._alphabet = alphabet

    def __missing__(self, cp: int) -> int:
        rep = ord(self._alphabet.reps[self._alphabet.signature(chr(cp))])
        self[cp] = rep
        return rep


_alphabet: _Alphabet | None = None


def alphabet() -> _Alphabet:
    global _alphabet
    if _alphabet is None:
        _alphabet = _Alphabet()
    return _alphabet


def reduce_text(text: str) -> str:
    """``text`` over the reduced alphabet (same length; ASCII text is returned as is)."""
    return text if text.isascii() else text.translate(alphabet().table)


def _set(chars: set[str], negate: bool = False) -> str:
    body = "".join(sorted(chars))
    return f"[{'^' if negate else ''}{re.escape(body) if body else ''}]"


def _parse_set(pat_str: str, i: int, fold: bool) -> tuple[str, int]:
    """Translate the set starting at ``pat_str[i] == "["``; returns it and the index after."""
    negate = pat_str.startswith("[^", i)
    i += 2 if negate else 1
    chars: set[str] = set()
    while pat_str[i] != "]":
        c = pat_str[i]
        if c == "\\":
            e = pat_str[i + 1]
            if e == "p":
                end = pat_str.index("}", i)
                chars.update(alphabet().members(pat_str[i + 3 : end]))
                i = end + 1
                continue
            if e == "s":
                chars.update(alphabet().members("s"))
            elif e in _SIMPLE_ESCAPES:
                chars.add(_SIMPLE_ESCAPES[e])
            elif e.isalnum():
                raise ValueError(f"unsupported escape \\{e} in a set of {pat_str!r}")
            else:
                chars.add(e)
            i += 2
        elif c in "[-":
            raise ValueError(f"unsupported {c!r} in a set of {pat_str!r}")
        else:
            chars.update(CASE_FOLDS[c.lower()] if fold and c.isascii() and c.isalpha() else c)
            i += 1
    return _set(chars, negate), i + 1


def translate(pat_str: str) -> str:
    """The Python ``re`` pattern that matches :func:`reduce_text` output as tiktoken's
    ``pat_str`` matches the original text.

    Covers the syntax tiktoken's patterns use; anything else raises ValueError.
    """
    out: list[str] = []
    groups: list[bool] = []  # per open group: does it switch case-insensitivity on?
    fold = 0  # number of open (?i:...) groups
    i, n = 0, len(pat_str)
    while i < n:
        c = pat_str[i]
        if c == "[":
            piece, i = _parse_set(pat_str, i, bool(fold))
            out.append(piece)
            continue
        if c == "\\":
            e = pat_str[i + 1]
            if e in "ps":  # a class escape standing alone: a one-class set
                end = pat_str.index("}", i) + 1 if e == "p" else i + 2
                piece, _ = _parse_set(f"[{pat_str[i:end]}]", 0, False)
                out.append(piece)
                i = end
                continue
            if e == "S":
                out.append(_set(set(alphabet().members("s")), negate=True))
            elif e in _SIMPLE_ESCAPES or not e.isalnum():
                out.append(c + e)
            else:
                raise ValueError(f"unsupported escape \\{e} in {pat_str!r}")
            i += 2
            continue
        if c == "(":
            if pat_str.startswith("(?i:", i):
                groups.append(True)
                fold += 1
                out.append("(?:")
                i += 4
                continue
            if not pat_str.startswith(("(?:", "(?!", "(?="), i):
                raise ValueError(f"unsupported group at {i} in {pat_str!r}")
            groups.append(False)
        elif c == ")":
            fold -= groups.pop()
        elif c == "$":
            c = r"\Z"
        elif fold and c.isascii() and c.isalpha():
            c = _set(set(CASE_FOLDS[c.lower()]))
        out.append(c)
        i += 1
    return "".join(out)


class Pretokenizer:
    """Splits text exactly as tiktoken's regex does for one pattern."""

    def __init__(self, pat_str: str) -> None:
        self.pat_str = pat_str
        self.regex = re.compile(translate(pat_str))
        if self.regex.groups:
            raise ValueError("pattern has capturing groups")

    def split(self, text: str) -> list[str]:
        """The pieces of ``text`` (which must hold no surrogates: see :func:`fix_surrogates`)."""
        if text.isascii():
            return self.regex.findall(text)
        pieces = self.regex.findall(text.translate(alphabet().table))
        ends = list(accumulate(map(len, pieces)))
        if (ends[-1] if ends else 0) == len(text):
            # the pieces tile the text: cut the same lengths from the original
            return list(map(text.__getitem__, map(slice, [0, *ends], ends)))
        reduced = text.translate(alphabet().table)
        return [text[m.start() : m.end()] for m in self.regex.finditer(reduced)]

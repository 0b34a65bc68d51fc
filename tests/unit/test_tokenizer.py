"""The pure-Python tokenizer: known answers, API, special tokens, decoding, merges,
display groups, data files. Equality with tiktoken on a large corpus is in
``test_tokenizer_equivalence.py``."""

# ruff: noqa: RUF001  (the test data is deliberately multilingual)

from __future__ import annotations

import ast
import gzip
import json
import random
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from lecture_widgets import tokenizer
from lecture_widgets.tokenizer import bpe as bpe_module
from lecture_widgets.tokenizer import datafile
from lecture_widgets.tokenizer import encodings as encodings_module
from lecture_widgets.tokenizer.datafile import DataFileError
from lecture_widgets.tokenizer.display import token_groups
from lecture_widgets.tokenizer.encodings import (
    bpe_steps,
    data_file,
    get_encoding,
    list_encoding_names,
)
from lecture_widgets.tokenizer.pretokenize import Pretokenizer, fix_surrogates, translate
from tokenizer_reference import NODE_DATA, TEST_PLANS, load_test_plans

NAMES = ["r50k_base", "cl100k_base", "o200k_base"]
PACKAGE = Path(tokenizer.__file__).parent


@pytest.fixture(scope="module")
def cl100k():
    return get_encoding("cl100k_base")


# ---------------------------------------------------------------- known answers


@pytest.mark.parametrize(
    ("name", "text", "ids"),
    [
        ("cl100k_base", "hello world", [15339, 1917]),
        ("cl100k_base", "tiktoken is great!", [83, 1609, 5963, 374, 2294, 0]),
        ("cl100k_base", "9.11 vs 9.9", [24, 13, 806, 6296, 220, 24, 13, 24]),
        ("o200k_base", "hello world", [24912, 2375]),
        ("r50k_base", "hello", [31373]),
        ("gpt2", "hello world", [31373, 995]),
        ("r50k_base", "", []),
        ("cl100k_base", " 👍🏽", [62904, 235, 9468, 237, 121]),
    ],
)
def test_known_answers(name, text, ids):
    enc = get_encoding(name)
    assert enc.encode(text) == ids
    assert enc.encode_ordinary(text) == ids
    assert enc.decode(ids) == text


@pytest.mark.skipif(not TEST_PLANS.exists(), reason=f"{TEST_PLANS} missing (run npm install)")
def test_gpt_tokenizer_golden_cases():
    cases = load_test_plans()
    checked = 0
    for name, sample, ids in cases:
        if name not in NAMES:  # p50k_base / p50k_edit are not shipped
            continue
        enc = get_encoding(name)
        assert enc.encode(sample) == ids, (name, sample)
        assert enc.decode(ids) == sample
        checked += 1
    assert checked >= 180, f"only {checked} golden cases for {NAMES}"


def test_encoding_properties():
    expected = {
        "r50k_base": (50257, {"<|endoftext|>": 50256}),
        "gpt2": (50257, {"<|endoftext|>": 50256}),
        "cl100k_base": (
            100277,
            {
                "<|endoftext|>": 100257,
                "<|fim_prefix|>": 100258,
                "<|fim_middle|>": 100259,
                "<|fim_suffix|>": 100260,
                "<|endofprompt|>": 100276,
            },
        ),
        "o200k_base": (200019, {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
    }
    assert list_encoding_names() == list(expected)
    for name, (n_vocab, specials) in expected.items():
        enc = get_encoding(name)
        assert enc.name == name
        assert enc.n_vocab == n_vocab
        assert enc.special_tokens == specials
        assert enc.special_tokens_set == set(specials)
        assert enc.eot_token == specials["<|endoftext|>"]
        for text, token in specials.items():
            assert enc.decode_single_token_bytes(token) == text.encode()
            assert enc.encode_single_token(text) == token
            assert enc.is_special_token(token)
        assert repr(enc) == f"<Encoding {name!r}>"
    assert get_encoding("cl100k_base") is get_encoding("cl100k_base")  # cached
    # gpt2 shares r50k_base's tables
    assert get_encoding("gpt2")._ranks is get_encoding("r50k_base")._ranks


def test_unknown_encoding():
    with pytest.raises(ValueError, match="cl100k_base"):
        get_encoding("p50k_base")


# ---------------------------------------------------------------- special tokens


def test_special_tokens_follow_tiktoken_rules(cl100k):
    text = "a<|endoftext|>b"
    with pytest.raises(ValueError, match="disallowed special token '<\\|endoftext\\|>'"):
        cl100k.encode(text)
    assert cl100k.encode(text, allowed_special="all") == [64, 100257, 65]
    assert cl100k.encode(text, allowed_special={"<|endoftext|>"}) == [64, 100257, 65]
    ordinary = cl100k.encode(text, disallowed_special=())
    assert ordinary == cl100k.encode_ordinary(text)
    assert 100257 not in ordinary
    assert cl100k.decode(ordinary) == text
    # allowing one special token still rejects the others
    with pytest.raises(ValueError, match="fim_prefix"):
        cl100k.encode("<|fim_prefix|><|endoftext|>", allowed_special={"<|endoftext|>"})
    # disallowing only some: the rest is plain text
    assert cl100k.encode("<|fim_prefix|>", disallowed_special={"<|endoftext|>"}) == (
        cl100k.encode_ordinary("<|fim_prefix|>")
    )
    # any text can be disallowed, as in tiktoken
    with pytest.raises(ValueError):
        cl100k.encode("hello world", disallowed_special={"world"})


def test_special_tokens_cut_pre_tokenization(cl100k):
    # The canonical way (tiktoken's): special tokens split the text first, and each
    # stretch is pre-tokenized on its own, so "\n\n" before a special token is
    # pre-tokenized as if it ended the text.
    rendered = "<|fim_prefix|>x\n\n<|fim_suffix|>  y"
    ids = cl100k.encode(rendered, allowed_special="all")
    assert ids == [100258, *cl100k.encode("x\n\n"), 100260, *cl100k.encode("  y")]
    assert cl100k.decode(ids) == rendered


# ---------------------------------------------------------------- long inputs


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base", "r50k_base"])
def test_100000_spaces_is_fast(name):
    enc = get_encoding(name)
    text = " " * 100_000
    enc.clear_cache()
    start = time.perf_counter()
    ids = enc.encode(text)
    elapsed = time.perf_counter() - start
    assert enc.decode(ids) == text
    assert elapsed < 1.0, f"{elapsed:.2f} s"


def test_long_pieces_round_trip(cl100k):
    rnd = random.Random(7)
    for text in [
        "a" * 5000,
        "ab" * 3000,
        "日本" * 2000,
        "!" * 4000,
        "9" * 3000,
        "".join(chr(rnd.randint(0x61, 0x7A)) for _ in range(5000)),
    ]:
        assert cl100k.decode(cl100k.encode(text)) == text


# ---------------------------------------------------------------- decoding


def test_decode_round_trips():
    texts = [
        "",
        "hello world",
        "  leading and trailing  ",
        "\r\n\t\x0b\x0c\x1c\x85\u3000",
        "¿Dónde? 日本語 한국어 עברית ✨👨‍👩‍👧‍👦🇩🇪",
        "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
        "𝐀𝐁𝟙 \U0010fffd",
        "def f():\n    return 1\n",
        "<|endoftext|> as text",
    ]
    for name in [*NAMES, "gpt2"]:
        enc = get_encoding(name)
        for text in texts:
            ids = enc.encode_ordinary(text)
            assert enc.decode(ids) == text
            assert enc.decode_bytes(ids) == text.encode()
            assert b"".join(enc.decode_tokens_bytes(ids)) == text.encode()


def test_decode_invalid_utf8_and_bad_ids(cl100k):
    ids = cl100k.encode(" 👍")
    assert cl100k.decode(ids[:1]) == " \ufffd"
    assert cl100k.decode_bytes(ids[:1]) == b" \xf0\x9f\x91"
    for bad in [100256, 100261, -1, 100277, 10**12]:
        with pytest.raises(KeyError):
            cl100k.decode([15339, bad])
        with pytest.raises(KeyError):
            cl100k.decode_single_token_bytes(bad)


def test_lone_surrogates_as_tiktoken():
    # tiktoken re-encodes text holding surrogates via utf-16 "surrogatepass" and
    # decodes with "replace": pairs join, lone halves become U+FFFD
    assert fix_surrogates("a\ud83d\ude00b") == "a😀b"
    assert fix_surrogates("a\ud800b\udfff") == "a\ufffdb\ufffd"
    enc = get_encoding("cl100k_base")
    assert enc.encode("x\ud800") == enc.encode("x\ufffd")
    assert enc.encode("\ud83d\ude00") == enc.encode("😀")


# ---------------------------------------------------------------- merges


def test_bpe_steps_invariants():
    rnd = random.Random(3)
    words = [
        " tokenization",
        "hello",
        " Σωκράτης",
        " 👍🏽",
        "  ",
        "antidisestablishment",
        "x",
        " supercalifragilistic",
        "日本語のテキスト",
    ]
    words += [
        "".join(chr(rnd.randint(0x61, 0x7A)) for _ in range(rnd.randint(1, 30))) for _ in range(100)
    ]
    for name in NAMES:
        enc = get_encoding(name)
        ranks = enc._ranks
        for word in words:
            piece = word.encode()
            steps = bpe_steps(word, name)
            assert steps == bpe_steps(piece, enc)
            assert steps[0] == [bytes([b]) for b in piece]
            assert [ranks[p] for p in steps[-1]] == enc.encode_single_piece(piece)
            for before, after in pairwise(steps):
                assert b"".join(after) == piece
                assert len(after) == len(before) - 1
                # the merge made is the lowest-ranked adjacent pair, leftmost on ties
                pair_ranks = [ranks.get(a + b) for a, b in pairwise(before)]
                best = min(r for r in pair_ranks if r is not None)
                i = pair_ranks.index(best)
                assert after == [*before[:i], before[i] + before[i + 1], *before[i + 2 :]]
            last = steps[-1]
            assert all(ranks.get(a + b) is None for a, b in pairwise(last))
    assert bpe_steps(b"") == [[]]


def test_scan_and_heap_merges_agree():
    rnd = random.Random(11)
    for name in NAMES:
        ranks = get_encoding(name)._ranks
        pieces = [b" " * n for n in (2, 39, 40, 41, 97, 300)]
        for _ in range(300):
            n = rnd.choice([2, 5, 17, 39, 40, 41, 64, 150])
            kind = rnd.randrange(3)
            if kind == 0:
                pieces.append(bytes(rnd.randrange(256) for _ in range(n)))
            elif kind == 1:
                pieces.append("".join(chr(rnd.randint(0x61, 0x7A)) for _ in range(n)).encode())
            else:
                pieces.append("".join(rnd.choice(" aeé日👍") for _ in range(n)).encode())
        for piece in pieces:
            scan = [ranks[p] for p in bpe_module._merge_scan(piece, ranks)]
            assert bpe_module._merge_heap(piece, ranks) == scan, piece


# ---------------------------------------------------------------- display groups


def test_token_groups_keep_characters_whole(cl100k):
    ids = cl100k.encode(" 👍🏽 hi<|endoftext|>", allowed_special="all")
    groups = token_groups(cl100k, ids)
    assert json.loads(json.dumps(groups)) == groups  # JSON-able, as is
    tokens = [token for g in groups for token in g["tokens"]]
    assert [bytes(t["bytes"]) for t in tokens] == cl100k.decode_tokens_bytes(ids)
    assert [g["text"] for g in groups] == [" 👍", "🏽", " hi", "<|endoftext|>"]
    assert [g["ids"] for g in groups] == [[62904, 235], [9468, 237, 121], [15960], [100257]]
    assert [g["split"] for g in groups] == [True, True, False, False]
    assert [g["special"] for g in groups] == [False, False, False, True]
    first = groups[0]["tokens"]
    assert first[0] == {
        "id": 62904,
        "bytes": [0x20, 0xF0, 0x9F, 0x91],
        "hex": "20 f0 9f 91",
        "text": None,
        "special": False,
    }
    assert first[1]["bytes"] == [0x8D]
    assert groups[2]["tokens"][0]["text"] == " hi"
    assert [i for g in groups for i in g["ids"]] == ids


def test_token_groups_on_many_texts():
    for name in NAMES:
        enc = get_encoding(name)
        for text in ["👨‍👩‍👧‍👦 family", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o", "日本語のテキスト", "𝐀𝐁𝟙 x", "plain"]:
            ids = enc.encode(text)
            groups = enc.token_groups(ids)
            assert "".join(g["text"] for g in groups) == text
            assert [i for g in groups for i in g["ids"]] == ids
            for g in groups:
                assert g["valid"]
                assert len(g["ids"]) == 1 or g["split"]
                data = b"".join(bytes(t["bytes"]) for t in g["tokens"])
                assert data.decode() == g["text"]


def test_token_groups_incomplete_and_invalid(cl100k):
    ids = cl100k.encode(" 👍")
    groups = cl100k.token_groups(ids[:1])  # ends mid-character
    assert len(groups) == 1
    assert groups[0]["text"] == " \ufffd"
    assert groups[0]["valid"] is False
    # a stray continuation byte is a group of its own, shown as U+FFFD
    cont = cl100k.encode_single_token(b"\x8d")
    groups = cl100k.token_groups([cont, *cl100k.encode("ok")])
    assert [g["text"] for g in groups] == ["\ufffd", "ok"]
    with pytest.raises(KeyError):
        cl100k.token_groups([100256])


# ---------------------------------------------------------------- pre-tokenization


def test_translated_pattern_specifics():
    cl = Pretokenizer(get_encoding("cl100k_base").pat_str)
    # Rust's \s is White_Space: \x1c-\x1f are not spaces for tiktoken (Python's \s says yes)
    assert cl.split("a\x1cb") == ["a", "\x1cb"]
    # $ is the end of the text, not "before a final newline"
    assert cl.split("a  \n") == ["a", "  \n"]
    # (?i:...) folds like Rust: 's also matches the long s
    assert cl.split("it'ſ") == ["it", "'ſ"]
    # superscripts and fractions are \p{N} (Python's \d would say no)
    assert cl.split("x²½①") == ["x", "²½①"]
    o200 = Pretokenizer(get_encoding("o200k_base").pat_str)
    assert o200.split("HelloWORLDfoo's") == ["Hello", "WORLDfoo's"]
    assert o200.split("𞤀𞤢𞤣 𝐀𝐛") == ["𞤀𞤢𞤣", " 𝐀𝐛"]  # astral letters keep their case class
    with pytest.raises(ValueError):
        translate(r"\w+")
    with pytest.raises(ValueError):
        translate(r"(a)")
    with pytest.raises(ValueError):
        translate(r"[a-z]")


# ---------------------------------------------------------------- data files


def test_data_files_present_and_compact():
    sizes = {}
    for name in NAMES:
        path = data_file(name)
        assert path.parent == PACKAGE / "data"
        assert path.name == f"{name}.tokens.gz"
        sizes[name] = path.stat().st_size
    assert sizes["cl100k_base"] < 450_000
    assert sizes["o200k_base"] < 1_050_000
    assert sizes["r50k_base"] < 220_000


def test_datafile_format_round_trip():
    tokens = [bytes([i]) for i in range(256)] + [b"hello", b"\x00\xff" * 100]
    packed = datafile.pack(tokens)
    assert packed[:2] == b"\x1f\x8b"
    assert datafile.unpack(packed) == tokens
    assert datafile.unpack(gzip.decompress(packed)) == tokens  # served already inflated
    with pytest.raises(DataFileError, match="bad magic"):
        datafile.unpack(b"nope" * 10, "x.tokens.gz")
    with pytest.raises(DataFileError, match="truncated"):
        datafile.unpack(gzip.decompress(packed)[:-1], "x")
    with pytest.raises(DataFileError, match="corrupt gzip"):
        datafile.unpack(packed[:40], "x")
    with pytest.raises(ValueError):
        datafile.pack([b""])


def test_missing_data_file_names_it(monkeypatch, tmp_path):
    monkeypatch.setattr(encodings_module, "DATA_DIR", tmp_path)
    monkeypatch.setattr(encodings_module, "_ENCODINGS", {})
    monkeypatch.setattr(encodings_module, "_TABLES", {})
    with pytest.raises(FileNotFoundError, match=r"cl100k_base\.tokens\.gz"):
        get_encoding("cl100k_base")


def test_cl100k_loads_fast(monkeypatch):
    monkeypatch.setattr(encodings_module, "_ENCODINGS", {})
    monkeypatch.setattr(encodings_module, "_TABLES", {})
    monkeypatch.setattr(encodings_module, "_PRETOKENIZERS", {})
    times = []
    for _ in range(3):
        encodings_module._ENCODINGS.clear()
        encodings_module._TABLES.clear()
        encodings_module._PRETOKENIZERS.clear()
        start = time.perf_counter()
        enc = get_encoding("cl100k_base")
        times.append(time.perf_counter() - start)
    assert enc.encode("hello world") == [15339, 1917]
    assert min(times) < 0.5, times


def test_runtime_is_standard_library_only():
    assert not (PACKAGE / "make_data.py").exists()  # build-time scripts live in build/
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                mods = [node.module or ""]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", (path.name, mod)


@pytest.mark.skipif(not NODE_DATA.exists(), reason=f"{NODE_DATA} missing (run npm install)")
def test_data_files_match_the_original_rank_files():
    from lecture_widgets.tokenizer.build.make_data import read_tiktoken_file
    from lecture_widgets.tokenizer.specs import SPECS

    for name in NAMES:
        spec = SPECS[name]
        source = read_tiktoken_file(NODE_DATA / f"{name}.tiktoken", spec.source_sha256)
        assert get_encoding(name).token_byte_values() == source

"""Token-for-token equality with tiktoken (built offline from node_modules' rank files)."""

# ruff: noqa: RUF001  (the test data is deliberately multilingual)

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lecture_widgets.tokenizer.encodings import get_encoding
from tokenizer_reference import (
    CODE,
    CONTRACTIONS,
    EMOJI,
    ENCODING_NAMES,
    PUNCT,
    SENTENCES,
    SPACES,
    SPECIALS,
    has_special_text,
    make_corpus,
    needs_reference,
    reference_encoding,
)

pytestmark = needs_reference()


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return make_corpus()


def _compare(ours, ref, texts, call) -> list[str]:
    """Descriptions of the first mismatches of ``call(enc, text)`` (empty: all equal)."""
    bad = []
    for text in texts:
        try:
            expected = call(ref, text)
        except ValueError as exc:
            expected = ("ValueError", str(exc))
        try:
            got = call(ours, text)
        except ValueError as exc:
            got = ("ValueError", str(exc))
        if got != expected:
            bad.append(f"{text!r}: tiktoken {expected} ours {got}")
            if len(bad) >= 5:
                break
    return bad


@pytest.mark.parametrize("name", ENCODING_NAMES)
def test_corpus_equals_tiktoken(name, corpus):
    assert len(corpus) >= 50_000
    ref, ours = reference_encoding(name), get_encoding(name)
    expected = [ref.encode_ordinary(t) for t in corpus]
    got = [ours.encode_ordinary(t) for t in corpus]
    mismatches = [i for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g]
    details = [f"{corpus[i]!r}: {expected[i]} != {got[i]}" for i in mismatches[:5]]
    assert not mismatches, f"{len(mismatches)} of {len(corpus)} differ:\n" + "\n".join(details)
    # special tokens: allowed, disallowed (ValueError and its message), partly allowed
    special = [t for t in corpus if has_special_text(t)] + corpus[::25]
    assert len(special) > 3000
    calls = [
        lambda e, t: e.encode(t, allowed_special="all"),
        lambda e, t: e.encode(t),
        lambda e, t: e.encode(t, allowed_special={"<|endoftext|>"}, disallowed_special=()),
    ]
    for call in calls:
        bad = _compare(ours, ref, special, call)
        assert not bad, "\n".join(bad)


def test_gpt2_equals_r50k(corpus):
    ref, ours = reference_encoding("r50k_base"), get_encoding("gpt2")
    assert not _compare(ours, ref, corpus[:5000], lambda e, t: e.encode(t, allowed_special="all"))


@pytest.mark.parametrize("name", ENCODING_NAMES)
def test_long_inputs_equal_tiktoken(name):
    ref, ours = reference_encoding(name), get_encoding(name)
    texts = [
        " " * 100_000,
        " " * 5000 + "x",
        "\n" * 3000 + "  y",
        "a" * 10_000,
        "日本語" * 2000,
        "!?" * 3000,
        "1" * 5000,
        "👍🏽" * 1000,
        "\u3000" * 2000 + "x",
        "A" * 5000 + "b",
        "A" * 5000,
        "Zalgo" + "\u0301" * 2000,
    ]
    assert not _compare(ours, ref, texts, lambda e, t: e.encode_ordinary(t))


def test_every_code_point_equals_tiktoken():
    """Every code point, in runs and alone after a space (a class error shows here)."""
    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for name in ENCODING_NAMES:
        ref, ours = reference_encoding(name), get_encoding(name)
        bad = []
        step = 4096
        for i in range(0, len(code_points), step):
            chunk = code_points[i : i + step]
            runs = "".join(map(chr, chunk))
            # every 7th code point after a space, in a different phase per encoding
            spaced = "".join(" " + chr(c) for c in chunk[ENCODING_NAMES.index(name) :: 7])
            for text in (runs, spaced):
                if ref.encode_ordinary(text) != ours.encode_ordinary(text):
                    bad.append(f"U+{chunk[0]:04X}..U+{chunk[-1]:04X}")
        assert not bad, f"{name}: {bad[:10]}"


def test_unicode_tables_match_tiktoken():
    from lecture_widgets.tokenizer.build.make_data import measure_tables
    from lecture_widgets.tokenizer.unicode_tables import CASE_FOLDS, RUNS, SIGNATURES

    signatures, runs, folds = measure_tables()
    assert tuple(signatures) == SIGNATURES
    assert " ".join(f"{start:x}:{sig}" for start, sig in runs) == " ".join(RUNS.split())
    assert folds == CASE_FOLDS


def test_specs_match_openai_public():
    from lecture_widgets.tokenizer.build.make_data import check_specs

    check_specs()  # raises SystemExit on a difference


# ---------------------------------------------------------------- property tests

ATOMS = (
    SENTENCES
    + CODE
    + EMOJI
    + SPACES
    + SPECIALS
    + CONTRACTIONS
    + PUNCT
    + [
        "a",
        "A",
        "1",
        "12345",
        "²",
        "ǅ",
        "ſ",
        "K",
        "\u0301",
        "𝐀",
        "𝐚",
        "𞤀",
        "𞤢",
        "\ud800",
        "\udc00",
    ]
)
# code points from everywhere, lone surrogates and astral ones included
code_point = st.one_of(
    st.integers(0, 0x10FFFF),
    st.integers(0xD800, 0xDFFF),
    st.integers(0x10000, 0x10FFFF),
    st.integers(0, 0x3000),
)
any_text = st.one_of(
    st.lists(code_point, max_size=40).map(lambda cps: "".join(map(chr, cps))),
    st.text(max_size=60),
)
atom_text = st.lists(st.sampled_from(ATOMS), max_size=12).map("".join)
mixed_text = st.lists(st.one_of(st.sampled_from(ATOMS), any_text), max_size=6).map("".join)
SETTINGS = settings(
    max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(st.one_of(any_text, atom_text, mixed_text))
def test_property_encode_equals_tiktoken(text):
    for name in ENCODING_NAMES:
        ref, ours = reference_encoding(name), get_encoding(name)
        assert ours.encode_ordinary(text) == ref.encode_ordinary(text)
        assert ours.encode(text, allowed_special="all") == ref.encode(text, allowed_special="all")


# valid text: no surrogates (a lone surrogate decodes to U+FFFD, as in tiktoken)
valid_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=80),
    atom_text,
    mixed_text,
).filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t))


@SETTINGS
@given(valid_text)
def test_property_decode_inverts_encode(text):
    for name in ENCODING_NAMES:
        enc = get_encoding(name)
        ids = enc.encode(text, allowed_special="all")
        assert enc.decode(ids) == text
        assert "".join(g["text"] for g in enc.token_groups(ids)) == text

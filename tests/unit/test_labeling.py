"""The labeling game core: learning, exact undo, saved state, data, metrics."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lecture_widgets.labeling.build import make_data
from lecture_widgets.labeling.build.simulate import simulate_reader
from lecture_widgets.labeling.data import BUILTIN, Dataset, load_author_file, load_builtin
from lecture_widgets.labeling.features import (
    FLAG_INDEX,
    FeatureConfig,
    analyze,
    dedup_key,
    lexicon_score,
    tokenize,
)
from lecture_widgets.labeling.game import Game, GameError
from lecture_widgets.labeling.metrics import agreement, cohen_kappa, per_class
from lecture_widgets.labeling.model import NaiveBayes

MARKUP = '<img src=x onerror=alert(1)> & <b>"bold"</b> &amp; </script>'

#: The recorded data never changes: these pin texts, labels and test split.
FINGERPRINTS = {"movies": "3f0e2ddc5d43f8c4"}


def play(game: Game, n: int) -> None:
    """A perfect simulated reader: label n offered sentences with their gold label."""
    gold = game.dataset.gold
    for _ in range(n):
        item = game.next()
        game.label(item["id"], game.labels[gold[item["id"]]])


def snapshot(game: Game) -> dict:
    """Everything observable about a game, for exact comparisons."""
    return {
        "model": game.model.state(),
        "next": game.next(),
        "history": game.history(),
        "metrics": game.metrics(),
        "state": game.state(),
        "explain": game.explain("Not good at all, but the music was wonderful."),
    }


# -- learning ------------------------------------------------------------------


def test_simulated_reader_learns_movies_lexicon_beats_plain_bow():
    seeds = range(30)
    lex = [simulate_reader("movies", s, "uncertainty", "lexicon+bow", 20) for s in seeds]
    bow = [simulate_reader("movies", s, "uncertainty", "bow", 20) for s in seeds]
    mean = {n: statistics.fmean(c[n] for c in lex) for n in (0, 5, 20)}
    bow20 = statistics.fmean(c[20] for c in bow)
    print(
        f"\nmovies, 30 seeds, uncertainty: lexicon+bow {mean[0]:.3f} -> {mean[5]:.3f} (5) "
        f"-> {mean[20]:.3f} (20 labels); plain bow at 20: {bow20:.3f}"
    )
    assert mean[0] == 0.5
    assert mean[0] < mean[5] < mean[20]
    assert mean[20] >= 0.68
    assert bow20 < mean[20] - 0.1


def test_reference_lines():
    g = Game("movies")
    assert 0.7 < g.baseline_lexicon() < 0.85
    assert 0.8 < g.ceiling() <= 1.0
    assert g.metrics()["ceiling"] == g.ceiling()


def test_replay_flipped_and_cross_domain():
    g = Game("movies", seed=3)
    play(g, 30)
    same = g.replay_flipped(0.0, seed=1)
    assert same["flipped"] == 0 and same["accuracy"] == same["original"]
    assert same["accuracy"] == [p["accuracy"] for p in g.history()]
    noisy = g.replay_flipped(0.2, seed=1)
    assert noisy["flipped"] == 6 and len(noisy["flipped_ids"]) == 6
    assert len(noisy["accuracy"]) == 31
    assert noisy == g.replay_flipped(0.2, seed=1)
    assert noisy["flipped_ids"] != g.replay_flipped(0.2, seed=2)["flipped_ids"]
    assert g.replay_flipped(1.0)["accuracy"][-1] < 0.5
    with pytest.raises(GameError):
        g.replay_flipped(1.5)
    cross = g.cross_domain("restaurants")
    assert cross["from"] == "movies" and cross["to"] == "restaurants"
    assert cross["n_labels"] == 30 and cross["n_test"] == 300
    assert 0.5 < cross["accuracy"] <= 1 and 0.5 < cross["transfer_ceiling"] <= 1
    assert cross["in_domain_accuracy"] == g.history()[-1]["accuracy"]
    with pytest.raises(GameError):
        g.cross_domain("movies")


# -- undo and saved state ------------------------------------------------------


def test_undo_restores_exactly_the_previous_model():
    g = Game("movies", seed=5)
    play(g, 15)
    before = snapshot(g)
    item = g.next()
    g.label(item["id"], "negative")  # maybe against gold: any label must undo exactly
    assert g.model.state() != before["model"]
    undone = g.undo()
    assert undone["undone"] == {"id": item["id"], "label": "negative"}
    assert snapshot(g) == before
    g.skip(item["id"])
    assert g.next()["id"] != item["id"]
    g.undo()
    assert snapshot(g) == before


def test_undo_everything_gives_a_fresh_game():
    g = Game("products", seed=2)
    fresh = snapshot(g)
    play(g, 10)
    g.skip(g.next()["id"])
    for _ in range(11):
        g.undo()
    assert g.undo() == {"undone": None, "n_labels": 0}
    assert snapshot(g) == fresh


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["gold", "flip", "skip", "undo"]), max_size=25))
def test_any_action_sequence_undoes_exactly(actions):
    g = Game("restaurants", seed=7)
    gold = g.dataset.gold
    stack = [g.model.state()]
    for act in actions:
        if act == "undo":
            if len(stack) > 1:
                stack.pop()
            g.undo()
        else:
            item = g.next()
            if act == "skip":
                g.skip(item["id"])
            else:
                y = gold[item["id"]] if act == "gold" else 1 - gold[item["id"]]
                g.label(item["id"], g.labels[y])
            stack.append(g.model.state())
        assert g.model.state() == stack[-1]


def test_naive_bayes_add_remove_is_exact():
    m = NaiveBayes(5, 2)
    empty = m.state()
    docs = [((0, 1, 1), 0b01), ((2, 3), 0b10), ((4,), 0b11), ((1, 2, 3), 0)]
    for i, d in enumerate(docs):
        m.add(d, i % 2)
    mid = m.state()
    m.add(docs[0], 1)
    m.remove(docs[0], 1)
    assert m.state() == mid
    for i, d in reversed(list(enumerate(docs))):
        m.remove(d, i % 2)
    assert m.state() == empty
    with pytest.raises(ValueError):
        m.remove(docs[0], 0)


def test_state_round_trip_rebuilds_the_identical_game():
    g = Game("movies", seed=11, sampling="uncertainty")
    play(g, 12)
    g.skip(g.next()["id"])
    play(g, 3)
    g.undo()
    item = g.next()
    g.label(item["id"], "positive")
    saved = json.loads(json.dumps(g.state()))
    assert len(json.dumps(saved)) < 1000
    restored = Game.from_state(saved)
    assert snapshot(restored) == snapshot(g)
    # and both keep going the same way
    play(g, 5)
    play(restored, 5)
    assert snapshot(restored) == snapshot(g)


def test_state_refuses_other_data_and_corrupt_input(tmp_path):
    g = Game("movies")
    play(g, 2)
    st_ = g.state()
    with pytest.raises(GameError, match="another version"):
        Game.from_state({**st_, "fingerprint": "0000000000000000"})
    with pytest.raises(GameError, match="not a saved"):
        Game.from_state({"version": 99})
    with pytest.raises(GameError):
        Game.from_state({**st_, "events": [[g.dataset.test_ids[0], "positive"]]})
    with pytest.raises(GameError, match="corrupt"):
        Game.from_state({k: v for k, v in st_.items() if k != "seed"})


def test_random_sampling_and_determinism():
    a, b = Game("movies", seed=1, sampling="random"), Game("movies", seed=1, sampling="random")
    play(a, 5)
    play(b, 5)
    assert a.state() == b.state()
    c = Game("movies", seed=2, sampling="random")
    play(c, 5)
    assert c.state()["events"] != a.state()["events"]
    # next() is stable until the reader acts
    assert a.next() == a.next()


def test_uncertainty_picks_the_least_confident_sentence():
    g = Game("movies", seed=4)
    play(g, 8)
    item = g.next()
    avail = [i for i in g._pool if i not in g._labeled]
    margins = {i: abs(g.model.log_odds(g._docs[i])) for i in avail}
    assert margins[item["id"]] == pytest.approx(min(margins.values()), abs=1e-9)
    p = item["probabilities"]
    assert set(p) == {"negative", "positive"} and sum(p.values()) == pytest.approx(1.0)


# -- API contract ----------------------------------------------------------------


def test_outputs_are_json():
    g = Game("restaurants", seed=0, labels=("bad", "good"))
    play(g, 6)
    outputs = [
        g.next(),
        g.metrics(),
        g.history(),
        g.explain("Great food!"),
        g.predict("awful"),
        g.state(),
        g.replay_flipped(0.5),
        g.cross_domain("products"),
        g.label(g.next()["id"], "good"),
        g.skip(g.next()["id"]),
        g.undo(),
    ]
    for out in outputs:
        assert json.loads(json.dumps(out, allow_nan=False)) == out
    assert set(g.predict("awful")) == {"bad", "good"}
    assert set(g.metrics()["per_class"]) == {"bad", "good"}


def test_explain_contributions_add_up_and_name_their_evidence():
    g = Game("movies", seed=0)
    play(g, 25)
    text = "The plot was not good, but the actors were wonderful."
    ex = g.explain(text, top=50)
    total = ex["prior"] + ex["rest"] + sum(c["weight"] for c in ex["contributions"])
    assert total == pytest.approx(ex["log_odds"], abs=1e-9)
    assert ex["rest"] == 0
    assert ex["probabilities"] == g.predict(text)
    for c in ex["contributions"]:
        assert c["toward"] == ("positive" if c["weight"] > 0 else "negative")
    flags = {c["feature"]: c for c in ex["contributions"] if c["kind"] == "flag"}
    assert flags["@not_positive"]["present"] and flags["@not_positive"]["evidence"] == ["not good"]
    assert flags["@positive"]["evidence"] == ["wonderful"]
    words = {c["feature"] for c in ex["contributions"] if c["kind"] == "word"}
    assert "not_good" in words and "wonderful" in words
    weights = [abs(c["weight"]) for c in g.explain(text, top=4)["contributions"]]
    assert weights == sorted(weights, reverse=True) and len(weights) == 4
    assert g.explain("zzzqqq xyzzy")["unknown_words"] == ["zzzqqq", "xyzzy"]


def test_bad_calls_raise_game_errors():
    g = Game("movies")
    test_id = g.dataset.test_ids[0]
    item = g.next()
    for call in (
        lambda: g.label(test_id, "positive"),
        lambda: g.label(item["id"], "neutral"),
        lambda: g.label(10**6, "positive"),
        lambda: g.label("3", "positive"),
        lambda: g.explain(None),
        lambda: Game("nope"),
        lambda: Game("movies", sampling="greedy"),
        lambda: Game("movies", features="bert"),
        lambda: Game("movies", test_size=301),
        lambda: Game("movies", labels=("positive", "negative")),
        lambda: Game("movies", labels=("same", "same")),
    ):
        with pytest.raises(GameError):
            call()
    g.label(item["id"], "positive")
    with pytest.raises(GameError, match="already labelled"):
        g.label(item["id"], "negative")
    with pytest.raises(GameError):
        g.skip(item["id"])


def test_smaller_test_size_uses_a_balanced_prefix():
    g = Game("movies", test_size=100)
    gold = [g.dataset.gold[i] for i in g._test]
    assert len(gold) == 100 and sum(gold) == 50
    assert g._test == list(g.dataset.test_ids[:100])
    assert set(g._pool).isdisjoint(g.dataset.test_ids)


def test_pool_runs_out(tmp_path):
    rows = [
        {
            "text": f"sentence number {i} is {'good' if i % 2 else 'bad'}",
            "label": "yes" if i % 2 else "no",
        }
        for i in range(44)
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    ds = load_author_file(path, test_size=20)
    g = Game(ds, test_size=20)
    play(g, 24)
    assert g.next() is None
    assert g.metrics()["n_labels"] == 24
    restored = Game.from_state(g.state(), dataset=ds.to_dict())
    assert restored.model.state() == g.model.state()


def test_label_and_next_are_fast():
    g = Game("movies", seed=9)
    gold = g.dataset.gold
    item = g.next()
    times = []
    for _ in range(60):
        t0 = time.perf_counter()
        g.label(item["id"], g.labels[gold[item["id"]]])
        item = g.next()
        times.append(time.perf_counter() - t0)
    median = statistics.median(times) * 1000
    print(f"\nlabel + next (pool {len(g._pool)}, test {g.test_size}): median {median:.2f} ms")
    assert median < 10


# -- data ------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_data_is_clean_and_split(name):
    ds = load_builtin(name)
    assert ds.labels == ("negative", "positive")
    assert 980 <= len(ds.texts) <= 1000
    assert all(t == " ".join(t.split()) and t for t in ds.texts)
    assert not any("\x80" <= c <= "\x9f" for t in ds.texts for c in t)
    assert len({dedup_key(t) for t in ds.texts}) == len(ds.texts)
    test = ds.test_ids
    assert len(test) == 300 and len(set(test)) == 300
    assert sum(ds.gold[i] for i in test) == 150
    assert set(ds.pool_ids()).isdisjoint(test)
    assert len(ds.pool_ids()) + 300 == len(ds.texts)
    if name in FINGERPRINTS:
        assert ds.fingerprint == FINGERPRINTS[name]
    assert Dataset.from_dict(json.loads(json.dumps(ds.to_dict()))) == ds


FIXTURES = make_data.DEFAULT_FIXTURES


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="npm package 'sentiment' not installed")
def test_data_files_are_reproducible():
    for name, (ds, _stats) in make_data.build_datasets(FIXTURES).items():
        shipped = (make_data.DATA_DIR / f"{name}.json").read_text(encoding="utf-8")
        assert make_data.dump(ds) == shipped


def test_markup_passes_through_as_plain_text(tmp_path):
    products = load_builtin("products")
    assert any("AT&T;" in t for t in products.texts)
    # the original has one HTML entity; it is kept literally, not unescaped
    assert "in addition it feels &amp; looks as if the phone" in " ".join(products.texts)
    path = tmp_path / "markup.csv"
    marked = [f"{MARKUP} #{k}" for k in range(6)]
    rows = ["text,label"] + [f'"{m.replace(chr(34), chr(34) * 2)}",good' for m in marked]
    rows += [f"plain sentence {i},{'good' if i % 2 else 'bad'}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds = load_author_file(path, test_size=10)
    assert list(ds.texts[:6]) == marked
    g = Game(ds, test_size=10, sampling="random")
    offered = []
    while (item := g.next()) is not None:
        if "<img" in item["text"]:
            offered.append(item["text"])
        g.label(item["id"], "good")
    in_pool = [m for i, m in enumerate(marked) if i in g._pool]
    assert in_pool and sorted(offered) == sorted(in_pool)
    assert g.explain(MARKUP)["text"] == MARKUP
    assert Dataset.from_dict(json.loads(json.dumps(ds.to_dict()))).texts[:6] == tuple(marked)
    jl = tmp_path / "markup.jsonl"
    jl.write_text(
        "\n".join(
            json.dumps({"text": t, "label": "good" if i % 2 else "bad"})
            for i, t in enumerate([MARKUP] + [f"s {i}" for i in range(40)])
        ),
        encoding="utf-8",
    )
    assert load_author_file(jl, test_size=10).texts[0] == MARKUP


# -- features and metrics --------------------------------------------------------


def test_tokens_negation_and_flags():
    toks = tokenize("Don\u2019t buy it, NOT great!")
    assert toks == ["don't", "buy", "it", ",", "not", "great", "!"]
    a = analyze("I didn't like it, but the ending was not bad.", FeatureConfig())
    assert "not_like" in a.words and "not_bad" in a.words and "ending" in a.words
    assert a.evidence["@not_positive"] == ("not like",)
    assert a.evidence["@not_negative"] == ("not bad",)
    assert a.flags >> FLAG_INDEX["@positive"] & 1 == 0
    plain = analyze("I didn't like it", FeatureConfig(lexicon_flags=False, negation=False))
    assert plain.words == ("i", "didn't", "like", "it") and plain.flags == 0
    assert lexicon_score("good") > 0 > lexicon_score("not good")
    assert lexicon_score("the table") == 0


def test_metrics():
    assert cohen_kappa([0, 1, 0, 1], [0, 1, 0, 1]) == 1.0
    assert cohen_kappa([0, 1, 0, 1], [1, 0, 1, 0]) == -1.0
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert cohen_kappa([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]) == pytest.approx(1 / 6)
    pc = per_class([0, 0, 1, 1], [0, 1, 1, 1], ["a", "b"])
    assert pc["a"] == {"precision": 0.5, "recall": 1.0, "support": 1, "predicted": 2}
    assert pc["b"] == {"precision": 1.0, "recall": 2 / 3, "support": 3, "predicted": 2}
    assert per_class([0, 0], [0, 0], ["a", "b"])["b"]["precision"] is None
    ag = agreement([0, 1, 1], [0, 1, 0])
    assert ag["n"] == 3 and ag["agree"] == 2 and ag["rate"] == pytest.approx(2 / 3)
    assert agreement([], [])["rate"] is None


def test_reader_agreement_in_metrics():
    g = Game("movies", seed=0)
    gold = g.dataset.gold
    for k in range(10):
        item = g.next()
        y = gold[item["id"]] if k % 5 else 1 - gold[item["id"]]
        res = g.label(item["id"], g.labels[y])
        assert res["agrees"] == (k % 5 != 0)
    ag = g.metrics()["agreement"]
    assert ag["n"] == 10 and ag["agree"] == 8 and ag["rate"] == 0.8
    assert -1 <= ag["kappa"] < 1


def test_data_dir_contents():
    names = {p.name for p in make_data.DATA_DIR.iterdir()}
    assert {
        "movies.json",
        "products.json",
        "restaurants.json",
        "vader_valence.tsv",
        "SOURCES.md",
    } <= names
    sources = (make_data.DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for needle in ("Kotzias", "CC BY 4.0", "10.24432/C57604", "MIT License", "Hutto"):
        assert needle in sources
    assert Path(make_data.DATA_DIR / "vader_valence.tsv").stat().st_size < 150_000

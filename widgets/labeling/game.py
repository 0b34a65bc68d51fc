"""The labeling game: the reader labels sentences, Naive Bayes learns after each one.

Everything a method takes or returns is JSON-able (str, int, float, bool, None,
lists, dicts), so the browser view can drive it over JSON RPC. Class 0/1 are the
data set's two labels in its order (``negative``, ``positive`` for the bundled
sets); log-odds and contribution weights are "towards ``labels[1]``".

Determinism: the model depends only on the labels given (integer counts), and
the choice of the next sentence only on ``seed``, the number of actions so far
and the model, so :meth:`Game.from_state` rebuilds the same game from the saved
list of actions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .data import BUILTIN, Dataset, load_builtin
from .features import FLAGS, FeatureConfig, FeatureSpace, lexicon_score
from .metrics import accuracy, agreement, per_class
from .model import Doc, NaiveBayes, probability

SAMPLING = ("uncertainty", "random")
#: Feature sets by name. "lexicon+bow" (default): words, ``not_``-marked inside a
#: negation scope, plus the six lexicon flags. "bow": plain lowercase words. The
#: other two exist for the measurements in ``simulate``.
FEATURE_SETS = {
    "lexicon+bow": FeatureConfig(lexicon_flags=True, negation=True),
    "bow": FeatureConfig(lexicon_flags=False, negation=False),
    "lexicon+bow-negation": FeatureConfig(lexicon_flags=True, negation=False),
    "bow+negation": FeatureConfig(lexicon_flags=False, negation=True),
}
DEFAULT_FEATURES = "lexicon+bow"
#: Model settings: plain Laplace smoothing, no fitted prior (alternatives measured, none
#: clearly better; see bench/labeling_logreg.py for logistic regression).
MODEL_DEFAULTS: dict[str, Any] = {"alpha": 1.0, "flag_alpha": 1.0, "fit_prior": False}
STATE_VERSION = 1
#: Two log-odds closer than this are a tie for uncertainty sampling.
TIE = 1e-9


class GameError(ValueError):
    """A call the game cannot honour (unknown id, label twice, bad option...)."""


@dataclass
class _Prepared:
    """Features of every sentence of a data set, computed once per process."""

    dataset: Dataset
    config: FeatureConfig
    space: FeatureSpace
    docs: list[Doc]
    cache: dict[Any, Any] = field(default_factory=dict)


_PREPARED: dict[tuple[str, str, FeatureConfig], _Prepared] = {}


def _prepare(ds: Dataset, config: FeatureConfig) -> _Prepared:
    key = (ds.name, ds.fingerprint, config)
    prep = _PREPARED.get(key)
    if prep is None:
        space = FeatureSpace(config)
        docs = [space.encode(t, grow=True) for t in ds.texts]
        prep = _PREPARED[key] = _Prepared(ds, config, space, docs)
    return prep


def _resolve(dataset: str | Dataset | dict[str, Any]) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    if isinstance(dataset, dict):
        return Dataset.from_dict(dataset)
    if isinstance(dataset, str):
        if dataset not in BUILTIN:
            raise GameError(
                f"unknown data set {dataset!r}: use one of {', '.join(BUILTIN)} "
                "or pass the author's data set"
            )
        return load_builtin(dataset)
    raise GameError(f"dataset must be a name, a Dataset or its dict, not {type(dataset).__name__}")


class Game:
    """One reader's game on one data set.

    ``Game(dataset="movies", seed=0, sampling="uncertainty", test_size=300)``.
    ``labels`` renames the data set's two labels (in its order); ``features`` is
    ``"lexicon+bow"`` (default) or ``"bow"`` (plain bag of words), see
    :data:`FEATURE_SETS`.
    """

    def __init__(
        self,
        dataset: str | Dataset | dict[str, Any] = "movies",
        seed: int = 0,
        sampling: str = "uncertainty",
        test_size: int = 300,
        labels: tuple[str, str] | list[str] | None = None,
        features: str = DEFAULT_FEATURES,
        model_options: dict[str, Any] | None = None,
    ) -> None:
        ds = _resolve(dataset)
        if sampling not in SAMPLING:
            raise GameError(f"sampling must be one of {SAMPLING}, not {sampling!r}")
        if features not in FEATURE_SETS:
            raise GameError(f"features must be one of {tuple(FEATURE_SETS)}, not {features!r}")
        if not isinstance(test_size, int) or not 2 <= test_size <= len(ds.test_ids):
            raise GameError(
                f"test_size must be an integer from 2 to {len(ds.test_ids)} "
                f"(the recorded split of {ds.name!r}), not {test_size!r}"
            )
        if labels is None:
            names = ds.labels
        else:
            ok = isinstance(labels, list | tuple) and len(labels) == 2
            names = (str(labels[0]), str(labels[1])) if ok else ()
            if len(set(names)) != 2:
                raise GameError(f"labels must be two different strings, not {labels!r}")
            if set(names) == set(ds.labels) and names != ds.labels:
                raise GameError(
                    f"labels rename the data set's labels in its order "
                    f"{list(ds.labels)}; got them swapped: {list(names)}"
                )
        unknown = set(model_options or {}) - set(MODEL_DEFAULTS)
        if unknown:
            raise GameError(f"unknown model_options {sorted(unknown)}")
        self.dataset = ds
        self.seed = int(seed)
        self.sampling = sampling
        self.test_size = test_size
        self.labels: tuple[str, str] = (names[0], names[1])
        self.features = features
        self.model_options = {**MODEL_DEFAULTS, **(model_options or {})}
        self._prep = _prepare(ds, FEATURE_SETS[features])
        self._docs = self._prep.docs
        self._test = list(ds.test_ids[:test_size])
        self._test_docs = [self._docs[i] for i in self._test]
        self._test_gold = [ds.gold[i] for i in self._test]
        self._pool = ds.pool_ids()
        self._pool_set = set(self._pool)
        self.model = self._new_model()
        self._events: list[tuple[int, int | None]] = []
        self._labeled: dict[int, int] = {}
        self._skipped: set[int] = set()
        self._history = [self._test_accuracy()]
        self._current: dict[str, Any] | None = None

    # -- internals -------------------------------------------------------------

    def _new_model(self) -> NaiveBayes:
        n_flags = len(FLAGS) if self._prep.config.lexicon_flags else 0
        return NaiveBayes(len(self._prep.space), n_flags, **self.model_options)

    def _test_predictions(self, model: NaiveBayes | None = None) -> list[int]:
        m = model or self.model
        return [1 if lo > 0 else 0 for lo in m.log_odds_many(self._test_docs)]

    def _test_accuracy(self, model: NaiveBayes | None = None) -> float:
        return accuracy(self._test_predictions(model), self._test_gold)

    def _label_index(self, label: str) -> int:
        if label not in self.labels:
            raise GameError(f"label must be one of {list(self.labels)}, not {label!r}")
        return self.labels.index(label)

    def _check_pool_id(self, id: int) -> int:
        if isinstance(id, bool) or not isinstance(id, int):
            raise GameError(f"id must be an integer, not {id!r}")
        if id not in self._pool_set:
            where = "in the held-out test set" if 0 <= id < len(self.dataset.texts) else "unknown"
            raise GameError(f"sentence {id} is {where}; only pool sentences can be labelled")
        return id

    def _rng(self) -> random.Random:
        return random.Random(f"{self.seed}:{len(self._events)}")

    def _encode(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise GameError(f"text must be a string, not {type(text).__name__}")
        return self._prep.space.encode(text)

    def _probabilities(self, lo: float) -> dict[str, float]:
        p1 = probability(lo)
        return {self.labels[0]: 1.0 - p1, self.labels[1]: p1}

    # -- playing ---------------------------------------------------------------

    def next(self) -> dict[str, Any] | None:
        """The sentence to label next ({"id", "text", ...}), or None when the pool is done.

        Calling it again without labelling returns the same sentence.
        """
        if self._current is not None:
            return self._copy_current()
        avail = [i for i in self._pool if i not in self._labeled and i not in self._skipped]
        if not avail:
            return None
        rng = self._rng()
        if self.sampling == "random":
            pick = rng.choice(avail)
            lo = self.model.log_odds(self._docs[pick])
        else:
            scores = self.model.log_odds_many([self._docs[i] for i in avail])
            best = min(map(abs, scores))
            ties = [i for i, s in zip(avail, scores, strict=True) if abs(s) <= best + TIE]
            pick = ties[0] if len(ties) == 1 else rng.choice(ties)
            lo = scores[avail.index(pick)]
        self._current = {
            "id": pick,
            "text": self.dataset.texts[pick],
            "remaining": len(avail),
            "probabilities": self._probabilities(lo),
        }
        return self._copy_current()

    def _copy_current(self) -> dict[str, Any]:
        cur = dict(self._current or {})
        cur["probabilities"] = dict(cur["probabilities"])
        return cur

    def label(self, id: int, label: str) -> dict[str, Any]:
        """Record the reader's label for a pool sentence and update the model."""
        self._check_pool_id(id)
        y = self._label_index(label)
        if id in self._labeled:
            raise GameError(f"sentence {id} is already labelled; undo() first to change it")
        self.model.add(self._docs[id], y)
        self._labeled[id] = y
        self._skipped.discard(id)
        self._events.append((id, y))
        acc = self._test_accuracy()
        self._history.append(acc)
        self._current = None
        gold = self.dataset.gold[id]
        return {
            "id": id,
            "label": label,
            "gold": self.labels[gold],
            "agrees": gold == y,
            "n_labels": len(self._labeled),
            "accuracy": acc,
        }

    def skip(self, id: int) -> dict[str, Any]:
        """Leave a sentence out (it will not be offered again unless undone)."""
        self._check_pool_id(id)
        if id in self._labeled:
            raise GameError(f"sentence {id} is already labelled")
        if id in self._skipped:
            raise GameError(f"sentence {id} is already skipped")
        self._skipped.add(id)
        self._events.append((id, None))
        self._current = None
        return {"id": id, "skipped": len(self._skipped)}

    def undo(self) -> dict[str, Any]:
        """Take back the last label or skip; the model is exactly as before it."""
        if not self._events:
            return {"undone": None, "n_labels": 0}
        id, y = self._events.pop()
        if y is None:
            self._skipped.discard(id)
        else:
            self.model.remove(self._docs[id], y)
            del self._labeled[id]
            self._history.pop()
            if any(i == id and v is None for i, v in self._events):
                self._skipped.add(id)
        self._current = None
        return {
            "undone": {"id": id, "label": None if y is None else self.labels[y]},
            "n_labels": len(self._labeled),
        }

    # -- reading the model -----------------------------------------------------

    def predict(self, text: str) -> dict[str, float]:
        """Probability of each label for any text (unknown words are ignored)."""
        return self._probabilities(self.model.log_odds(self._encode(text)))

    def explain(self, text: str, top: int = 8) -> dict[str, Any]:
        """Which words and lexicon flags pushed the prediction, strongest first.

        Each contribution has a signed ``weight`` (log-odds towards ``labels[1]``)
        and ``toward`` (the label it pushes to). The weights, the ``prior`` and
        ``rest`` (contributions beyond ``top``) add up to ``log_odds``.
        """
        if isinstance(top, bool) or not isinstance(top, int) or top < 0:
            raise GameError(f"top must be a non-negative integer, not {top!r}")
        doc = self._encode(text)
        analysis = self._prep.space.analyze(text)
        words, flags, prior = self.model.contributions(doc)
        names = self._prep.space.names
        items: list[dict[str, Any]] = [
            {"kind": "word", "feature": names[i], "count": n, "weight": w} for i, n, w in words
        ]
        for k, on, w in flags:
            name, on_text, off_text = FLAGS[k]
            items.append(
                {
                    "kind": "flag",
                    "feature": name,
                    "present": on,
                    "description": on_text if on else off_text,
                    "evidence": list(analysis.evidence.get(name, ())),
                    "weight": w,
                }
            )
        items.sort(key=lambda d: -abs(d["weight"]))
        for d in items:
            d["toward"] = self.labels[1] if d["weight"] > 0 else self.labels[0]
        lo = self.model.log_odds(doc)
        known = {names[i] for i in doc[0]}
        unknown = [w for w in analysis.words if w not in known]
        return {
            "text": text,
            "log_odds": lo,
            "probabilities": self._probabilities(lo),
            "prediction": self.labels[1] if lo > 0 else self.labels[0],
            "prior": prior,
            "contributions": items[:top],
            "rest": sum(d["weight"] for d in items[top:]),
            "unknown_words": unknown,
        }

    def metrics(self) -> dict[str, Any]:
        """Held-out scores now, agreement with gold labels, and the reference lines."""
        pred = self._test_predictions()
        ids = list(self._labeled)
        return {
            "n_labels": len(ids),
            "n_skipped": len(self._skipped),
            "n_test": len(self._test),
            "accuracy": accuracy(pred, self._test_gold),
            "per_class": per_class(pred, self._test_gold, self.labels),
            "agreement": agreement(
                [self._labeled[i] for i in ids], [self.dataset.gold[i] for i in ids]
            ),
            "baseline_lexicon": self.baseline_lexicon(),
            "ceiling": self.ceiling(),
        }

    def history(self) -> list[dict[str, Any]]:
        """Held-out accuracy after each label (point 0: before any label)."""
        out: list[dict[str, Any]] = [{"n": 0, "accuracy": self._history[0]}]
        labelled = [(i, y) for i, y in self._events if y is not None]
        for n, ((id, y), acc) in enumerate(zip(labelled, self._history[1:], strict=True), 1):
            out.append(
                {
                    "n": n,
                    "accuracy": acc,
                    "id": id,
                    "label": self.labels[y],
                    "agrees": self.dataset.gold[id] == y,
                }
            )
        return out

    # -- reference lines and experiments --------------------------------------

    def baseline_lexicon(self) -> float:
        """Accuracy of the rule "sign of the summed VADER valence" on the test set.

        A positive sum predicts ``labels[1]``, a negative or zero sum (no lexicon
        word, or they cancel) ``labels[0]``. Nothing is learned.
        """
        key = ("baseline", self.test_size)
        cache = self._prep.cache
        if key not in cache:
            texts = self.dataset.texts
            pred = [1 if lexicon_score(texts[i]) > 0 else 0 for i in self._test]
            cache[key] = accuracy(pred, self._test_gold)
        return cache[key]

    def _train_gold(self) -> NaiveBayes:
        key = ("ceiling-model", tuple(sorted(self.model_options.items())))
        cache = self._prep.cache
        if key not in cache:
            m = self._new_model()
            for i in self._pool:
                m.add(self._docs[i], self.dataset.gold[i])
            cache[key] = m
        return cache[key]

    def ceiling(self) -> float:
        """Accuracy with every pool sentence labelled with its gold label."""
        key = ("ceiling", self.test_size, tuple(sorted(self.model_options.items())))
        cache = self._prep.cache
        if key not in cache:
            cache[key] = self._test_accuracy(self._train_gold())
        return cache[key]

    def replay_flipped(self, fraction: float, seed: int = 0) -> dict[str, Any]:
        """Retrain on the reader's own labels, in order, with a seeded fraction flipped.

        Returns the accuracy curve (point 0 = no labels) next to the reader's own.
        """
        if not 0.0 <= fraction <= 1.0:
            raise GameError(f"fraction must be between 0 and 1, not {fraction!r}")
        labelled = [(i, y) for i, y in self._events if y is not None]
        k = round(fraction * len(labelled))
        flip = set(random.Random(f"flip:{seed}").sample(range(len(labelled)), k))
        m = self._new_model()
        curve = [self._test_accuracy(m)]
        for n, (i, y) in enumerate(labelled):
            m.add(self._docs[i], 1 - y if n in flip else y)
            curve.append(self._test_accuracy(m))
        return {
            "fraction": fraction,
            "seed": seed,
            "flipped": k,
            "flipped_ids": [labelled[n][0] for n in sorted(flip)],
            "accuracy": curve,
            "original": list(self._history),
        }

    def cross_domain(self, other: str | Dataset | dict[str, Any]) -> dict[str, Any]:
        """The reader's model (trained here) scored on another data set's test split.

        Words never seen in this data set are ignored. ``transfer_ceiling`` is the
        same with every pool sentence here labelled with its gold label.
        """
        ods = _resolve(other)
        if ods.fingerprint == self.dataset.fingerprint:
            raise GameError("cross_domain needs a different data set")
        space = self._prep.space
        test = ods.test_ids[: self.test_size]
        docs = [space.encode(ods.texts[i]) for i in test]
        gold = [ods.gold[i] for i in test]

        def score(m: NaiveBayes) -> float:
            return accuracy([1 if lo > 0 else 0 for lo in m.log_odds_many(docs)], gold)

        return {
            "from": self.dataset.name,
            "to": ods.name,
            "n_labels": len(self._labeled),
            "n_test": len(test),
            "accuracy": score(self.model),
            "in_domain_accuracy": self._history[-1],
            "transfer_ceiling": score(self._train_gold()),
        }

    # -- saving ----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """A small JSON-able record of the game: settings plus the reader's actions."""
        st: dict[str, Any] = {
            "version": STATE_VERSION,
            "dataset": self.dataset.name,
            "fingerprint": self.dataset.fingerprint,
            "seed": self.seed,
            "sampling": self.sampling,
            "test_size": self.test_size,
            "labels": list(self.labels),
            "features": self.features,
            "events": [[i, None if y is None else self.labels[y]] for i, y in self._events],
        }
        if self.model_options != MODEL_DEFAULTS:
            st["model_options"] = dict(self.model_options)
        return st

    @classmethod
    def from_state(
        cls, state: dict[str, Any], dataset: str | Dataset | dict[str, Any] | None = None
    ) -> Game:
        """Rebuild a game from :meth:`state`, replaying its actions.

        ``dataset`` is needed for an author's data set (a bundled one is found by
        name); a saved game whose data changed since is refused.
        """
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise GameError("not a saved labeling game (or a newer version)")
        try:
            ds = _resolve(dataset if dataset is not None else state["dataset"])
            if ds.fingerprint != state.get("fingerprint"):
                raise GameError(
                    f"the saved game was played on another version of "
                    f"{ds.name!r}; its labels cannot be restored"
                )
            game = cls(
                ds,
                seed=state["seed"],
                sampling=state["sampling"],
                test_size=state["test_size"],
                labels=state["labels"],
                features=state["features"],
                model_options=state.get("model_options"),
            )
            for id, label in state["events"]:
                if label is None:
                    game.skip(id)
                else:
                    game.label(id, label)
        except GameError:
            raise
        except (KeyError, TypeError, ValueError) as e:
            raise GameError(f"corrupt saved game ({type(e).__name__}: {e})") from None
        return game

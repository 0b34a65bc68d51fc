"""A one-layer GPT in standard-library Python: forward, gradients, Adam.

    x₀ = embed[token] + position[t]
    x₁ = x₀ + out · attention(norm(x₀))        causal, ``heads`` heads
    x₂ = x₁ + down · relu(up · norm(x₁))
    p  = softmax(embed · norm(x₂))              the next token (embeddings tied)

``norm`` is RMS normalization without a gain; no biases. Every matrix is a list of rows
and the arithmetic goes a row at a time (``map`` over rows is the fastest arithmetic pure
Python has). The loss may cover some positions only (the assistant's tokens): the
forward pass then computes queries, the feed-forward block and the logits at those
positions only, keys and values everywhere.

The same model in numpy, batched, pretrains the base model (``build/numpy_gpt.py``); a
test checks both give the same probabilities and gradients.
"""

from __future__ import annotations

import base64
import math
import sys
from array import array
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import repeat
from operator import add, mul
from typing import Any

EPS = 1e-5  # in the normalization: sqrt(mean(x²) + EPS)

Vector = list[float]
Params = dict[str, list[Vector]]


@dataclass(frozen=True)
class Shape:
    vocab: int
    context: int  # the most positions the model sees
    dim: int
    heads: int
    ffn: int  # the feed-forward block's width

    def sizes(self) -> dict[str, tuple[int, int]]:
        """Rows and columns of each parameter, in the order of the weights file."""
        d = self.dim
        return {
            "embed": (self.vocab, d),
            "position": (self.context, d),
            "query": (d, d),
            "key": (d, d),
            "value": (d, d),
            "out": (d, d),
            "up": (self.ffn, d),
            "down": (d, self.ffn),
        }


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(map(mul, a, b))


def matvec(rows: Sequence[Vector], x: Sequence[float]) -> Vector:
    return [sum(map(mul, row, x)) for row in rows]


def axpy(y: Vector, a: float, x: Sequence[float]) -> Vector:
    """y + a·x, as a new list."""
    return list(map(add, y, map(mul, x, repeat(a))))


def outer(rows: list[Vector], column: Sequence[float], row: Sequence[float]) -> None:
    """rows += column ⊗ row, in place."""
    for i, g in enumerate(column):
        rows[i] = axpy(rows[i], g, row)


def transpose(rows: Sequence[Sequence[float]]) -> list[Vector]:
    return [list(column) for column in zip(*rows, strict=True)]


def norm(x: Sequence[float]) -> tuple[Vector, float]:
    r = 1.0 / math.sqrt(dot(x, x) / len(x) + EPS)
    return [value * r for value in x], r


def norm_back(dn: Sequence[float], n: Sequence[float], r: float) -> Vector:
    mean = dot(dn, n) / len(n)
    return [r * (g - value * mean) for g, value in zip(dn, n, strict=True)]


def softmax(z: Sequence[float]) -> Vector:
    top = max(z)
    e = [math.exp(value - top) for value in z]
    total = sum(e)
    return [value / total for value in e]


class State:
    """A sequence as the model has read it so far: per position the input, its
    normalization, keys and values (what later positions attend to)."""

    def __init__(self) -> None:
        self.tokens: list[int] = []
        self.x0: list[Vector] = []
        self.n1: list[Vector] = []
        self.r1: list[float] = []
        self.keys: list[Vector] = []
        self.values: list[Vector] = []


class Model:
    def __init__(self, shape: Shape, params: Params) -> None:
        self.shape = shape
        self.params = params

    def copy(self) -> Model:
        return Model(
            self.shape, {name: [row[:] for row in rows] for name, rows in self.params.items()}
        )

    # -- forward -------------------------------------------------------------------------

    def read(self, state: State, token: int) -> None:
        """Add ``token`` to ``state`` (at the next position)."""
        t = len(state.tokens)
        if t >= self.shape.context:
            raise ValueError(f"more than {self.shape.context} tokens")
        x0 = list(map(add, self.params["embed"][token], self.params["position"][t]))
        n1, r1 = norm(x0)
        state.tokens.append(token)
        state.x0.append(x0)
        state.n1.append(n1)
        state.r1.append(r1)
        state.keys.append(matvec(self.params["key"], n1))
        state.values.append(matvec(self.params["value"], n1))

    def predict(self, state: State, t: int) -> dict[str, Any]:
        """Everything position ``t`` computes after attention reads positions ≤ t; ``p``:
        the next token's probabilities."""
        hd = self.shape.dim // self.shape.heads
        scale = 1.0 / math.sqrt(hd)
        q = matvec(self.params["query"], state.n1[t])
        att, y = [], []
        for h in range(self.shape.heads):
            lo, hi = h * hd, (h + 1) * hd
            qh = q[lo:hi]
            weights = softmax([dot(qh, key[lo:hi]) * scale for key in state.keys[: t + 1]])
            att.append(weights)
            yh = [0.0] * hd
            for w, value in zip(weights, state.values[: t + 1], strict=True):
                yh = axpy(yh, w, value[lo:hi])
            y += yh
        x1 = list(map(add, state.x0[t], matvec(self.params["out"], y)))
        n2, r2 = norm(x1)
        pre = matvec(self.params["up"], n2)
        u = [value if value > 0 else 0.0 for value in pre]
        x2 = list(map(add, x1, matvec(self.params["down"], u)))
        n3, r3 = norm(x2)
        p = softmax(matvec(self.params["embed"], n3))
        return {"q": q, "att": att, "y": y, "n2": n2, "r2": r2, "u": u, "n3": n3, "r3": r3, "p": p}

    def probabilities(self, tokens: Sequence[int]) -> Vector:
        """The next token's probabilities after ``tokens``."""
        state = State()
        for token in tokens:
            self.read(state, token)
        return self.predict(state, len(tokens) - 1)["p"]

    def loss(self, tokens: Sequence[int], trained: Sequence[int]) -> float:
        """The summed loss of ``tokens[t]`` for each t in ``trained`` (forward only)."""
        state = State()
        for token in tokens[:-1]:
            self.read(state, token)
        return -sum(
            math.log(max(self.predict(state, t - 1)["p"][tokens[t]], 1e-300)) for t in trained
        )

    # -- backward ------------------------------------------------------------------------

    def accumulate(
        self, tokens: Sequence[int], trained: Sequence[int], grads: Params, weight: float
    ) -> float:
        """Add ``weight`` times the gradient of the summed loss of ``tokens[t]`` for each t
        in ``trained`` (each given the tokens before it) to ``grads``; return that loss.

        Gradients flowing back to a layer's input are dot products with the columns of its
        weights (``columns``), and those of a weight matrix sums of outer products."""
        params, d = self.params, self.shape.dim
        hd = d // self.shape.heads
        scale = 1.0 / math.sqrt(hd)
        columns = {name: transpose(params[name]) for name in params if name != "position"}
        state = State()
        for token in tokens[:-1]:
            self.read(state, token)
        length = len(state.tokens)
        dkeys = [[0.0] * d for _ in range(length)]
        dvalues = [[0.0] * d for _ in range(length)]
        dx0 = [[0.0] * d for _ in range(length)]
        dn1_query: dict[int, Vector] = {}
        loss = 0.0
        for target_at in trained:
            t = target_at - 1  # the position that predicts it
            f = self.predict(state, t)
            target = tokens[target_at]
            loss -= math.log(max(f["p"][target], 1e-300))
            dlogits = [value * weight for value in f["p"]]
            dlogits[target] -= weight
            gembed = grads["embed"]
            for v, g in enumerate(dlogits):
                gembed[v] = axpy(gembed[v], g, f["n3"])
            dx2 = norm_back(matvec(columns["embed"], dlogits), f["n3"], f["r3"])
            outer(grads["down"], dx2, f["u"])
            dpre = [
                g if u > 0 else 0.0
                for g, u in zip(matvec(columns["down"], dx2), f["u"], strict=True)
            ]
            outer(grads["up"], dpre, f["n2"])
            dx1 = list(map(add, dx2, norm_back(matvec(columns["up"], dpre), f["n2"], f["r2"])))
            outer(grads["out"], dx1, f["y"])
            dy = matvec(columns["out"], dx1)
            dq: Vector = []
            for h in range(self.shape.heads):
                lo, hi = h * hd, (h + 1) * hd
                dyh, weights, qh = dy[lo:hi], f["att"][h], f["q"][lo:hi]
                datt = [dot(dyh, value[lo:hi]) for value in state.values[: t + 1]]
                mean = dot(datt, weights)
                dqh = [0.0] * hd
                for s, (w, da) in enumerate(zip(weights, datt, strict=True)):
                    ds = w * (da - mean) * scale
                    dqh = axpy(dqh, ds, state.keys[s][lo:hi])
                    dkeys[s][lo:hi] = axpy(dkeys[s][lo:hi], ds, qh)
                    dvalues[s][lo:hi] = axpy(dvalues[s][lo:hi], w, dyh)
                dq += dqh
            outer(grads["query"], dq, state.n1[t])
            dx0[t] = list(map(add, dx0[t], dx1))
            dn1_query[t] = matvec(columns["query"], dq)
        # keys and values: their weights' gradients summed over positions at once
        n1 = transpose(state.n1)
        for name, dh in (("key", dkeys), ("value", dvalues)):
            by_row = transpose(dh)
            grads[name] = [
                list(map(add, row, [dot(g, x) for x in n1]))
                for row, g in zip(grads[name], by_row, strict=True)
            ]
        for s in range(length):
            dn1 = list(
                map(add, matvec(columns["key"], dkeys[s]), matvec(columns["value"], dvalues[s]))
            )
            if s in dn1_query:
                dn1 = list(map(add, dn1, dn1_query[s]))
            dx = list(map(add, dx0[s], norm_back(dn1, state.n1[s], state.r1[s])))
            token = state.tokens[s]
            grads["embed"][token] = list(map(add, grads["embed"][token], dx))
            grads["position"][s] = list(map(add, grads["position"][s], dx))
        return loss

    def zero_grads(self) -> Params:
        return {name: [[0.0] * len(rows[0]) for _ in rows] for name, rows in self.params.items()}

    # -- the weights file ----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Shape and float32 weights (base64, little-endian), JSON-able."""
        out: dict[str, Any] = {"shape": asdict(self.shape)}
        for name in self.shape.sizes():
            values = array("f", (value for row in self.params[name] for value in row))
            if sys.byteorder == "big":
                values.byteswap()
            out[name] = base64.b64encode(values.tobytes()).decode("ascii")
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        shape = Shape(**data["shape"])
        params: Params = {}
        for name, (rows, cols) in shape.sizes().items():
            values = array("f")
            values.frombytes(base64.b64decode(data[name]))
            if sys.byteorder == "big":
                values.byteswap()
            if len(values) != rows * cols:
                raise ValueError(f"weights {name}: {len(values)} values, expected {rows} by {cols}")
            flat = values.tolist()
            params[name] = [flat[r * cols : (r + 1) * cols] for r in range(rows)]
        return cls(shape, params)


class Adam:
    """Adam (Kingma & Ba 2015) over every parameter, with bias correction."""

    def __init__(
        self, params: Params, lr: float, betas: tuple[float, float] = (0.9, 0.99), eps: float = 1e-8
    ) -> None:
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.m = {name: [[0.0] * len(rows[0]) for _ in rows] for name, rows in params.items()}
        self.v = {name: [[0.0] * len(rows[0]) for _ in rows] for name, rows in params.items()}
        #: the rows with moments (a row without any and without a gradient stays as it is)
        self.moving: dict[str, set[int]] = {name: set() for name in params}
        self.steps = 0

    def step(self, params: Params, grads: Params) -> None:
        self.steps += 1
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1 - b1, 1 - b2
        rate = self.lr * math.sqrt(1 - b2**self.steps) / (1 - b1**self.steps)
        eps = self.eps
        for name, rows in params.items():
            ms, vs, gs, moving = self.m[name], self.v[name], grads[name], self.moving[name]
            for r, g in enumerate(gs):
                if r not in moving:  # all its moments are zero: it moves once it has a gradient
                    if not any(g):
                        continue
                    moving.add(r)
                m = ms[r] = [b1 * mi + c1 * gi for mi, gi in zip(ms[r], g, strict=True)]
                v = vs[r] = [b2 * vi + c2 * gi * gi for vi, gi in zip(vs[r], g, strict=True)]
                rows[r] = [
                    p - rate * mi / (math.sqrt(vi) + eps)
                    for p, mi, vi in zip(rows[r], m, v, strict=True)
                ]

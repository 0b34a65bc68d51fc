"""The lab's model (:mod:`..model`) in numpy, batched: forward, loss and gradients for
pretraining. Same parameters, same arithmetic; a test checks both give the same
probabilities and gradients."""

from __future__ import annotations

import numpy as np

from ..model import EPS, Shape

Arrays = dict[str, np.ndarray]


def init(shape: Shape, rng: np.random.Generator) -> Arrays:
    d, f = shape.dim, shape.ffn
    params = {
        "embed": rng.normal(0, 0.3, (shape.vocab, d)),
        "position": rng.normal(0, 0.1, (shape.context, d)),
    }
    for name, (rows, cols) in shape.sizes().items():
        if name not in params:
            params[name] = rng.normal(0, 1 / np.sqrt(cols), (rows, cols))
    params["out"] *= 0.5
    params["down"] *= 0.5
    assert params["up"].shape == (f, d)
    return params


def rms(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = 1 / np.sqrt((x * x).mean(axis=-1, keepdims=True) + EPS)
    return x * r, r


def rms_back(dn: np.ndarray, n: np.ndarray, r: np.ndarray) -> np.ndarray:
    return r * (dn - n * (dn * n).mean(axis=-1, keepdims=True))


def forward(params: Arrays, shape: Shape, inputs: np.ndarray) -> Arrays:
    """Every intermediate of the forward pass over ``inputs`` (B, T); ``p``: the next
    token's probabilities after each position."""
    b, t = inputs.shape
    heads, hd = shape.heads, shape.dim // shape.heads
    f: Arrays = {"x0": params["embed"][inputs] + params["position"][:t]}
    f["n1"], f["r1"] = rms(f["x0"])
    for name in ("query", "key", "value"):
        f[name] = (f["n1"] @ params[name].T).reshape(b, t, heads, hd).transpose(0, 2, 1, 3)
    scores = f["query"] @ f["key"].transpose(0, 1, 3, 2) / np.sqrt(hd)
    scores = np.where(np.tril(np.ones((t, t), dtype=bool)), scores, -np.inf)
    att = np.exp(scores - scores.max(axis=-1, keepdims=True))
    f["att"] = att / att.sum(axis=-1, keepdims=True)
    f["y"] = (f["att"] @ f["value"]).transpose(0, 2, 1, 3).reshape(b, t, -1)
    f["x1"] = f["x0"] + f["y"] @ params["out"].T
    f["n2"], f["r2"] = rms(f["x1"])
    f["pre"] = f["n2"] @ params["up"].T
    f["u"] = np.maximum(f["pre"], 0)
    f["x2"] = f["x1"] + f["u"] @ params["down"].T
    f["n3"], f["r3"] = rms(f["x2"])
    logits = f["n3"] @ params["embed"].T
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    f["p"] = p / p.sum(axis=-1, keepdims=True)
    return f


def probabilities(params: Arrays, shape: Shape, tokens: list[int]) -> np.ndarray:
    """The next token's probabilities after each prefix of ``tokens`` (one sequence)."""
    return forward(params, shape, np.asarray(tokens)[None, :])["p"][0]


def loss_and_grads(
    params: Arrays, shape: Shape, tokens: np.ndarray, weights: np.ndarray
) -> tuple[float, Arrays]:
    """Mean cross-entropy of ``tokens[:, 1:]`` given the tokens before, weighted by
    ``weights`` (B, T) (1 where trained), and its gradient."""
    inputs, targets = tokens[:, :-1], tokens[:, 1:]
    b, t = inputs.shape
    d, heads, hd = shape.dim, shape.heads, shape.dim // shape.heads
    f = forward(params, shape, inputs)
    total = weights.sum()
    picked = np.take_along_axis(f["p"], targets[..., None], axis=-1)[..., 0]
    loss = float(-(np.log(picked) * weights).sum() / total)

    dlogits = f["p"].copy()
    np.put_along_axis(dlogits, targets[..., None], picked[..., None] - 1, axis=-1)
    dlogits *= (weights / total)[..., None]
    flat = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731
    grads = {"embed": flat(dlogits).T @ flat(f["n3"])}
    dx2 = rms_back(dlogits @ params["embed"], f["n3"], f["r3"])
    grads["down"] = flat(dx2).T @ flat(f["u"])
    dpre = (dx2 @ params["down"]) * (f["pre"] > 0)
    grads["up"] = flat(dpre).T @ flat(f["n2"])
    dx1 = dx2 + rms_back(dpre @ params["up"], f["n2"], f["r2"])
    grads["out"] = flat(dx1).T @ flat(f["y"])
    dy = (dx1 @ params["out"]).reshape(b, t, heads, hd).transpose(0, 2, 1, 3)
    att = f["att"]
    datt = dy @ f["value"].transpose(0, 1, 3, 2)
    dscores = att * (datt - (datt * att).sum(axis=-1, keepdims=True)) / np.sqrt(hd)
    per_head = {
        "query": dscores @ f["key"],
        "key": dscores.transpose(0, 1, 3, 2) @ f["query"],
        "value": att.transpose(0, 1, 3, 2) @ dy,
    }
    dn1 = np.zeros_like(f["n1"])
    for name, dh in per_head.items():
        dflat = dh.transpose(0, 2, 1, 3).reshape(b, t, d)
        grads[name] = flat(dflat).T @ flat(f["n1"])
        dn1 += dflat @ params[name]
    dx0 = dx1 + rms_back(dn1, f["n1"], f["r1"])
    np.add.at(grads["embed"], inputs, dx0)
    grads["position"] = np.zeros_like(params["position"])
    grads["position"][:t] = dx0.sum(axis=0)
    return loss, grads

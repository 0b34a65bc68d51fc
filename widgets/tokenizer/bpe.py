"""Byte-pair merging of one piece, as tiktoken does it.

The rule (tiktoken's ``_byte_pair_merge``): start from single bytes; while some
pair of neighbouring parts is a token, merge the pair with the lowest rank
(the leftmost one if that pair occurs more than once). The parts left are the
tokens.

Two implementations of the same rule: a list scan for short pieces (fast in
Python because ``min`` and ``list.index`` run in C), and a heap with a linked
list for long ones, where the scan would be quadratic (``" " * 100_000``).
"""

from __future__ import annotations

from heapq import heapify, heappop, heappush
from itertools import pairwise

#: pieces longer than this many bytes are merged with the heap
HEAP_THRESHOLD = 40
_NONE = 1 << 62  # "not a token": larger than every rank


def merge(piece: bytes, ranks: dict[bytes, int]) -> list[int]:
    """The token ids of ``piece`` (non-empty) under ``ranks``."""
    if len(piece) > HEAP_THRESHOLD:
        return _merge_heap(piece, ranks)
    return [ranks[part] for part in _merge_scan(piece, ranks)]


def _merge_scan(piece: bytes, ranks: dict[bytes, int]) -> list[bytes]:
    get = ranks.get
    parts = [piece[i : i + 1] for i in range(len(piece))]
    pair_ranks = [get(piece[i : i + 2], _NONE) for i in range(len(piece) - 1)]
    while pair_ranks:
        best = min(pair_ranks)
        if best == _NONE:
            break
        i = pair_ranks.index(best)
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
        del pair_ranks[i]
        if i < len(pair_ranks):
            pair_ranks[i] = get(parts[i] + parts[i + 1], _NONE)
        if i:
            pair_ranks[i - 1] = get(parts[i - 1] + parts[i], _NONE)
    return parts


def _merge_heap(piece: bytes, ranks: dict[bytes, int]) -> list[int]:
    # Parts are identified by their start offset; nxt/prv link the live parts.
    # pair[i] is the rank of (part at i + the part after it). A heap entry is
    # rank * m + i (one int compares faster than a tuple; smallest = lowest rank,
    # then leftmost). An entry is stale when its rank no longer equals pair[i]:
    # a pair only ever grows, and different byte strings have different ranks,
    # so a stale rank never comes back.
    get = ranks.get
    n = len(piece)
    m = n + 1
    nxt = list(range(1, n + 1))
    prv = list(range(-1, n - 1))
    pair = [get(piece[i : i + 2], _NONE) for i in range(n - 1)]
    pair.append(_NONE)
    heap = [rank * m + i for i, rank in enumerate(pair) if rank != _NONE]
    heapify(heap)
    while heap:
        rank, i = divmod(heappop(heap), m)
        if pair[i] != rank:
            continue
        j = nxt[i]
        k = nxt[j]  # the merged part is piece[i:k]
        nxt[i] = k
        pair[j] = _NONE
        if k < n:
            prv[k] = i
            rank = pair[i] = get(piece[i : nxt[k]], _NONE)
            if rank != _NONE:
                heappush(heap, rank * m + i)
        else:
            pair[i] = _NONE
        p = prv[i]
        if p >= 0:
            rank = pair[p] = get(piece[p:k], _NONE)
            if rank != _NONE:
                heappush(heap, rank * m + p)
    out = []
    i = 0
    while i < n:
        out.append(ranks[piece[i : nxt[i]]])
        i = nxt[i]
    return out


def merge_steps(piece: bytes, ranks: dict[bytes, int]) -> list[list[bytes]]:
    """The parts after each merge: first the single bytes, last the final tokens.

    Quadratic in the piece length (it copies the parts at every step); meant
    for showing the merges of a word, not for long pieces.
    """
    get = ranks.get
    parts = [piece[i : i + 1] for i in range(len(piece))]
    steps = [list(parts)]
    while len(parts) > 1:
        pair_ranks = [get(a + b, _NONE) for a, b in pairwise(parts)]
        best = min(pair_ranks)
        if best == _NONE:
            break
        i = pair_ranks.index(best)
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
        steps.append(list(parts))
    return steps

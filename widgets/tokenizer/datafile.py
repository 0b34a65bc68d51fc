"""The compact rank file: every mergeable token's bytes, in rank order.

Layout (all of it gzip-compressed, see :func:`pack`)::

    b"TKNR"             magic
    u8                  format version (1)
    u32 little-endian   n, the number of tokens (ranks 0 .. n-1)
    n x u8              the length of each token, in rank order
    ...                 the tokens' bytes, concatenated in rank order

Lengths first and bytes after compresses better than interleaving them and
splits with C-level slicing (no Python loop per token). :func:`unpack` also
accepts the uncompressed layout, in case a web server has already undone the
gzip layer (``Content-Encoding``) before the runtime wrote the file.
"""

from __future__ import annotations

import zlib
from itertools import accumulate

MAGIC = b"TKNR"
VERSION = 1
_HEADER = len(MAGIC) + 1 + 4
_GZIP_MAGIC = b"\x1f\x8b"


class DataFileError(ValueError):
    """A rank file is missing, truncated or not in this format."""


def pack(tokens: list[bytes]) -> bytes:
    """The gzip-compressed file for ``tokens`` (index = rank); byte-for-byte reproducible."""
    if any(not 0 < len(t) < 256 for t in tokens):
        raise ValueError("every token must be 1..255 bytes long")
    raw = b"".join(
        [
            MAGIC,
            bytes([VERSION]),
            len(tokens).to_bytes(4, "little"),
            bytes(len(t) for t in tokens),
            *tokens,
        ]
    )
    import gzip  # build time only: importing it costs the browser 20 ms

    return gzip.compress(raw, compresslevel=9, mtime=0)


def unpack(data: bytes, source: str = "<data>") -> list[bytes]:
    """The tokens (index = rank) stored in ``data`` (compressed or not)."""
    if data[:2] == _GZIP_MAGIC:
        try:
            data = zlib.decompress(data, wbits=31)  # one gzip member, as pack() writes
        except zlib.error as exc:
            raise DataFileError(f"{source}: corrupt gzip data ({exc})") from exc
    if data[:4] != MAGIC or len(data) < _HEADER:
        raise DataFileError(f"{source}: not a tokenizer rank file (bad magic)")
    if data[4] != VERSION:
        raise DataFileError(f"{source}: format version {data[4]}, expected {VERSION}")
    n = int.from_bytes(data[5:9], "little")
    lengths = data[_HEADER : _HEADER + n]
    offsets = list(accumulate(lengths, initial=_HEADER + n))
    if len(lengths) != n or offsets[-1] != len(data):
        raise DataFileError(f"{source}: truncated or oversized ({len(data)} bytes)")
    return list(map(data.__getitem__, map(slice, offsets, offsets[1:])))

"""Pyodide's core packed for the network: the bytes a reader downloads to start Python.

A static host gzips text (some hosts also WebAssembly) but not zip files, and Pyodide's
standard library comes deflated one file at a time. Packed once per Pyodide release (and
kept in the cache folder) with zstd, which the runtime decodes (zstd's own decoder, built
to WebAssembly: assets/zstd.js, in the worker):

pyodide.asm.wasm.zst    the WebAssembly: 2.9 MB, where gzip gives 3.5
python_stdlib.zip.zst   the standard library zipped again without compression, so that
                        zstd compresses across files: 1.6 MB, where the zip is 2.5

The start-up snapshot (snapshot.py) is made from that same stored zip (the snapshot's
import system remembers where each file is inside it), and XORed with the WebAssembly's
initial memory (`xor_initial_memory`): the runtime has those bytes, so they need not
travel twice.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import zstandard

from .pyodide_core import FILES, PYODIDE_VERSION, cache_dir

log = logging.getLogger("mkdocs.plugins.lecture")

WASM = "pyodide.asm.wasm"
STDLIB = "python_stdlib.zip"
PACKED = {WASM: f"{WASM}.zst", STDLIB: f"{STDLIB}.zst"}
SITE_FILES = frozenset(PACKED.get(name, name) for name in FILES)  # the core, as a site has it
LEVEL = 19  # zstd's highest level before --ultra; decoding speed is the same at every level
WINDOW_LOG = 23  # an 8 MB window: 137 KB less than 2 MB over the three files; 32 MB saves 1 KB


def packed_core(core: Path, scratch: Path) -> Path:
    """The folder holding the packed files of the Pyodide `core` folder and the stored
    standard library they were made from (`STDLIB`): in the cache folder, packed first if
    need be, or in `scratch` (this build only) when the cache cannot be written."""
    key = hashlib.sha256((core / "pyodide.mjs").read_bytes() + Path(__file__).read_bytes())
    folder = cache_dir() / f"packed-{PYODIDE_VERSION}-{key.hexdigest()[:12]}"
    if all((folder / name).exists() for name in (STDLIB, *PACKED.values())):
        return folder
    log.info(
        "lecture: packing Pyodide %s for the network, once, into '%s'",
        PYODIDE_VERSION,
        folder.parent,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _pack(core, folder)
    except OSError as error:
        log.info(
            "lecture: Pyodide is packed anew on every build: it cannot be kept in '%s' (%s); "
            "set MKDOCS_LECTURE_CACHE to a folder you can write to",
            folder.parent,
            error,
        )
        _pack(core, scratch)
        return scratch
    return folder


def _pack(core: Path, folder: Path) -> None:
    stored = _stored_zip(core / STDLIB)
    _write(folder / STDLIB, stored)
    _write(folder / PACKED[STDLIB], compress(stored))
    _write(folder / PACKED[WASM], compress((core / WASM).read_bytes()))


def compress(data: bytes) -> bytes:
    """`data` as one zstd frame that records its size and a checksum (a damaged download
    is refused, not started), with a window of 2**`WINDOW_LOG` bytes."""
    parameters = zstandard.ZstdCompressionParameters.from_level(
        LEVEL,
        source_size=len(data),
        window_log=WINDOW_LOG,
        write_content_size=True,
        write_checksum=True,
    )
    return zstandard.ZstdCompressor(compression_params=parameters).compress(data)


def xor_initial_memory(snapshot: bytearray, wasm: bytes) -> None:
    """XOR, in place, the memory of a Pyodide `snapshot` with the data the `wasm` module
    puts in memory when it is instantiated: what Python never changed becomes zeros.
    Its own inverse; the runtime does the same (assets/pyodide_files.js)."""
    memory_start = struct.unpack_from("<I", snapshot, 4)[0]  # after the snapshot's header
    for offset, data in data_segments(wasm):
        start = memory_start + offset
        memory = memoryview(snapshot)[start : start + len(data)]
        xored = int.from_bytes(memory, "little") ^ int.from_bytes(data, "little")
        memory[:] = xored.to_bytes(len(data), "little")


def data_segments(wasm: bytes) -> Iterator[tuple[int, bytes]]:
    """(memory offset, bytes) of each active data segment of a WebAssembly module whose
    segments are placed at constant offsets (as Pyodide's are)."""
    for at in _sections(wasm, 11):  # data
        count, at = _leb128(wasm, at)
        for _ in range(count):
            kind, at = _leb128(wasm, at)
            if kind != 0 or wasm[at] != 0x41:  # active, memory 0, i32.const offset
                raise ValueError(f"data segment of kind {kind} at byte {at}: not supported")
            offset, at = _leb128(wasm, at + 1, signed=True)
            if wasm[at] != 0x0B:
                raise ValueError(f"data segment offset at byte {at} is not a constant")
            length, at = _leb128(wasm, at + 1)
            yield offset, wasm[at : at + length]
            at += length


def export_names(wasm: bytes) -> Iterator[str]:
    """The names a WebAssembly module exports."""
    for at in _sections(wasm, 7):  # export
        count, at = _leb128(wasm, at)
        for _ in range(count):
            length, at = _leb128(wasm, at)
            yield wasm[at : at + length].decode()
            _, at = _leb128(wasm, at + length + 1)  # (its kind, then its index)


def _sections(wasm: bytes, section_id: int) -> Iterator[int]:
    """Where the contents of each section `section_id` of a WebAssembly module start."""
    if wasm[:8] != b"\0asm\1\0\0\0":
        raise ValueError("not a WebAssembly module (version 1)")
    position = 8
    while position < len(wasm):
        section, position = wasm[position], position + 1
        size, position = _leb128(wasm, position)
        if section == section_id:
            yield position
        position += size


def _leb128(data: bytes, position: int, *, signed: bool = False) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, position


def _stored_zip(source: Path) -> bytes:
    """The zip at `source` written again without compression, entries in the same order
    with the same names and times (the same bytes on every machine)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as stored:
        for entry in original.infolist():
            copy = zipfile.ZipInfo(entry.filename, entry.date_time)
            copy.external_attr = entry.external_attr
            stored.writestr(copy, original.read(entry), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def _write(target: Path, data: bytes) -> None:
    """Write `data` whole or not at all (two builds may pack at once)."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(target)

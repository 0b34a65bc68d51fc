"""Pyodide packed for the network (pyodide_pack.py): what the runtime decodes must be what
Pyodide released. (The Node layer restores the packed snapshot with the runtime's own
decoder: tests/pyodide/harness.mjs.)"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pytest
from mkdocs_lecture.pyodide_pack import data_segments, packed_core, xor_initial_memory
from support import ROOT

WASM = ROOT / "node_modules/pyodide/pyodide.asm.wasm"
needs_pyodide = pytest.mark.skipif(not WASM.exists(), reason="needs the npm packages")


@needs_pyodide
def test_data_segments_are_pyodides_static_data() -> None:
    segments = list(data_segments(WASM.read_bytes()))
    assert len(segments) > 1000
    assert segments[0][0] == 1024  # where Emscripten puts static data
    assert 3_000_000 < sum(len(data) for _, data in segments) < 4_000_000
    ends = [offset + len(data) for offset, data in segments]
    assert all(end <= start for end, (start, _) in zip(ends, segments[1:], strict=False))


@needs_pyodide
def test_xor_with_the_initial_memory_is_its_own_inverse() -> None:
    wasm = WASM.read_bytes()
    header = struct.pack("<4I", 0, 64, 0, 0).ljust(64, b"\0")
    memory = bytearray(4 * 2**20)
    for offset, data in data_segments(wasm):  # a memory as the module starts it: all zeros
        memory[offset : offset + len(data)] = data
    snapshot = bytearray(header + memory)
    xor_initial_memory(snapshot, wasm)
    assert snapshot == header + bytes(len(memory))
    xor_initial_memory(snapshot, wasm)
    assert snapshot == header + memory


def test_not_webassembly_is_refused() -> None:
    with pytest.raises(ValueError, match="not a WebAssembly module"):
        list(data_segments(b"PK\3\4 a zip"))


@needs_pyodide
def test_unwritable_cache_packs_into_the_builds_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("MKDOCS_LECTURE_CACHE", str(tmp_path / "file/cache"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with caplog.at_level("INFO"):
        assert packed_core(WASM.parent, scratch) == scratch
    assert "Pyodide is packed anew on every build" in caplog.text
    assert {path.name for path in scratch.iterdir()} == {
        "python_stdlib.zip",
        "python_stdlib.zip.zst",
        "pyodide.asm.wasm.zst",
    }


@pytest.mark.skipif(not (ROOT / "node_modules/zstddec").is_dir(), reason="needs the npm packages")
def test_vendored_decoder_is_zstddecs_as_published() -> None:
    """assets/vendor/zstddec.wasm is the WebAssembly package-lock.json's zstddec embeds in
    its streaming build, unchanged (update: `npm run build`)."""
    package = ROOT / "node_modules/zstddec"
    module = (package / "dist/zstddec-stream.mjs").read_text()
    published = re.search(r'^const wasm = "([^"]+)";$', module, re.M)
    assert published
    vendored = ROOT / "plugin/assets/vendor"
    assert (vendored / "zstddec.wasm").read_bytes() == base64.b64decode(published[1])
    assert (vendored / "zstddec.LICENSE").read_bytes() == (package / "LICENSE").read_bytes()

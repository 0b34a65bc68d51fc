"""The runtime's decoder of the packed core (plugin/assets/pyodide_files.js), under Node:
what it gives Pyodide must be the release's bytes, however the server sent them."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs_lecture.pyodide_pack import compress
from support import ROOT

WASM = ROOT / "node_modules/pyodide/pyodide.asm.wasm"
pytestmark = pytest.mark.skipif(
    not shutil.which("node") or not WASM.exists(), reason="needs Node and the npm packages"
)
# Reads a file as the network delivers it (64 KB chunks), decoded by unpackStreaming.
STREAM = """
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unpack, unpackStreaming } from "%s";
const bytes = new Uint8Array(readFileSync(process.argv[1]));
const body = new ReadableStream({
  start(controller) {
    for (let at = 0; at < bytes.length; at += 65536)
      controller.enqueue(bytes.slice(at, at + 65536));
    controller.close();
  },
});
const { stream, bytes: whole } = unpackStreaming(new Response(body));
const streamed = new Uint8Array(await new Response(stream).arrayBuffer());
const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const digests = [streamed, await whole, await unpack(bytes)].map(sha256);
console.log(JSON.stringify(digests));
"""


def decoded_digests(path: Path) -> list[str]:
    """SHA-256 of the bytes streamed, of the whole, and of `unpack` in one call."""
    script = STREAM % (ROOT / "plugin/assets/pyodide_files.js").as_uri()
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_packed_webassembly_streams_back_to_the_release(tmp_path: Path) -> None:
    wasm = WASM.read_bytes()
    packed = tmp_path / "pyodide.asm.wasm.zst"
    packed.write_bytes(compress(wasm))
    assert decoded_digests(packed) == [hashlib.sha256(wasm).hexdigest()] * 3


def test_bytes_a_server_already_decoded_pass_through(tmp_path: Path) -> None:
    plain = tmp_path / "python_stdlib.zip"
    plain.write_bytes(b"PK\3\4" + bytes(range(256)) * 1000)
    assert decoded_digests(plain) == [hashlib.sha256(plain.read_bytes()).hexdigest()] * 3


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (lambda packed: packed[:-1000], "the data ends inside a frame (truncated)"),
        (
            lambda packed: packed[:100] + bytes([packed[100] ^ 255]) + packed[101:],
            "its checksum is wrong",
        ),
        (
            lambda packed: packed[:12] + b"junk" * 50 + packed[212:],
            "the data is damaged (zstd error 20)",
        ),
    ],
)
def test_a_damaged_packed_file_is_refused_with_what_is_wrong(
    tmp_path: Path, damage: Callable[[bytes], bytes], error: str
) -> None:
    damaged = tmp_path / "python_stdlib.zip.zst"
    damaged.write_bytes(damage(compress(bytes(range(256)) * 40_000)))
    script = """
import { readFileSync } from "node:fs";
import { unpack, unpackArriving } from "MODULE";
const bytes = new Uint8Array(readFileSync(process.argv[1]));
const failures = [unpack(bytes), unpackArriving(new Response(bytes))];
console.log(JSON.stringify(await Promise.all(failures.map((p) => p.catch((e) => e.message)))));
"""
    assert json.loads(run_node(script, str(damaged))) == [f"zstd: {error}"] * 2


def run_node(script: str, *args: str) -> str:
    module = (ROOT / "plugin/assets/pyodide_files.js").as_uri()
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script.replace("MODULE", module), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_snapshot_is_kept_without_its_zero_pages_and_comes_back_whole() -> None:
    script = """
import { withoutZeros, withZeros } from "MODULE";
const page = 4096;
const snapshot = new Uint8Array(40 * page + 100); // a partial page at the end
snapshot[5] = 1; snapshot[page * 7 + 9] = 2; snapshot[page * 8] = 3; snapshot[40 * page + 99] = 4;
const kept = withoutZeros(snapshot);
const back = withZeros(kept);
const same = back.length === snapshot.length && back.every((byte, i) => byte === snapshot[i]);
const whole = withZeros(snapshot); // one kept whole, before sparse keeping
console.log(JSON.stringify({ same, kept: kept.length, whole: whole === snapshot }));
"""
    result = json.loads(run_node(script))
    # pages 0, 7-8 (one span) and the partial last one: 4 pages and 100 bytes, + header
    assert result == {"same": True, "kept": 4 * (3 + 2 * 3) + 3 * 4096 + 100, "whole": True}


def test_the_wheel_installer_writes_what_zipfile_reads(tmp_path: Path) -> None:
    files = {
        "lecture_widgets/__init__.py": b"",
        "lecture_widgets/python/calls.py": "print('é')\n".encode(),
        "lecture_widgets-1.dist-info/RECORD": b"x" * 70_000,
    }
    stored = tmp_path / "w.whl"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    packed = tmp_path / "w.whl.gz"
    packed.write_bytes(gzip.compress(stored.read_bytes()))
    script = """
import { readFileSync } from "node:fs";
import { gunzip, installWheel } from "MODULE";
const written = {};
const pyodide = {  // the part of Pyodide's API the installer uses
  runPython: () => "/lib/python3.14/site-packages",
  FS: {
    mkdirTree: () => {},
    writeFile: (path, data) => (written[path] = Buffer.from(data).toString("base64")),
    utime: () => {},
  },
};
for (const path of process.argv.slice(1))
  installWheel(pyodide, await gunzip(new Uint8Array(readFileSync(path))));
console.log(JSON.stringify(written));
"""
    written = json.loads(run_node(script, str(packed), str(stored)))
    site = "/lib/python3.14/site-packages/"
    assert {path: base64.b64decode(data) for path, data in written.items()} == {
        site + name: data for name, data in files.items()
    }


def test_the_wheel_installer_refuses_what_the_build_never_writes(tmp_path: Path) -> None:
    deflated, unsafe = tmp_path / "deflated.whl", tmp_path / "unsafe.whl"
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as wheel:
        wheel.writestr("lecture_widgets/a.py", b"x = 1\n" * 100)
    with zipfile.ZipFile(unsafe, "w") as wheel:
        wheel.writestr("../outside.py", b"")
    script = """
import { readFileSync } from "node:fs";
import { installWheel } from "MODULE";
const pyodide = { runPython: () => "/site", FS: { mkdirTree() {}, writeFile() {}, utime() {} } };
for (const path of process.argv.slice(1))
  try {
    installWheel(pyodide, new Uint8Array(readFileSync(path)));
  } catch (error) {
    console.log(error.message);
  }
"""
    assert run_node(script, str(deflated), str(unsafe)).splitlines() == [
        "lecture_widgets/a.py is compressed in the wheel: the build stores files",
        "the wheel holds an unsafe path ../outside.py",
    ]


def test_kept_bytecode_goes_back_only_whole_and_for_its_own_wheel() -> None:
    script = """
import { keptBytecode, restoreBytecode } from "MODULE";
const PYC = "/site/lecture_widgets/__pycache__/rpc.cpython-314.pyc";
const files = new Map([[PYC, new Uint8Array([1, 2, 3])]]);
const dirs = new Set(["/site/lecture_widgets", "/site/lecture_widgets/__pycache__"]);
const inside = (folder) => (path) => path.startsWith(folder + "/") &&
  !path.slice(folder.length + 1).includes("/");
const FS = {  // a file system holding one .pyc, and what restoring writes
  readdir: (folder) => [".", "..", ...[...dirs, ...files.keys()].filter(inside(folder))
    .map((path) => path.slice(folder.length + 1))],
  stat: (path) => ({ mode: dirs.has(path) ? 1 : 0 }),
  isDir: (mode) => mode === 1,
  readFile: (path) => files.get(path),
  mkdirTree: () => {},
  writeFile: (path, data) => files.set(path, data),
  utime: () => {},
};
const kept = keptBytecode(FS, "/site", "w.whl?v=1");
files.clear();
const results = [restoreBytecode(FS, "/site", "w.whl?v=2", kept), files.size];
try {
  restoreBytecode(FS, "/site", "w.whl?v=1", kept.subarray(0, kept.length - 1));
} catch (error) {
  results.push(error.message);
}
results.push(files.size, restoreBytecode(FS, "/site", "w.whl?v=1", kept), [...files.get(PYC)]);
console.log(JSON.stringify(results));
"""
    other, written, damaged, written_after, restored, data = json.loads(run_node(script))
    assert (other, written) == (0, 0)  # another build's bytecode: nothing written
    assert damaged.endswith("were kept") and written_after == 0  # damaged: nothing written
    assert (restored, data) == (1, [1, 2, 3])

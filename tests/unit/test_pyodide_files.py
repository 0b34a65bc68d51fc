"""The runtime's decoder of the packed core (plugin/assets/pyodide_files.js), under Node:
what it gives Pyodide must be the release's bytes, however the server sent them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
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
const digests = [streamed, await whole, unpack(bytes)].map(sha256);
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
    packed.write_bytes(compress(wasm, window_log=21))
    assert decoded_digests(packed) == [hashlib.sha256(wasm).hexdigest()] * 3


def test_bytes_a_server_already_decoded_pass_through(tmp_path: Path) -> None:
    plain = tmp_path / "python_stdlib.zip"
    plain.write_bytes(b"PK\3\4" + bytes(range(256)) * 1000)
    assert decoded_digests(plain) == [hashlib.sha256(plain.read_bytes()).hexdigest()] * 3

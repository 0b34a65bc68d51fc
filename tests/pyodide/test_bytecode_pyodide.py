"""The widgets' bytecode the worker keeps for a reader's next visit (pyodide_files.js:
`keptBytecode`, `restoreBytecode`), in real Pyodide under Node: what one start of Python
compiled, the next imports without compiling."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs_lecture.bundle import build_wheel
from mkdocs_lecture.pyodide_pack import STDLIB, packed_core
from mkdocs_lecture.registry import discover
from mkdocs_lecture.snapshot import cached_snapshot

pytestmark = pytest.mark.pyodide
ROOT = Path(__file__).resolve().parents[2]
# Two starts of Python, as two visits. Between them, rpc.py's source is changed without
# changing its size or time: the second start can only see the old value from bytecode.
VISITS = """
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";
import * as files from "%s";
const [wheelPath, snapshotPath, stdlibPath] = process.argv.slice(1);
const wasm = new Uint8Array(readFileSync("node_modules/pyodide/pyodide.asm.wasm"));
const wheel = new Uint8Array(readFileSync(wheelPath));
async function start() {
  const packed = new Uint8Array(readFileSync(snapshotPath));
  const memory = files.restoreSnapshot(await files.unpack(packed), wasm);
  const pyodide = await loadPyodide({ _loadSnapshot: memory, stdLibURL: stdlibPath });
  return [pyodide, files.installWheel(pyodide, wheel)];
}
const [first, site] = await start();
first.runPython("import sys; sys.dont_write_bytecode = False; import lecture_widgets.rpc");
const kept = files.keptBytecode(first.FS, site, "wheel?v=1");
const [second] = await start();
const restored = files.restoreBytecode(second.FS, site, "wheel?v=1", kept);
const other = files.restoreBytecode(second.FS, site, "wheel?v=2", kept); // another build's
const rpc = `${site}/lecture_widgets/rpc.py`;
const source = second.FS.readFile(rpc, { encoding: "utf8" });
const { mtime } = second.FS.stat(rpc);
second.FS.writeFile(rpc, source.replace("PAYLOAD_DEPTH = 64", "PAYLOAD_DEPTH = 65"));
second.FS.utime(rpc, mtime.getTime(), mtime.getTime());
const depth = second.runPython("import lecture_widgets.rpc as rpc; rpc.PAYLOAD_DEPTH");
console.log(JSON.stringify({ restored, other, depth }));
"""


def test_bytecode_one_visit_wrote_is_what_the_next_imports(tmp_path: Path) -> None:
    if not shutil.which("node") or not (ROOT / "node_modules/pyodide").exists():
        pytest.skip("needs node and the npm packages (./course test sets them up)")
    wheel = build_wheel(discover().values(), tmp_path)
    core = ROOT / "node_modules/pyodide"
    packed = packed_core(core, tmp_path / "packed")
    start = cached_snapshot(core, packed, required=True)
    script = VISITS % (ROOT / "plugin/assets/pyodide_files.js").as_uri()
    arguments = [str(tmp_path / wheel.name), str(start), str(packed / STDLIB)]
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    visit = json.loads(result.stdout)
    # rpc, its package and the modules it imports; none for a wheel of another build
    assert visit["restored"] >= 3 and visit["other"] == 0
    assert visit["depth"] == 64  # from the kept bytecode: the changed source was not compiled

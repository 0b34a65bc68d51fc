"""The Pyodide memory snapshot: Python already started, restored by the site's worker.

A cold Pyodide start spends most of its time starting Python inside WebAssembly; a
snapshot of its memory right after start-up skips that (about 1.5 s of a 3 s boot on a
2-core machine) for a larger download: 2.6 MB, packed as pyodide_pack.py says, with the
memory malloc holds free zeroed and the WebAssembly's initial memory XORed out (31.5 MB
raw, 6.1 MB gzipped as it comes). The runtime loads it only where the network pays for
it. It is made once per Pyodide build by Node, and kept in mkdocs-lecture's cache folder.
Without Node (and nothing cached) a site is built without it, unless the author asked
for it explicitly.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
from pathlib import Path

from .pyodide_core import PYODIDE_VERSION, cache_dir
from .pyodide_pack import STDLIB, WASM, compress, xor_initial_memory

log = logging.getLogger("mkdocs.plugins.lecture")
MAKER = Path(__file__).with_name("snapshot.mjs")
# What restoring the snapshot saves over starting Python, on a 2-core machine (bench/
# platform_boot.py: 1.5 s of 3): the runtime downloads it when that takes less time.
SNAPSHOT_SAVES_SECONDS = 1.5


class SnapshotError(RuntimeError):
    """Why the snapshot could not be made, with what to do."""


def cached_snapshot(core: Path, packed: Path, required: bool) -> Path | None:
    """The packed snapshot of Python started from the `core` Pyodide folder and the
    `packed` standard library, made unless it is already cached. When it cannot be made
    (no Node, say) and is not `required`: None, and one INFO line."""
    try:
        return _snapshot(core, packed)
    except SnapshotError as error:
        if required:
            raise SnapshotError(
                f"the Python start-up snapshot (`pyodide_snapshot: true`) cannot be made: {error}"
                " (or remove that option to build without it when it cannot)"
            ) from error
        log.info("lecture: built without the Python start-up snapshot (%s)", error)
        return None


def _snapshot(pyodide_dir: Path, packed: Path) -> Path:
    script = MAKER.read_text()
    build = (pyodide_dir / "pyodide.mjs").read_bytes()  # holds the build id restoring checks
    stdlib = (packed / STDLIB).read_bytes()  # the snapshot knows where each file is in it
    code = Path(__file__).read_bytes() + Path(__file__).with_name("pyodide_pack.py").read_bytes()
    key = hashlib.sha256(build + stdlib + script.encode() + code)
    key = key.hexdigest()[:12]
    cached = cache_dir() / f"snapshot-{PYODIDE_VERSION}-{key}.zst"
    if cached.exists():
        return cached
    node = shutil.which("node")
    if node is None:
        raise SnapshotError(
            "Node.js is not on PATH: readers' Python starts about twice as slowly. Install "
            "Node.js (Debian: apt install nodejs) to ship the snapshot; it is made once and "
            "cached"
        )
    try:
        made = subprocess.run(
            [node, "--input-type=module", "-e", script],
            env={
                **os.environ,
                "PYODIDE_DIR": str(pyodide_dir.resolve()),
                "STDLIB": str((packed / STDLIB).resolve()),
            },
            capture_output=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SnapshotError("Node took over 5 minutes to make it") from error
    if made.returncode or not made.stdout:
        raise SnapshotError(
            f"Node could not make it from '{pyodide_dir}': "
            f"{made.stderr.decode(errors='replace').strip()}"
        )
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        memory = bytearray(made.stdout)
        xor_initial_memory(memory, (pyodide_dir / WASM).read_bytes())
        partial.write_bytes(compress(bytes(memory)))
        partial.replace(cached)
    except OSError as error:
        with contextlib.suppress(OSError):  # (there may be no folder to hold it)
            partial.unlink(missing_ok=True)
        raise SnapshotError(
            f"it could not be kept in '{cached.parent}' ({error}); set MKDOCS_LECTURE_CACHE "
            "to a folder you can write to"
        ) from error
    return cached

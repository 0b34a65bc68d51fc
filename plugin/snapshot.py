"""The Pyodide memory snapshot: Python already started, restored by the site's worker.

A cold Pyodide start spends most of its time starting Python inside WebAssembly; a
snapshot of its memory right after start-up skips that (about 2 s of a 3 s boot on a
2-core machine) for a larger download (≈6 MB gzipped). It is made once per Pyodide build
by Node, and kept in mkdocs-lecture's cache folder. Without Node (and nothing cached) a
site is built without it, unless the author asked for it explicitly.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import shutil
import subprocess
from pathlib import Path

from .pyodide_core import PYODIDE_VERSION, cache_dir

log = logging.getLogger("mkdocs.plugins.lecture")
MAKER = Path(__file__).with_name("snapshot.mjs")


class SnapshotError(RuntimeError):
    """Why the snapshot could not be made, with what to do."""


def cached_snapshot(pyodide_dir: Path, required: bool) -> Path | None:
    """The gzipped snapshot for this Pyodide, made unless it is already cached. When it
    cannot be made (no Node, say) and is not `required`: None, and one INFO line."""
    try:
        return _snapshot(pyodide_dir)
    except SnapshotError as error:
        if required:
            raise SnapshotError(
                f"the Python start-up snapshot (`pyodide_snapshot: true`) cannot be made: {error}"
                " (or remove that option to build without it when it cannot)"
            ) from error
        log.info("lecture: built without the Python start-up snapshot (%s)", error)
        return None


def _snapshot(pyodide_dir: Path) -> Path:
    script = MAKER.read_text()
    build = (pyodide_dir / "pyodide.mjs").read_bytes()  # holds the build id restoring checks
    key = hashlib.sha256(build + script.encode()).hexdigest()[:12]
    cached = cache_dir() / f"snapshot-{PYODIDE_VERSION}-{key}.gz"
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
            env={**os.environ, "PYODIDE_DIR": str(pyodide_dir.resolve())},
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
        partial.write_bytes(gzip.compress(made.stdout, compresslevel=6, mtime=0))
        partial.replace(cached)
    except OSError as error:
        with contextlib.suppress(OSError):  # (there may be no folder to hold it)
            partial.unlink(missing_ok=True)
        raise SnapshotError(
            f"it could not be kept in '{cached.parent}' ({error}); set MKDOCS_LECTURE_CACHE "
            "to a folder you can write to"
        ) from error
    return cached

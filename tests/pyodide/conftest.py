"""A real Pyodide (npm `pyodide`, under Node, from the site's packed start-up snapshot)
with the widgets wheel installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs_lecture.bundle import build_wheel
from mkdocs_lecture.pyodide_pack import STDLIB, packed_core
from mkdocs_lecture.registry import discover
from mkdocs_lecture.snapshot import cached_snapshot
from pyodide_harness import Pyodide

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pyodide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pyodide]:
    if not shutil.which("node") or not (ROOT / "node_modules/pyodide").exists():
        pytest.skip("needs node and the npm packages (./course test sets them up)")
    wheel_dir = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(discover().values(), wheel_dir)
    core = ROOT / "node_modules/pyodide"
    packed = packed_core(core, tmp_path_factory.mktemp("packed"))
    start = cached_snapshot(core, packed, required=True)
    process = subprocess.Popen(
        [
            "node",
            str(ROOT / "tests/pyodide/harness.mjs"),
            str(wheel_dir / wheel.name),
            str(start),
            str(packed / STDLIB),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout
    ready = json.loads(process.stdout.readline())
    yield Pyodide(process, ready["ready"])
    process.terminate()
    process.wait(timeout=10)

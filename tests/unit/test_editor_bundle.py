"""The committed code editor bundle is what `npm run build` makes from package-lock.json's
CodeMirror (esbuild's output is reproducible), so it can ship without Node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT

BUNDLE = ROOT / "plugin/assets/vendor/codemirror.js"


@pytest.mark.skipif(
    not shutil.which("node") or not (ROOT / "node_modules/esbuild").is_dir(),
    reason="needs Node and the npm packages (./course test installs them)",
)
def test_committed_editor_bundle_is_what_the_build_makes(tmp_path: Path) -> None:
    rebuilt = tmp_path / "codemirror.js"
    subprocess.run(["node", "plugin/editor/build.mjs", str(rebuilt)], cwd=ROOT, check=True)
    assert rebuilt.read_bytes() == BUNDLE.read_bytes(), "run `npm run build` and commit it"

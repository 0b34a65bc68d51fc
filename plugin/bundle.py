"""What the built site carries for its widgets, under `assets/lecture/`.

runtime.js worker.js …     the runtime (plugin/assets/)
lecture.css                the runtime's and every widget's CSS, in one file
config.js                  where Pyodide, the wheel and the data are, with sizes
lecture_widgets-….whl.gz   the widgets' browser code (no data, no JS, no build-time modules)
widgets/<name>/view.js     each widget's view; the data files pages use, by their owner
pyodide/                   the Pyodide core when self-hosted, packed (pyodide_pack.py), with
                           its start-up snapshot; the site's pyodide-lock.json and the package
                           wheels it ships (packages.py)
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .packages import LOCK, Packages
from .pyodide_core import FILES as PYODIDE_FILES
from .pyodide_core import PYODIDE_VERSION, pyodide_core
from .pyodide_pack import PACKED, packed_core
from .registry import BUILTIN_DIR, Widget, data_file_problem
from .snapshot import SNAPSHOT_SAVES_SECONDS, cached_snapshot

if TYPE_CHECKING:
    from .plugin import LectureConfig

SNAPSHOT = "python-snapshot.zst"
ASSETS_DIR = Path(__file__).parent / "assets"
SKIPPED = (".pyc", "view.js", "view.css")
BUILD_ONLY = ("static.py", "build", "data", "__pycache__")  # never in the browser wheel
BUILD_ONLY_MODULES = ("html.py",)  # lecture_widgets' own, for static views
IMPORT = re.compile(r'^\s*import\s(?:[^;"]*?\sfrom\s)?"(\.{1,2}/[^"]+)"', re.MULTILINE)


class BundleError(RuntimeError):
    """Something the site needs is missing, with how to get it."""


@dataclass(frozen=True)
class Wheel:
    name: str
    digest: str
    size: int


def module_imports(entry: str, widgets: dict[str, Widget]) -> list[str]:
    """The modules `entry` (a path under `assets/lecture/`) imports, directly or not, read
    from their static `import … from "./…"` lines: what a page preloads with it. (Dynamic
    imports, such as the editor's, are left to load when they are needed.)"""
    found: list[str] = []
    pending = [entry]
    while pending:
        current = pending.pop()
        source = _source(current, widgets)
        if source is None:
            continue  # written at build (config.js): imports nothing
        for relative in IMPORT.findall(source.read_text()):
            module = posixpath.normpath(posixpath.join(posixpath.dirname(current), relative))
            if module not in found:
                found.append(module)
                pending.append(module)
    return found


def _source(path: str, widgets: dict[str, Widget]) -> Path | None:
    parts = path.split("/")
    if parts[0] == "widgets" and parts[-1] == "view.js":
        return widgets[parts[1]].view_js
    source = ASSETS_DIR / path
    return source if source.exists() else None


def write_site_assets(
    site_dir: Path,
    widgets: dict[str, Widget],
    data_files: set[str],
    options: LectureConfig,
    solvable: list[dict[str, str]] | None = None,
    packages: Packages | None = None,
) -> None:
    """Write everything under `site_dir/assets/lecture/` (see the module docstring), as
    the plugin's `options` say (Pyodide self-hosted or from a CDN, the start-up snapshot).
    `solvable`: the course's widgets a reader can solve (`{"page", "title", "id",
    "widget"}`, in page order), for the progress widget; `packages`: what the pages
    need (default: none)."""
    packages = packages or Packages.from_config(options)
    out = site_dir / "assets" / "lecture"
    out.mkdir(parents=True, exist_ok=True)
    _copy_tree(ASSETS_DIR, out)
    css = [(ASSETS_DIR / "lecture.css").read_text()]
    for widget in widgets.values():
        _copy_if_changed(widget.view_js, out / "widgets" / widget.name / "view.js")
        if widget.view_css:
            css.append(f"/* {widget.name} */\n{widget.view_css.read_text()}")
    for path in sorted(data_files):  # "<owner widget>/<path in its folder>"
        problem = data_file_problem(path, widgets)  # (the extension reports it at its fence)
        if problem:
            raise BundleError(problem)
        owner, _, name = path.partition("/")
        _copy_if_changed(widgets[owner].folder / name, out / "widgets" / path)
    (out / "lecture.css").write_text("\n".join(css))
    wheel = build_wheel(widgets.values(), out, packed=True)
    if options.pyodide == "self-hosted":
        with tempfile.TemporaryDirectory() as scratch:
            pyodide = _self_hosted_pyodide(out / "pyodide", options, Path(scratch), packages)
    else:  # Pyodide's own files from a CDN, as they are there; the site's lock if it needs one
        pyodide = {"pyodideIndexURL": options.pyodide, "pyodideFiles": {}, "pyodidePacked": {}}
        if packages.used:
            pyodide.update(packages.write(out / "pyodide"))
        else:
            shutil.rmtree(out / "pyodide", ignore_errors=True)
    config = {
        "pyodideVersion": PYODIDE_VERSION,
        "pyodideDigest": None,
        "pyodideSnapshot": None,
        "pyodideSnapshotSize": 0,
        "packageSizes": {},
        "packagesLock": None,
        **pyodide,
        "wheel": f"{wheel.name}?v={wheel.digest}",
        "wheelSize": wheel.size,
        "widgets": {name: widget.constants for name, widget in sorted(widgets.items())},
        "solvable": solvable or [],
        "pythonWidgets": sorted(name for name, w in widgets.items() if w.calls_python),
        "offline": "../../lecture-offline.js" if options.offline else None,  # (offline.py)
    }
    (out / "config.js").write_text(
        "// Written by mkdocs-lecture at build time.\n"
        f"export default {json.dumps(config, indent=2)};\n"
    )


def _self_hosted_pyodide(
    out: Path, options: LectureConfig, scratch: Path, packages: Packages
) -> dict[str, object]:
    """Write the pinned Pyodide core, packed (pyodide_pack.py), the site's lock with the
    packages it ships (packages.py), and the start-up snapshot unless it is off or cannot
    be made, into `out`; return what config.js says of them."""
    core = pyodide_core(Path(options.pyodide_dir), options.pyodide_download_url)
    packed = packed_core(core, scratch)
    sizes: dict[str, int] = {}
    for name in PYODIDE_FILES:
        if name == LOCK:
            continue  # the site's own, below: only the packages it uses
        source = packed / PACKED[name] if name in PACKED else core / name
        _copy_if_changed(source, out / source.name)
        sizes[source.name] = source.stat().st_size
    shipped_packages = packages.write(out)
    sizes[LOCK] = (out / LOCK).stat().st_size
    snapshot = (
        cached_snapshot(core, packed, required=options.pyodide_snapshot is True)
        if options.pyodide_snapshot is not False
        else None
    )
    if snapshot:
        _copy_if_changed(snapshot, out / SNAPSHOT)
    else:
        (out / SNAPSHOT).unlink(missing_ok=True)
    core_files = sorted(out / name for name in sizes if name != LOCK)  # (the lock: not kept)
    shipped = core_files + ([out / SNAPSHOT] if snapshot else [])
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in shipped))
    return {
        "pyodideIndexURL": "pyodide/",
        "pyodideFiles": sizes,
        # names this build of the core: the runtime keeps its decoded files under it
        "pyodideDigest": digest.hexdigest()[:16],
        "pyodidePacked": PACKED,
        "pyodideSnapshot": f"pyodide/{SNAPSHOT}" if snapshot else None,
        "pyodideSnapshotSize": snapshot.stat().st_size if snapshot else 0,
        "pyodideSnapshotSaves": SNAPSHOT_SAVES_SECONDS,
        **shipped_packages,
    }


def build_wheel(widgets: Iterable[Widget], out_dir: Path, *, packed: bool = False) -> Wheel:
    """A pure-Python wheel of `lecture_widgets` with the site's widgets, built reproducibly:
    what the browser runs (a widget's static view and `build/` scripts stay out). Its files
    are stored, not deflated: `packed`, the whole wheel is gzipped (`.whl.gz`, smaller than
    deflating file by file), the browser decodes it natively as it arrives, and the worker
    writes its files itself, with no Python unzipping (pyodide_files.js, `installWheel`)."""
    files: dict[str, bytes] = {}
    for path in sorted(BUILTIN_DIR.glob("*.py")):
        if path.name not in BUILD_ONLY_MODULES:
            files[f"lecture_widgets/{path.name}"] = path.read_bytes()
    for widget in widgets:
        for path in sorted(widget.folder.rglob("*")):
            relative = path.relative_to(widget.folder)
            if (
                path.is_file()
                and not path.name.endswith(SKIPPED)
                and not set(relative.parts) & set(BUILD_ONLY)
            ):
                files[f"lecture_widgets/{widget.name}/{relative.as_posix()}"] = path.read_bytes()
    dist_info = f"lecture_widgets-{__version__}.dist-info"
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: lecture-widgets\nVersion: {__version__}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: mkdocs-lecture\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [f"{name},sha256={_urlsafe_sha256(data)},{len(data)}" for name, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()

    name = f"lecture_widgets-{__version__}-py3-none-any.whl"
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as wheel:
        for member, data in files.items():
            wheel.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), data)
    data = stream.getvalue()
    if packed:
        name, data = f"{name}.gz", gzip.compress(data, compresslevel=9, mtime=0)
    (out_dir / name).write_bytes(data)
    return Wheel(name, hashlib.sha256(data).hexdigest()[:12], len(data))


def _urlsafe_sha256(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _copy_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            _copy_if_changed(path, target / path.relative_to(source))


def _copy_if_changed(source: Path, target: Path) -> None:
    """Copy unless the target already has the same size and modification time (for serve)."""
    stat = source.stat()
    if target.exists():
        current = target.stat()
        if current.st_size == stat.st_size and current.st_mtime == stat.st_mtime:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)

"""The `offline` option: a service worker at the site's root, `lecture-offline.js`.

At the root because a service worker controls only the pages at or below its own folder
(one under `assets/lecture/` would control none, and GitHub Pages cannot send the
`Service-Worker-Allowed` header that would let it). Written after `assets/lecture/`, for
every site with widgets:

- `offline: true`: `service_worker/offline.js`, with the build's id (a digest of
  `assets/lecture/`, so a build whose runtime changed has a new script, which browsers
  install in place of the old one, with a new cache) and the runtime's files it keeps
  when it is installed (all of `assets/lecture/` but the start-up snapshot).
- `offline: false`: `service_worker/release.js`, which deletes the caches and unregisters
  itself, for readers whose browser still has the worker of an earlier build (a missing
  script would leave it in place: a failed update keeps the old worker).

`config.js` tells the runtime where the script is, relative to `assets/lecture/`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SCRIPT = "lecture-offline.js"
TEMPLATES = Path(__file__).parent / "service_worker"
RUNTIME = "assets/lecture"
BUILD_LINE = 'const BUILD = "development";'
FILES_LINE = "const RUNTIME_FILES = [];"


def write_service_worker(site_dir: Path, offline: bool) -> Path:
    """Write `site_dir/lecture-offline.js`: the caching worker, or the one that releases
    readers of an earlier build (`offline` false). Call it after `assets/lecture/` is written."""
    target = site_dir / SCRIPT
    text = caching_worker(site_dir / RUNTIME) if offline else (TEMPLATES / "release.js").read_text()
    if not target.exists() or target.read_text() != text:  # (serve: unchanged, not rewritten)
        target.write_text(text)
    return target


def caching_worker(runtime_dir: Path) -> str:
    template = (TEMPLATES / "offline.js").read_text()
    files = json.dumps([f"{RUNTIME}/{name}" for name in runtime_files(runtime_dir)], indent=2)
    script = _replace_once(
        template, BUILD_LINE, f'const BUILD = "{build_id(runtime_dir, template)}";'
    )
    return _replace_once(script, FILES_LINE, f"const RUNTIME_FILES = {files};")


def runtime_files(runtime_dir: Path) -> list[str]:
    """The files of `runtime_dir` as the runtime asks for them (the wheel with its `?v=`),
    but the start-up snapshot (a device that saves data never fetches it, and the page
    reports it when its Python used it) and the packages' wheels (a reader who never runs
    a cell that needs them downloads none: they are kept once loaded)."""
    text = (runtime_dir / "config.js").read_text()
    config = json.loads(text[text.index("{") : text.rindex("}") + 1])
    wheel = config["wheel"]
    names = []
    for path in sorted(p for p in runtime_dir.rglob("*") if p.is_file()):
        name = path.relative_to(runtime_dir).as_posix()
        package = name.startswith("pyodide/") and name.endswith(".whl")
        if name != config.get("pyodideSnapshot") and not package:
            names.append(wheel if name == wheel.partition("?")[0] else name)
    return names


def build_id(runtime_dir: Path, template: str) -> str:
    """A digest of every file under `runtime_dir` (names and bytes) and of the worker's
    template: what the cache-first part of the cache holds."""
    digest = hashlib.sha256(template.encode())
    for path in sorted(p for p in runtime_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(runtime_dir).as_posix().encode() + b"\0")
        with path.open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:16]


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise RuntimeError(f"{TEMPLATES / 'offline.js'}: expected one line {old!r}")
    return text.replace(old, new)

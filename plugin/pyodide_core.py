"""The Pyodide core a self-hosted site carries: found, or fetched once and kept.

The core is five files of the pinned Pyodide release. An npm project has them in
`node_modules/pyodide` (`pyodide_dir`); anyone else gets them on the first build, into
the user's cache folder (one copy per Pyodide version), by `npm pack` when npm is on
PATH or else by a download from `pyodide_download_url`. Every fetched file is checked
against the SHA-256 pinned here before it is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import platformdirs

log = logging.getLogger("mkdocs.plugins.lecture")

PYODIDE_VERSION = "314.0.7"
DOWNLOAD_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
# The core, without source maps, type declarations, the classic-script build or console
# pages: each file's SHA-256 in the release (identical in its npm package).
FILES = {
    "pyodide.mjs": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide.asm.mjs": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
    "pyodide-lock.json": "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010",
}
CORE_SIZE_MB = 13.5


class PyodideError(RuntimeError):
    """The core cannot be found or fetched, with what to do."""


def cache_dir() -> Path:
    """Where mkdocs-lecture keeps what it fetches or makes once (MKDOCS_LECTURE_CACHE, or
    the user's cache folder)."""
    override = os.environ.get("MKDOCS_LECTURE_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("mkdocs-lecture"))


def pyodide_core(pyodide_dir: Path, download_url: str = DOWNLOAD_URL) -> Path:
    """The folder holding the pinned core: `pyodide_dir` when it has one, else the cached
    copy, fetched first if need be."""
    package = pyodide_dir / "package.json"
    if package.exists():
        version = json.loads(package.read_text())["version"]
        if version != PYODIDE_VERSION:
            raise PyodideError(
                f"'{pyodide_dir}' holds Pyodide {version}; this plugin runs {PYODIDE_VERSION}. "
                f"Pin pyodide@{PYODIDE_VERSION} in package.json and run `npm ci`, or remove "
                "`pyodide_dir` to let the plugin fetch its own copy."
            )
        return pyodide_dir
    cached = cache_dir() / f"pyodide-{PYODIDE_VERSION}"
    if _intact(cached):
        return cached
    log.info(
        "lecture: fetching Pyodide %s (%.1f MB), once, into '%s'",
        PYODIDE_VERSION,
        CORE_SIZE_MB,
        cached,
    )
    _fetch(cached, download_url)
    return cached


def _intact(folder: Path) -> bool:
    return all(
        (folder / name).is_file() and _sha256(folder / name) == digest
        for name, digest in FILES.items()
    )


def _fetch(target: Path, download_url: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetching-") as scratch:
        folder = Path(scratch) / "core"
        folder.mkdir()
        failures = []
        for way in (_from_npm, _from_url):
            try:
                way(folder, download_url)
                _verify(folder)
                break
            except PyodideError as error:
                failures.append(str(error))
        else:
            raise PyodideError(
                f"Pyodide {PYODIDE_VERSION} is needed for a self-hosted site and could not "
                "be fetched:\n  - " + "\n  - ".join(failures) + "\nEither run the build once "
                "with a network that reaches npm's registry or the download URL (the copy "
                f"is kept in '{target}'), or set `pyodide_download_url` to a server holding "
                f"the {len(FILES)} files of Pyodide {PYODIDE_VERSION}'s full/ folder "
                f"({', '.join(FILES)}). Or set `pyodide` to a CDN URL (readers then load "
                "Python from it)."
            )
        shutil.rmtree(target, ignore_errors=True)
        folder.rename(target)


def _from_npm(folder: Path, _: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise PyodideError("npm pack: npm is not on PATH")
    spec = f"pyodide@{PYODIDE_VERSION}"
    packed = subprocess.run(
        [npm, "pack", spec, "--json", "--prefer-offline", "--pack-destination", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if packed.returncode:
        reason = packed.stderr.strip().splitlines()[-1:] or [f"exit {packed.returncode}"]
        raise PyodideError(f"npm pack {spec} failed: {reason[0]}")
    tarball = folder / json.loads(packed.stdout)[0]["filename"]
    with tarfile.open(tarball) as archive:
        for name in FILES:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise PyodideError(f"npm pack {spec}: the package has no {name}")
            (folder / name).write_bytes(member.read())
    tarball.unlink()


def _from_url(folder: Path, download_url: str) -> None:
    for name in FILES:
        url = download_url.rstrip("/") + "/" + name
        try:
            with (
                urllib.request.urlopen(url, timeout=60) as response,
                (folder / name).open("wb") as out,
            ):
                shutil.copyfileobj(response, out)
        except (urllib.error.URLError, OSError) as error:
            raise PyodideError(f"download of {url} failed: {error}") from error


def _verify(folder: Path) -> None:
    for name, digest in FILES.items():
        got = _sha256(folder / name)
        if got != digest:
            raise PyodideError(
                f"{name} does not match the SHA-256 pinned by mkdocs-lecture (expected "
                f"{digest[:16]}…, got {got[:16]}…): altered or incomplete; nothing was kept"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

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
        try:
            version = json.loads(package.read_text()).get("version")
        except (ValueError, AttributeError):
            version = "of no readable version"
        if version == PYODIDE_VERSION:
            return pyodide_dir
        log.info(
            "lecture: '%s' holds Pyodide %s, and this plugin runs %s: using its own copy",
            pyodide_dir,
            version,
            PYODIDE_VERSION,
        )
    cached = cache_dir() / f"pyodide-{PYODIDE_VERSION}"
    if _intact(cached):
        return cached
    log.info(
        "lecture: fetching Pyodide %s (%.1f MB), once, into '%s'",
        PYODIDE_VERSION,
        CORE_SIZE_MB,
        cached,
    )
    try:
        _fetch(cached, download_url)
    except OSError as error:
        raise PyodideError(
            f"Pyodide could not be kept in '{cached.parent}' ({error}); set the environment "
            "variable MKDOCS_LECTURE_CACHE to a folder you can write to."
        ) from error
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
        if _intact(target):
            return  # another build was quicker
        shutil.rmtree(target, ignore_errors=True)  # what a build cut short left
        try:
            folder.rename(target)
        except OSError:
            if not _intact(target):
                raise


def _from_npm(folder: Path, _: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise PyodideError("npm pack: npm is not on PATH")
    spec = f"pyodide@{PYODIDE_VERSION}"
    command = [npm, "pack", spec, "--json", "--prefer-offline", "--pack-destination", str(folder)]
    try:
        packed = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, timeout=600, check=False
        )
        answer = json.loads(packed.stdout or "null")
        if packed.returncode or not isinstance(answer, list):
            reason = answer.get("error", {}).get("summary") if isinstance(answer, dict) else None
            raise PyodideError(f"npm pack {spec} failed: {reason or packed.stderr.strip()}")
        tarball = folder / answer[0]["filename"]
        with tarfile.open(tarball) as archive:
            for name in FILES:
                (folder / name).write_bytes(archive.extractfile(f"package/{name}").read())  # type: ignore[union-attr]
        tarball.unlink()
    except (
        OSError,
        subprocess.SubprocessError,
        ValueError,
        LookupError,
        tarfile.TarError,
    ) as error:
        raise PyodideError(f"npm pack {spec} failed: {error!r}") from error


def _from_url(folder: Path, download_url: str) -> None:
    for name in FILES:
        url = download_url.rstrip("/") + "/" + name
        try:
            with (
                urllib.request.urlopen(url, timeout=60) as response,
                (folder / name).open("wb") as out,
            ):
                shutil.copyfileobj(response, out)
        except (OSError, ValueError) as error:  # (ValueError: not a URL)
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

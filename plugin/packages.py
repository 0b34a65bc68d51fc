"""The Python packages a site's cells use, known at build time.

- What a widget needs: the imports found with `ast` in the Python it runs (the options its
  module names in `PYTHON_OPTIONS`: the python cell's `code`, the exercise's starter,
  tests and solution), plus the page's front-matter `packages:`. Pyodide's standard
  library (its `python_stdlib.zip`, the modules built into its WebAssembly, its own `js`,
  `pyodide`…) and `lecture_widgets` need nothing; any other import must be one of
  Pyodide's packages (the `imports` of the pinned core's `pyodide-lock.json`) or come
  from a package listed in `packages:` (the page's front matter, or the plugin's, for
  the whole site), else it is an error at its line naming the nearest known names.
- Pyodide's packages, with their `depends`: copied from `pyodide_packages_dir` (a full
  Pyodide distribution folder, each wheel checked against that folder's lock), or left
  on the Pyodide CDN (`pyodide_packages_url`; one INFO line, or an error with
  `packages_from_cdn: false`).
- Other packages listed in `packages:`: pure-Python wheels for Pyodide's Python,
  downloaded with pip (`--platform any --abi none`, PIP_INDEX_URL honoured) once into the
  cache folder (`MKDOCS_LECTURE_CACHE`), with their `Requires-Dist` as they apply on
  Pyodide (markers evaluated for Emscripten); a dependency Pyodide has comes from Pyodide.
- The site's lock, `assets/lecture/pyodide/pyodide-lock.json`: the pinned lock's `info`
  and only the packages the site uses, each as Pyodide's lock has it, `file_name`
  relative to the lock for files in the site and a full URL for the CDN's.
"""

from __future__ import annotations

import ast
import difflib
import email.parser
import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from .pyodide_core import DOWNLOAD_URL, PYODIDE_VERSION, PyodideError, cache_dir, pyodide_core
from .pyodide_pack import export_names

if TYPE_CHECKING:
    from .plugin import LectureConfig

log = logging.getLogger("mkdocs.plugins.lecture")

LOCK = "pyodide-lock.json"
# Modules every cell has without a package: Pyodide's own, and the widgets' package.
BUILTIN = frozenset({"js", "pyodide", "pyodide_js", "_pyodide", "lecture_widgets"})
# The interpreter's own modules (no PyInit_ export of their own).
CORE_MODULES = frozenset(
    {"sys", "builtins", "marshal", "_warnings", "_frozen_importlib", "_frozen_importlib_external"}
)
PIP_TIMEOUT = 600


class PackageError(ValueError):
    """A package or an import that cannot be provided, with what to do."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # of the import, in the text it was found in (1 = its first line)


@dataclass(frozen=True)
class Import:
    name: str  # the top-level module
    line: int  # in the code (1-based)
    optional: bool  # inside `try:` with an `except ImportError` (or broader)


def find_imports(code: str) -> list[Import]:
    """The absolute imports of `code` (none when it is not valid Python, as Pyodide's
    `find_imports` does)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    found: list[Import] = []

    def visit(node: ast.AST, optional: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(a.name.split(".")[0], node.lineno, optional) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.append(Import(node.module.split(".")[0], node.lineno, optional))
        if isinstance(node, ast.Try | ast.TryStar):
            guarded = optional or any(_catches_import_error(h.type) for h in node.handlers)
            for child in node.body:
                visit(child, guarded)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, optional)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, optional)

    visit(tree, False)
    return found


def _catches_import_error(handler: ast.expr | None) -> bool:
    if handler is None:
        return True
    names = handler.elts if isinstance(handler, ast.Tuple) else [handler]
    return any(
        isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError", "Exception"}
        for n in names
    )


class PyodideLock:
    """The pinned core's `pyodide-lock.json` and standard library."""

    def __init__(self, core: Path) -> None:
        self.core = core
        data = json.loads((core / LOCK).read_text())
        self.info: dict[str, Any] = data["info"]
        self.packages: dict[str, dict[str, Any]] = data["packages"]
        self.imports = {
            name: key for key, entry in self.packages.items() for name in entry["imports"]
        }

    @cached_property
    def stdlib(self) -> frozenset[str]:
        """The standard library of Pyodide's Python (3.14's, not the build's): the top-level
        modules of its zip, and those built into its WebAssembly (a `PyInit_` export each,
        and the interpreter's own). Not the modules CPython has that Pyodide leaves out
        (`pwd`, `readline`, `curses`…), nor `audioop`, which 3.13 removed and Pyodide ships
        as a package."""
        names = set(CORE_MODULES)
        with zipfile.ZipFile(self.core / "python_stdlib.zip") as archive:
            for member in archive.namelist():
                head, slash, _ = member.partition("/")
                if slash or head.endswith(".py"):
                    names.add(head.removesuffix(".py"))
        wasm = (self.core / "pyodide.asm.wasm").read_bytes()
        built_in = (name for name in export_names(wasm) if name.startswith("PyInit_"))
        names.update(name.removeprefix("PyInit_") for name in built_in)
        return frozenset(names)

    @property
    def python(self) -> str:
        return str(self.info["python"])


@dataclass
class Wheel:
    """A pure-Python wheel from PyPI, in the cache folder, as the site's lock lists it."""

    path: Path
    entry: dict[str, Any]


@dataclass
class PagePackages:
    """What a page's front matter lists: lock names, and the imports they provide."""

    names: list[str] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)


class Packages:
    """The packages of one build: resolved, remembered as pages use them, then written."""

    def __init__(
        self,
        requirements: Iterable[str] = (),
        *,
        core: Callable[[], Path] = lambda: pyodide_core(Path("node_modules/pyodide")),
        packages_dir: Path | None = None,
        packages_url: str | None = None,
        from_cdn: bool = True,
    ) -> None:
        self.requirements = list(requirements)
        self._core = core
        self.packages_dir = packages_dir
        self.packages_url = packages_url or DOWNLOAD_URL
        self.from_cdn = from_cdn
        self.wheels: dict[str, Wheel] = {}  # lock name → PyPI wheel
        self.used: set[str] = set()  # lock names the site's widgets and pages need
        self.site = PagePackages()  # what the plugin's `packages:` provides, everywhere

    @classmethod
    def from_config(cls, options: LectureConfig) -> Packages:
        cdn = options.pyodide if options.pyodide != "self-hosted" else None
        directory = options.pyodide_packages_dir
        return cls(
            options.packages,
            core=lambda: pyodide_core(Path(options.pyodide_dir), options.pyodide_download_url),
            packages_dir=Path(directory) if directory else None,
            packages_url=options.pyodide_packages_url or cdn,
            from_cdn=options.packages_from_cdn,
        )

    @cached_property
    def lock(self) -> PyodideLock:
        try:
            return PyodideLock(self._core())
        except PyodideError as error:
            raise PackageError(f"Pyodide's list of packages is needed: {error}") from error

    def resolve_site(self) -> None:
        """The plugin's `packages:`, for every page (downloaded now if need be)."""
        if self.requirements:
            self.site = self.resolve(self.requirements)
            self.used.update(self.site.names)

    def resolve(self, requirements: Iterable[str]) -> PagePackages:
        """Lock names of `requirements` (Pyodide's packages or PyPI's) and the imports they
        and their dependencies provide."""
        found = PagePackages()
        for text in requirements:
            key = self._requirement(text)
            if key is None:
                continue
            found.names.append(key)
            for name in self._closure([key]):
                for module in self._entry(name)["imports"]:
                    found.imports.setdefault(module, name)
        return found

    def of_page(self, meta: dict[str, Any], front_matter: str) -> PagePackages:
        """The packages of a page's front matter (`packages:`), resolved; a PackageError
        at that line of the page otherwise."""
        listed = meta.get("packages") or []
        listed = [listed] if isinstance(listed, str) else listed
        lines = front_matter.splitlines()
        line = next((i for i, text in enumerate(lines, 1) if text.startswith("packages")), 1)
        if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
            raise PackageError("front matter: `packages:` must be a list of package names.", line)
        try:
            return self.resolve(listed)
        except PackageError as error:
            raise PackageError(str(error), line) from error

    def use(self, names: Iterable[str]) -> None:
        """Lock names that built pages' widgets carry (`data-lecture-packages`, read by
        `mkdocs-lecture bundle`): Pyodide's, or PyPI wheels by name (kept, or fetched)."""
        for name in names:
            if name not in self.lock.packages and name not in self.wheels:
                self._requirement(name)
            self.used.add(name)

    def needed(self, sources: Iterable[tuple[str, int]], page: PagePackages) -> list[str]:
        """The lock names a widget needs: the page's own, and those its code imports
        (`sources`: each text with its first line). Raises PackageError at an unknown
        import's line (in the page, from the source's first line)."""
        names = dict.fromkeys(page.names)
        for code, first_line in sources:
            for found in find_imports(code):
                if self._is_stdlib(found.name):
                    continue
                key = (
                    page.imports.get(found.name)
                    or self.site.imports.get(found.name)
                    or self.lock.imports.get(found.name)
                )
                if key:
                    names[key] = None
                elif not found.optional:
                    raise PackageError(self._unknown(found.name, page), first_line + found.line - 1)
        self.used.update(names)
        return sorted(names)

    def _is_stdlib(self, name: str) -> bool:
        return name in BUILTIN or name in self.lock.stdlib

    def _unknown(self, name: str, page: PagePackages) -> str:
        python = f"Python {self.lock.python}"
        if name in sys.stdlib_module_names:  # (the build's Python has it)
            build = f"{sys.version_info.major}.{sys.version_info.minor}"
            return (
                f"'import {name}': '{name}' is in the standard library of the build's "
                f"Python {build} but not in that of Pyodide {PYODIDE_VERSION}'s {python}, "
                "which readers run (removed from Python, or not built for WebAssembly). "
                "If a package on PyPI provides it (modules removed from Python have "
                "backports, such as legacy-cgi or standard-imghdr), add that package to "
                "`packages:` in the page's front matter; else write the cell without it."
            )
        known = {*self.lock.imports, *self.lock.stdlib, *page.imports, *self.site.imports}
        near = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
        return (
            f"'import {name}': '{name}' is not in {python}'s standard library, nor one of "
            f"Pyodide {PYODIDE_VERSION}'s packages, nor provided by a package of `packages:`."
            + (f" Nearest known names: {', '.join(near)}." if near else "")
            + " If it is a pure-Python package from PyPI, add its name (as pip installs it) "
            "to `packages:` in the page's front matter, or in the lecture plugin's options "
            "in mkdocs.yml for the whole site."
        )

    # -- requirements -------------------------------------------------------------------

    def _requirement(self, text: str) -> str | None:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            raise PackageError(f"packages: '{text}' is not a requirement ({error}).") from error
        if requirement.marker and not self._applies(requirement, {""}):
            return None
        key = canonicalize_name(requirement.name)
        entry = self.lock.packages.get(key)
        if entry is not None:
            if not requirement.specifier.contains(entry["version"], prereleases=True):
                raise PackageError(
                    f"packages: '{text}': Pyodide {PYODIDE_VERSION} has {key} "
                    f"{entry['version']} only (its own build, which a site cannot replace)."
                )
            return key
        module = self.lock.imports.get(requirement.name)
        if module is not None:
            raise PackageError(
                f"packages: '{text}' is the import name of Pyodide's package '{module}': "
                f"list '{module}' (or nothing: Pyodide's packages need not be listed)."
            )
        return self._wheel(requirement, text)

    def _applies(self, requirement: Requirement, extras: set[str]) -> bool:
        python = self.lock.python
        environment = {
            "implementation_name": "cpython",
            "implementation_version": python,
            "os_name": "posix",
            "platform_machine": "wasm32",
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": "Emscripten",
            "platform_version": "",
            "python_full_version": python,
            "python_version": ".".join(python.split(".")[:2]),
            "sys_platform": "emscripten",
        }
        assert requirement.marker is not None
        return any(requirement.marker.evaluate({**environment, "extra": e}) for e in extras)

    def _wheel(self, requirement: Requirement, wanted_by: str) -> str:
        """A PyPI package's lock name, its wheel (and its dependencies') fetched and kept."""
        key = canonicalize_name(requirement.name)
        if key in self.wheels:
            version = self.wheels[key].entry["version"]
            if not requirement.specifier.contains(version, prereleases=True):
                raise PackageError(
                    f"packages: '{wanted_by}' needs {requirement}, and {key} {version} is "
                    "already in the site: list the version that suits both."
                )
            return key
        path = self._cached(requirement) or self._download(requirement, wanted_by)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")][:1] or [""]
            metadata = email.parser.Parser().parsestr(
                archive.read(metadata_name).decode() if metadata_name else ""
            )
        entry: dict[str, Any] = {
            "name": metadata.get("Name") or requirement.name,
            "version": metadata.get("Version") or parse_wheel_filename(path.name)[1].public,
            "file_name": path.name,
            "install_dir": "site",
            "sha256": _sha256(path),
            "package_type": "package",
            "imports": _top_level(names),
            "depends": [],
            "unvendored_tests": False,
        }
        self.wheels[key] = Wheel(path, entry)  # (before its dependencies: cycles end here)
        for line in metadata.get_all("Requires-Dist") or []:
            try:
                dependency = Requirement(line)
            except InvalidRequirement as error:
                raise PackageError(
                    f"{path.name} lists a dependency that is not a requirement: '{line}' "
                    f"({error}); pin another version of {entry['name']} in `packages:`."
                ) from error
            if dependency.marker and not self._applies(dependency, {"", *requirement.extras}):
                continue
            name = canonicalize_name(dependency.name)
            pyodide = self.lock.packages.get(name)
            if pyodide is not None:
                if not dependency.specifier.contains(pyodide["version"], prereleases=True):
                    log.warning(
                        "lecture: %s %s needs %s; Pyodide %s has %s %s, which it will use.",
                        entry["name"],
                        entry["version"],
                        dependency,
                        PYODIDE_VERSION,
                        name,
                        pyodide["version"],
                    )
                entry["depends"].append(name)
            else:
                entry["depends"].append(self._wheel(dependency, f"{wanted_by} → {dependency}"))
        return key

    def _cached(self, requirement: Requirement) -> Path | None:
        """The newest kept wheel that satisfies `requirement` and is intact."""
        key = canonicalize_name(requirement.name)
        best: tuple[Any, Path] | None = None
        for path in (cache_dir() / "wheels").glob("*.whl"):
            try:
                name, version, _, tags = parse_wheel_filename(path.name)
            except InvalidWheelFilename:
                continue
            if (
                name == key
                and _pure(tags)
                and requirement.specifier.contains(version)
                and (best is None or version > best[0])
            ):
                recorded = path.with_name(path.name + ".sha256")
                if recorded.exists() and recorded.read_text().strip() == _sha256(path):
                    best = (version, path)
        return best[1] if best else None

    def _download(self, requirement: Requirement, wanted_by: str) -> Path:
        """`requirement`'s wheel for Pyodide's Python, by pip (which checks the index's
        hashes), kept in the cache folder with its SHA-256."""
        kept = cache_dir() / "wheels"
        spec = f"{requirement.name}{requirement.specifier}"
        log.info("lecture: fetching the pure-Python wheel of %s, once, into '%s'", spec, kept)
        try:
            kept.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=kept, prefix=".fetching-") as scratch:
                command = [
                    sys.executable, "-m", "pip", "download", "--no-deps", "--no-input",
                    "--disable-pip-version-check", "--only-binary=:all:",
                    "--python-version", self.lock.python, "--implementation", "py",
                    "--abi", "none", "--platform", "any", "--retries", "1",
                    "--dest", scratch, spec,
                ]  # fmt: skip
                run = subprocess.run(
                    command, capture_output=True, text=True, timeout=PIP_TIMEOUT, check=False
                )
                wheels = sorted(Path(scratch).glob("*.whl"))
                if run.returncode or len(wheels) != 1:
                    said = [line for line in run.stderr.splitlines() if line.strip()][-3:]
                    raise PackageError(
                        f"packages: '{wanted_by}': pip found no pure-Python wheel of {spec} "
                        f"for Pyodide's Python {self.lock.python} ({' / '.join(said)}). A "
                        "package with compiled code runs in Pyodide only if Pyodide builds "
                        "it (then it is one of its packages); check the name, or the index "
                        "(PIP_INDEX_URL)."
                    )
                target = kept / wheels[0].name
                (kept / (wheels[0].name + ".sha256")).write_text(_sha256(wheels[0]) + "\n")
                wheels[0].replace(target)
        except (OSError, subprocess.SubprocessError) as error:
            raise PackageError(
                f"packages: '{wanted_by}': {spec} could not be fetched into '{kept}' ({error}); "
                "set MKDOCS_LECTURE_CACHE to a folder you can write to."
            ) from error
        return target

    # -- the site -----------------------------------------------------------------------

    def _entry(self, name: str) -> dict[str, Any]:
        return self.wheels[name].entry if name in self.wheels else self.lock.packages[name]

    def _closure(self, names: Iterable[str]) -> list[str]:
        found: dict[str, None] = {}
        pending = list(names)
        while pending:
            name = pending.pop()
            if name not in found:
                found[name] = None
                pending.extend(self._entry(name)["depends"])
        return sorted(found)

    def write(self, out: Path) -> dict[str, Any]:
        """Write the site's lock and the package files it names into `out` (the site's
        `pyodide/` folder); what config.js says of them."""
        out.mkdir(parents=True, exist_ok=True)
        names = self._closure(self.used)
        entries: dict[str, dict[str, Any]] = {}
        sizes: dict[str, int] = {}
        from_cdn = []
        for name in names:
            if name in self.wheels:
                wheel = self.wheels[name]
                entries[name] = dict(wheel.entry)
                _copy(wheel.path, out / wheel.path.name)
            elif self.packages_dir is not None:
                entries[name] = self._from_distribution(name, out)
            else:
                entry = dict(self.lock.packages[name])
                entry["file_name"] = self.packages_url.rstrip("/") + "/" + entry["file_name"]
                entries[name] = entry
                from_cdn.append(name)
                continue
            sizes[name] = (out / entries[name]["file_name"]).stat().st_size
        if from_cdn:
            self._report_cdn(from_cdn)
        for stale in out.glob("*.whl"):  # an earlier build's (mkdocs serve)
            if stale.name not in {entry["file_name"] for entry in entries.values()}:
                stale.unlink()
        lock = {"info": self.lock.info, "packages": entries}
        (out / LOCK).write_text(json.dumps(lock, sort_keys=True, separators=(",", ":")))
        return {"packageSizes": sizes, "packagesLock": f"pyodide/{LOCK}"}

    def _report_cdn(self, names: list[str]) -> None:
        host = urlsplit(self.packages_url).netloc or self.packages_url
        wanted = sorted(self.used & set(names))
        more = len(names) - len(wanted)
        listed = ", ".join(wanted)
        if more:
            listed += f" (and {more} they need: {', '.join(sorted(set(names) - set(wanted)))})"
        if not self.from_cdn:
            raise PackageError(
                f"Pyodide's packages {listed} would come from {host} at run time, and "
                "`packages_from_cdn` is false: set `pyodide_packages_dir` to a folder "
                f"holding Pyodide {PYODIDE_VERSION}'s full distribution (its "
                "pyodide-lock.json and wheels, as published with the release)."
            )
        log.info(
            "lecture: Pyodide's packages %s come from %s at run time, not from the site (set "
            "`pyodide_packages_dir` to ship them; `packages_from_cdn: false` forbids this).",
            listed,
            host,
        )

    def _from_distribution(self, name: str, out: Path) -> dict[str, Any]:
        """`name`'s entry from the distribution folder's lock, its file checked and copied."""
        folder = self.packages_dir
        assert folder is not None
        try:
            theirs = json.loads((folder / LOCK).read_text())
        except (OSError, ValueError) as error:
            raise PackageError(
                f"pyodide_packages_dir: '{folder}' has no readable {LOCK} ({error}): it "
                f"must be Pyodide {PYODIDE_VERSION}'s full distribution folder."
            ) from error
        ours = self.lock.packages[name]
        entry = (theirs.get("packages") or {}).get(name)
        if theirs.get("info") != self.lock.info or not entry or entry["version"] != ours["version"]:
            raise PackageError(
                f"pyodide_packages_dir: '{folder}' is not Pyodide {PYODIDE_VERSION}'s "
                f"distribution (its {LOCK} has another Python or platform, or lacks {name} "
                f"{ours['version']})."
            )
        source = folder / entry["file_name"]
        if not source.is_file() or _sha256(source) != entry["sha256"]:
            raise PackageError(
                f"pyodide_packages_dir: {source} is missing, or does not match the SHA-256 of "
                f"its folder's {LOCK}."
            )
        _copy(source, out / source.name)
        return {**entry, "file_name": source.name}


def _top_level(names: list[str]) -> list[str]:
    """The top-level modules a wheel installs (its packages, modules and namespace folders)."""
    found = set()
    for member in names:
        parts = member.split("/")
        if parts[0].endswith(".data") and len(parts) > 2 and parts[1] in ("purelib", "platlib"):
            parts = parts[2:]
        elif parts[0].endswith((".dist-info", ".data")):
            continue
        head = parts[0].removesuffix(".py") if len(parts) == 1 else parts[0]
        if (len(parts) > 1 or parts[0].endswith(".py")) and head.isidentifier():
            found.add(head)
    return sorted(found)


def _pure(tags: Iterable[Any]) -> bool:
    return all(
        tag.abi == "none" and tag.platform == "any" and tag.interpreter.startswith("py")
        for tag in tags
    )


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _copy(source: Path, target: Path) -> None:
    """Copy unless the target has the same bytes (mkdocs serve rebuilds in place)."""
    if not target.exists() or _sha256(target) != _sha256(source):
        shutil.copyfile(source, target)

"""Packages a site's cells import: found at build, resolved, shipped, and listed in the
site's lock (plugin/packages.py).

PyPI is played by a PEP 503 index on 127.0.0.1 serving real wheels (tests/packages/,
SOURCES.md); Pyodide's full distribution folder by a folder holding a lock written here
and a real wheel of six, the version Pyodide pins. Nothing leaves 127.0.0.1: the Pyodide
CDN of these builds is an address where nothing listens, which is only written into the
site's lock.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from mkdocs_lecture.packages import find_imports
from support import ROOT, WHEELS, mkdocs_build, package_index, write_project

CORE = ROOT / "node_modules" / "pyodide"
PINNED = json.loads((CORE / "pyodide-lock.json").read_text())
MARKDOWN_IT = "markdown_it_py-4.3.0-py3-none-any.whl"
MDURL = "mdurl-0.1.2-py3-none-any.whl"
SIX = "six-1.17.0-py2.py3-none-any.whl"
CDN = "http://127.0.0.1:9/pyodide/full/"  # (nothing listens: only written in the lock)
# Pyodide from a CDN: these builds leave the core alone (no packing, no snapshot).
OPTIONS = {"pyodide": "https://cdn.invalid/pyodide/v314.0.7/full/", "pyodide_packages_url": CDN}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The build's environment: its own cache folder, pip on the local index only."""
    with package_index(tmp_path) as environment:
        yield environment


def build(folder: Path, pages: dict[str, str], env: dict[str, str], **options: object):  # type: ignore[no-untyped-def]
    lecture = {"pyodide_dir": str(CORE), **OPTIONS, **options}
    config = write_project(folder, pages, plugins=[{"lecture": lecture}])
    return mkdocs_build(config, "--strict", env=env)


def site_lock(site: Path) -> dict:
    return json.loads((site / "assets/lecture/pyodide/pyodide-lock.json").read_text())


def site_config(site: Path) -> dict:
    text = (site / "assets/lecture/config.js").read_text()
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


# -- imports --------------------------------------------------------------------------------


def test_imports_are_found_as_pyodide_finds_them() -> None:
    code = (
        "import os, numpy.linalg as la\n"
        "from matplotlib import pyplot\n"
        "from . import sibling\n"
        "def f():\n"
        "    import pandas\n"
        "try:\n"
        "    import tomli\n"
        "except ImportError:\n"
        "    import json\n"
    )
    found = [(i.name, i.line, i.optional) for i in find_imports(code)]
    assert found == [
        ("os", 1, False),
        ("numpy", 1, False),
        ("matplotlib", 2, False),
        ("pandas", 5, False),
        ("tomli", 7, True),
        ("json", 9, False),
    ]
    assert find_imports("import (") == []  # not Python yet: nothing to load


def root_of(html: str) -> str:
    return html.split(">", 1)[0]


def test_each_widget_root_names_the_lock_packages_it_needs() -> None:
    page = (
        "```{python}\nimport numpy as np\nfrom dateutil import parser\nimport json, js\n```\n\n"
        "```{python}\nimport sys\ntry:\n    import not_here\nexcept ImportError:\n    pass\n```\n"
    )
    first, second = markdown.markdown(page, extensions=["lecture"]).split("</div>\n</div>")[:2]
    # lock names, in order, without their dependencies (python-dateutil needs six)
    assert 'data-lecture-packages="numpy python-dateutil"' in root_of(first)
    assert "data-lecture-packages" not in root_of(second.strip())


def test_an_exercise_needs_what_its_starter_tests_and_solution_import() -> None:
    page = (
        "```{exercise}\n---\ntests: |\n  import numpy\n  assert f() == 1\n"
        "solution: |\n  def f():\n      return 1\n---\ndef f():\n    return 0\n```\n"
    )
    html = markdown.markdown(page, extensions=["lecture"])
    assert 'data-lecture-packages="numpy"' in root_of(html)


def test_an_unknown_import_is_an_error_at_its_line_with_the_nearest_names(
    tmp_path: Path,
) -> None:
    page = (
        "---\ntitle: T\n---\n\n# Page\n\n"  # lines 1-6 (front matter counted)
        "```{python}\nimport json\nimport nmupy\n```\n\n"  # fence at 7, nmupy at 9
        "```{exercise}\n---\n"  # 12
        "tests: |\n  import tabulat\n  assert True\n"  # tabulat at 15
        "solution: x = 1\n---\nx = 0\n```\n"
    )
    result = mkdocs_build(write_project(tmp_path, {"page.md": page}), "--strict")
    assert result.returncode != 0
    assert "docs/page.md:9: widget '{python}': 'import nmupy': 'nmupy' is not" in result.stderr
    assert "Nearest known names: numpy" in result.stderr
    assert "add its name (as pip installs it) to `packages:`" in result.stderr
    assert "docs/page.md:15: widget '{exercise}': 'import tabulat'" in result.stderr


def test_the_standard_library_is_pyodides_not_the_builds(tmp_path: Path) -> None:
    """Pyodide's Python (3.14) has no `imp` (removed in 3.12) and no `pwd` (left out for
    WebAssembly), though the build's Python may have them; it has `compression` (new in
    3.14), its built-in `math`, and `audioop` as a package (checked in real Pyodide under
    Node)."""
    accepted = "import math, array, zlib, sqlite3, compression.zstd, audioop\n"
    page = f"# Page\n\n```{{python}}\n{accepted}```\n\n```{{python}}\nimport imp\n```\n"
    pages = {"page.md": page, "pwd.md": "# P\n\n```{python}\nimport pwd\n```\n"}
    result = mkdocs_build(write_project(tmp_path, pages), "--strict")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 2, result.stderr
    assert "docs/page.md:8: widget '{python}': 'import imp': 'imp' is " in errors[0]  # (either)
    assert "docs/pwd.md:4: widget '{python}': 'import pwd': 'pwd' is in the standard" in errors[1]
    assert "but not in that of Pyodide 314.0.7's Python 3.14.2" in errors[1]
    assert "If a package on PyPI provides it" in errors[1]


def test_a_stdlib_module_pyodide_ships_as_a_package_is_loaded_as_one() -> None:
    html = markdown.markdown("```{python}\nimport audioop\n```\n", extensions=["lecture"])
    assert 'data-lecture-packages="audioop-lts"' in root_of(html)


# -- PyPI ----------------------------------------------------------------------------------

PYPI_PAGES = {
    "index.md": "# Home\n",
    "render.md": (
        "---\npackages:\n  - markdown-it-py\n---\n\n# Render\n\n"
        "```{python}\nfrom markdown_it import MarkdownIt\nMarkdownIt().render('*hi*')\n```\n"
    ),
    "urls.md": "# URLs\n\n```{python}\nimport mdurl\nmdurl.parse('https://a.b/c')\n```\n",
}


def test_a_pypi_package_ships_with_its_dependency_and_builds_again_offline(
    tmp_path: Path, env: dict[str, str]
) -> None:
    result = build(tmp_path / "course", PYPI_PAGES, env, packages=["mdurl==0.1.2"])
    assert result.returncode == 0, result.stderr
    site = tmp_path / "course" / "site"
    pyodide = site / "assets/lecture/pyodide"
    assert sorted(p.name for p in pyodide.glob("*.whl")) == [MARKDOWN_IT, MDURL]
    for name in (MARKDOWN_IT, MDURL):
        assert (pyodide / name).read_bytes() == (WHEELS / name).read_bytes()
    lock = site_lock(site)
    assert lock["info"] == PINNED["info"]
    assert sorted(lock["packages"]) == ["markdown-it-py", "mdurl"]
    markdown_it = lock["packages"]["markdown-it-py"]
    assert markdown_it == {
        "name": "markdown-it-py",
        "version": "4.3.0",
        "file_name": MARKDOWN_IT,  # relative to the lock
        "sha256": sha256(WHEELS / MARKDOWN_IT),
        "depends": ["mdurl"],  # its extras' dependencies left out
        "imports": ["markdown_it"],
        "package_type": "package",
        "install_dir": "site",
        "unvendored_tests": False,
    }
    assert lock["packages"]["mdurl"]["sha256"] == sha256(WHEELS / MDURL)
    render = (site / "render/index.html").read_text()
    assert 'data-lecture-packages="markdown-it-py"' in render
    # mdurl is the site's (`packages:` in mkdocs.yml): any page imports it
    assert 'data-lecture-packages="mdurl"' in (site / "urls/index.html").read_text()
    config = site_config(site)
    assert config["packagesLock"] == "pyodide/pyodide-lock.json"
    assert config["packageSizes"] == {
        "markdown-it-py": (WHEELS / MARKDOWN_IT).stat().st_size,
        "mdurl": (WHEELS / MDURL).stat().st_size,
    }

    # Again, with the index gone: the wheels come from the cache folder.
    shutil.rmtree(site)
    offline = {**env, "PIP_INDEX_URL": "http://127.0.0.1:9/simple/"}
    again = build(tmp_path / "course", PYPI_PAGES, offline, packages=["mdurl==0.1.2"])
    assert again.returncode == 0, again.stderr
    assert "fetching the pure-Python wheel" not in again.stderr
    assert site_lock(site) == lock


def test_an_import_of_a_pypi_package_the_page_does_not_list_is_an_error(
    tmp_path: Path, env: dict[str, str]
) -> None:
    result = build(tmp_path, {"urls.md": PYPI_PAGES["urls.md"]}, env)
    assert result.returncode != 0
    assert "docs/urls.md:4: widget '{python}': 'import mdurl'" in result.stderr


def test_a_package_pip_cannot_find_is_an_error_at_the_front_matter(
    tmp_path: Path, env: dict[str, str]
) -> None:
    page = "---\ntitle: T\npackages: [no-such-package]\n---\n\n```{python}\nprint(1)\n```\n"
    result = build(tmp_path, {"page.md": page}, env)
    assert result.returncode != 0
    assert "docs/page.md:3: packages: 'no-such-package': pip found no pure-Python wheel" in (
        result.stderr
    )


# -- Pyodide's packages --------------------------------------------------------------------


def distribution(folder: Path, wheel: Path = WHEELS / SIX) -> Path:
    """A stand-in for Pyodide's full distribution folder: a lock like the release's (its
    `info`, six's entry) with the wheel's own SHA-256, and the wheel."""
    folder.mkdir(parents=True)
    shutil.copy(wheel, folder / SIX)
    six = {**PINNED["packages"]["six"], "file_name": SIX, "sha256": sha256(WHEELS / SIX)}
    lock = {"info": PINNED["info"], "packages": {"six": six}}
    (folder / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder


SIX_PAGE = {"page.md": "# Six\n\n```{python}\nimport six\nsix.PY3\n```\n"}


def test_a_pyodide_package_is_copied_from_a_distribution_folder_into_a_self_hosted_site(
    tmp_path: Path,
) -> None:
    folder = distribution(tmp_path / "pyodide-full")
    options = {"pyodide_dir": str(CORE), "pyodide_snapshot": False}
    options["pyodide_packages_dir"] = str(folder)
    config = write_project(tmp_path / "course", SIX_PAGE, plugins=[{"lecture": options}])
    result = mkdocs_build(config, "--strict")  # (the packed core from the usual cache)
    assert result.returncode == 0, result.stderr
    assert "come from" not in result.stderr
    site = tmp_path / "course/site"
    pyodide = site / "assets/lecture/pyodide"
    assert (pyodide / SIX).read_bytes() == (WHEELS / SIX).read_bytes()
    lock = site_lock(site)
    assert lock["packages"]["six"]["file_name"] == SIX
    assert lock["packages"]["six"]["sha256"] == sha256(WHEELS / SIX)
    assert lock["info"] == PINNED["info"]
    config_js = site_config(site)
    assert config_js["packageSizes"] == {"six": (WHEELS / SIX).stat().st_size}
    # the site's lock stands for the core's, where Pyodide looks for it (indexURL)
    assert config_js["pyodideFiles"]["pyodide-lock.json"] == len(
        (pyodide / "pyodide-lock.json").read_bytes()
    )
    assert 'data-lecture-packages="six"' in (site / "page/index.html").read_text()


def test_a_wheel_that_does_not_match_its_distribution_lock_is_an_error(
    tmp_path: Path, env: dict[str, str]
) -> None:
    folder = distribution(tmp_path / "pyodide-full")
    (folder / SIX).write_bytes((WHEELS / SIX).read_bytes() + b"altered")
    result = build(tmp_path / "course", SIX_PAGE, env, pyodide_packages_dir=str(folder))
    assert result.returncode != 0
    assert "does not match the SHA-256 of its folder's pyodide-lock.json" in result.stderr


def test_without_a_distribution_folder_pyodide_packages_come_from_the_cdn(
    tmp_path: Path, env: dict[str, str]
) -> None:
    page = {"page.md": "```{python}\nfrom dateutil import parser\n```\n"}
    result = build(tmp_path / "course", page, env)
    assert result.returncode == 0, result.stderr
    assert (
        "INFO    -  lecture: Pyodide's packages python-dateutil (and 1 they need: six) come "
        "from 127.0.0.1:9 at run time" in result.stderr
    )
    site = tmp_path / "course/site"
    lock = site_lock(site)
    assert sorted(lock["packages"]) == ["python-dateutil", "six"]
    six = lock["packages"]["six"]
    assert six == {
        **PINNED["packages"]["six"],
        "file_name": CDN + PINNED["packages"]["six"]["file_name"],
    }
    assert not list((site / "assets/lecture/pyodide").glob("*.whl"))
    assert site_config(site)["packageSizes"] == {}

    forbidden = build(tmp_path / "strict", page, env, packages_from_cdn=False)
    assert forbidden.returncode != 0
    assert "python-dateutil (and 1 they need: six) would come from 127.0.0.1:9" in (
        forbidden.stderr
    )
    assert "`packages_from_cdn` is false: set `pyodide_packages_dir`" in forbidden.stderr

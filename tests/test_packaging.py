"""What a packager gets: the sdist and wheel ``python -m build`` makes from this tree, and the
files generated from the code (man page, completion, translations) being current.

The slow checks — ``twine check --strict``, the sdist's own suite in a venv without PySide6, the
Debian package — are in tools/check-packaging.sh, which tools/test.sh runs once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from kernel_advisor import APP_ID, __version__

ROOT = Path(__file__).resolve().parent.parent
NAME = f"kernel_advisor-{__version__}"
RUNTIME = [  # what the app reads at run time: package data, in the wheel
    "kernel_advisor/data/kb.json", "kernel_advisor/data/releases.json", "kernel_advisor/data/distros.json",
    "kernel_advisor/data/vendors.json", "kernel_advisor/data/ansible/collection/playbooks/collect.yml",
    "kernel_advisor/data/ansible/collection/roles/snapshot/tasks/main.yml",
    "kernel_advisor/data/ansible/collection/galaxy.yml",
    f"kernel_advisor/data/desktop/{APP_ID}.desktop", f"kernel_advisor/data/desktop/{APP_ID}.metainfo.xml",
    f"kernel_advisor/data/desktop/icons/hicolor/scalable/apps/{APP_ID}.svg",
    *(f"kernel_advisor/data/desktop/icons/hicolor/{s}/apps/{APP_ID}.png" for s in ("48x48", "128x128",
                                                                          "256x256")),
    "kernel_advisor/data/man/kernel-advisor.1", "kernel_advisor/data/completion/kernel-advisor.bash",
    "kernel_advisor/data/completion/_kernel-advisor", "kernel_advisor/data/completion/kernel-advisor.fish",
    "kernel_advisor/data/locale/de/LC_MESSAGES/kernel-advisor.mo", "kernel_advisor/data/i18n/kernel-advisor_de.qm",
]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    """The sdist and the wheel built from it (``python -m build`` does sdist → wheel), or the
    ones tools/check-packaging.sh built ($KERNEL_ADVISOR_DISTS)."""
    given = os.environ.get("KERNEL_ADVISOR_DISTS")
    out = Path(given) if given else tmp_path_factory.mktemp("dist")
    if not given:
        subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                       check=True, capture_output=True, timeout=600)
    return out / f"{NAME}.tar.gz", out / f"{NAME}-py3-none-any.whl"


def test_the_wheel_holds_what_runs_and_nothing_else(dists):
    names = zipfile.ZipFile(dists[1]).namelist()
    for path in RUNTIME:
        assert path in names, f"{path} missing from the wheel"
    assert f"{NAME}.dist-info/licenses/LICENSE" in names or f"{NAME}.dist-info/LICENSE" in names
    assert not [n for n in names if n.startswith(("tests/", "resources/", "tools/", "build/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".po", ".ts"))]
    meta = zipfile.ZipFile(dists[1]).read(f"{NAME}.dist-info/METADATA").decode()
    qt = [Requirement(line.split(":", 1)[1]) for line in meta.splitlines()
          if line.startswith("Requires-Dist: PySide6")]
    assert [str(r.marker) for r in qt] == ['extra == "gui"']
    assert "6.11.3" in qt[0].specifier and "6.12.0" not in qt[0].specifier  # emit() bug
    assert not [line for line in meta.splitlines()
                if line.startswith("Requires-Dist: PySide6") and "extra ==" not in line]
    assert "Project-URL: Source, https://github.com/kerneladvisor/kernel-advisor" in meta
    # PEP 639: the SPDX expression, not the table form setuptools stops accepting in 2027
    assert "License-Expression: GPL-3.0-or-later" in meta.splitlines()
    assert "Classifier: License ::" not in meta
    assert "](docs/" not in meta  # README images and links are absolute on PyPI


def test_the_sdist_is_the_whole_source(dists):
    with tarfile.open(dists[0]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        linked = [m.name for m in tar.getmembers() if m.issym() or m.islnk()]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    missing = [p for p in tracked.stdout.splitlines()
               if p not in names and not p.startswith((".gitignore", "debian/"))]
    assert missing == [], "tracked files missing from the sdist"
    # the Debian packaging is not upstream's to ship: 3.0 (quilt) adds it to the orig tarball
    assert not [n for n in names if n.startswith("debian/")]
    assert linked == []  # links (resources/ → kernel_advisor/data) become files in the sdist
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_generated_files_are_current():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "generate.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


def test_the_debian_patch_still_applies_to_pyproject(tmp_path):
    """debian/patches/ gives Debian 12's setuptools 66 the licence as a table; a change to
    pyproject.toml near those lines must update the patch (dpkg-source would refuse it)."""
    if not (ROOT / "debian").is_dir():
        pytest.skip("the sdist carries no debian/ (3.0 (quilt) adds it beside the orig tarball)")
    if not shutil.which("patch"):
        pytest.skip("patch is not installed")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    series = (ROOT / "debian" / "patches" / "series").read_text().split()
    for name in series:
        out = subprocess.run(["patch", "-p1", "--dry-run", "-i",
                              str(ROOT / "debian" / "patches" / name)],
                             cwd=tmp_path, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr

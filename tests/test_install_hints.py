"""Issue 30, class 3: without Qt, the wizard names what adds it for the way this copy was
installed — never a ``pip install`` that the install method refuses (Debian 12's system Python,
PEP 668) or bypasses (pipx, the installer's venv, the .deb)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_source_tree

from kernel_advisor.install_kind import Install, Where, detect, gui_hint

APP = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"


def where(tmp_path, kind, **kw):
    prefix = tmp_path / "prefix"
    prefix.mkdir(exist_ok=True)
    stdlib = tmp_path / "stdlib"
    stdlib.mkdir(exist_ok=True)
    base = dict(package=str(APP / "kernel_advisor"), prefix=str(prefix),
                base_prefix=str(prefix), frozen=False, user_site=None, stdlib=str(stdlib),
                python="/opt/py/bin/python3")
    if kind == "pipx":
        venv_dir = tmp_path / "pipx" / "venvs" / "kernel-advisor"
        venv_dir.mkdir(parents=True)
        (venv_dir / "pipx_metadata.json").write_text("{}")
        base.update(prefix=str(venv_dir), base_prefix="/usr")
    elif kind == "installer":
        venv_dir = tmp_path / "share" / "kernel-advisor" / "venvs" / "20261202-1"
        venv_dir.mkdir(parents=True)
        base.update(prefix=str(venv_dir), base_prefix="/usr")
    elif kind == "venv":
        base.update(prefix=str(tmp_path / "my venv"), base_prefix="/usr",
                    python=str(tmp_path / "my venv" / "bin" / "python"))
    base.update(kw)
    return Where(**base)


@pytest.mark.parametrize("kind, expected, words", [
    ("bundle", Install.BUNDLE, "rebuild it with installer/build-bundle.sh"),
    ("deb", Install.DISTRIBUTION, "pipx install 'kernel-advisor[gui]'"),
    ("pipx", Install.PIPX, "pipx install --force 'kernel-advisor[gui]'"),
    ("installer", Install.INSTALLER, "run installer/install.sh again"),
    ("venv", Install.VENV, "-m pip install 'kernel-advisor[gui]'"),
    ("user", Install.USER, "/opt/py/bin/python3 -m pip install --user 'kernel-advisor[gui]'"),
    ("system", Install.SYSTEM, "/opt/py/bin/python3 -m pip install 'kernel-advisor[gui]'"),
    ("managed", Install.SYSTEM, "PEP 668"),
])
def test_each_install_method_gets_the_command_that_works_there(tmp_path, kind, expected, words):
    extra = {"bundle": {"frozen": True},
             "deb": {"package": "/usr/lib/python3/dist-packages/kernel_advisor"},
             "user": {"user_site": str(tmp_path / "user-site"),
                      "package": str(tmp_path / "user-site" / "kernel_advisor")}}.get(kind, {})
    w = where(tmp_path, kind, **extra)
    if kind == "managed":
        (Path(w.stdlib) / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    assert detect(w) is expected
    hint = gui_hint(w)
    assert words in hint, hint
    if kind in ("deb", "pipx", "installer", "managed", "bundle"):
        assert "-m pip install" not in hint  # refused or bypassed there
    if kind == "venv":  # that venv's own interpreter, quoted for the shell (a space in it)
        assert hint.startswith(f"'{tmp_path}/my venv/bin/python' -m pip install")


def wizard_without_qt(python, tmp_path):
    out = subprocess.run([python, "-m", "kernel_advisor"], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(APP),
                              "HOME": str(tmp_path), "LANG": "C.UTF-8"})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr
    return out.stderr


def has_debian_packaging(python):
    return subprocess.run([python, "-c", "import packaging, requests"],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not os.path.exists(SYSTEM_PYTHON) or not has_debian_packaging(SYSTEM_PYTHON),
                    reason="needs Debian's python3 with python3-packaging and python3-requests")
def test_the_system_python_is_told_pipx_not_pip(tmp_path):
    if subprocess.run([SYSTEM_PYTHON, "-c", "import PySide6"], capture_output=True).returncode == 0:
        pytest.skip("this system Python has PySide6")
    err = wizard_without_qt(SYSTEM_PYTHON, tmp_path)
    managed = any(Path(p, "EXTERNALLY-MANAGED").exists() for p in subprocess.run(
        [SYSTEM_PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True, text=True).stdout.split())
    if managed:  # Debian 12: pip refuses this Python
        assert "pipx install 'kernel-advisor[gui]'" in err and "-m pip" not in err, err
    else:
        assert f"{SYSTEM_PYTHON} -m pip install 'kernel-advisor[gui]'" in err, err


@pytest.mark.skipif(not os.path.exists(SYSTEM_PYTHON) or not has_debian_packaging(SYSTEM_PYTHON),
                    reason="needs Debian's python3 with python3-packaging and python3-requests")
def test_a_venv_is_told_its_own_pip(tmp_path):
    env_dir = tmp_path / "env"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(env_dir)], check=True, timeout=120)
    python = str(env_dir / "bin" / "python")
    if subprocess.run([python, "-c", "import PySide6"], capture_output=True).returncode == 0:
        pytest.skip("this system Python has PySide6")
    err = wizard_without_qt(python, tmp_path)
    assert f"{python} -m pip install 'kernel-advisor[gui]'" in err, err


def test_this_interpreter_is_detected():
    """The running one: the suite runs in a venv (tools/test.sh's), which must not be taken
    for the distribution's or the bundle's Python."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the suite is not running in a virtual environment")
    assert detect(Where.here()) in (Install.VENV, Install.PIPX, Install.INSTALLER)
    assert f"{sys.executable} -m pip install" in gui_hint() or "pipx" in gui_hint() \
        or "install.sh" in gui_hint()


@needs_source_tree
@pytest.mark.skipif(not os.path.exists(SYSTEM_PYTHON), reason="needs a python3 without Qt")
def test_the_bundle_build_refuses_a_python_without_qt_in_one_line(tmp_path):
    """The README's recipe once built from a venv without the GUI extra and build-bundle.sh
    exited 2 with no message."""
    if subprocess.run([SYSTEM_PYTHON, "-c", "import PySide6"], capture_output=True).returncode == 0:
        pytest.skip("this system Python has PySide6")
    out = subprocess.run(["bash", str(APP / "installer" / "build-bundle.sh"), SYSTEM_PYTHON],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "cannot import PySide6" in out.stderr and "'.[gui,bundle]'" in out.stderr
    assert "'.[gui,bundle]'" in (APP / "README.md").read_text()

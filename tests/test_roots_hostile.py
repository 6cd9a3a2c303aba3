"""Issue 29, class 7: no silent wrong analysis of a root. ``--root /proc/PID/root`` is that
process's root, not this computer; a root the user may not read is "permission denied" in one
line; a folder inside it the user may not enter is an unknown with that reason, never "does not
exist" (no "no KVM module loaded", no "no IOMMU groups" as facts); with no /proc mounted,
folders are still listed. As root (CI), the user cases run the real CLI as a throw-away uid."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VIRT_WHAT
from test_write_safety import USER, app  # noqa: F401 - app is a fixture used here

FIXTURE = VIRT_WHAT / "baremetal" / "root"
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (CI runs as root)")


def check(*args, as_uid=None, app_dir=None, wrap=()):
    cmd = [sys.executable, "-m", "kernel_advisor", "check", "--json", "--offline", *args]
    env = None
    if as_uid is not None:
        cmd = ["setpriv", f"--reuid={as_uid}", f"--regid={as_uid}", "--clear-groups", "--",
               "env", "-i", f"PYTHONPATH={app_dir}", "HOME=/nonexistent", "LANG=C.UTF-8",
               "/usr/bin/python3", *cmd[1:]]
    return subprocess.run([*wrap, *cmd], capture_output=True, text=True, timeout=120, env=env,
                          cwd="/")


def facts(out):
    assert out.returncode in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    return doc, {c["id"]: c for c in doc["checks"]}


def a_host(tmp_path, release="5.10.0-kvmtest"):
    """A root of our own: the fixture, a kernel release, loaded modules and IOMMU groups."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    (root / "proc" / "sys" / "kernel").mkdir(parents=True, exist_ok=True)
    (root / "proc" / "sys" / "kernel" / "osrelease").write_text(release + "\n")
    for name in ("kvm", "kvm_intel"):
        (root / "sys" / "module" / name).mkdir(parents=True)
    for group in ("0", "1", "2"):
        (root / "sys" / "kernel" / "iommu_groups" / group).mkdir(parents=True)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    for folder in root.parents:  # pytest's folders are 0700: let the user reach the root
        if folder == Path("/tmp"):
            break
        folder.chmod(folder.stat().st_mode | 0o755)
    return root


@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux's unshare")
def test_the_root_of_another_process_is_that_processs_not_this_computers(tmp_path):
    """A container's root as a process sees it: a filesystem mounted in its own mount
    namespace only (here a tmpfs holding our host), then chroot. From outside, the path its
    /proc/PID/root link shows (``jail``) is an empty folder: only the link itself leads in."""
    host, jail = a_host(tmp_path), tmp_path / "jail"
    jail.mkdir()
    inside = (f"mount -t tmpfs none {jail} && cp -a {host}/. {jail}/ && exec {sys.executable} "
              "-c \"import os, sys, time; os.chroot(sys.argv[1]); os.chdir('/'); "
              f"print('in', flush=True); time.sleep(120)\" {jail}")
    jailed = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                               inside], stdout=subprocess.PIPE, text=True)
    try:
        assert jailed.stdout.readline().strip() == "in"
        assert not any(jail.iterdir())  # what this computer sees there
        doc, found = facts(check("--root", f"/proc/{jailed.pid}/root"))
    finally:
        jailed.kill()
        jailed.wait()
    assert doc["host"]["kernel"]["release"] == "5.10.0-kvmtest"  # the container's, not ours
    assert doc["analysed"]["origin"] == f"directory /proc/{jailed.pid}/root", doc["analysed"]
    assert found["kvm.modules"]["value"] == ["kvm", "kvm_intel"]


@pytest.mark.users  # runs the CLI as another uid (setpriv)
@needs_root
def test_a_root_the_user_may_not_read_is_permission_denied_in_one_line(tmp_path, app):  # noqa: F811
    for target in ("/proc/1/root", str(a_host(tmp_path))):
        if target != "/proc/1/root":
            Path(target).chmod(0o700)
        out = check("--root", target, as_uid=USER, app_dir=app)
        assert out.returncode == 2, out.stdout
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
        assert "permission denied" in out.stderr and "not a host to judge" not in out.stderr


@pytest.mark.users  # runs the CLI as another uid (setpriv)
@needs_root
def test_a_folder_the_user_may_not_enter_is_unknown_not_absent(tmp_path, app):  # noqa: F811
    root = a_host(tmp_path)
    (root / "sys").chmod(0o700)  # root's; the user cannot look inside
    doc, found = facts(check("--root", str(root), as_uid=USER, app_dir=app))
    for fid in ("kvm.modules", "iommu", "iommu.passthrough", "firmware.secure_boot"):
        assert found[fid]["status"] == "unknown", found[fid]
        assert "permission denied" in found[fid]["reason"], found[fid]
    words = json.dumps(doc)
    assert "no KVM module loaded" not in words and "no IOMMU groups" not in words
    # and as root, who may, the same root reads in full
    _doc, as_root = facts(check("--root", str(root)))
    assert as_root["kvm.modules"]["value"] == ["kvm", "kvm_intel"]
    assert as_root["iommu"]["value"]["groups"] == 3


@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux's unshare")
def test_with_no_proc_mounted_folders_are_still_listed(tmp_path):
    root = a_host(tmp_path)
    hide = "mount -t tmpfs none /proc && exec \"$@\""
    out = check("--root", str(root), wrap=("unshare", "--mount", "--propagation", "private",
                                           "sh", "-c", hide, "sh"))
    _doc, found = facts(out)
    assert found["iommu"]["value"]["groups"] == 3
    assert found["kvm.modules"]["value"] == ["kvm", "kvm_intel"]

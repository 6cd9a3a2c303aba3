"""The real CLI, live, as the person at the desktop: throw-away users who may or may not open
/dev/kvm (issue 25, classes 1 and 9).

CI runs as root. Each case runs ``kernel-advisor check --json`` as a new user, in a private
mount namespace where a device node of our own — the same character device 10:232, but with
mode 0660 and a throw-away group — is bind-mounted over /dev/kvm: the real device's mode is never
changed, and KVM_CREATE_VM really runs (or really is refused) for that user. The stale-session
case lists the user in the group in /etc/group while ``setpriv`` starts the process with the
groups of a session from before that."""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import stat
import subprocess
import sysconfig
import tempfile
from pathlib import Path

import pytest
from conftest import schema_errors

ROOT = Path(__file__).resolve().parent.parent
GROUP = "ka-kvmtest"
USERS = ("ka-member", "ka-outsider", "ka-stale")
PYTHON = "/usr/bin/python3"

pytestmark = [
    pytest.mark.users,
    pytest.mark.skipif(os.geteuid() != 0, reason="creates users: run as root (CI does)"),
    pytest.mark.skipif(not os.path.exists("/dev/kvm"), reason="no /dev/kvm on this machine"),
    pytest.mark.skipif(not os.path.exists(PYTHON), reason=f"{PYTHON} is needed for other users"),
    pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("setpriv") is None,
                       reason="util-linux's unshare and setpriv are needed"),
]


@pytest.fixture(scope="module")
def world():
    """The app where any user can read it, the users and the group, and our device node."""
    top = Path(tempfile.mkdtemp(prefix="ka-live-", dir="/tmp"))
    shutil.copytree(ROOT / "kernel_advisor", top / "app" / "kernel_advisor",
                    ignore=shutil.ignore_patterns("__pycache__"))
    purelib = Path(sysconfig.get_paths()["purelib"])
    shutil.copytree(purelib / "packaging", top / "app" / "packaging")
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for user in USERS:
        if subprocess.run(["id", user], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "-M", "-d", "/nonexistent", "-s", "/usr/sbin/nologin",
                            user], check=True)
    for user in ("ka-member", "ka-stale"):
        subprocess.run(["gpasswd", "-a", user, GROUP], check=True, capture_output=True)
    gid = grp.getgrnam(GROUP).gr_gid
    node = top / "kvm"
    os.mknod(node, stat.S_IFCHR | 0o660, os.makedev(10, 232))
    os.chown(node, 0, gid)
    os.chmod(node, 0o660)
    for path in [top, *top.rglob("*")]:
        if path != node:
            path.chmod(path.stat().st_mode | 0o555 if path.is_dir() else
                       path.stat().st_mode | 0o444)
    yield top, node, gid
    for user in USERS:
        subprocess.run(["userdel", user], capture_output=True)
    subprocess.run(["groupdel", GROUP], capture_output=True)
    shutil.rmtree(top)


def check_as(world, user, groups=None, own_node=True):
    """``check --json --offline`` run live as ``user``: with our node over /dev/kvm (or the real
    one), with the groups a fresh login gives (or ``groups``, a session from before)."""
    top, node, _gid = world
    pw = pwd.getpwnam(user)
    if groups is None:
        groups = [g.gr_gid for g in grp.getgrall() if user in g.gr_mem]
    as_user = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}",
               "--groups=" + (",".join(map(str, groups)) or str(pw.pw_gid)), "--",
               "env", "-i", f"PYTHONPATH={top / 'app'}", "HOME=/nonexistent", f"USER={user}",
               "LANG=C.UTF-8", PYTHON, "-m", "kernel_advisor", "check", "--json", "--offline"]
    bind = f"mount --bind {node} /dev/kvm && " if own_node else ""
    script = bind + " ".join(f"'{a}'" for a in as_user)
    out = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                         capture_output=True, text=True, cwd=str(top), timeout=120)
    assert out.returncode in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    assert schema_errors(doc) == []
    kvm = next(r for r in doc["recommendations"] if r["framework"] == "kvm")
    return out.returncode, doc, kvm, {r["id"]: r for r in kvm["requirements"]}


def _no_hardware_blame(kvm):
    """Whatever the user may not do, KVM is not called impossible for lack of VT."""
    words = " ".join(kvm["reasons"])
    assert kvm["verdict"] != "unavailable", kvm["reasons"]
    assert "does not pass VT-x/AMD-V through" not in words and "no VT-x" not in words


def test_a_member_of_the_devices_group_gets_kvm_working_now(world):
    code, doc, kvm, reqs = check_as(world, "ka-member")
    assert doc["host"]["kvm"]["usable"] is True  # KVM_CREATE_VM ran for this user
    vcpu = doc["host"]["kvm"]["vcpu"]  # and a vCPU of this user's ran guest code to HLT
    assert (vcpu["ran"], vcpu["exit"]) == (True, "KVM_EXIT_HLT"), vcpu
    assert reqs["kvm.user_access"]["state"] == "met"
    assert reqs["kvm.live_proof"]["state"] == "met"
    assert kvm["ready"] and kvm["verdict"] == "recommended" and code == 0


def test_a_user_outside_the_group_is_told_the_usermod_line_not_no_vt(world):
    code, doc, kvm, reqs = check_as(world, "ka-outsider")
    _no_hardware_blame(kvm)
    access = reqs["kvm.user_access"]
    assert access["state"] == "fixable" and access["layer"] == "user"
    commands = [s["command"] for s in access["steps"]]
    assert f"sudo usermod -aG {GROUP} ka-outsider" in commands
    assert access["steps"][0]["who"] == "administrator"
    assert reqs["kvm.live_proof"]["state"] == "unknown"  # not tried: it could not open it
    vcpu = doc["host"]["kvm"]["vcpu"]
    assert vcpu["ran"] is None and "could not open /dev/kvm" in vcpu["detail"], vcpu
    guests = next(c for c in doc["checks"] if c["id"] == "kvm.guest_features")
    assert "could not open /dev/kvm" in guests["summary"] and "snapshot" not in guests["summary"]
    assert not kvm["ready"] and code == 1  # nothing works now for this user
    assert kvm["next_steps"][0].startswith(f"sudo usermod -aG {GROUP} ka-outsider")


def test_a_session_from_before_the_group_needs_a_new_login_not_usermod(world):
    pw = pwd.getpwnam("ka-stale")
    code, doc, kvm, reqs = check_as(world, "ka-stale", groups=[pw.pw_gid])
    _no_hardware_blame(kvm)
    access = reqs["kvm.user_access"]
    assert access["state"] == "fixable"
    assert [s["command"] for s in access["steps"]] == [f"newgrp {GROUP}"]
    assert access["steps"][0]["who"] == "you"
    assert "usermod" not in " ".join(kvm["next_steps"])
    assert code == 1


def test_the_machines_own_device_as_it_is(world):
    """The real /dev/kvm, untouched: whatever its mode, an unprivileged user's answer is about
    access, never about the hardware, and exit 0 only if KVM really ran for them."""
    code, doc, kvm, reqs = check_as(world, "ka-outsider", own_node=False)
    usable = doc["host"]["kvm"]["usable"]
    assert (code == 0) == (usable is True) == kvm["ready"]
    if usable is not True:
        _no_hardware_blame(kvm)
        assert reqs["kvm.user_access"]["state"] == "fixable"


def test_quiet_check_answers_by_exit_status_like_kvm_ok(world):
    top, node, _gid = world
    pw = pwd.getpwnam("ka-outsider")
    script = (f"mount --bind {node} /dev/kvm && setpriv --reuid={pw.pw_uid} "
              f"--regid={pw.pw_gid} --groups={pw.pw_gid} -- env -i PYTHONPATH={top / 'app'} "
              f"{PYTHON} -m kernel_advisor check -q --offline")
    out = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                         capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stdout) == (1, "")

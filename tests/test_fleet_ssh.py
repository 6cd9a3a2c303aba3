"""Issue 17: the playbook over real SSH, as an unprivileged user — a throw-away user, host key and
authorized key, our own sshd on a loopback port, ansible-playbook against 127.0.0.1. The snapshot
it fetches must analyse like one the collector writes locally as the same user.

Needs root (a user and an sshd of our own) and Debian's openssh-server (tools/test.sh installs
it); skipped with the reason otherwise. CI runs as root."""

from __future__ import annotations

import csv
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time

import pytest

SSHD = "/usr/sbin/sshd"
BIN = os.path.dirname(sys.executable)

pytestmark = [
    pytest.mark.users,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: creates a user and runs an sshd"),
    pytest.mark.skipif(not os.path.exists(SSHD) or shutil.which("ssh") is None,
                       reason="openssh-server/openssh-client not installed (tools/test.sh does)"),
    pytest.mark.skipif(not os.path.exists(os.path.join(BIN, "ansible-playbook")),
                       reason="ansible-core not installed (pip install -e .[test])"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ssh_user(tmp_path):
    """A throw-away user whose authorized key we hold, and an sshd of our own for it."""
    name = "kadv" + secrets.token_hex(3)
    # "*": no password, yet not locked (sshd without PAM refuses a locked account)
    subprocess.run(["useradd", "-m", "-s", "/bin/sh", "-p", "*", name], check=True)
    sshd = None
    try:
        home = pwd.getpwnam(name).pw_dir
        key = tmp_path / "id_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                       check=True)
        host_key = tmp_path / "host_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)],
                       check=True)
        dot_ssh = os.path.join(home, ".ssh")
        os.makedirs(dot_ssh, mode=0o700, exist_ok=True)
        with open(os.path.join(dot_ssh, "authorized_keys"), "w") as fh:
            fh.write((tmp_path / "id_ed25519.pub").read_text())
        subprocess.run(["chown", "-R", f"{name}:{name}", dot_ssh], check=True)
        os.chmod(os.path.join(dot_ssh, "authorized_keys"), 0o600)
        port = free_port()
        config = tmp_path / "sshd_config"
        config.write_text(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
                          f"PidFile {tmp_path / 'sshd.pid'}\nPasswordAuthentication no\n"
                          "KbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin no\n"
                          f"AllowUsers {name}\nSubsystem sftp internal-sftp\n")
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege-separation directory
        sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                                stderr=open(tmp_path / "sshd.log", "w"))
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield name, port, key
    finally:
        if sshd is not None:
            sshd.terminate()
            sshd.wait(10)
        subprocess.run(["pkill", "-u", name], check=False)
        subprocess.run(["userdel", "-r", "-f", name], check=False, capture_output=True)


def test_the_playbook_collects_over_real_ssh_as_an_unprivileged_user(ssh_user, tmp_path):
    name, port, key = ssh_user
    play = tmp_path / "play"
    play.mkdir()
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "collector", "-o",
                          str(play / "kernel-advisor-collect.pyz"), "--playbook", str(play)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    inventory = tmp_path / "inventory"
    inventory.write_text(
        f"target ansible_host=127.0.0.1 ansible_port={port} ansible_user={name} "
        f"ansible_ssh_private_key_file={key} ansible_python_interpreter=/usr/bin/python3 "
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n"
        "gone ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n")
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local")}
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory),
                          "--forks", "2", str(play / "collect.yml")],
                         capture_output=True, text=True, timeout=600, env=env)
    fetched = play / "snapshots" / "target.tar.gz"
    assert fetched.exists(), run.stdout[-3000:] + run.stderr[-2000:]
    # the unreachable host is listed, not fatal: the other was collected
    assert "gone" in run.stdout and "unreachable=1" in run.stdout.replace(" ", "")
    # nothing left behind on the target
    home = pwd.getpwnam(name).pw_dir
    left = subprocess.run(["find", "/tmp", "-maxdepth", "1", "-user", name, "-name",
                           "kernel-advisor.*"], capture_output=True, text=True).stdout
    assert left == "", left
    # the same collector, run locally as the same user, gives the same verdicts
    shutil.copy(play / "kernel-advisor-collect.pyz", os.path.join(home, "c.pyz"))
    os.chmod(os.path.join(home, "c.pyz"), 0o644)
    subprocess.run(["runuser", "-u", name, "--", "/usr/bin/python3", "c.pyz", "-o",
                    "mine.tar.gz"], check=True, timeout=120, cwd=home)
    mine = os.path.join(home, "mine.tar.gz")

    def verdicts(path):
        doc = json.loads(subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--json",
                                         "--offline", "--snapshot", str(path)],
                                        capture_output=True, text=True, timeout=120).stdout)
        return [(r["framework"], r["verdict"]) for r in doc["recommendations"]], doc

    theirs, doc = verdicts(fetched)
    assert theirs == verdicts(mine)[0]
    assert doc["analysed"]["captured"]
    fleet = json.loads(subprocess.run([sys.executable, "-m", "kernel_advisor", "fleet",
                                       str(play / "snapshots"), "--json", "--offline"],
                                      capture_output=True, text=True, timeout=120).stdout)
    # the inventory's name is the row's; the OS name the collector recorded is its detail
    assert fleet["hosts"][0]["host"] == "target"
    assert fleet["hosts"][0]["analysis"]["recommendations"] == doc["recommendations"]


@pytest.fixture
def sudo_rule(ssh_user):
    """``ssh_user`` may become root with sudo, without a password (as on a fleet's hosts)."""
    if shutil.which("sudo") is None:
        pytest.skip("sudo is not installed (tools/test.sh installs it)")
    name = ssh_user[0]
    rule = f"/etc/sudoers.d/{name}"
    with open(rule, "w") as fh:
        fh.write(f"{name} ALL=(ALL) NOPASSWD: ALL\n")
    os.chmod(rule, 0o440)
    try:
        yield ssh_user
    finally:
        os.unlink(rule)


def kernel_advisor_dirs() -> set[str]:
    return {e for e in os.listdir("/tmp") if e.startswith("kernel-advisor.")}


def test_the_playbook_with_become_collects_as_root_for_the_login_user(sudo_rule, tmp_path):
    """Issue 30, class 2: ``ansible-playbook -b`` used to fail on every host and leave
    root-owned folders in /tmp. Now every task runs as root alike, nothing is left, and the
    fleet says whose login the root snapshot was taken for."""
    name, port, key = sudo_rule
    play = tmp_path / "play"
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "collector", "-o",
                          str(play / "kernel-advisor-collect.pyz"), "--playbook", str(play)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    inventory = tmp_path / "inventory"
    inventory.write_text(  # no interpreter given: the one Ansible discovers
        f"web1 ansible_host=127.0.0.1 ansible_port={port} ansible_user={name} "
        f"ansible_ssh_private_key_file={key} "
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n")
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local")}
    before = kernel_advisor_dirs()
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), "-b",
                          str(play / "collect.yml")],
                         capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert kernel_advisor_dirs() <= before  # nothing of root's left behind
    fleet = subprocess.run([sys.executable, "-m", "kernel_advisor", "fleet",
                            str(play / "snapshots"), "--offline", "-f", "csv", "-o",
                            str(tmp_path / "fleet.csv")], capture_output=True, text=True,
                           timeout=120)
    assert fleet.returncode == 0, fleet.stderr
    (row,) = csv.DictReader(open(tmp_path / "fleet.csv", newline=""))
    assert row["host"] == "web1" and row["user"] == f"root, for {name}"
    assert row["needs_root"] == ""  # as root, the kernel log and MSRs were read

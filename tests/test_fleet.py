"""Issue 17: the collector zipapp, the Ansible playbook and `kernel-advisor fleet`, with real
components: the zipapp run by a bare interpreter, ansible-playbook against localhost, the
fleet over the real captures (broken and foreign tarballs among them)."""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
from conftest import FIRECRACKER, LSCPU

FLEET_KEYS = {"schema", "tool", "hosts", "summary"}


def cli(*args, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=timeout, **kw)


@pytest.fixture(scope="module")
def collector(tmp_path_factory):
    where = tmp_path_factory.mktemp("collector") / "fleet"  # made by the command, as in README
    out = cli("collector", "-o", str(where / "kernel-advisor-collect.pyz"), "--playbook",
              str(where))
    assert out.returncode == 0, out.stderr
    return where


def test_the_collector_runs_on_a_bare_python_and_writes_a_snapshot(collector, tmp_path):
    pyz = collector / "kernel-advisor-collect.pyz"
    names = zipfile.ZipFile(pyz).namelist()
    assert "kernel_advisor/snapshot.py" in names
    # raw evidence only: no third-party code, none of what interprets the evidence
    assert {n.split("/")[0] for n in names} == {"__main__.py", "kernel_advisor"}
    assert not any(n.startswith(("kernel_advisor/gui", "kernel_advisor/rules",
                                 "kernel_advisor/report", "kernel_advisor/versions"))
                   for n in names)
    snap = tmp_path / "host.tar.gz"
    # -I: no environment, no user site; -S: no site-packages at all. Only the zip and stdlib.
    out = subprocess.run([sys.executable, "-I", "-S", str(pyz), "-o", str(snap), "--hostname"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={"PATH": os.environ["PATH"], "PYTHONPATH": ""})
    assert out.returncode == 0, out.stderr
    mine = json.loads(cli("check", "--json", "--offline").stdout)
    theirs = json.loads(cli("check", "--json", "--offline", "--snapshot", str(snap)).stdout)
    assert [(v["framework"], v["verdict"]) for v in theirs["recommendations"]] == \
        [(v["framework"], v["verdict"]) for v in mine["recommendations"]]
    assert theirs["analysed"]["captured"] and os.uname().nodename in json.dumps(
        json.loads(cli("fleet", str(tmp_path), "--json", "--offline").stdout)["hosts"])


@pytest.mark.parametrize("target, words", [("missing/host.tar.gz", "cannot write"),
                                           (".", "directory")])
def test_the_collector_exits_2_when_it_cannot_write_its_snapshot(collector, tmp_path, target,
                                                                  words):
    """Issue 29, class 10: the playbook's collect step must fail where the write does."""
    pyz = collector / "kernel-advisor-collect.pyz"
    out = subprocess.run([sys.executable, "-I", "-S", str(pyz), "-o", target],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={"PATH": os.environ["PATH"], "PYTHONPATH": ""})
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert out.stderr.count("\n") == 1 and words in out.stderr, out.stderr


def python(version: str) -> str | None:
    """An interpreter of ``version`` (``3.8``): pyenv's (these machines have 3.6–3.13 under
    ~/.pyenv), else one on PATH that is not a pyenv shim, else None."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for exe in sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python3"))):
        return exe
    found = shutil.which(f"python{version}")
    return found if found and "/shims/" not in found else None


def verdicts(doc):
    return [(v["framework"], v["verdict"], v["why"]) for v in doc["recommendations"]]


@pytest.mark.parametrize("version", ["3.8", "3.9", f"{sys.version_info[0]}.{sys.version_info[1]}"])
def test_the_collector_runs_on_the_oldest_python_of_a_fleet(collector, tmp_path, version):
    """Issue 30, class 1: what the collector packs runs on the Python of RHEL 9, Debian 11 and
    Ubuntu 20.04 (3.8, 3.9), whatever ``packaging`` is installed where it was built, and its
    snapshot analyses like the live machine."""
    exe = python(version)
    if exe is None:
        pytest.skip(f"no Python {version} on this machine (nothing here can install one)")
    snap = tmp_path / "host.tar.gz"
    out = subprocess.run([exe, "-I", "-S", str(collector / "kernel-advisor-collect.pyz"),
                          "-o", str(snap)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path, env={"PATH": os.environ["PATH"]})
    assert out.returncode == 0 and out.stderr == "", out.stderr
    mine = json.loads(cli("check", "--json", "--offline").stdout)
    theirs = json.loads(cli("check", "--json", "--offline", "--snapshot", str(snap)).stdout)
    assert verdicts(theirs) == verdicts(mine)
    assert theirs["host"]["kernel"] == mine["host"]["kernel"]


@pytest.mark.parametrize("version", ["3.6", "3.7"])
def test_an_older_python_gets_one_clear_line(collector, tmp_path, version):
    exe = python(version)
    if exe is None:
        pytest.skip(f"no Python {version} on this machine (nothing here can install one)")
    out = subprocess.run([exe, "-I", "-S", str(collector / "kernel-advisor-collect.pyz"),
                          "-o", str(tmp_path / "host.tar.gz")], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path, env={"PATH": os.environ["PATH"]})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("kernel-advisor-collect: needs Python 3.8 or newer; ")
    assert f"is Python {version}." in out.stderr
    assert not (tmp_path / "host.tar.gz").exists()


def test_the_collector_modules_still_run_on_python_38(collector, tmp_path):
    vermin = shutil.which("vermin") or os.path.join(os.path.dirname(sys.executable), "vermin")
    if not os.path.exists(vermin):
        pytest.skip("vermin is not installed (pip install -e .[test])")
    zipfile.ZipFile(collector / "kernel-advisor-collect.pyz").extractall(tmp_path)
    out = subprocess.run([vermin, "--target=3.8-", "--violations", "--no-tips",
                          "--backport", "dataclasses",
                          str(tmp_path / "kernel_advisor")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.fixture
def fleet_dir(tmp_path):
    d = tmp_path / "fleet"
    d.mkdir()
    for src in [FIRECRACKER, *sorted(LSCPU.glob("x86_64*.tar.gz"))]:
        shutil.copy(src, d / src.name)
    (d / "broken.tar.gz").write_bytes(b"not a tarball")
    with tarfile.open(d / "photos.tar.gz", "w:gz") as tf:
        info = tarfile.TarInfo("holiday/beach.jpg")
        info.size = 4
        tf.addfile(info, io.BytesIO(b"\xff\xd8\xff\xe0"))
    (d / "notes.txt").write_text("not a snapshot: ignored")
    return d


def test_fleet_json_lists_every_file_and_refuses_the_bad_ones(fleet_dir):
    out = cli("fleet", str(fleet_dir), "--json", "--offline")
    assert out.returncode == 2  # some refused: each listed, the run not aborted
    doc = json.loads(out.stdout)
    assert set(doc) == FLEET_KEYS and doc["schema"] == "kernel-advisor-fleet/1"
    files = [h["file"] for h in doc["hosts"]]
    assert files == sorted(p.name for p in fleet_dir.glob("*.tar.gz"))
    by_file = {h["file"]: h for h in doc["hosts"]}
    for bad, words in (("broken.tar.gz", "not a readable tar archive"),
                       ("photos.tar.gz", "not a host to judge")):
        assert by_file[bad]["analysis"] is None and words in by_file[bad]["error"]
        assert "\n" not in by_file[bad]["error"]
    good = by_file[FIRECRACKER.name]
    assert good["error"] is None and good["host"] == "firecracker-pvm"
    single = json.loads(cli("check", "--json", "--offline", "--snapshot",
                            str(FIRECRACKER)).stdout)
    assert good["analysis"]["recommendations"] == single["recommendations"]
    assert doc["summary"]["hosts"] == len(files) and doc["summary"]["refused"] == 2
    assert doc["summary"]["recommended"]["KVM"] >= 1


def test_fleet_table_csv_md_html(fleet_dir, tmp_path):
    table = cli("fleet", str(fleet_dir), "--offline")
    assert table.returncode == 2 and table.stdout.splitlines()[0].startswith("Host")
    assert "refused" in table.stdout and "hosts:" in table.stdout
    from kernel_advisor.fleet_row import COLUMNS

    for fmt in ("csv", "md", "html", "json"):
        target = tmp_path / f"fleet.{fmt}"
        out = cli("fleet", str(fleet_dir), "--offline", "-f", fmt, "-o", str(target))
        assert out.returncode == 2 and target.stat().st_size > 200, out.stderr
    rows = list(csv.DictReader(open(tmp_path / "fleet.csv", newline="")))
    assert list(rows[0]) == [k for k, _ in COLUMNS] + ["file", "error"]
    assert len(rows) == len(list(fleet_dir.glob("*.tar.gz")))
    page = (tmp_path / "fleet.html").read_text()
    assert "<svg" in page and "Recommended: KVM" in page and "<script" not in page
    assert (tmp_path / "fleet.md").read_text().count("\n|") >= len(rows) + 1


def test_fleet_of_good_snapshots_exits_0_and_runs_in_one_process_too(tmp_path):
    d = tmp_path / "ok"
    d.mkdir()
    shutil.copy(FIRECRACKER, d / "a.tar.gz")
    shutil.copy(FIRECRACKER, d / "b.tar.gz")
    for jobs in ("1", "2"):
        out = cli("fleet", str(d), "--offline", "--json", "-j", jobs)
        assert out.returncode == 0, out.stderr
        assert [h["host"] for h in json.loads(out.stdout)["hosts"]] == ["a", "b"]
    assert cli("fleet", str(tmp_path / "empty-missing"), "--offline").returncode == 2


def test_a_snapshot_from_a_newer_version_is_refused_by_name(tmp_path):
    src = tarfile.open(FIRECRACKER)
    out = tmp_path / "newer.tar.gz"
    with tarfile.open(out, "w:gz") as tf:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isreg() else None
            if m.name.endswith("live.json"):
                record = json.loads(data)
                record["captured"]["format"] = 99
                data = json.dumps(record).encode()
                m.size = len(data)
            tf.addfile(m, io.BytesIO(data) if data is not None else None)
    res = cli("check", "--snapshot", str(out), "--offline")
    assert res.returncode == 2 and "format 99 is newer" in res.stderr


ANSIBLE_BIN = os.path.dirname(sys.executable)
needs_ansible = pytest.mark.skipif(
    not os.path.exists(os.path.join(ANSIBLE_BIN, "ansible-playbook")),
    reason="ansible-core is not installed (pip install -e .[test])")


def ansible_env(tmp_path, **extra):
    # a python3 on PATH that fails: the role must run the interpreter Ansible uses, not PATH's
    fake = tmp_path / "fake-bin"
    fake.mkdir(exist_ok=True)
    (fake / "python3").write_text("#!/bin/sh\necho 'not this python3' >&2\nexit 3\n")
    (fake / "python3").chmod(0o755)
    remote = tmp_path / "remote-tmp"  # the tempfile module's folder on the "host" (local)
    remote.mkdir(exist_ok=True)
    return {**os.environ, "PATH": os.pathsep.join([ANSIBLE_BIN, str(fake), os.environ["PATH"]]),
            "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0", "TMPDIR": str(remote), **extra}


def play(playbook, inventory, env, *args):
    out = subprocess.run([os.path.join(ANSIBLE_BIN, "ansible-playbook"), "-i", str(inventory),
                          *args, str(playbook)], capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    return out.stdout


def changed_tasks(output: str) -> list[str]:
    """The tasks that reported ``changed`` in ansible-playbook's default output."""
    task, found = None, []
    for line in output.splitlines():
        if line.startswith("TASK ["):
            task = line[len("TASK ["):line.index("]")]
        elif line.startswith("changed: ["):
            found.append(task)
    return found


@needs_ansible
def test_the_role_runs_checks_and_reruns_like_ansible_users_expect(collector, tmp_path):
    """Issue 30, class 2, on localhost: the interpreter Ansible uses (PATH's python3 fails
    here), --check touching nothing, a second run changing only the fetched snapshot, nothing
    left in the host's temporary folder, and two machines both called "vm" told apart by their
    inventory names."""
    inventory = tmp_path / "inventory"
    inventory.write_text("".join(f"{name} ansible_connection=local "
                                 f"ansible_python_interpreter={sys.executable}\n"
                                 for name in ("alpha", "beta")))
    env = ansible_env(tmp_path)
    snapshots = tmp_path / "snapshots"
    dry = play(collector / "collect.yml", inventory, env, "--check", "-e",
               f"snapshot_dir={snapshots}")
    assert not snapshots.exists() and changed_tasks(dry) == []
    assert f"would run kernel-advisor-collect.pyz with {sys.executable}" in dry
    assert f"{snapshots}/alpha.tar.gz" in dry
    first = play(collector / "collect.yml", inventory, env, "-e", f"snapshot_dir={snapshots}")
    fetch = "kernel_advisor.fleet.snapshot : Fetch the snapshot to the controller"
    assert changed_tasks(first) == [fetch, fetch]  # alpha's and beta's snapshots
    assert sorted(p.name for p in snapshots.iterdir()) == ["alpha.tar.gz", "beta.tar.gz"]
    second = play(collector / "collect.yml", inventory, env, "-e", f"snapshot_dir={snapshots}",
                  "--tags", "kernel_advisor")
    assert set(changed_tasks(second)) <= {fetch}
    assert list((tmp_path / "remote-tmp").iterdir()) == []  # the role's folders are gone
    fleet = json.loads(cli("fleet", str(snapshots), "--json", "--offline").stdout)
    assert [h["host"] for h in fleet["hosts"]] == ["alpha", "beta"]
    assert cli("fleet", str(snapshots), "--offline", "-f", "csv", "-o",
               str(tmp_path / "fleet.csv")).returncode == 0
    rows = list(csv.DictReader(open(tmp_path / "fleet.csv", newline="")))
    assert [(r["host"], r["hostname"]) for r in rows] == [("alpha", os.uname().nodename),
                                                          ("beta", os.uname().nodename)]
    mine = json.loads(cli("check", "--json", "--offline").stdout)
    theirs = fleet["hosts"][0]["analysis"]
    assert verdicts(theirs) == verdicts(mine)


@needs_ansible
def test_the_collection_builds_installs_and_passes_ansible_lint(collector, tmp_path):
    """The role ships as the collection kernel_advisor.fleet: ansible-galaxy builds a tarball
    of what ``--playbook`` wrote, installs it elsewhere, the example playbook runs from the
    installed copy, and ansible-lint's production profile passes."""
    source = collector / "collections" / "ansible_collections" / "kernel_advisor" / "fleet"
    galaxy = os.path.join(ANSIBLE_BIN, "ansible-galaxy")
    env = ansible_env(tmp_path)
    built = subprocess.run([galaxy, "collection", "build", "--output-path", str(tmp_path),
                            str(source)], capture_output=True, text=True, timeout=120, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    (tarball,) = tmp_path.glob("kernel_advisor-fleet-*.tar.gz")
    installed = tmp_path / "installed"
    out = subprocess.run([galaxy, "collection", "install", "-p", str(installed), str(tarball)],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    where = installed / "ansible_collections" / "kernel_advisor" / "fleet"
    assert (where / "roles" / "snapshot" / "tasks" / "main.yml").exists()
    inventory = tmp_path / "inventory"
    inventory.write_text(f"solo ansible_connection=local "
                         f"ansible_python_interpreter={sys.executable}\n")
    env = ansible_env(tmp_path, ANSIBLE_COLLECTIONS_PATH=str(installed))
    play(where / "playbooks" / "collect.yml", inventory, env,
         "-e", f"snapshot_collector={collector / 'kernel-advisor-collect.pyz'}",
         "-e", f"snapshot_dir={tmp_path / 'snaps'}")
    assert (tmp_path / "snaps" / "solo.tar.gz").exists()
    lint = os.path.join(ANSIBLE_BIN, "ansible-lint")
    if not os.path.exists(lint):
        pytest.skip("ansible-lint is not installed (pip install -e .[test])")
    for target, cwd in ((where, where), (collector / "collect.yml", collector)):
        res = subprocess.run([lint, "--offline", "--nocolor", "--profile", "production",
                              str(target)], capture_output=True, text=True, timeout=300,
                             env={**env, "ANSIBLE_COLLECTIONS_PATH": str(installed)}, cwd=cwd)
        assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]

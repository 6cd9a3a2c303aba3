"""Issue 17: the collector zipapp, the Ansible playbook and `kernel-advisor fleet`, with real
components: the zipapp run by a bare interpreter, ansible-playbook against localhost, the
fleet over the real captures (broken and foreign tarballs among them)."""

from __future__ import annotations

import csv
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
    assert "kernel_advisor/snapshot.py" in names and "packaging/version.py" in names
    assert not any(n.startswith(("kernel_advisor/gui", "kernel_advisor/rules", "kernel_advisor/report")) for n in names)
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


@pytest.mark.skipif(shutil.which("ansible-playbook") is None
                    and not os.path.exists(os.path.join(os.path.dirname(sys.executable),
                                                        "ansible-playbook")),
                    reason="ansible-core is not installed (pip install -e .[test])")
def test_the_playbook_collects_from_localhost(collector, tmp_path):
    bindir = os.path.dirname(sys.executable)
    inventory = tmp_path / "inventory"
    inventory.write_text(f"localhost ansible_connection=local "
                         f"ansible_python_interpreter={sys.executable}\n")
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ["PATH"],
           "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"), "ANSIBLE_NOCOLOR": "1"}
    snapshots = tmp_path / "snapshots"
    out = subprocess.run(["ansible-playbook", "-i", str(inventory), "-e",
                          f"snapshot_dir={snapshots}", str(collector / "collect.yml")],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert (snapshots / "localhost.tar.gz").exists()
    fleet = json.loads(cli("fleet", str(snapshots), "--json", "--offline").stdout)
    mine = json.loads(cli("check", "--json", "--offline").stdout)
    theirs = fleet["hosts"][0]["analysis"]
    assert [v["verdict"] for v in theirs["recommendations"]] == [v["verdict"] for v in mine["recommendations"]]
    lint = os.path.join(bindir, "ansible-lint")
    if os.path.exists(lint):
        res = subprocess.run([lint, "--offline", str(collector / "collect.yml")],
                             capture_output=True, text=True, timeout=300, env=env,
                             cwd=collector)
        assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]

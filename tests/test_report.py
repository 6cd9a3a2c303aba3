"""Reports: every format from fixture hosts, hostile strings stay text, writes are atomic."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import escape as html_escape

import pytest
from conftest import FIRECRACKER, VIRT_WHAT, needs_qt
from test_cli import validate_contract

from kernel_advisor.analysis import analyse
from kernel_advisor.hostfs import TarRoot
from kernel_advisor.report import html, markdown

HOSTILE_KERNEL = "6.1.0-<script>alert(1)</script>"
HOSTILE_DMI = '<img src=x onerror="alert(2)">[click](http://evil.example) **bold**'


@pytest.fixture
def hostile_root(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(VIRT_WHAT / "kvm" / "root", root)
    (root / "proc" / "sys" / "kernel").mkdir(parents=True)
    (root / "proc" / "sys" / "kernel" / "osrelease").write_text(HOSTILE_KERNEL + "\n")
    dmi = root / "sys" / "class" / "dmi" / "id"
    dmi.mkdir(parents=True, exist_ok=True)
    (dmi / "sys_vendor").write_text(HOSTILE_DMI + "\n")
    (dmi / "product_name").write_text(HOSTILE_DMI + "\n")
    # a signature-less record so the DMI string becomes evidence
    (root / ".kernel-advisor" / "live.json").write_text('{"uname": {"machine": "x86_64"}}')
    return root


def test_hostile_strings_stay_text_in_html(hostile_root):
    a = analyse(root_dir=str(hostile_root))
    assert a.host.value("kernel.release") == HOSTILE_KERNEL
    page = html.render(a)
    assert "<script>" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    # no remote resources, and the only links are the knowledge base's own sources
    from kernel_advisor import knowledge

    ours = {f["url"] for f in knowledge.load()["facts"].values()}
    assert "src=" not in page
    assert set(re.findall(r'href="([^"]*)"', page)) <= {html_escape(u) for u in ours}
    assert "<script" not in page.lower()


def test_hostile_strings_stay_text_in_markdown(hostile_root):
    md = markdown.render(analyse(root_dir=str(hostile_root)))
    assert "\\<script>" in md
    assert "<script>" not in md.replace("\\<", "") and "<img" not in md.replace("\\<", "")
    assert "[click](" not in md and "**bold**" not in md


def test_json_report_equals_check_json(tmp_path):
    out = tmp_path / "r.json"
    args = ["--snapshot", str(FIRECRACKER)]
    subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "json", "-o", str(out), *args],
                   check=True, capture_output=True, timeout=60)
    check = subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--json", *args],
                           capture_output=True, text=True, timeout=60)
    a, b = json.loads(out.read_text()), json.loads(check.stdout)
    validate_contract(a)
    a.pop("generated_at"), b.pop("generated_at")
    for doc in (a, b):
        for c in doc["checks"]:
            if c["id"] == "kvm.usable":
                c["raw"] = None
    assert a == b


def test_html_is_self_contained_with_svg_timeline():
    page = html.render(analyse(TarRoot(str(FIRECRACKER))))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<svg" in page
    assert "<script" not in page and "src=" not in page and "@import" not in page
    assert "@media print" in page


@needs_qt
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_has_verdicts_metadata_and_timeline(tmp_path):
    out = tmp_path / "r.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "pdf", "-o", str(out),
                    "--kernel", "2.6.23", "--arch", "i686", "--snapshot", str(FIRECRACKER)],
                   check=True, capture_output=True, env=env, timeout=120)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "lguest: Recommended" in text and "KVM: Possible" in text
    assert "2 March 2005" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Kernel Advisor report" in info and "A4" in info
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert fonts.count("yes") >= 1  # fonts embedded
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header lines + the timeline image


def test_failed_write_leaves_existing_file_and_exits_2(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("keep me")
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "html", "-o",
                          str(tmp_path / "missing" / "r.html")], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "html", "-o",
                          str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "is a directory" in out.stderr
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "html", "-o",
                          str(target), "--snapshot", str(tmp_path / "nope.tar.gz")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and target.read_text() == "keep me"


def test_atomic_write_failure_keeps_old_content(tmp_path, monkeypatch):
    from kernel_advisor import atomic

    target = tmp_path / "f"
    target.write_text("old")

    def boom(*a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", boom)
    with pytest.raises(OSError):
        atomic.write_atomic(str(target), b"new")
    assert target.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kernel-advisor-")]


def test_hostname_only_when_asked(tmp_path):
    name = os.uname().nodename
    for extra, present in (([], False), (["--hostname"], True)):
        out = tmp_path / "r.md"
        subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "md", "-o", str(out),
                        "--offline", *extra], check=True, capture_output=True, timeout=60)
        text = out.read_text()
        assert ("Host name:" in text) is present
        if present:
            assert name in text


def test_evidence_tables_wrap_long_values_and_shorten_with_an_ellipsis():
    """Issue 16 item 11: long raw evidence is shortened with "…" and kept whole in the cell's
    title; the columns have widths from their content's share; Qt's PDF layout gets places to
    break paths; nothing is cut silently."""
    from html import unescape

    a = analyse(TarRoot(str(FIRECRACKER)))
    page = html.render(a)
    config = a.host.get("kernel.config").raw
    assert len(config) > html.RAW_SHOWN
    cell = re.search(r'<td class="raw" title="([^"]*)">([^<]*)</td>', page)
    assert cell and unescape(cell.group(1)) == config and cell.group(2).endswith("…")
    assert '<th width="28%">Raw</th>' in page and "overflow-wrap:anywhere" in page
    assert "\u200b" not in page  # browsers wrap by CSS: copied text stays exact
    assert "proc/\u200bsys/\u200bkernel/\u200bosrelease" in html.render(a, for_qt=True)
    md = markdown.render(a)
    assert "…" in md and config[:40].replace("\n", " ") in md.replace("\\_", "_")


def test_a_report_about_a_snapshot_never_carries_this_computers_host_name(tmp_path):
    """Issue 28, class 3: --hostname names the analysed machine, not the one writing."""
    import json
    import os
    import subprocess
    import sys

    from conftest import FIRECRACKER

    def report(*args):
        out = tmp_path / "r.json"
        done = subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "json", "-o",
                               str(out), "--offline", "--hostname", *args],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(out.read_text())["host"]["name"]

    assert report("--snapshot", str(FIRECRACKER)) != os.uname().nodename  # none recorded
    assert report("--snapshot", str(FIRECRACKER)) is None
    assert report() == os.uname().nodename


def test_a_what_if_says_which_facts_are_the_running_kernels():
    """Issue 28, class 4: in 'what if this computer ran 2.6.23', /dev/kvm and the config are
    the running kernel's: never an OK of the imagined kernel, in the JSON, the text and the
    reports alike."""
    import json
    import subprocess
    import sys

    from conftest import FIRECRACKER

    def run(*args):
        return subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--offline",
                               "--snapshot", str(FIRECRACKER), "--kernel", "2.6.23", *args],
                              capture_output=True, text=True, timeout=120).stdout

    checks = {c["id"]: c for c in json.loads(run("--json"))["checks"]}
    assert checks["kernel.release"]["describes"] == "what-if"
    assert checks["cpu.flags"]["describes"] == "machine"
    for fid in ("kvm.usable", "kvm.device", "kernel.config", "kvm.modules"):
        assert checks[fid]["describes"] == "running kernel", fid
    facts = run().split("\n\n")[0].splitlines()[1:]  # the evidence: before the verdicts
    lines = [line for line in facts if "[/dev/kvm" in line]
    assert lines and all(line.lstrip().startswith("RUNNING") for line in lines), lines
    assert [line for line in facts if line.lstrip().startswith("OK")] == [
        line for line in facts if line.lstrip().startswith("OK") and "/dev/kvm" not in line]
    plain = json.loads(subprocess.run(
        [sys.executable, "-m", "kernel_advisor", "check", "--offline", "--json", "--snapshot",
         str(FIRECRACKER)], capture_output=True, text=True, timeout=120).stdout)
    assert not [c for c in plain["checks"] if "describes" in c]  # nothing imagined

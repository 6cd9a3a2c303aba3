"""Issue 18, classes 2–4 and 6–8: hostile snapshots and roots, malformed live records, markup
and escape injection, slow and wandering servers, and faults. Each hostile input is generated
here; each fault is real (a FIFO, a file in the cache's way, a dripping server on 127.0.0.1,
a closed or full standard output); each outcome is one clear line.

Hostile snapshots run in a child process under a memory limit (``RLIMIT_AS``) and a generous
timeout: the limit turns a memory bomb into a failure of this test, not of the machine.
``bench/hostile.py`` reports the time and memory each one really takes."""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import socket
import subprocess
import sys
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import FIRECRACKER, VIRT_WHAT, http_server, needs_qt

from kernel_advisor import download, releases
from kernel_advisor.analysis import analyse
from kernel_advisor.hostfs import DirRoot, TarRoot
from kernel_advisor.model import F

TOP = "kernel-advisor-snapshot"
MEMORY_LIMIT = 1 << 30  # bytes of address space for a child reading a hostile snapshot
CPUINFO = b"processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx lm\n"


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cli(*args, stdin=None, env=None, timeout=60, **kw):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})},
                          stdin=stdin, **kw)


def check_snapshot(path):
    return cli("check", "--snapshot", str(path), "--offline", preexec_fn=limited, timeout=60)


def one_line_refusal(out, *words):
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


def raw_header(name: bytes, size: int, kind: bytes) -> bytes:
    """A ustar header block, written by hand so its declared size can be anything."""
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = block[116:124] = b"0000000\0"
    block[124:136] = b"%011o\0" % size
    block[136:148] = b"00000000000\0"
    block[156:157] = kind
    block[257:263] = b"ustar\0"
    block[263:265] = b"00"
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def streamed(path, header: bytes, size: int, fill: bytes = b"a") -> None:
    """A tar.gz whose first member is ``header`` followed by ``size`` bytes of ``fill``,
    compressed as it is written (the test never holds the bytes in memory)."""
    with gzip.open(path, "wb", compresslevel=1) as gz:
        gz.write(header)
        chunk = fill * (1 << 20)
        left = size
        while left > 0:
            gz.write(chunk[:min(left, len(chunk))])
            left -= len(chunk)
        gz.write(b"\0" * (-size % 512))
        gz.write(b"\0" * 1024)


# -- class 2: memory and time bombs ------------------------------------------------------------
def test_a_pax_header_of_hundreds_of_mib_is_refused_before_it_is_read(tmp_path):
    bomb = tmp_path / "pax.tar.gz"
    streamed(bomb, raw_header(b"PaxHeader/x", 300 << 20, b"x"), 300 << 20)
    assert bomb.stat().st_size < 2 << 20  # a small file…
    one_line_refusal(check_snapshot(bomb), "extended header")  # …that is never unpacked


def test_a_gnu_long_name_of_hundreds_of_mib_is_refused(tmp_path):
    bomb = tmp_path / "longname.tar.gz"
    streamed(bomb, raw_header(b"././@LongLink", 200 << 20, b"L"), 200 << 20)
    one_line_refusal(check_snapshot(bomb), "extended header")


def test_a_cve_2024_6232_shaped_pax_header_is_refused(tmp_path):
    """The regular-expression slowdown needs a large pax header; patched Pythons (Debian 12's)
    are fast anyway, unpatched ones never get to parse it."""
    bomb = tmp_path / "cve.tar.gz"
    body = b"1" * (1 << 20)  # digits and no "=": the backtracking case
    streamed(bomb, raw_header(b"PaxHeader/x", len(body), b"x"), len(body), fill=b"1")
    one_line_refusal(check_snapshot(bomb), "extended header")


def test_a_member_tens_of_thousands_of_folders_deep_is_refused(tmp_path):
    for depth, words in ((30_000, "PATH_MAX"), (1_500, "folders deep")):
        bomb = tmp_path / f"deep{depth}.tar.gz"
        with tarfile.open(bomb, "w:gz", format=tarfile.GNU_FORMAT) as tf:
            info = tarfile.TarInfo(TOP + "/" + "a/" * depth + "f")
            tf.addfile(info, io.BytesIO(b""))
        if depth > 2000:  # GNU long names of 60 KB are themselves refused as headers
            one_line_refusal(check_snapshot(bomb))
        else:
            one_line_refusal(check_snapshot(bomb), words)


def test_link_targets_longer_than_path_max_are_refused_and_long_ones_resolve_fast(tmp_path):
    bomb = tmp_path / "dotdot.tar.gz"
    with tarfile.open(bomb, "w:gz", format=tarfile.GNU_FORMAT) as tf:
        info = tarfile.TarInfo(TOP + "/proc/cpuinfo")
        info.type, info.linkname = tarfile.SYMTYPE, "../" * 300_000 + "x"
        tf.addfile(info)
    one_line_refusal(check_snapshot(bomb))
    fine = tmp_path / "dotdot-ok.tar.gz"
    with tarfile.open(fine, "w:gz", format=tarfile.GNU_FORMAT) as tf:
        for name, data in (("/real/cpuinfo", CPUINFO), ("/proc/sys/kernel/osrelease", b"6.1.0\n")):
            info = tarfile.TarInfo(TOP + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(TOP + "/proc/cpuinfo")
        info.type, info.linkname = tarfile.SYMTYPE, "../" * 1300 + "real/cpuinfo"
        tf.addfile(info)
    root = TarRoot(str(fine))
    assert root.read("/proc/cpuinfo").data == CPUINFO


def test_a_hundred_thousand_members_are_refused_quickly(tmp_path):
    bomb = tmp_path / "many.tar.gz"
    with tarfile.open(bomb, "w:gz") as tf:
        for i in range(100_000):
            tf.addfile(tarfile.TarInfo(f"{TOP}/d/{i}"), io.BytesIO(b""))
    # the member cap or, on a machine loaded enough, the deadline: either way one line
    # (test_hostile_tar checks that the cap comes by counting, whatever the clock)
    one_line_refusal(check_snapshot(bomb))


# -- class 3: a root that changes under us, device nodes never opened --------------------------
def test_a_directory_swapped_for_a_link_after_the_check_leads_nowhere(tmp_path):
    root_dir = tmp_path / "root"
    (root_dir / "etc").mkdir(parents=True)
    (root_dir / "etc" / "os-release").write_text("ID=inside\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "os-release").write_text("ID=secret\n")
    root = DirRoot(str(root_dir))
    parts, reason = root._resolve("/etc/os-release")  # the check …
    assert reason is None
    (root_dir / "etc").rename(tmp_path / "etc-old")  # … the swap …
    (root_dir / "etc").symlink_to(outside)
    got = root._read_resolved(parts, 4096)  # … and the open it would have raced
    assert got.data is None and "secret" not in str(got.reason)
    assert root.read("/etc/os-release").data is None or b"secret" not in root.read(
        "/etc/os-release").data
    # through the front door the link is resolved inside the root, so it points nowhere
    assert root.read("/etc/os-release").reason == "does not exist"


def _inotify_opens(directory):
    """A reader of IN_OPEN events in ``directory`` (Linux inotify through libc)."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    if fd < 0 or libc.inotify_add_watch(fd, str(directory).encode(), 0x20) < 0:  # IN_OPEN
        pytest.skip("inotify is not available here")

    def names():
        found = []
        try:
            buf = os.read(fd, 65536)
        except BlockingIOError:
            return found
        i = 0
        while i < len(buf):
            length = int.from_bytes(buf[i + 12:i + 16], "little")
            found.append(buf[i + 16:i + 16 + length].rstrip(b"\0").decode())
            i += 16 + length
        return found

    return names, lambda: os.close(fd)


def test_special_files_in_a_root_are_refused_without_being_opened(tmp_path):
    root_dir = tmp_path / "root"
    proc = root_dir / "proc"
    proc.mkdir(parents=True)
    os.mkfifo(proc / "cpuinfo")
    (proc / "version").write_text("Linux version 6.1.0 (x) #1\n")
    names, close = _inotify_opens(proc)
    try:
        root = DirRoot(str(root_dir))
        got = root.read("/proc/cpuinfo")
        assert got.data is None and "not a regular file (fifo)" in got.reason
        assert root.read("/proc/version").data
        opened = names()
    finally:
        close()
    assert "version" in opened  # the watch works …
    assert "cpuinfo" not in opened  # … and the FIFO was never opened


# -- class 4: a malformed live record ------------------------------------------------------------
def snapshot_with_live(tmp_path, live: bytes):
    path = tmp_path / "live.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        for name, data in (("/proc/cpuinfo", CPUINFO), ("/proc/sys/kernel/osrelease", b"6.1.0\n"),
                           ("/.kernel-advisor/live.json", live)):
            info = tarfile.TarInfo(TOP + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        kvm = tarfile.TarInfo(TOP + "/dev/kvm")
        kvm.type, kvm.devmajor, kvm.devminor, kvm.mode = tarfile.CHRTYPE, 10, 232, 0o666
        tf.addfile(kvm)
    return path


@pytest.mark.parametrize("live, where", [
    (b'{"kvm": {"opened": "yes", "create_vm": 7}}', "kvm"),
    (b'{"kvm": [1, 2]}', "kvm"),
    (b'{"access": {"rw_access": true, "groups": "kvm"}}', "access"),
    (b'{"kvm": {"opened": true, "max_vcpus": true, "create_vm": "ok"}}', "kvm"),
    (b'{"cpuid": {"available": true, "signature": "' + b"A" * 100_000 + b'"}}', "cpuid"),
    (b"[" * 200_000 + b"]" * 200_000, None),
    (b'"just a string"', None),
    (b'{"uname": {"release": "6.1.0\\ud800\\u001b]0;x\\u0007"}, "kvm": {"opened": true, '
     b'"create_vm": "ok", "error": "\\udfff"}}', None),
], ids=["kvm-wrong-types", "kvm-a-list", "access-groups-a-string", "kvm-bool-as-int",
        "a-100k-signature", "nested-200k-deep", "a-string", "surrogates-and-escapes"])
# (ids: a 200 KB parameter in the test's id reaches PYTEST_CURRENT_TEST, and so every
# subprocess's environment, where Linux caps one string at 128 KiB: E2BIG)
def test_a_malformed_live_record_is_an_unknown_with_a_reason(tmp_path, live, where):
    path = snapshot_with_live(tmp_path, live)
    a = analyse(TarRoot(str(path)))
    if where == "kvm":
        fact = a.host.get(F.KVM_USABLE)
        assert not fact.known and "live record" in fact.reason
    from kernel_advisor import report
    from kernel_advisor.report import text

    outs = [report.render(a, fmt).decode("utf-8") for fmt in ("json", "md", "html")]
    for out in outs + [text.render(a)]:
        out.encode("utf-8")  # no unpaired surrogate anywhere
        assert "\x1b" not in out and "\x07" not in out
    out = cli("check", "--json", "--snapshot", str(path), "--offline")
    assert out.returncode in (0, 1) and "Traceback" not in out.stderr
    json.loads(out.stdout)


# -- class 6: escapes and markup from the host -----------------------------------------------
NASTY = "Debian\x1b]0;pwned\x07\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\u202e"


def test_terminal_escapes_from_the_host_are_shown_not_sent(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "proc" / "sys" / "kernel").mkdir(parents=True)
    (root / "proc" / "sys" / "kernel" / "osrelease").write_text("6.1.0\n")
    (root / "proc" / "cpuinfo").write_bytes(CPUINFO.replace(b"GenuineIntel", b"Intel\x1b[31m"))
    (root / "etc" / "os-release").write_text(f'ID=debian\nPRETTY_NAME="{NASTY}"\n')
    for args in (("check",), ("check", "--json"), ("report", "-f", "md", "-o", "-")):
        out = cli(*args, "--root", str(root), "--offline")
        assert out.returncode in (0, 1), out.stderr
        assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "\u202e" not in out.stdout
        assert "\\x1b" in out.stdout or "\\u001b" in out.stdout  # shown, readable


# -- class 7: the network ------------------------------------------------------------------------
BODY = json.dumps({"releases": [{"version": "7.4.2", "moniker": "stable", "iseol": False}]})


class Drip(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _drip(self, data: bytes, every: float = 0.5):
        for b in data:
            try:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(every)

    def _redirect(self, code: int, location: str):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        port = self.server.server_address[1]
        if self.path == "/status":
            return self._drip(b"HTTP/1.1 200 OK\r\n\r\n" + BODY.encode())
        if self.path == "/headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            return self._drip(b"X-Slow: " + b"a" * 100 + b"\r\n\r\n")
        if self.path.startswith("/hop"):  # a chain of slow redirects on the same host
            time.sleep(1.5)
            return self._redirect(302, f"/hop{int(self.path[4:] or 0) + 1}")
        if self.path == "/elsewhere":
            return self._redirect(302, f"http://localhost:{port}/fresh")
        if self.path == "/moved":
            return self._redirect(301, "/fresh")
        if self.path == "/fresh":
            body = BODY.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        self.send_response(404)
        self.end_headers()
        return None


@pytest.fixture(scope="module")
def drip():
    with http_server(Drip) as url:
        yield url


@pytest.mark.network
@pytest.mark.parametrize("path", ["/status", "/headers", "/hop0"])
def test_one_deadline_for_the_whole_attempt(drip, path):
    start = time.monotonic()
    data = releases.load(url=drip + path, deadline=2.0)
    took = time.monotonic() - start
    assert took < 4, f"{path} held us {took:.1f} s"
    assert data.source == "bundled" and "no answer in time" in data.problem


@pytest.mark.network
def test_redirects_stay_on_the_host_asked(drip):
    moved = releases.load(url=drip + "/moved")
    assert moved.source == "online"
    away = releases.load(url=drip + "/elsewhere")
    assert away.source == "bundled" and "another host" in away.problem  # its own cache: none
    assert releases.load(offline=True, url=drip + "/moved").mainline == moved.mainline


@pytest.mark.network
def test_a_cancelled_attempt_ends_at_once(drip):
    attempt = download.Attempt(deadline=30)
    threading.Timer(0.5, attempt.cancel).start()
    start = time.monotonic()
    data = releases.load(url=drip + "/status", attempt=attempt)
    assert time.monotonic() - start < 2 and "cancelled" in data.problem


# -- class 8: faults --------------------------------------------------------------------------
@pytest.mark.network
def test_a_broken_cache_location_keeps_the_good_answer(drip, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    data = releases.load(url=drip + "/fresh")
    assert data.source == "online" and "not cached" in data.problem


def test_a_fifo_at_the_cache_path_or_as_snapshot_never_blocks(tmp_path):
    cache = tmp_path / "cache" / "kernel-advisor"
    cache.mkdir(parents=True)
    os.mkfifo(cache / "releases-cache.json")
    fifo = tmp_path / "snap.tar.gz"
    os.mkfifo(fifo)
    out = cli("check", "--snapshot", str(fifo), "--offline", timeout=20)
    one_line_refusal(out, "not a regular file (a FIFO)")
    out = cli("check", "--root", str(VIRT_WHAT / "kvm" / "root"), "--kernel", "6.1.0",
              "--offline", timeout=20)
    assert out.returncode in (0, 1) and "bundled" in out.stdout


def test_output_that_cannot_be_written_is_one_line_and_exit_2():
    args = [sys.executable, "-m", "kernel_advisor", "check", "--snapshot", str(FIRECRACKER), "--offline"]
    with open("/dev/full", "w") as full:
        out = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    one_line_refusal(out, "cannot write the output", "No space left")
    out = subprocess.run(" ".join(args) + " >&-", shell=True, stderr=subprocess.PIPE, text=True,
                         timeout=60)
    one_line_refusal(out, "standard output is closed")
    out = subprocess.run(" ".join(args) + " | head -c 10 >/dev/null; echo ${PIPESTATUS[0]}",
                         shell=True, executable="/bin/bash", capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "0" and out.stderr == ""  # a reader that stops early: fine


def test_a_latin1_terminal_gets_question_marks_not_a_traceback():
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--snapshot",
                          str(FIRECRACKER), "--offline"], capture_output=True, timeout=60,
                         env={**os.environ, "PYTHONIOENCODING": "iso8859-1:strict"})
    assert out.returncode in (0, 1), out.stderr
    text = out.stdout.decode("iso8859-1")
    assert "In short: KVM is recommended" in text and "?" in text


def test_non_ascii_digits_are_not_a_kernel_release():
    for release in ("6.²", "6.8²", "6.8.0\x1b[2J", "６.８"):
        out = cli("check", "--kernel", release, "--offline")
        one_line_refusal(out, "not a kernel release")


@needs_qt
def test_a_stale_display_is_a_message_not_a_crash(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    env = {"QT_QPA_PLATFORM": "", "WAYLAND_DISPLAY": "", "DISPLAY": ":%d" % (port % 1000 + 50)}
    out = cli(env=env, timeout=30)
    one_line_refusal(out, "no display answers", "kernel-advisor check")


def test_a_killed_export_leaves_nothing_behind_next_time(tmp_path):
    import fcntl

    from kernel_advisor.atomic import STALE_AFTER, TMP_PREFIX, TMP_SUFFIX, _tag

    target = tmp_path / "r.json"
    then = time.time() - 10 * STALE_AFTER
    stale = tmp_path / f"{TMP_PREFIX}{_tag(str(target))}-abcd1234{TMP_SUFFIX}"
    stale.write_bytes(b"x" * 100_000)  # what kill -9 mid-write leaves
    busy = tmp_path / f"{TMP_PREFIX}{_tag(str(target))}-efgh5678{TMP_SUFFIX}"
    busy.write_bytes(b"y")
    for path in (stale, busy):
        os.utime(path, (then, then))
    with open(busy, "rb") as held:  # another writer, alive, holds its lock
        fcntl.flock(held, fcntl.LOCK_EX)
        out = cli("report", "-f", "json", "-o", str(target), "--snapshot", str(FIRECRACKER),
                  "--offline")
        assert out.returncode == 0, out.stderr
        assert not stale.exists() and busy.exists()
    assert json.loads(target.read_text())["schema"]


# -- issue 29, class 11: smaller ones -------------------------------------------------------------
@pytest.mark.parametrize("release", ["6.1.0\n", "6.1.0\r", " 6.1.0", "6.1.0 "])
def test_a_kernel_release_with_whitespace_is_refused(release):
    one_line_refusal(cli("check", "--kernel", release, "--offline"), "not a kernel release")


def test_a_huge_kernel_release_is_refused_without_being_echoed_whole():
    out = cli("check", "--kernel", "6." + "1" * 130_000, "--offline")
    one_line_refusal(out, "not a kernel release", "130,002 characters", "at most 64")
    assert len(out.stderr) < 400


def test_a_64_kib_osrelease_in_a_root_is_an_unknown_not_a_parse(tmp_path):
    (tmp_path / "proc" / "sys" / "kernel").mkdir(parents=True)
    (tmp_path / "proc" / "sys" / "kernel" / "osrelease").write_text("6.1.0-" + "1" * 65_000)
    (tmp_path / "proc" / "cpuinfo").write_bytes(CPUINFO)
    out = cli("check", "--json", "--root", str(tmp_path), "--offline")
    assert out.returncode in (0, 1), out.stderr
    release = {c["id"]: c for c in json.loads(out.stdout)["checks"]}["kernel.release"]
    assert release["status"] == "unknown" and "more than a kernel release can have" in \
        release["reason"] and "1111111111" not in out.stdout


@needs_qt
def test_ctrl_c_ends_a_pdf_report_while_qt_lays_it_out(monkeypatch):
    """Qt's layout runs in C++, where Python's handler waits; the default action does not."""
    import signal

    import kernel_advisor.gui.pdf
    from kernel_advisor import commands

    seen = []
    monkeypatch.setattr(kernel_advisor.gui.pdf, "render_pdf",
                        lambda a: seen.append(signal.getsignal(signal.SIGINT)) or b"%PDF")
    before = signal.getsignal(signal.SIGINT)
    assert commands.render(None, "pdf") == b"%PDF"
    assert seen == [signal.SIG_DFL] and signal.getsignal(signal.SIGINT) is before


@pytest.mark.parametrize("typed, meant", [("v6.1", "6.1"), ("Linux 6.8.0", "6.8.0"),
                                          ("linux-2.6.23", "2.6.23"), ("6.1.0\n", "6.1.0")])
def test_a_near_miss_is_refused_with_the_release_it_probably_means(typed, meant):
    """Issue 28, class 12: `v6.1` (a git tag) is refused, and the refusal suggests 6.1."""
    one_line_refusal(cli("check", "--kernel", typed, "--offline"), f"did you mean {meant}?")

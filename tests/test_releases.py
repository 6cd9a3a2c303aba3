"""kernel.org data over real HTTP on 127.0.0.1 (no mocking of requests): online → cache → bundled."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kernel_advisor import download, releases
from kernel_advisor.stability import classify

pytestmark = pytest.mark.network

FRESH = {
    "latest_stable": {"version": "7.4.2"},
    "releases": [
        {"iseol": False, "version": "7.5-rc3", "moniker": "mainline", "source": None, "pgp": None,
         "released": {"timestamp": 1795000000, "isodate": "2026-11-22"}},
        {"iseol": False, "version": "7.4.2", "moniker": "stable",
         "released": {"timestamp": "1794000000", "isodate": "2026-11-15"}},
        {"iseol": True, "version": "7.3.9", "moniker": "stable",
         "released": {"timestamp": 1793000000, "isodate": "2026-11-02"}},
        {"iseol": False, "version": "6.18.60", "moniker": "longterm",
         "released": {"timestamp": 1794000000, "isodate": "2026-11-15"}},
        {"iseol": False, "version": "next-20261120", "moniker": "linux-next", "source": None},
    ],
}
ETAG = '"abc123"'


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, dict]] = []
    failing = False  # /flaky answers 500 while this is set

    def log_message(self, *args):
        pass

    def _send(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        Handler.hits.append((self.path, dict(self.headers)))
        body = json.dumps(FRESH).encode()
        if self.path == "/fresh":
            if self.headers.get("If-None-Match") == ETAG:
                return self._send(304, headers={"ETag": ETAG})
            return self._send(200, body, {"ETag": ETAG, "Content-Type": "application/json"})
        if self.path == "/garbage":
            return self._send(200, b"<html>not json</html>")
        if self.path == "/wrongshape":
            return self._send(200, json.dumps({"releases": [{"version": 5}]}).encode())
        if self.path == "/500" or (self.path == "/flaky" and Handler.failing):
            return self._send(500, b"oops")
        if self.path == "/flaky":
            return self._send(200, body, {"Content-Type": "application/json"})
        if self.path == "/stall":
            time.sleep(8)
            return self._send(200, body)
        if self.path == "/trickle":  # headers at once, then one byte a second
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for b in body[:20]:
                try:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)
            return None
        if self.path == "/huge-declared":
            return self._send(200, b"x" * 1024, {"Content-Length": str(300 << 20)})
        if self.path == "/huge-streamed":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"[" * 65536
            try:
                for _ in range(5000):  # 300+ MB if nobody stops reading
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            return None
        return self._send(404)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture
def kernel_org(server, monkeypatch):
    """The test server's /fresh stands in for kernel.org: what the app does with kernel.org's
    own data (no note about another source, the plain cache) is tested against it."""
    monkeypatch.setattr(releases, "DEFAULT_URL", server + "/fresh")
    return server + "/fresh"


def timed(url):
    start = time.monotonic()
    data = releases.load(url=url)
    return data, time.monotonic() - start


def test_fresh_data_knows_series_the_bundle_does_not(kernel_org):
    data, took = timed(kernel_org)
    assert data.source == "online" and data.problem is None and took < 3
    assert data.mainline == "7.5-rc3"
    st = classify("7.4.2", data)
    assert st.channel == "stable" and st.source == "online"
    assert classify("7.3.1", data).channel == "eol"
    assert classify("6.18.44", data).channel == "longterm"
    ua = Handler.hits[-1][1].get("User-Agent", "")
    assert ua.startswith("kernel-advisor/")


def test_304_revalidates_the_cache(server):
    releases.load(url=server + "/fresh")
    data = releases.load(url=server + "/fresh")
    assert Handler.hits[-1][1].get("If-None-Match") == ETAG
    assert data.source == "online" and data.mainline == "7.5-rc3"


def test_offline_uses_cache_then_bundled(kernel_org):
    assert releases.load(offline=True).source == "bundled"
    releases.load()
    before = len(Handler.hits)
    data = releases.load(offline=True)
    assert data.source == "cache" and len(Handler.hits) == before  # no network touched


@pytest.mark.parametrize("path, words", [
    ("/garbage", "unusable releases.json"),
    ("/wrongshape", "unusable releases.json"),
    ("/500", "HTTP 500"),
    ("/stall", "no answer in time"),
    ("/trickle", "no answer in time"),
    ("/huge-declared", "too large"),
    ("/huge-streamed", "larger than"),
])
def test_failures_fall_back_quickly_with_one_line(server, path, words):
    data, took = timed(server + path)
    assert took < 6, f"{path} took {took:.1f}s"
    assert data.source == "bundled"
    assert words in data.problem and "\n" not in data.problem


def test_failure_after_a_good_fetch_falls_back_to_cache(server, monkeypatch):
    assert releases.load(url=server + "/flaky").source == "online"
    monkeypatch.setattr(Handler, "failing", True)
    data = releases.load(url=server + "/flaky")
    assert data.source == "cache" and "using cached data" in data.problem


def test_connection_refused(server):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    data, took = timed(f"http://127.0.0.1:{port}/releases.json")
    assert data.source == "bundled" and "connection refused" in data.problem and took < 3


def test_one_connect_retry_after_a_pause_reaches_a_server_that_was_late(tmp_path):
    """The first connection is refused (the port is bound, nobody listens yet); the server
    starts listening during the retry's pause, and the one retry gets the answer."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
    srv.daemon_threads = True
    srv.server_bind()  # bound, not listening: a connect is refused at once
    late = download.RETRY_BACKOFF / 2

    def listen_late():
        time.sleep(late)
        srv.server_activate()
        srv.serve_forever()

    threading.Thread(target=listen_late, daemon=True).start()
    try:
        start = time.monotonic()
        data = releases.load(url=f"http://127.0.0.1:{srv.server_address[1]}/fresh")
        took = time.monotonic() - start
    finally:
        srv.shutdown()
    assert data.source == "online", data.problem
    assert download.RETRY_BACKOFF <= took < releases.DEADLINE  # waited, within the deadline


def test_no_retry_after_a_read_error_or_an_http_error(server):
    Handler.hits.clear()
    assert releases.load(url=server + "/500").source != "online"
    assert [path for path, _ in Handler.hits] == ["/500"]  # one request: statuses not retried


def test_cache_write_is_atomic_and_in_xdg_cache(kernel_org, tmp_path):
    releases.load()
    d = tmp_path / "cache" / "kernel-advisor"
    assert sorted(p.name for p in d.iterdir()) == ["releases-cache.json"]  # no temporary left behind


@pytest.mark.parametrize("damage", [b"", b"not json at all", b"\xff" * 64, "truncate",
                                    "wrong shape", "wrong format"])
def test_a_damaged_cache_is_no_cache(kernel_org, tmp_path, damage):
    releases.load()
    path = tmp_path / "cache" / "kernel-advisor" / "releases-cache.json"
    good = path.read_bytes()
    if damage == "truncate":
        damage = good[:len(good) // 2]
    elif damage == "wrong shape":
        entry = json.loads(good)
        entry["current"]["7.4"]["iseol"] = "no"
        damage = json.dumps(entry).encode()
    elif damage == "wrong format":
        damage = json.dumps({**json.loads(good), "format": 99}).encode()
    path.write_bytes(damage)
    data = releases.load(offline=True)
    assert data.source == "bundled" and data.problem is None
    assert releases.load().source == "online"  # and it heals


def test_cli_check_online_reports_source(server):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--json", "--kernel", "7.4.2",
                          "--releases-url", server + "/fresh"], capture_output=True, text=True,
                         timeout=60)
    doc = json.loads(out.stdout)
    assert doc["stability"]["source"] == "online" and doc["stability"]["channel"] == "stable"

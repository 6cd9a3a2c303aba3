"""Issue 29, classes 6, 10 and 11: release data that cannot be poisoned or stalled. One deadline
for the whole attempt whatever the route (a proxy that drips, a name server that never answers);
a cache per URL, so one ``--releases-url`` run never becomes the data of a plain ``check``; a
releases.json that lies (a series twice, a date that is not one, a byte-order mark) is refused;
a relative ``XDG_CACHE_HOME`` is ignored; root never leaves a root-owned cache in a user's home.
Every server is real, on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import http_server

from kernel_advisor import releases

pytestmark = pytest.mark.network
APP = Path(__file__).resolve().parent.parent

GOOD = {"releases": [
    {"iseol": False, "version": "7.5-rc3", "moniker": "mainline",
     "released": {"timestamp": 1795000000, "isodate": "2026-11-22"}},
    {"iseol": False, "version": "7.4.2", "moniker": "stable",
     "released": {"timestamp": 1794000000, "isodate": "2026-11-15"}},
    {"iseol": False, "version": "6.18.60", "moniker": "longterm",
     "released": {"timestamp": 1794000000, "isodate": "2026-11-15"}},
]}
EVIL = {"releases": [{"iseol": False, "version": "99.1.1", "moniker": "stable"}]}
LIES = {
    "/twice": {"releases": GOOD["releases"] + [
        {"iseol": False, "version": "6.18.1", "moniker": "longterm"}]},
    "/notadate": {"releases": [
        {"iseol": False, "version": "7.4.2", "moniker": "stable",
         "released": {"timestamp": 1, "isodate": "<script>alert(1)</script>"}}]},
}


class Server(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/evil":
            body = json.dumps(EVIL).encode()
        elif self.path == "/bom":
            body = b"\xef\xbb\xbf" + json.dumps(GOOD).encode()
        elif self.path in LIES:
            body = json.dumps(LIES[self.path]).encode()
        else:
            body = json.dumps(GOOD).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    with http_server(Server) as url:
        yield url


def cli(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})}, **kw)


def stability(out):
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)["stability"]


# --- the cache: one per URL ---------------------------------------------------------------------

def test_one_run_with_another_url_never_becomes_a_plain_checks_data(server):
    evil = stability(cli("check", "--json", "--kernel", "99.1.1", "--releases-url",
                         server + "/evil"))
    assert evil["source"] == "online" and "not kernel.org" in json.dumps(evil)
    plain = cli("check", "--json", "--kernel", "99.1.1", "--offline")
    assert stability(plain)["source"] == "bundled"  # not the other server's "cached" data
    assert "99.1.1 is the latest" not in plain.stdout
    again = stability(cli("check", "--json", "--kernel", "99.1.1", "--offline",
                          "--releases-url", server + "/evil"))
    assert again["source"] == "cache" and server in json.dumps(again)  # said where it is from


# --- a releases.json that lies --------------------------------------------------------------

@pytest.mark.parametrize("path, words", [("/twice", "listed twice"), ("/notadate", "not a date"),
                                         ("/bom", "byte-order mark")])
def test_a_lying_releases_json_is_refused_with_one_line(server, path, words):
    data = releases.load(url=server + path)
    assert data.source == "bundled" and words in data.problem and "\n" not in data.problem
    assert "<script>" not in data.problem and "6.18.1" not in str(data.current)


# --- one deadline whatever the route -----------------------------------------------------------

@pytest.fixture
def dripping_proxy():
    """A TCP server that answers anything one byte a second for a minute: a proxy that drips."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn):
        with conn:
            for byte in b"HTTP/1.1 200 Connection established\r\n" * 2:
                if stop.wait(1.0):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


LOAD = ("import sys, time; sys.path.insert(0, sys.argv[1]); from kernel_advisor import releases; "
        "t = time.monotonic(); d = releases.load(url=sys.argv[2], deadline=2.0); "
        "print(round(time.monotonic() - t, 1)); print(d.source); print(d.problem)")


def load_in_child(url, env, *wrap):
    out = subprocess.run([*wrap, sys.executable, "-c", LOAD, str(APP), url], capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    took, source, problem = out.stdout.splitlines()[-3:]
    return float(took), source, problem


@pytest.mark.parametrize("scheme, variable", [("https", "HTTPS_PROXY"), ("http", "HTTP_PROXY")])
def test_a_dripping_proxy_costs_the_deadline_not_its_minute(dripping_proxy, scheme, variable):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env[variable] = dripping_proxy
    took, source, problem = load_in_child(f"{scheme}://www.kernel.org/releases.json", env)
    assert took < 30, "held as long as the proxy drips"  # the drip goes on for a minute
    assert source == "bundled" and "no answer in time" in problem


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="a private /etc/resolv.conf needs root and unshare")
def test_a_name_server_that_never_answers_costs_the_deadline(tmp_path):
    """In a private mount namespace, /etc/resolv.conf names a server on 127.0.0.1 that reads
    every question and answers none (glibc would wait 5 s × 2 tries × 2 address families)."""
    hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        hole.bind(("127.0.0.1", 53))
    except OSError:
        pytest.skip("port 53 on 127.0.0.1 is taken")
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:5 attempts:2\n")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    script = f"mount --bind {resolv} /etc/resolv.conf && exec \"$@\""
    try:
        took, source, problem = load_in_child(
            "https://kernel-advisor-test.example.net/releases.json", env,
            "unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh")
    finally:
        hole.close()
    assert took < 15, "held as long as the name lookup"
    assert source == "bundled" and "no answer in time" in problem


# --- the cache's place, and whose it is -------------------------------------------------------

def test_a_relative_xdg_cache_home_is_ignored(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setattr(releases, "DEFAULT_URL", server + "/good")
    assert releases.load().source == "online"
    assert not (tmp_path / "relative").exists()
    assert (Path(os.environ["HOME"]) / ".cache" / "kernel-advisor" / "releases-cache.json").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="root with a user's HOME: run as root")
def test_root_with_a_users_home_leaves_no_root_owned_cache_there(server, tmp_path, monkeypatch):
    home = tmp_path / "alice"
    home.mkdir()
    os.chown(home, 4242, 4242)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(releases, "DEFAULT_URL", server + "/good")
    data = releases.load()
    assert data.source == "online" and "not cached" in data.problem
    owned_by_root = [p for p in [home, *home.rglob("*")] if p.stat().st_uid == 0]
    assert owned_by_root == []  # the user's own later run creates the cache, as theirs


def test_a_proxy_that_refuses_is_said_in_plain_words():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens here once closed
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["HTTPS_PROXY"] = f"http://127.0.0.1:{port}"
    _took, source, problem = load_in_child("https://www.kernel.org/releases.json", env)
    assert source == "bundled" and "the proxy" in problem and "Error" not in problem, problem

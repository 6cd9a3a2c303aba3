"""kernel.org's ``releases.json``: online → cache → bundled, and ``stability.source`` says which.

One ``requests.Session`` with a real User-Agent, TLS verification on, connect and read timeouts
plus one wall-clock deadline for the whole attempt (:class:`Attempt`: a watchdog that shuts the
connection down, so a server that drips its status line, headers or body, or chains redirects,
cannot hold us), redirects followed only on the host asked, never to plain http, a size cap, conditional
requests (``If-None-Match`` / ``If-Modified-Since``), strict validation of the shape before
anything is trusted, and an atomic cache in ``$XDG_CACHE_HOME/kernel-advisor``. Never call
:func:`load` on the GUI thread.

``requests`` is imported only when a fetch is really attempted, so ``check --offline`` never
loads it. The cache is a small JSON file holding what we took from the last good answer
(``current`` and ``mainline`` of :class:`~advisor.stability.ReleaseData`, plus the validators),
written atomically and type-checked again when read: any doubt about it means "no cache".
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import stat
import threading
from urllib.parse import urljoin, urlsplit

from advisor import __version__
from advisor.stability import ReleaseData, bundled_data, from_releases_json, now_utc_iso

DEFAULT_URL = "https://www.kernel.org/releases.json"
USER_AGENT = f"kernel-advisor/{__version__} (+https://github.com/kerneladvisor/kernel-advisor)"
MAX_BYTES = 2 << 20  # the real file is ~10 KB
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 2.5
DEADLINE = 4.5  # seconds for the whole attempt, whatever the server does
MONIKERS = {"mainline", "stable", "longterm", "linux-next"}
MAX_REDIRECTS = 3
RETRY_BACKOFF = 0.5  # seconds before the one connect retry
log = logging.getLogger(__name__)


class BadData(ValueError):
    """The body is not a releases.json we can trust."""


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kernel-advisor")


def cache_path() -> str:
    return os.path.join(cache_dir(), "releases-cache.json")


CACHE_FORMAT = 2  # 1 was a marshal file


def validate(doc: object) -> dict:
    """Strict shape check (kernel-facts.md §5): only version and moniker are required per row."""
    if not isinstance(doc, dict):
        raise BadData("not a JSON object")
    rows = doc.get("releases")
    if not isinstance(rows, list) or not rows:
        raise BadData("no 'releases' list")
    seen = 0
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BadData(f"releases[{i}] is not an object")
        version, moniker = row.get("version"), row.get("moniker")
        if not isinstance(version, str) or not isinstance(moniker, str):
            raise BadData(f"releases[{i}] lacks a version or moniker string")
        if moniker in MONIKERS - {"linux-next"}:
            seen += 1
            base = version.split("-")[0]
            if not all(p.isdigit() for p in base.split(".")) or base.count(".") < 1:
                raise BadData(f"releases[{i}]: version {version!r} is not a kernel version")
        if "iseol" in row and not isinstance(row["iseol"], bool):
            raise BadData(f"releases[{i}]: iseol is not a boolean")
        rel = row.get("released")
        if rel is not None and not isinstance(rel, dict):
            raise BadData(f"releases[{i}]: released is not an object")
    if not seen:
        raise BadData("no mainline, stable or longterm release listed")
    return doc


def _read_cache() -> dict | None:
    """The cached digest (see the module docstring), or None if there is none we can trust."""
    try:
        fd = os.open(cache_path(), os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    try:  # only a regular file is a cache: a FIFO or a device there is never read
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            entry = json.loads(fh.read(MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    return entry if _valid_cache(entry) else None


def _valid_cache(entry: object) -> bool:
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
        return False
    current, mainline = entry.get("current"), entry.get("mainline")
    if not isinstance(current, dict) or not (mainline is None or isinstance(mainline, str)):
        return False
    for key in ("url", "etag", "last_modified", "fetched_at"):
        if not (entry.get(key) is None or isinstance(entry.get(key), str)):
            return False
    return all(
        isinstance(series, str) and isinstance(row, dict)
        and row.get("moniker") in ("mainline", "stable", "longterm")
        and isinstance(row.get("iseol"), bool) and isinstance(row.get("latest"), str)
        and (row.get("date") is None or isinstance(row.get("date"), str))
        for series, row in current.items())


def _write_cache(data: ReleaseData, url: str, etag: str | None, modified: str | None,
                 fetched_at: str) -> None:
    from advisor.atomic import write_atomic  # tempfile and its imports: only when we fetched

    os.makedirs(cache_dir(), exist_ok=True)
    try:
        mode = os.lstat(cache_path()).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):  # never replace a FIFO, device or link someone put there
        raise OSError(errno.EEXIST, "not a regular file")
    write_atomic(cache_path(), json.dumps({
        "format": CACHE_FORMAT, "url": url, "etag": etag, "last_modified": modified,
        "fetched_at": fetched_at, "current": data.current, "mainline": data.mainline},
        indent=1).encode())


def _cached(problem: str | None = None, failure: str | None = None) -> ReleaseData:
    """The cache, else the bundled data; ``failure`` (why kernel.org did not answer) becomes
    the problem line, naming whichever of the two answered instead."""
    entry = _read_cache()
    if failure:
        problem = (f"kernel.org check failed ({failure}); using "
                   f"{'bundled' if entry is None else 'cached'} data.")
    if entry is None:
        return bundled_data(problem)
    as_of = (entry.get("fetched_at") or "")[:10] or "unknown"
    return ReleaseData(as_of, "cache", entry["current"], entry["mainline"], problem)


def load(offline: bool = False, url: str = DEFAULT_URL, deadline: float = DEADLINE,
         attempt: Attempt | None = None) -> ReleaseData:
    """Current release data; never raises, and returns within about ``deadline`` seconds (or
    as soon as ``attempt`` is cancelled)."""
    if offline:
        data = _cached()
        log.info("release data: %s, as of %s (offline)", data.source, data.as_of)
        return data
    attempt = attempt or Attempt(deadline)
    log.info("release data: asking %s (at most %.0f s)", url, deadline)
    try:
        with attempt:
            data = _fetch(url, attempt)
    except Exception as exc:  # any failure degrades to the cache, then the bundled data
        data = _cached(failure=attempt.why or _one_line(exc))
    log.info("release data: %s, as of %s%s", data.source, data.as_of,
             f" ({data.problem})" if data.problem else "")
    return data


def _one_line(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    if "Timeout" in name or "timed out" in text:
        return "no answer in time"
    if "ConnectionError" in name and ("refused" in text.lower() or "Errno 111" in text):
        return "connection refused"
    if "ConnectionError" in name:
        return "could not connect"
    if len(text) > 120:
        text = text[:117] + "…"
    return f"{name}: {text}" if text else name


class Attempt:
    """One fetch's wall-clock deadline. When it passes, or :meth:`cancel` is called (the wizard
    closed, the user pressed Cancel), every socket the attempt opened is shut down, so whatever
    the fetch was waiting for — the connection, the status line, a header, the body, the next
    redirect — ends at once with an error."""

    def __init__(self, deadline: float = DEADLINE) -> None:
        self.deadline = deadline
        self.why: str | None = None  # set when the attempt was cut short, and why
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline, self.cancel, ("no answer in time",))
        self._timer.daemon = True  # a pending watchdog never keeps the process alive

    def __enter__(self) -> "Attempt":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def track(self, sock) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.why:
                _shut(sock)

    def cancel(self, why: str = "cancelled") -> None:
        with self._lock:
            self.why = self.why or why
            for sock in self._sockets:
                _shut(sock)


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def make_session(attempt: Attempt):
    """A session whose connections report their TCP sockets to ``attempt`` as soon as they are
    connected (urllib3's ``ConnectionCls`` and ``pool_classes_by_scheme`` hooks)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    class OneRetry(Retry):
        """urllib3 waits only from the second retry on (``get_backoff_time`` is 0 after one
        error); we make one, so it waits ``backoff_factor`` before it."""

        def get_backoff_time(self) -> float:
            return self.backoff_factor if self.history else 0.0

    # One more try when the connection itself fails (nothing was sent, so it is always safe),
    # for GET only, after a pause; never on a read error or an HTTP status. Redirects stay
    # ours (_next_url). The Attempt's deadline still bounds the whole.
    retry = OneRetry(total=1, connect=1, read=0, status=0, other=0, redirect=0,
                     allowed_methods=frozenset({"GET"}), backoff_factor=RETRY_BACKOFF,
                     raise_on_redirect=False, respect_retry_after_header=False)

    def tracked(pool_cls):
        class Connection(pool_cls.ConnectionCls):
            def _new_conn(self):  # the TCP socket, before any TLS handshake on it
                sock = super()._new_conn()
                attempt.track(sock)
                return sock

        return type(pool_cls.__name__, (pool_cls,), {"ConnectionCls": Connection})

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            by_scheme = self.poolmanager.pool_classes_by_scheme
            self.poolmanager.pool_classes_by_scheme = {k: tracked(v) for k, v in by_scheme.items()}

    s = requests.Session()
    for prefix in ("https://", "http://"):
        s.mount(prefix, Adapter(max_retries=retry))
    s.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return s


def _next_url(url: str, resp) -> str:
    """Where a redirect may take us: the same host, never from https down to http."""
    target = urljoin(url, resp.headers.get("Location", ""))
    old, new = urlsplit(url), urlsplit(target)
    if new.hostname != old.hostname or new.port != old.port:
        raise RuntimeError(f"redirect to another host ({new.hostname}) refused")
    if new.scheme != "https" and not (old.scheme == "http" and new.scheme == "http"):
        raise RuntimeError("redirect to plain http refused")
    return target


def _chunks(resp):
    """Body chunks as they arrive (``read1``); a server that trickles them is cut off by the
    attempt's watchdog, which shuts the socket at the deadline (:class:`Attempt`)."""
    read1 = getattr(resp.raw, "read1", None)
    if read1 is None:  # urllib3 < 2: fall back to small fixed-size reads
        yield from resp.iter_content(1024)
        return
    while chunk := read1(65536, decode_content=True):
        yield chunk


def _fetch(url: str, attempt: Attempt) -> ReleaseData:
    session = make_session(attempt)
    cached = _read_cache()
    headers = {}
    if cached is not None and cached.get("url") == url:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    else:
        cached = None  # another URL's data answers nothing about this one
    now = now_utc_iso()
    where = url
    for _ in range(MAX_REDIRECTS + 1):
        resp = session.get(where, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                           stream=True, verify=True, allow_redirects=False)
        if not resp.is_redirect:
            break
        resp.close()
        where = _next_url(where, resp)
    else:
        raise RuntimeError(f"more than {MAX_REDIRECTS} redirects")
    with session, resp:
        if resp.status_code == 304 and cached is not None:
            data = ReleaseData(now[:10], "online", cached["current"], cached["mainline"])
            _write_cache_or_warn(data, url, cached.get("etag"), cached.get("last_modified"), now)
            return data
        if resp.status_code != 200:
            raise RuntimeError(f"kernel.org answered HTTP {resp.status_code}")
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_BYTES:
            raise RuntimeError(f"answer too large ({int(declared) >> 20} MiB)")
        chunks, size = [], 0
        for chunk in _chunks(resp):
            size += len(chunk)
            if size > MAX_BYTES:
                raise RuntimeError(f"answer larger than {MAX_BYTES >> 20} MiB, refused")
            chunks.append(chunk)
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
    try:
        fresh = validate(json.loads(b"".join(chunks)))
    except ValueError as exc:
        raise BadData(f"unusable releases.json: {exc}") from None
    data = from_releases_json(fresh, now[:10], "online")
    return _write_cache_or_warn(data, url, etag, modified, now)


def _write_cache_or_warn(data: ReleaseData, url: str, etag: str | None, modified: str | None,
                         now: str) -> ReleaseData:
    """Cache a good answer; if the cache cannot be written, the answer is still used, with a
    note that it was not kept."""
    try:
        _write_cache(data, url, etag, modified, now)
    except OSError as exc:
        from dataclasses import replace

        return replace(data, problem=f"fetched from kernel.org, but not cached "
                                     f"({cache_path()}: {exc.strerror or exc}).")
    return data

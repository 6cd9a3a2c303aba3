"""kernel.org's ``releases.json``: online → cache → bundled, and ``stability.source`` says which.

One ``requests.Session`` with a real User-Agent, TLS verification on, connect and read timeouts
plus an overall deadline (a server that trickles bytes cannot hold us), a size cap, conditional
requests (``If-None-Match`` / ``If-Modified-Since``), strict validation of the shape before
anything is trusted, and an atomic cache in ``$XDG_CACHE_HOME/kernel-advisor``. Never call
:func:`load` on the GUI thread.

``requests`` is imported only when a fetch is really attempted, so ``check --offline`` never
loads it. The cache is a small JSON file holding what we took from the last good answer
(``current`` and ``mainline`` of :class:`~advisor.stability.ReleaseData`, plus the validators),
written atomically and type-checked again when read: any doubt about it means "no cache".
"""

from __future__ import annotations

import json
import os
import time

from advisor import __version__
from advisor.stability import ReleaseData, bundled_data, from_releases_json, now_utc_iso

DEFAULT_URL = "https://www.kernel.org/releases.json"
USER_AGENT = f"kernel-advisor/{__version__} (+https://github.com/kerneladvisor/kernel-advisor)"
MAX_BYTES = 2 << 20  # the real file is ~10 KB
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 2.5
DEADLINE = 4.5  # seconds for the whole attempt, whatever the server does
MONIKERS = {"mainline", "stable", "longterm", "linux-next"}


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
        with open(cache_path(), "rb") as fh:
            entry = json.loads(fh.read(MAX_BYTES))
    except (OSError, ValueError):
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


def load(offline: bool = False, url: str = DEFAULT_URL, session=None,
         deadline: float = DEADLINE) -> ReleaseData:
    """Current release data; never raises, and returns within about ``deadline`` seconds."""
    if offline:
        return _cached()
    try:
        return _fetch(url, session, deadline)
    except Exception as exc:  # any failure degrades to the cache, then the bundled data
        return _cached(failure=_one_line(exc))


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


def make_session():
    import requests

    s = requests.Session()
    s.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return s


def _chunks(resp, start: float, deadline: float):
    """Body chunks as they arrive (``read1``), so a server trickling bytes meets the deadline."""
    raw = resp.raw
    read1 = getattr(raw, "read1", None)
    if read1 is None:  # urllib3 < 2: fall back to small fixed-size reads
        yield from resp.iter_content(1024)
        return
    while True:
        if time.monotonic() - start > deadline:
            raise TimeoutError("timed out")
        chunk = read1(65536, decode_content=True)
        if not chunk:
            return
        yield chunk


def _fetch(url: str, session, deadline: float) -> ReleaseData:
    start = time.monotonic()
    session = session or make_session()
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
    with session.get(url, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                     stream=True, verify=True, allow_redirects=True) as resp:
        if resp.status_code == 304 and cached is not None:
            data = ReleaseData(now[:10], "online", cached["current"], cached["mainline"])
            _write_cache(data, url, cached.get("etag"), cached.get("last_modified"), now)
            return data
        if resp.status_code != 200:
            raise RuntimeError(f"kernel.org answered HTTP {resp.status_code}")
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_BYTES:
            raise RuntimeError(f"answer too large ({int(declared) >> 20} MiB)")
        chunks, size = [], 0
        for chunk in _chunks(resp, start, deadline):
            size += len(chunk)
            if size > MAX_BYTES:
                raise RuntimeError(f"answer larger than {MAX_BYTES >> 20} MiB, refused")
            if time.monotonic() - start > deadline:
                raise TimeoutError("timed out")
            chunks.append(chunk)
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
    try:
        fresh = validate(json.loads(b"".join(chunks)))
    except ValueError as exc:
        raise BadData(f"unusable releases.json: {exc}") from None
    data = from_releases_json(fresh, now[:10], "online")
    _write_cache(data, url, etag, modified, now)
    return data

"""kernel.org's ``releases.json``: online → cache → bundled, and ``stability.source`` says which.

The fetch itself — ``requests`` with a real User-Agent, TLS verification, timeouts and one
wall-clock deadline, redirects on the same host only, a size cap — is
:mod:`advisor.download`, imported only when a fetch is really attempted, so ``check
--offline`` loads neither it nor ``requests``. Here: conditional requests (``If-None-Match`` /
``If-Modified-Since``), strict validation of the shape before anything is trusted, and an
atomic cache in ``$XDG_CACHE_HOME/kernel-advisor``. Never call :func:`load` on the GUI thread.

The cache is a small JSON file holding what we took from the last good answer (``current``
and ``mainline`` of :class:`~advisor.stability.ReleaseData`, plus the validators), written
atomically and type-checked again when read: any doubt about it means "no cache".
"""

from __future__ import annotations

import errno
import json
import os
import stat
from typing import TYPE_CHECKING, Any, Dict

from advisor import verbose
from advisor.stability import ReleaseData, bundled_data, from_releases_json, now_utc_iso

if TYPE_CHECKING:
    from advisor.download import Attempt

DEFAULT_URL = "https://www.kernel.org/releases.json"
MAX_BYTES = 2 << 20  # the real file is ~10 KB
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


def validate(doc: object) -> Dict[str, Any]:
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


def _read_cache() -> Dict[str, Any] | None:
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
        verbose.info(__name__, "release data: %s, as of %s (offline)", data.source,
                     data.as_of)
        return data
    from advisor.download import Attempt, one_line

    attempt = attempt or Attempt(deadline)
    verbose.info(__name__, "release data: asking %s (at most %.0f s)", url, deadline)
    try:
        with attempt:
            data = _fetch(url, attempt)
    except Exception as exc:  # any failure degrades to the cache, then the bundled data
        data = _cached(failure=attempt.why or one_line(exc))
    verbose.info(__name__, "release data: %s, as of %s%s", data.source, data.as_of,
                 f" ({data.problem})" if data.problem else "")
    return data


def _fetch(url: str, attempt: Attempt) -> ReleaseData:
    from advisor import download

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
    answer = download.get(url, attempt, headers, MAX_BYTES)
    if answer.status == 304 and cached is not None:
        data = ReleaseData(now[:10], "online", cached["current"], cached["mainline"])
        return _write_cache_or_warn(data, url, cached.get("etag"), cached.get("last_modified"),
                                    now)
    if answer.status != 200:
        raise RuntimeError(f"kernel.org answered HTTP {answer.status}")
    etag, modified = answer.etag, answer.last_modified
    try:
        fresh = validate(json.loads(answer.body))
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

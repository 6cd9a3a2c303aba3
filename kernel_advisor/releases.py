"""kernel.org's ``releases.json``: online → cache → bundled, and ``stability.source`` says which.

The fetch itself — ``requests`` with a real User-Agent, TLS verification, timeouts and one
wall-clock deadline, redirects on the same host only, a size cap — is
:mod:`kernel_advisor.download`, imported only when a fetch is really attempted, so ``check
--offline`` loads neither it nor ``requests``. Here: conditional requests (``If-None-Match`` /
``If-Modified-Since``), strict validation of the shape before anything is trusted, and an
atomic cache in ``$XDG_CACHE_HOME/kernel-advisor``. Never call :func:`load` on the GUI thread.

The cache is a small JSON file holding what we took from the last good answer (``current``
and ``mainline`` of :class:`~kernel_advisor.stability.ReleaseData`, plus the validators and the URL
it
came from), written atomically and type-checked again when read: any doubt about it means "no
cache". Each URL has a cache of its own, and a run answers only from its URL's: what one
``--releases-url`` run fetched never becomes the data of a plain ``check``.

One deadline bounds the whole attempt whatever the route: the fetch runs in a thread of its
own, so a name lookup that hangs (a dead DNS server) or a proxy that drips costs the deadline,
not its own timeouts.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import stat
import threading
import time
from typing import TYPE_CHECKING, Any, Dict

from kernel_advisor import verbose
from kernel_advisor.i18n import _
from kernel_advisor.stability import ReleaseData, bundled_data, from_releases_json, now_utc_iso

if TYPE_CHECKING:
    from kernel_advisor.download import Attempt

DEFAULT_URL = "https://www.kernel.org/releases.json"
MAX_BYTES = 2 << 20  # the real file is ~10 KB
DEADLINE = 4.5  # seconds for the whole attempt, whatever the server does
MONIKERS = {"mainline", "stable", "longterm", "linux-next"}


class BadData(ValueError):
    """The body is not a releases.json we can trust."""


def cache_dir() -> str:
    """``$XDG_CACHE_HOME/kernel-advisor``; a relative ``XDG_CACHE_HOME`` is ignored, as the XDG
    Base Directory specification says ("If an implementation encounters a relative path in any
    of these variables it should consider the path invalid and ignore it")."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kernel-advisor")


def cache_path(url: str | None = None) -> str:
    """Where ``url``'s answer is cached: kernel.org's (the default) in ``releases-cache.json``,
    any other URL's in a file named by a digest of it."""
    if url is None or url == DEFAULT_URL:
        return os.path.join(cache_dir(), "releases-cache.json")
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(cache_dir(), f"releases-cache-{digest}.json")


CACHE_FORMAT = 2  # 1 was a marshal file


def validate(doc: object) -> Dict[str, Any]:
    """Strict shape check (kernel-facts.md §5): only version and moniker are required per row."""
    if not isinstance(doc, dict):
        raise BadData("not a JSON object")
    rows = doc.get("releases")
    if not isinstance(rows, list) or not rows:
        raise BadData("no 'releases' list")
    seen = 0
    series: Dict[str, int] = {}
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
                raise BadData(f"releases[{i}]: its version is not a kernel version")
            key = ".".join(base.split(".")[:2])
            if moniker != "mainline" or "-rc" not in version:
                if key in series:
                    raise BadData(f"series {key} is listed twice (releases[{series[key]}] and "
                                  f"releases[{i}])")
                series[key] = i
        if "iseol" in row and not isinstance(row["iseol"], bool):
            raise BadData(f"releases[{i}]: iseol is not a boolean")
        rel = row.get("released")
        if rel is not None and not isinstance(rel, dict):
            raise BadData(f"releases[{i}]: released is not an object")
        isodate = (rel or {}).get("isodate")
        if isodate is not None and not _is_date(isodate):
            raise BadData(f"releases[{i}]: released.isodate is not a date (YYYY-MM-DD)")
    if not seen:
        raise BadData("no mainline, stable or longterm release listed")
    return doc


def _is_date(value: object) -> bool:
    """A calendar date written as ``YYYY-MM-DD``."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse(body: bytes) -> Dict[str, Any]:
    """The body of a releases.json answer, validated; BadData for anything else."""
    if body.startswith(b"\xef\xbb\xbf"):
        raise BadData("starts with a byte-order mark (kernel.org's file never does)")
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadData("not JSON in UTF-8") from None
    return validate(doc)


def _read_cache(url: str) -> Dict[str, Any] | None:
    """``url``'s cached digest (see the module docstring), or None if there is none we can
    trust: none, unreadable, not ours, or recorded from another URL."""
    try:
        fd = os.open(cache_path(url), os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    try:  # only a regular file is a cache: a FIFO or a device there is never read
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            entry = json.loads(fh.read(MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    return entry if _valid_cache(entry) and entry.get("url") == url else None


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
        and (row.get("date") is None or _is_date(row.get("date")))
        for series, row in current.items())


def _write_cache(data: ReleaseData, url: str, etag: str | None, modified: str | None,
                 fetched_at: str) -> None:
    from kernel_advisor.atomic import write_atomic  # tempfile and its imports: only when we fetched

    _refuse_others_home(cache_dir())
    os.makedirs(cache_dir(), exist_ok=True)
    try:
        mode = os.lstat(cache_path(url)).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):  # never replace a FIFO, device or link someone put there
        raise OSError(errno.EEXIST, "not a regular file")
    write_atomic(cache_path(url), json.dumps({
        "format": CACHE_FORMAT, "url": url, "etag": etag, "last_modified": modified,
        "fetched_at": fetched_at, "current": data.current, "mainline": data.mainline},
        indent=1).encode())


def _refuse_others_home(directory: str) -> None:
    """Root does not create or write a cache under a folder another user owns (``sudo``
    keeping the user's ``HOME``): it would be root's there, and the user's own runs could never
    cache again. OSError (EPERM), said as the reason the answer was not cached."""
    if os.geteuid() != 0:
        return
    here = os.path.abspath(directory)
    while not os.path.lexists(here) and os.path.dirname(here) != here:
        here = os.path.dirname(here)
    try:
        owner = os.lstat(here).st_uid
    except OSError:
        return
    if owner != 0:
        import pwd

        try:
            name = pwd.getpwuid(owner).pw_name
        except KeyError:
            name = f"uid {owner}"
        raise OSError(errno.EPERM, f"{here} is {name}'s, and root does not write there; "
                                   "run without sudo, or with sudo -H")


def _cached(url: str, failure: str | None = None) -> ReleaseData:
    """``url``'s cache, else the bundled data; ``failure`` (why the server did not answer)
    becomes the problem line, naming whichever of the two answered instead."""
    entry = _read_cache(url)
    problem = None
    if failure:
        who = "kernel.org" if url == DEFAULT_URL else url
        problem = (_("{server} check failed ({why}); using bundled data.") if entry is None
                   else _("{server} check failed ({why}); using cached data.")).format(
                       server=who, why=failure)
    elif entry is not None and url != DEFAULT_URL:
        problem = _("cached data from {url}, not kernel.org.").format(url=url)
    if entry is None:
        return bundled_data(problem)
    as_of = (entry.get("fetched_at") or "")[:10] or "unknown"
    return ReleaseData(as_of, "cache", entry["current"], entry["mainline"], problem)


def load(offline: bool = False, url: str | None = None, deadline: float = DEADLINE,
         attempt: Attempt | None = None) -> ReleaseData:
    """Current release data from ``url`` (default: kernel.org's), else its cache, else the
    bundled data; never raises, and returns within about ``deadline`` seconds (or as soon as
    ``attempt`` is cancelled)."""
    url = url or DEFAULT_URL
    if offline:
        data = _cached(url)
        verbose.info(__name__, "release data: %s, as of %s (offline)", data.source,
                     data.as_of)
        return data
    from kernel_advisor.download import Attempt, one_line

    attempt = attempt or Attempt(deadline)
    verbose.info(__name__, "release data: asking %s (at most %.0f s)", url, deadline)
    outcome: Dict[str, Any] = {}

    def fetch() -> None:
        try:
            outcome["data"] = _fetch(url, attempt)
        except Exception as exc:  # any failure degrades to the cache, then the bundled data
            outcome["failure"] = attempt.why or one_line(exc)

    # the attempt's watchdog shuts its sockets at the deadline; what no socket can end (a name
    # lookup) is left behind in its daemon thread, which caches nothing once the attempt is over
    worker = threading.Thread(target=fetch, name="releases-fetch", daemon=True)
    with attempt:
        worker.start()
        end = time.monotonic() + attempt.deadline
        while worker.is_alive() and not attempt.why and time.monotonic() < end:
            worker.join(0.1)  # a cancelled attempt (the wizard's button) returns at once too
        if worker.is_alive():
            attempt.cancel("no answer in time")
            worker.join(0.2)
    data = outcome.get("data") or _cached(url, outcome.get("failure") or attempt.why
                                          or "no answer in time")
    verbose.info(__name__, "release data: %s, as of %s%s", data.source, data.as_of,
                 f" ({data.problem})" if data.problem else "")
    return data


def _fetch(url: str, attempt: Attempt) -> ReleaseData:
    from kernel_advisor import download

    cached = _read_cache(url)
    headers = {}
    if cached is not None:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    now = now_utc_iso()
    answer = download.get(url, attempt, headers, MAX_BYTES)
    if answer.status == 304 and cached is not None:
        data = ReleaseData(now[:10], "online", cached["current"], cached["mainline"])
        return _write_cache_or_warn(data, url, cached.get("etag"), cached.get("last_modified"),
                                    now, attempt)
    if answer.status != 200:
        raise RuntimeError(f"kernel.org answered HTTP {answer.status}")
    etag, modified = answer.etag, answer.last_modified
    try:
        fresh = parse(answer.body)
    except BadData as exc:
        raise BadData(f"unusable releases.json: {exc}") from None
    data = from_releases_json(fresh, now[:10], "online")
    if url != DEFAULT_URL:
        from dataclasses import replace

        data = replace(data, problem=_("data from {url}, not kernel.org.").format(url=url))
    return _write_cache_or_warn(data, url, etag, modified, now, attempt)


def _write_cache_or_warn(data: ReleaseData, url: str, etag: str | None, modified: str | None,
                         now: str, attempt: Attempt) -> ReleaseData:
    """Cache a good answer (unless the attempt is already over: a late answer is dropped); if
    the cache cannot be written, the answer is still used, with a note that it was not kept."""
    if attempt.why:
        raise RuntimeError(attempt.why)
    try:
        _write_cache(data, url, etag, modified, now)
    except OSError as exc:
        from dataclasses import replace

        return replace(data, problem=_("fetched from kernel.org, but not cached ({path}: "
                                       "{why}).").format(path=cache_path(url),
                                                         why=exc.strerror or exc))
    return data

"""The one HTTP GET of kernel.org's ``releases.json``, and nothing else about it.

One ``requests.Session`` with a real User-Agent, TLS verification on, connect and read timeouts
plus one wall-clock deadline for the whole attempt (:class:`Attempt`: a watchdog that shuts the
connection down, so a server that drips its status line, headers or body, or chains redirects,
cannot hold us), redirects followed only on the host asked, never to plain http, and a size
cap. :mod:`kernel_advisor.releases` imports this module only when it really fetches; what the answer
means (validation, the cache) is its business.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional
from urllib.parse import urljoin, urlsplit

from kernel_advisor import __version__
from kernel_advisor.i18n import _

if TYPE_CHECKING:
    import requests

USER_AGENT = f"kernel-advisor/{__version__} (+https://github.com/kerneladvisor/kernel-advisor)"
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 2.5
MAX_REDIRECTS = 3
RETRY_BACKOFF = 0.5  # seconds before the one connect retry


@dataclass(frozen=True)
class Answer:
    """What the server said: the status, the body (200 only) and the cache validators."""

    status: int
    body: bytes = b""
    etag: Optional[str] = None
    last_modified: Optional[str] = None


def one_line(exc: Exception) -> str:
    """A failed fetch in a few words, for the line that says the cache answered instead."""
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    if "Timeout" in name or "timed out" in text:
        return _("no answer in time")
    if "ProxyError" in name:
        return _("the proxy (HTTPS_PROXY or HTTP_PROXY) did not answer or refused")
    if "ConnectionError" in name and ("refused" in text.lower() or "Errno 111" in text):
        return _("connection refused")
    if "ConnectionError" in name:
        return _("could not connect")
    if len(text) > 120:
        text = text[:117] + "…"
    return f"{name}: {text}" if text else name


class Attempt:
    """One fetch's wall-clock deadline. When it passes, or :meth:`cancel` is called (the wizard
    closed, the user pressed Cancel), every socket the attempt opened is shut down, so whatever
    the fetch was waiting for — the connection, the status line, a header, the body, the next
    redirect — ends at once with an error."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.why: str | None = None  # set when the attempt was cut short, and why
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline, self.cancel, (_("no answer in time"),))
        self._timer.daemon = True  # a pending watchdog never keeps the process alive

    def __enter__(self) -> "Attempt":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.why:
                _shut(sock)

    def cancel(self, why: str = "cancelled") -> None:
        with self._lock:
            self.why = self.why or why
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def make_session(attempt: Attempt) -> requests.Session:
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
    # ours (next_url). The Attempt's deadline still bounds the whole.
    retry = OneRetry(total=1, connect=1, read=0, status=0, other=0, redirect=0,
                     allowed_methods=frozenset({"GET"}), backoff_factor=RETRY_BACKOFF,
                     raise_on_redirect=False, respect_retry_after_header=False)

    def tracked(pool_cls: Any) -> Any:
        base: Any = pool_cls.ConnectionCls

        class Connection(base):  # type: ignore[misc]  # urllib3's class, chosen at run time
            def _new_conn(self) -> socket.socket:  # the TCP socket, before any TLS handshake
                sock: socket.socket = super()._new_conn()
                attempt.track(sock)
                return sock

        return type(pool_cls.__name__, (pool_cls,), {"ConnectionCls": Connection})

    def track_manager(manager: Any) -> Any:
        if not getattr(manager, "kernel_advisor_tracked", False):
            by_scheme = manager.pool_classes_by_scheme
            manager.pool_classes_by_scheme = {k: tracked(v) for k, v in by_scheme.items()}
            manager.kernel_advisor_tracked = True
        return manager

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            track_manager(self.poolmanager)

        def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
            """The connections through a proxy (``HTTPS_PROXY``) are the watchdog's too."""
            return track_manager(super().proxy_manager_for(proxy, **kwargs))

    s = requests.Session()
    for prefix in ("https://", "http://"):
        s.mount(prefix, Adapter(max_retries=retry))
    s.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return s


def next_url(url: str, resp: requests.Response) -> str:
    """Where a redirect may take us: the same host, never from https down to http."""
    target = urljoin(url, resp.headers.get("Location", ""))
    old, new = urlsplit(url), urlsplit(target)
    if new.hostname != old.hostname or new.port != old.port:
        raise RuntimeError(f"redirect to another host ({new.hostname}) refused")
    if new.scheme != "https" and not (old.scheme == "http" and new.scheme == "http"):
        raise RuntimeError("redirect to plain http refused")
    return target


def chunks(resp: requests.Response) -> Iterator[bytes]:
    """Body chunks as they arrive (``read1``); a server that trickles them is cut off by the
    attempt's watchdog, which shuts the socket at the deadline (:class:`Attempt`)."""
    read1 = getattr(resp.raw, "read1", None)
    if read1 is None:  # urllib3 < 2: fall back to small fixed-size reads
        yield from resp.iter_content(1024)
        return
    while chunk := read1(65536, decode_content=True):
        yield chunk


def get(url: str, attempt: Attempt, headers: Dict[str, str], max_bytes: int) -> Answer:
    """GET ``url`` within ``attempt``: redirects on the same host followed by hand, the body
    refused past ``max_bytes`` (declared or received)."""
    session = make_session(attempt)
    where = url
    for _hop in range(MAX_REDIRECTS + 1):
        resp = session.get(where, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                           stream=True, verify=True, allow_redirects=False)
        if not resp.is_redirect:
            break
        resp.close()
        where = next_url(where, resp)
    else:
        raise RuntimeError(f"more than {MAX_REDIRECTS} redirects")
    with session, resp:
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        if resp.status_code != 200:
            return Answer(resp.status_code, etag=etag, last_modified=modified)
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise RuntimeError(f"answer too large ({int(declared) >> 20} MiB)")
        parts, size = [], 0
        for chunk in chunks(resp):
            size += len(chunk)
            if size > max_bytes:
                raise RuntimeError(f"answer larger than {max_bytes >> 20} MiB, refused")
            parts.append(chunk)
    return Answer(200, b"".join(parts), etag, modified)

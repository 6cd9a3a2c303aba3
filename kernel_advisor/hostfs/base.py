"""The reader's vocabulary: what a read returns (:class:`Read`, :class:`Node`), the caps, and
:class:`Root`, which resolves every path inside its root, chroot-style."""

from __future__ import annotations

import errno
import json
import os
import stat
from typing import Callable, TypeVar

from kernel_advisor import verbose

FILE_CAP = 1 << 20  #: bytes read from one file at most
TOTAL_CAP = 64 << 20  #: bytes read from one root at most
LINK_HOPS = 40  #: symlinks followed in one lookup, as the kernel's ELOOP limit

SNAPSHOT_MAX_BYTES = 64 << 20  #: a snapshot tarball larger than this is refused
SNAPSHOT_MAX_UNPACKED = 256 << 20  #: declared member sizes, summed, at most
#: members at most (the largest real capture, an lscpu dump of a 64-CPU host, has 6,435)
SNAPSHOT_MAX_MEMBERS = 50_000
SNAPSHOT_MAX_SECONDS = 10.0  #: reading one snapshot takes at most this long
PATH_MAX = 4096  #: longest member name or link target, as Linux's PATH_MAX
MAX_DEPTH = 64  #: path components in one member name at most (real captures: 10)
#: a pax or GNU long-name header larger than this is refused before ``tarfile`` reads it (ours
#: are a few hundred bytes; this also bounds CVE-2024-6232's regular-expression slowdown)
HEADER_CAP = 2 * PATH_MAX

#: the snapshot format this version writes, and the newest it reads. 1: no "format" in the live
#: record (before fleet support); 2: "format", and "host" when asked for.
SNAPSHOT_FORMAT = 2

#: Facts only a live machine can tell (uname, the KVM ioctls, CPUID) travel in snapshots here.
LIVE_RECORD = "/.kernel-advisor/live.json"



T = TypeVar("T")

#: the reasons for finding nothing that mean "it is not there" (anything else: it cannot be known)
ABSENT = frozenset({"does not exist", "not a folder", "a path component is not a directory"})


def origin(root: str | None = None, snapshot: str | None = None) -> str:
    """How a root names what it reads (``Root.label``, ``HostFacts.origin``): ``this computer``,
    ``snapshot NAME``, ``directory DIR``."""
    if snapshot:
        return f"snapshot {os.path.basename(snapshot)}"
    # not realpath: /proc/PID/root reads as "/" and is another machine's root (a container's)
    return f"directory {root}" if root and os.path.abspath(root) != "/" else "this computer"


class InputError(Exception):
    """Unusable input. The CLI prints the message as one line and exits 2; the wizard shows
    ``plain``, the same said without command-line words."""

    def __init__(self, message: str, plain: str | None = None) -> None:
        super().__init__(message)
        self.plain = plain or message[:1].upper() + message[1:]


class Read:
    """The outcome of reading one file: its bytes, or the reason there are none."""

    __slots__ = ("path", "data", "reason", "truncated")

    def __init__(self, path: str, data: bytes | None, reason: str | None = None,
                 truncated: bool = False) -> None:
        self.path, self.data, self.reason, self.truncated = path, data, reason, truncated

    def __repr__(self) -> str:
        return f"Read({self.path!r}, {len(self.data) if self.data is not None else self.reason!r})"

    @property
    def ok(self) -> bool:
        return self.data is not None

    @property
    def text(self) -> str | None:
        return None if self.data is None else self.data.decode("utf-8", "replace")


class Node:
    """What ``stat`` tells of a path, without reading it."""

    __slots__ = ("kind", "mode", "uid", "gid", "major", "minor")

    def __init__(self, kind: str, mode: int, uid: int, gid: int, major: int = 0,
                 minor: int = 0) -> None:
        self.kind = kind  # file, dir, char, block, fifo, socket, link
        self.mode, self.uid, self.gid, self.major, self.minor = mode, uid, gid, major, minor

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.perms}, {self.uid}:{self.gid})"

    @property
    def perms(self) -> str:
        return stat.filemode(self.mode)


def node_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISREG, "file"),
        (stat.S_ISDIR, "dir"),
        (stat.S_ISCHR, "char"),
        (stat.S_ISBLK, "block"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISLNK, "link"),
    ):
        if test(mode):
            return name
    return "other"


def split_path(path: str) -> list[str]:
    return [p for p in path.split("/") if p and p != "."]


class Root:
    """Base class: path resolution inside the root, caps, and a record of what was read."""

    label = "root"
    is_live = False

    def __init__(self) -> None:
        self._budget = TOTAL_CAP
        #: every path the probe asked for, with what it got (used to write snapshots)
        self.accessed: dict[str, Read | Node | list[str] | None] = {}
        #: why a stat or a listing found nothing, where the reason is not "does not exist"
        #: (``permission denied``…): an unknown, never an absence
        self.reasons: dict[str, str] = {}
        self._live_record: object = None
        self._live_record_loaded = False

    # -- to be provided by subclasses ---------------------------------------------------
    def _lstat(self, parts: list[str]) -> tuple[Node, str | None] | None:
        """Node of the entry at ``parts`` (no link following) and the link target if a link;
        None where it does not exist, OSError where it cannot be known (permission denied)."""
        raise NotImplementedError

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        raise NotImplementedError

    def _stat_resolved(self, parts: list[str]) -> Node | None:
        found = self._lstat(parts)
        return found[0] if found else None

    def _list_resolved(self, parts: list[str]) -> list[str] | None:
        raise NotImplementedError

    def live_record(self) -> object:
        """The snapshot's record of live-only facts, read and parsed once per root: ``{}`` when
        there is none, ``None`` when it is not JSON, else whatever JSON it holds (checked against
        its schema by the probe, :func:`kernel_advisor.live.validate_record`)."""
        if not self._live_record_loaded:
            self._live_record = self._load_live_record()
            self._live_record_loaded = True
        return self._live_record

    def _load_live_record(self) -> object:
        got = self.read(LIVE_RECORD)
        self.accessed.pop(LIVE_RECORD, None)
        if got.data is None:
            return {}
        try:
            return json.loads(got.data)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the stack
            return None

    # -- resolution -----------------------------------------------------------------------
    def _resolve(self, path: str) -> tuple[list[str] | None, str | None]:
        """Resolve ``path`` chroot-style. Returns (components, None) or (None, reason).

        Linear in the components seen: ``todo`` is a stack whose end is the next component, so
        a link target of thousands of ``../`` costs as many steps, not their square."""
        todo = split_path(path)[::-1]
        done: list[str] = []
        hops = 0
        while todo:
            name = todo.pop()
            if name == "..":
                if done:
                    done.pop()
                continue
            try:
                found = self._lstat(done + [name])
            except OSError as exc:
                return None, why(exc)
            if found is None:
                return None, "does not exist"
            node, target = found
            if node.kind == "link" and target is not None:
                hops += 1
                if hops > LINK_HOPS:
                    return None, "too many levels of symbolic links"
                if len(target) > PATH_MAX:
                    return None, "a symbolic link's target is longer than PATH_MAX"
                if target.startswith("/"):
                    done = []
                todo.extend(reversed(split_path(target)))
                continue
            if todo and node.kind != "dir":
                return None, "a path component is not a directory"
            done.append(name)
        return done, None

    # -- public API -------------------------------------------------------------------------
    def read(self, path: str, cap: int = FILE_CAP) -> Read:
        """Read a regular file under the root, at most ``cap`` bytes."""
        parts, reason = self._resolve(path)
        if parts is None:
            result = Read(path, None, reason)
        elif self._budget <= 0:
            result = Read(path, None, "the total read budget for this root is spent")
        else:
            result = self._read_resolved(parts, min(cap, self._budget))
            result = Read(path, result.data, result.reason, result.truncated)
            if result.data is not None:
                self._budget -= len(result.data)
        self.accessed[path] = result
        if result.data is None:
            verbose.debug(__name__, "%s: not read (%s)", path, result.reason)
        else:
            verbose.debug(__name__, "read %s (%d bytes%s)", path, len(result.data),
                      ", truncated" if result.truncated else "")
        return result

    def text(self, path: str, cap: int = FILE_CAP) -> str | None:
        return self.read(path, cap).text

    def stat(self, path: str) -> Node | None:
        """Stat ``path`` (following links inside the root); None when it does not exist or
        cannot be known (:meth:`stat_why` says which)."""
        return self.stat_why(path)[0]

    def stat_why(self, path: str) -> tuple[Node | None, str | None]:
        """Stat ``path``: the node, or None and why ("does not exist", "permission denied")."""
        def node(parts: list[str]) -> Node | None:
            return Node("dir", stat.S_IFDIR | 0o755, 0, 0) if not parts \
                else self._stat_resolved(parts)

        return self._ask(path, node, "does not exist")

    def exists(self, path: str) -> bool:
        return self.stat(path) is not None

    def listdir(self, path: str) -> list[str] | None:
        """The names in the folder ``path``, sorted; None where there is none or it cannot be
        listed (:meth:`listdir_why` says which)."""
        return self.listdir_why(path)[0]

    def listdir_why(self, path: str) -> tuple[list[str] | None, str | None]:
        def names(parts: list[str]) -> list[str] | None:
            found = self._list_resolved(parts)
            return None if found is None else sorted(found)

        return self._ask(path, names, "not a folder")

    def _ask(self, path: str, ask: Callable[[list[str]], T | None],
             absent: str) -> tuple[T | None, str | None]:
        """``ask`` of the resolved ``path``, or None and why: ``absent`` where it answered
        nothing, the error where it could not be asked; recorded as the probe's access."""
        parts, reason = self._resolve(path)
        found = None
        if parts is not None:
            try:
                found = ask(parts)
            except OSError as exc:
                reason = why(exc)
            else:
                reason = None if found is not None else absent
        self.accessed[path] = found  # type: ignore[assignment]  # a Node or a listing
        self._note(path, reason)
        return found, reason

    def _note(self, path: str, reason: str | None) -> None:
        if reason is not None and reason not in ABSENT:
            self.reasons[path] = reason
            verbose.debug(__name__, "%s: cannot be known (%s)", path, reason)


def raise_unless_missing(exc: OSError) -> None:
    """For ``_lstat``: an entry that is not there is None; any other failure is raised."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return None
    raise exc


def why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()

"""One reader bound to one root: the only way the probe touches host files.

A root is the live system (``/``), a directory laid out like ``/`` (``--root DIR``) or a
tarball read in memory (``--snapshot FILE``). Whatever the root, a read never leaves it:
symbolic links are resolved the way a chroot would resolve them (an absolute target starts
again at the root, ``..`` stops at the root), only regular files are read (a ``proc/cpuinfo``
that is really ``/dev/zero`` or a FIFO is refused, never read), and every read is capped per
file and in total. A missing or unreadable file comes back as a :class:`Read` whose ``reason``
says why, never as an exception.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile

FILE_CAP = 1 << 20  #: bytes read from one file at most
TOTAL_CAP = 64 << 20  #: bytes read from one root at most
LINK_HOPS = 40  #: symlinks followed in one lookup, as the kernel's ELOOP limit

SNAPSHOT_MAX_BYTES = 64 << 20  #: a snapshot tarball larger than this is refused
SNAPSHOT_MAX_UNPACKED = 256 << 20  #: declared member sizes, summed, at most
SNAPSHOT_MAX_MEMBERS = 200_000

#: Facts only a live machine can tell (uname, the KVM ioctls, CPUID) travel in snapshots here.
LIVE_RECORD = "/.kernel-advisor/live.json"


class InputError(Exception):
    """Unusable input. The CLI prints the message as one line and exits 2."""


class Read:
    """The outcome of reading one file: its bytes, or the reason there are none."""

    __slots__ = ("path", "data", "reason", "truncated")

    def __init__(self, path: str, data: bytes | None, reason: str | None = None,
                 truncated: bool = False) -> None:
        self.path, self.data, self.reason, self.truncated = path, data, reason, truncated

    def __repr__(self) -> str:
        return f"Read({self.path!r}, {len(self.data) if self.ok else self.reason!r})"

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


def _kind(mode: int) -> str:
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


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p and p != "."]


class Root:
    """Base class: path resolution inside the root, caps, and a record of what was read."""

    label = "root"
    is_live = False

    def __init__(self) -> None:
        self._budget = TOTAL_CAP
        #: every path the probe asked for, with what it got (used to write snapshots)
        self.accessed: dict[str, Read | Node | list[str] | None] = {}
        self._live_record: dict | None = None

    # -- to be provided by subclasses ---------------------------------------------------
    def _lstat(self, parts: list[str]) -> tuple[Node, str | None] | None:
        """Node of the entry at ``parts`` (no link following) and the link target if a link."""
        raise NotImplementedError

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        raise NotImplementedError

    def _stat_resolved(self, parts: list[str]) -> Node | None:
        found = self._lstat(parts)
        return found[0] if found else None

    def _list_resolved(self, parts: list[str]) -> list[str] | None:
        raise NotImplementedError

    def live_record(self) -> dict:
        """The snapshot's record of live-only facts, read and parsed once per root."""
        if self._live_record is None:
            self._live_record = self._load_live_record()
        return self._live_record

    def _load_live_record(self) -> dict:
        got = self.read(LIVE_RECORD)
        self.accessed.pop(LIVE_RECORD, None)
        if got.data is None:
            return {}
        try:
            record = json.loads(got.data)
        except ValueError:
            return {}
        return record if isinstance(record, dict) else {}

    # -- resolution -----------------------------------------------------------------------
    def _resolve(self, path: str) -> tuple[list[str] | None, str | None]:
        """Resolve ``path`` chroot-style. Returns (components, None) or (None, reason)."""
        todo = _parts(path)
        done: list[str] = []
        hops = 0
        while todo:
            name = todo.pop(0)
            if name == "..":
                if done:
                    done.pop()
                continue
            found = self._lstat(done + [name])
            if found is None:
                return None, "does not exist"
            node, target = found
            if node.kind == "link" and target is not None:
                hops += 1
                if hops > LINK_HOPS:
                    return None, "too many levels of symbolic links"
                if target.startswith("/"):
                    done = []
                todo = _parts(target) + todo
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
        return result

    def text(self, path: str, cap: int = FILE_CAP) -> str | None:
        return self.read(path, cap).text

    def stat(self, path: str) -> Node | None:
        """Stat ``path`` (following links inside the root); None when it does not exist."""
        parts, _ = self._resolve(path)
        node = self._stat_resolved(parts) if parts is not None else None
        if parts == []:
            node = Node("dir", stat.S_IFDIR | 0o755, 0, 0)
        self.accessed[path] = node
        return node

    def exists(self, path: str) -> bool:
        return self.stat(path) is not None

    def listdir(self, path: str) -> list[str] | None:
        parts, _ = self._resolve(path)
        names = None if parts is None else self._list_resolved(parts)
        if names is not None:
            names = sorted(names)
        self.accessed[path] = names
        return names


class DirRoot(Root):
    """A directory laid out like ``/``; ``DirRoot("/")`` is the live system."""

    def __init__(self, base: str = "/") -> None:
        super().__init__()
        self.base = os.path.realpath(base)
        if not os.path.isdir(self.base):
            raise InputError(f"--root {base}: not a directory")
        self.is_live = self.base == "/"
        self.label = "this computer" if self.is_live else f"directory {base}"

    def _host(self, parts: list[str]) -> str:
        return os.path.join(self.base, *parts)

    def _lstat(self, parts: list[str]) -> tuple[Node, str | None] | None:
        host = self._host(parts)
        try:
            st = os.lstat(host)
        except OSError:
            return None
        target = None
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(host)
            except OSError:
                return None
            return Node("link", st.st_mode, st.st_uid, st.st_gid), target
        return (
            Node(
                _kind(st.st_mode), st.st_mode, st.st_uid, st.st_gid,
                os.major(st.st_rdev), os.minor(st.st_rdev),
            ),
            None,
        )

    def _stat_resolved(self, parts: list[str]) -> Node | None:
        if not self.is_live:
            return super()._stat_resolved(parts)
        try:
            st = os.stat(self._host(parts))
        except OSError:
            return None
        return Node(_kind(st.st_mode), st.st_mode, st.st_uid, st.st_gid,
                    os.major(st.st_rdev), os.minor(st.st_rdev))

    def _resolve(self, path: str) -> tuple[list[str] | None, str | None]:
        if self.is_live:  # nothing can resolve outside "/": let the kernel do it, fast
            return _parts(os.path.normpath("/" + path)), None
        return super()._resolve(path)

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        host = self._host(parts)
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        if not self.is_live:
            flags |= os.O_NOFOLLOW
        try:
            fd = os.open(host, flags)
        except OSError as exc:
            return Read(host, None, _why(exc))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return Read(host, None, f"not a regular file ({_kind(st.st_mode)})")
            chunks, size = [], 0
            while size <= cap:
                try:
                    chunk = os.read(fd, min(65536, cap + 1 - size))
                except OSError as exc:
                    return Read(host, None, _why(exc))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
            return Read(host, data[:cap], None, len(data) > cap)
        finally:
            os.close(fd)

    def _list_resolved(self, parts: list[str]) -> list[str] | None:
        try:
            return os.listdir(self._host(parts))
        except OSError:
            return None

    def live_record(self) -> dict:
        return {} if self.is_live else super().live_record()


class _Member:
    __slots__ = ("node", "data", "target", "children")

    def __init__(self, node: Node, data: bytes | None = None, target: str | None = None) -> None:
        self.node, self.data, self.target = node, data, target
        self.children: set[str] = set()


class TarRoot(Root):
    """A snapshot tarball read into memory; nothing is ever extracted to disk.

    It holds one top-level folder laid out like ``/`` (our own snapshots, and the lscpu
    dumps of util-linux's test suite). Members with absolute names or ``..`` are ignored;
    links are resolved inside the tarball; sizes and member counts are capped before any
    data is decompressed, so a decompression bomb is refused, not unpacked.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.label = f"snapshot {os.path.basename(path)}"
        self.members: dict[tuple[str, ...], _Member] = {
            (): _Member(Node("dir", stat.S_IFDIR | 0o755, 0, 0))
        }
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            raise InputError(f"--snapshot {path}: {_why(exc)}") from None
        if not os.path.isfile(path):
            raise InputError(f"--snapshot {path}: not a regular file")
        if size > SNAPSHOT_MAX_BYTES:
            raise InputError(f"--snapshot {path}: larger than {SNAPSHOT_MAX_BYTES >> 20} MiB")

        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            self._load(raw)
        except InputError as exc:
            raise InputError(f"--snapshot {path}: {exc}") from None
        except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeError) as exc:
            raise InputError(f"--snapshot {path}: not a readable tar.gz ({exc})") from None

    def _load(self, raw: bytes) -> None:
        top: str | None = None
        declared = 0
        count = 0
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r|*") as tf:
            for info in tf:
                count += 1
                if count > SNAPSHOT_MAX_MEMBERS:
                    raise InputError(f"more than {SNAPSHOT_MAX_MEMBERS} members")
                declared += max(info.size, 0)
                if declared > SNAPSHOT_MAX_UNPACKED:
                    raise InputError(
                        f"unpacks to more than {SNAPSHOT_MAX_UNPACKED >> 20} MiB "
                        "(a decompression bomb?)"
                    )
                name = info.name
                if name.startswith("/") or ".." in name.split("/"):
                    continue  # never trust such a member; it cannot name a path in the root
                parts = _parts(name)
                if not parts:
                    continue
                if top is None:
                    top = parts[0]
                elif parts[0] != top:
                    raise InputError(
                        f"more than one top-level folder ({top!r} and {parts[0]!r})"
                    )
                rel = tuple(parts[1:])
                if not rel:
                    continue
                self._add(rel, info, tf)
        if top is None:
            raise InputError("the archive is empty")

    def _add(self, rel: tuple[str, ...], info, tf) -> None:
        for i in range(len(rel)):  # implied parent directories
            parent = rel[:i]
            if parent not in self.members:
                self.members[parent] = _Member(Node("dir", stat.S_IFDIR | 0o755, 0, 0))
            self.members[parent].children.add(rel[i])
        mode = info.mode & 0o7777
        if info.isreg():
            member = _Member(Node("file", stat.S_IFREG | mode, info.uid, info.gid))
            fh = tf.extractfile(info)
            member.data = fh.read(FILE_CAP + 1) if fh is not None else b""
        elif info.isdir():
            old = self.members.get(rel)
            member = _Member(Node("dir", stat.S_IFDIR | mode, info.uid, info.gid))
            if old is not None:
                member.children = old.children
        elif info.issym():
            member = _Member(Node("link", stat.S_IFLNK | 0o777, info.uid, info.gid),
                             target=info.linkname)
        elif info.islnk():  # a hard link: make it a link to the other member, inside the tree
            target_parts = _parts(info.linkname)[1:]
            member = _Member(Node("link", stat.S_IFLNK | 0o777, info.uid, info.gid),
                             target="/" + "/".join(target_parts))
        elif info.ischr() or info.isblk():
            kind = "char" if info.ischr() else "block"
            fmt = stat.S_IFCHR if kind == "char" else stat.S_IFBLK
            member = _Member(Node(kind, fmt | mode, info.uid, info.gid,
                                  info.devmajor, info.devminor))
        elif info.isfifo():
            member = _Member(Node("fifo", stat.S_IFIFO | mode, info.uid, info.gid))
        else:
            return
        self.members[rel] = member

    def _lstat(self, parts: list[str]) -> tuple[Node, str | None] | None:
        member = self.members.get(tuple(parts))
        if member is None:
            return None
        return member.node, member.target

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        member = self.members.get(tuple(parts))
        name = "/" + "/".join(parts)
        if member is None:
            return Read(name, None, "does not exist")
        if member.node.kind != "file" or member.data is None:
            return Read(name, None, f"not a regular file ({member.node.kind})")
        if member.node.mode & 0o444 == 0:
            return Read(name, None, "permission denied (unreadable when captured)")
        data = member.data
        return Read(name, data[:cap], None, len(data) > cap)

    def _list_resolved(self, parts: list[str]) -> list[str] | None:
        member = self.members.get(tuple(parts))
        if member is None or member.node.kind != "dir":
            return None
        return list(member.children)



def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def open_root(root: str | None = None, snapshot: str | None = None) -> Root:
    """The reader for the command-line input options (``--root``/``--snapshot``)."""
    if root and snapshot:
        raise InputError("--root and --snapshot cannot be used together")
    if snapshot:
        return TarRoot(snapshot)
    return DirRoot(root or "/")

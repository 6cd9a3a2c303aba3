"""A snapshot tarball read in memory (``--snapshot FILE``), with size, member and link caps.

``tarfile`` does the parsing; what it would do unbounded is stopped through its own extension
points: the ``TarInfo`` subclass refuses sparse members (snapshots never hold one; their maps and
header chains are what makes ``tarfile`` spin) and oversized or over-long chains of extended
headers before they are read, and the archive is decompressed by the standard library's file
objects (``gzip``, ``bz2``, ``lzma``) behind a reader that checks the deadline and the unpacked
total on every block — inside a member as well as between members.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import struct
import tarfile
import time
import zlib

from kernel_advisor.hostfs.base import (
    FILE_CAP,
    HEADER_CAP,
    MAX_DEPTH,
    PATH_MAX,
    SNAPSHOT_MAX_BYTES,
    SNAPSHOT_MAX_MEMBERS,
    SNAPSHOT_MAX_SECONDS,
    SNAPSHOT_MAX_UNPACKED,
    TOTAL_CAP,
    InputError,
    Node,
    Read,
    Root,
    origin,
    split_path,
    why,
)
from kernel_advisor.i18n import N_, _

#: header types whose data ``tarfile`` reads whole, as one string, before the member they name
_LONG_HEADERS = {tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE,
                 tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE}
#: extended headers in a row before one member at most (a real one has up to four: a global
#: and a member pax header, a GNU long name and a long link name); ``tarfile`` recurses on each
MAX_HEADER_CHAIN = 8
#: the clock the read's deadline is measured by (a test may give it a clock of its own)
_clock = time.monotonic
_SPARSE = N_("a sparse member (snapshots never hold one: a hostile archive?)")


class _CappedInfo(tarfile.TarInfo):
    """A TarInfo that refuses, before ``tarfile`` reads them: an oversized pax or GNU long-name
    header, a chain of more than :data:`MAX_HEADER_CHAIN` of them, and sparse members in all
    their forms (old GNU ``S``, pax ``GNU.sparse`` 0.0, 0.1 and 1.0). ``_proc_member`` is the
    hook ``tarfile`` documents for subclasses; the ``_proc_gnusparse_*`` methods are where it
    turns pax records into a sparse map (the same names on Python 3.8 to 3.13)."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type == tarfile.GNUTYPE_SPARSE:
            raise InputError(_(_SPARSE))
        if self.type in _LONG_HEADERS:
            if self.size > HEADER_CAP:
                raise InputError(_("a {size}-byte extended header (at most {most}: a hostile "
                                   "archive?)").format(size=f"{self.size:,}",
                                                       most=f"{HEADER_CAP:,}"))
            chain = getattr(tarfile_, "header_chain", 0) + 1
            if chain > MAX_HEADER_CHAIN:
                raise InputError(_("more than {most} extended headers in a row (a hostile "
                                   "archive?)").format(most=MAX_HEADER_CHAIN))
            tarfile_.header_chain = chain  # type: ignore[attr-defined]
        else:
            tarfile_.header_chain = 0  # type: ignore[attr-defined]
        return super()._proc_member(tarfile_)  # type: ignore[misc, no-any-return]

    def _proc_gnusparse_00(self, *_args: object) -> None:
        raise InputError(_(_SPARSE))

    _proc_gnusparse_01 = _proc_gnusparse_10 = _proc_gnusparse_00


class _Unpacked:
    """The archive's uncompressed bytes as a stream for ``tarfile.open(mode="r|")``: read from
    the standard library's decompressing file object in bounded blocks, with the read's deadline
    and a cap on the bytes unpacked checked on every block (a 300-byte bzip2 of a 250 MiB member
    cannot spin past either)."""

    #: unpacked bytes at most: the declared sizes' cap, plus a header block for every member
    CAP = SNAPSHOT_MAX_UNPACKED + 1024 * SNAPSHOT_MAX_MEMBERS

    def __init__(self, raw: bytes, deadline: float) -> None:
        self.deadline, self.total = deadline, 0
        data = io.BytesIO(raw)
        self.inner: io.BufferedIOBase
        if raw.startswith(b"\x1f\x8b"):
            self.inner = gzip.GzipFile(fileobj=data, mode="rb")
        elif raw.startswith(b"BZh"):
            self.inner = bz2.BZ2File(data)
        elif raw.startswith(b"\xfd7zXZ\x00"):
            self.inner = lzma.LZMAFile(data)
        else:
            self.inner = data

    def read(self, size: int = -1) -> bytes:
        if _clock() > self.deadline:
            raise InputError(_("reading it took longer than {seconds} s").format(
                seconds=f"{SNAPSHOT_MAX_SECONDS:.0f}"))
        block = self.inner.read(min(size, 1 << 20) if size >= 0 else 1 << 20)
        self.total += len(block)
        if self.total > self.CAP:
            raise InputError(_("unpacks to more than {mib} MiB (a decompression bomb?)").format(
                mib=self.CAP >> 20))
        return block

DAMAGED = N_("not a readable tar archive (damaged, cut short, or not a snapshot)")


class _Unreadable(Exception):
    """The snapshot file itself could not be read (as opposed to what is inside it)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


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
        self.label = origin(snapshot=path)
        self.members: dict[tuple[str, ...], _Member] = {
            (): _Member(Node("dir", stat.S_IFDIR | 0o755, 0, 0))
        }
        try:
            self._load(_read_regular(path))
        except InputError as exc:
            problem = str(exc)
        except _Unreadable as exc:
            problem = why(exc.error)
        except (OSError, tarfile.TarError, EOFError, ValueError, UnicodeError, IndexError,
                KeyError, struct.error, zlib.error, lzma.LZMAError, RecursionError):
            # what tarfile and the decompressors raise on damaged input (a bad gzip or bzip2
            # stream is an OSError); their words name their internals, not the file
            problem = _(DAMAGED)
        else:
            return
        raise InputError(f"--snapshot {path}: {problem}",
                         _("The snapshot {name} cannot be used: {problem}.").format(
                             name=os.path.basename(path), problem=problem))

    def _load(self, raw: bytes) -> None:
        """Index the members, within the caps: members, declared bytes, stored bytes, name
        length and depth, header sizes, and :data:`SNAPSHOT_MAX_SECONDS` for the whole read."""
        top: str | None = None
        declared = count = 0
        self._stored = 0
        stream = _Unpacked(raw, _clock() + SNAPSHOT_MAX_SECONDS)
        with tarfile.open(fileobj=stream, mode="r|", tarinfo=_CappedInfo) as tf:  # type: ignore[call-overload]
            for info in tf:
                count += 1
                if count > SNAPSHOT_MAX_MEMBERS:
                    raise InputError(_("more than {most} members").format(
                        most=f"{SNAPSHOT_MAX_MEMBERS:,}"))
                declared += max(info.size, 0)
                if declared > SNAPSHOT_MAX_UNPACKED:
                    raise InputError(_("unpacks to more than {mib} MiB (a decompression "
                                       "bomb?)").format(mib=SNAPSHOT_MAX_UNPACKED >> 20))
                name = info.name
                if len(name) > PATH_MAX or len(info.linkname) > PATH_MAX:
                    raise InputError(_("a member name or link target longer than PATH_MAX"))
                if name.startswith("/") or ".." in name.split("/"):
                    continue  # never trust such a member; it cannot name a path in the root
                parts = split_path(name)
                if not parts:
                    continue
                if len(parts) > MAX_DEPTH:
                    raise InputError(_("a member {depth} folders deep (at most {most})").format(
                        depth=len(parts), most=MAX_DEPTH))
                if top is None:
                    top = parts[0]
                elif parts[0] != top:
                    raise InputError(_("more than one top-level folder ({first!r} and "
                                       "{second!r})").format(first=top, second=parts[0]))
                rel = tuple(parts[1:])
                if not rel:
                    continue
                self._add(rel, info, tf)
        if top is None:
            raise InputError(_("the archive is empty"))

    def _add(self, rel: tuple[str, ...], info: tarfile.TarInfo, tf: tarfile.TarFile) -> None:
        for i in range(len(rel) - 1, -1, -1):  # implied parents, deepest first, until known
            parent = rel[:i]
            known = parent in self.members
            if not known:
                self.members[parent] = _Member(Node("dir", stat.S_IFDIR | 0o755, 0, 0))
            self.members[parent].children.add(rel[i])
            if known:
                break
        mode = info.mode & 0o7777
        if info.isreg():
            member = _Member(Node("file", stat.S_IFREG | mode, info.uid, info.gid))
            fh = tf.extractfile(info)
            if self._stored < TOTAL_CAP:  # past the root's read budget, members stay unread
                member.data = fh.read(FILE_CAP + 1) if fh is not None else b""
                self._stored += len(member.data)
        elif info.isdir():
            old = self.members.get(rel)
            member = _Member(Node("dir", stat.S_IFDIR | mode, info.uid, info.gid))
            if old is not None:
                member.children = old.children
        elif info.issym():
            member = _Member(Node("link", stat.S_IFLNK | 0o777, info.uid, info.gid),
                             target=info.linkname)
        elif info.islnk():  # a hard link: make it a link to the other member, inside the tree
            target_parts = split_path(info.linkname)[1:]
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
        if member.node.kind != "file":
            return Read(name, None, f"not a regular file ({member.node.kind})")
        if member.data is None:
            return Read(name, None, "the total read budget for this root is spent")
        if member.node.mode & 0o444 == 0:
            return Read(name, None, "permission denied (unreadable when captured)")
        data = member.data
        return Read(name, data[:cap], None, len(data) > cap)

    def _list_resolved(self, parts: list[str]) -> list[str] | None:
        member = self.members.get(tuple(parts))
        if member is None or member.node.kind != "dir":
            return None
        return list(member.children)


def _read_regular(path: str) -> bytes:
    """The bytes of the snapshot file, refused unless it is a regular file of at most
    :data:`SNAPSHOT_MAX_BYTES` — checked on the open handle (``O_NONBLOCK``: a FIFO does not
    block the open), so nothing swapped in after a check is read."""
    try:
        return _read_fd(path)
    except OSError as exc:
        raise _Unreadable(exc) from None


def _read_fd(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _("a directory") if stat.S_ISDIR(st.st_mode) else _("a FIFO") \
                if stat.S_ISFIFO(st.st_mode) else _("a device") if stat.S_ISCHR(st.st_mode) \
                or stat.S_ISBLK(st.st_mode) else _("a socket") if stat.S_ISSOCK(st.st_mode) \
                else _("special")
            raise InputError(_("not a regular file ({kind})").format(kind=kind))
        if st.st_size > SNAPSHOT_MAX_BYTES:
            raise InputError(_("larger than {mib} MiB").format(mib=SNAPSHOT_MAX_BYTES >> 20))
        chunks, size = [], 0
        while size <= SNAPSHOT_MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > SNAPSHOT_MAX_BYTES:
            raise InputError(_("larger than {mib} MiB").format(mib=SNAPSHOT_MAX_BYTES >> 20))
        return b"".join(chunks)
    finally:
        os.close(fd)

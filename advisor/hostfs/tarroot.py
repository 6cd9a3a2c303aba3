"""A snapshot tarball read in memory (``--snapshot FILE``), with size, member and link caps."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import time

from advisor.hostfs.base import (
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

#: header types whose data ``tarfile`` reads whole, as one string, before the member they name
_LONG_HEADERS = {tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE,
                 tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE}


class _CappedInfo(tarfile.TarInfo):
    """A TarInfo that refuses an oversized pax or GNU long-name header before ``tarfile`` reads
    it (``_proc_member`` is the hook ``tarfile`` documents for subclasses)."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _LONG_HEADERS and self.size > HEADER_CAP:
            raise InputError(f"a {self.size:,}-byte extended header (at most {HEADER_CAP:,}: "
                             "a hostile archive?)")
        return super()._proc_member(tarfile_)  # type: ignore[misc, no-any-return]

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
            raw = _read_regular(path)
            self._load(raw)
        except InputError as exc:
            problem = str(exc)
        except OSError as exc:
            problem = why(exc)
        except (tarfile.TarError, EOFError, ValueError, UnicodeError) as exc:
            problem = f"not a readable tar.gz ({exc})"
        else:
            return
        raise InputError(f"--snapshot {path}: {problem}",
                         f"The snapshot {os.path.basename(path)} cannot be used: {problem}.")

    def _load(self, raw: bytes) -> None:
        """Index the members, within the caps: members, declared bytes, stored bytes, name
        length and depth, header sizes, and :data:`SNAPSHOT_MAX_SECONDS` for the whole read."""
        top: str | None = None
        declared = count = 0
        self._stored = 0
        deadline = time.monotonic() + SNAPSHOT_MAX_SECONDS
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r|*", tarinfo=_CappedInfo) as tf:
            for info in tf:
                count += 1
                if count > SNAPSHOT_MAX_MEMBERS:
                    raise InputError(f"more than {SNAPSHOT_MAX_MEMBERS:,} members")
                if count % 512 == 0 and time.monotonic() > deadline:
                    raise InputError(f"reading it took longer than {SNAPSHOT_MAX_SECONDS:.0f} s")
                declared += max(info.size, 0)
                if declared > SNAPSHOT_MAX_UNPACKED:
                    raise InputError(
                        f"unpacks to more than {SNAPSHOT_MAX_UNPACKED >> 20} MiB "
                        "(a decompression bomb?)"
                    )
                name = info.name
                if len(name) > PATH_MAX or len(info.linkname) > PATH_MAX:
                    raise InputError("a member name or link target longer than PATH_MAX")
                if name.startswith("/") or ".." in name.split("/"):
                    continue  # never trust such a member; it cannot name a path in the root
                parts = split_path(name)
                if not parts:
                    continue
                if len(parts) > MAX_DEPTH:
                    raise InputError(f"a member {len(parts)} folders deep (at most {MAX_DEPTH})")
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
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(
                st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(
                st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "special"
            raise InputError(f"not a regular file ({kind})")
        if st.st_size > SNAPSHOT_MAX_BYTES:
            raise InputError(f"larger than {SNAPSHOT_MAX_BYTES >> 20} MiB")
        chunks, size = [], 0
        while size <= SNAPSHOT_MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > SNAPSHOT_MAX_BYTES:
            raise InputError(f"larger than {SNAPSHOT_MAX_BYTES >> 20} MiB")
        return b"".join(chunks)
    finally:
        os.close(fd)

"""A snapshot tarball read in memory (``--snapshot FILE``), with size, member and link caps."""

from __future__ import annotations

import io
import os
import stat
import tarfile

from advisor.hostfs.base import (
    FILE_CAP, SNAPSHOT_MAX_BYTES, SNAPSHOT_MAX_MEMBERS, SNAPSHOT_MAX_UNPACKED, InputError, Node, Read,
    Root, split_path, why,
)

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
            raise InputError(f"--snapshot {path}: {why(exc)}") from None
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
                parts = split_path(name)
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

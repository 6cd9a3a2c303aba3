"""A directory laid out like ``/``: the live system, or ``--root DIR``."""

from __future__ import annotations

import os
import stat

from advisor.hostfs.base import InputError, Node, Read, Root, node_kind, split_path, why

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
                node_kind(st.st_mode), st.st_mode, st.st_uid, st.st_gid,
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
        return Node(node_kind(st.st_mode), st.st_mode, st.st_uid, st.st_gid,
                    os.major(st.st_rdev), os.minor(st.st_rdev))

    def _resolve(self, path: str) -> tuple[list[str] | None, str | None]:
        if self.is_live:  # nothing can resolve outside "/": let the kernel do it, fast
            return split_path(os.path.normpath("/" + path)), None
        return super()._resolve(path)

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        host = self._host(parts)
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        if not self.is_live:
            flags |= os.O_NOFOLLOW
        try:
            fd = os.open(host, flags)
        except OSError as exc:
            return Read(host, None, why(exc))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return Read(host, None, f"not a regular file ({node_kind(st.st_mode)})")
            chunks, size = [], 0
            while size <= cap:
                try:
                    chunk = os.read(fd, min(65536, cap + 1 - size))
                except OSError as exc:
                    return Read(host, None, why(exc))
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

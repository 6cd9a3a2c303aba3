"""A directory laid out like ``/``: the live system, or ``--root DIR``."""

from __future__ import annotations

import os
import stat

from kernel_advisor.hostfs.base import (
    InputError,
    Node,
    Read,
    Root,
    node_kind,
    origin,
    raise_unless_missing,
    split_path,
    why,
)

#: flags of the handles the walk holds: a place in the tree, nothing opened for reading (opening
#: a device node can have side effects: arm a watchdog, rewind a tape)
_WALK = os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class DirRoot(Root):
    """A directory laid out like ``/``; ``DirRoot("/")`` is the live system.

    Under ``--root DIR`` every lookup walks from a handle on DIR one component at a time
    (``O_PATH | O_NOFOLLOW``), so a directory swapped for a symbolic link while we read cannot
    lead outside DIR, and a file's type is checked on a handle that has not opened it (``fstat``
    on ``O_PATH``) before it is opened for reading — only regular files ever are.
    """

    def __init__(self, base: str = "/") -> None:
        super().__init__()
        # not realpath: /proc/PID/root (a container's root) reads as "/", and is not ours
        self.base = os.path.abspath(base)
        self._base_fd: int | None = None
        try:
            # the root itself may be a link (/proc/PID/root is one): followed, once
            fd = os.open(self.base, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError):
            raise InputError(f"--root {base}: not a directory", f"{base} is not a folder.") \
                from None
        except OSError as exc:
            raise InputError(f"--root {base}: {why(exc)}",
                             f"The folder {base} cannot be read: {why(exc)}.") from None
        try:
            here, top = os.fstat(fd), os.stat("/")
            self.is_live = (here.st_dev, here.st_ino) == (top.st_dev, top.st_ino)
            if not self.is_live:
                _check_readable(fd)
        except OSError as exc:
            os.close(fd)
            raise InputError(f"--root {base}: {why(exc)}",
                             f"The folder {base} cannot be read: {why(exc)}.") from None
        if self.is_live:
            os.close(fd)
            self.base = "/"
        else:
            self._base_fd = fd
        self.label = origin(self.base)

    def __del__(self) -> None:
        fd = getattr(self, "_base_fd", None)
        if fd is not None:
            os.close(fd)
            self._base_fd = None

    def _host(self, parts: list[str]) -> str:
        return os.path.join(self.base, *parts)

    def _walk(self, parts: list[str]) -> int:
        """A new ``O_PATH`` handle on the directory ``parts`` inside the root, reached without
        following any link (raises OSError: ELOOP/ENOTDIR if the tree changed under us)."""
        assert self._base_fd is not None, "only a --root other than / is walked by handle"
        fd = os.dup(self._base_fd)
        try:
            for name in parts:
                nxt = os.open(name, _WALK | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = nxt
        except OSError:
            os.close(fd)
            raise
        return fd

    def _lstat(self, parts: list[str]) -> tuple[Node, str | None] | None:
        if self.is_live:
            return self._lstat_path(self._host(parts))
        if not parts:
            return Node("dir", stat.S_IFDIR | 0o755, 0, 0), None
        try:
            parent = self._walk(parts[:-1])
        except OSError as exc:
            raise_unless_missing(exc)
            return None
        try:
            st = os.lstat(parts[-1], dir_fd=parent)
            target = os.readlink(parts[-1], dir_fd=parent) if stat.S_ISLNK(st.st_mode) else None
        except OSError as exc:
            raise_unless_missing(exc)
            return None
        finally:
            os.close(parent)
        return _node(st), target

    @staticmethod
    def _lstat_path(host: str) -> tuple[Node, str | None] | None:
        try:
            st = os.lstat(host)
            target = os.readlink(host) if stat.S_ISLNK(st.st_mode) else None
        except OSError as exc:
            raise_unless_missing(exc)
            return None
        return _node(st), target

    def _stat_resolved(self, parts: list[str]) -> Node | None:
        if not self.is_live:
            return super()._stat_resolved(parts)
        try:
            return _node(os.stat(self._host(parts)))
        except OSError as exc:
            raise_unless_missing(exc)
            return None

    def _resolve(self, path: str) -> tuple[list[str] | None, str | None]:
        if self.is_live:  # nothing can resolve outside "/": let the kernel do it, fast
            return split_path(os.path.normpath("/" + path)), None
        return super()._resolve(path)

    def _open_regular(self, parts: list[str]) -> int:
        """A read handle on the regular file ``parts``; OSError or ValueError (not regular)
        otherwise. Under ``--root``, its type is known before it is opened for reading."""
        if self.is_live:
            return os.open(self._host(parts), _READ)
        parent = self._walk(parts[:-1])
        try:
            where = os.open(parts[-1], _WALK, dir_fd=parent)
            try:
                st = os.fstat(where)
                if not stat.S_ISREG(st.st_mode):
                    raise ValueError(f"not a regular file ({node_kind(st.st_mode)})")
                try:  # reopen that very inode: no lookup by name that a swap could redirect
                    return os.open(f"/proc/self/fd/{where}", _READ)
                except FileNotFoundError:  # no /proc here: open by name, then make sure
                    fd = os.open(parts[-1], _READ | os.O_NOFOLLOW, dir_fd=parent)
                    again = os.fstat(fd)
                    if (again.st_dev, again.st_ino) != (st.st_dev, st.st_ino):
                        os.close(fd)
                        raise ValueError("changed while being read") from None
                    return fd
            finally:
                os.close(where)
        finally:
            os.close(parent)

    def _read_resolved(self, parts: list[str], cap: int) -> Read:
        host = self._host(parts)
        try:
            fd = self._open_regular(parts)
        except ValueError as exc:
            return Read(host, None, str(exc))
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
        """The names in the folder ``parts``; None where it is not there; OSError where it
        cannot be listed (permission denied)."""
        try:
            if self.is_live:
                return os.listdir(self._host(parts))
            where = self._walk(parts)
            try:  # that very folder, opened for listing through its O_PATH handle: no lookup
                fd = os.open(".", _LIST, dir_fd=where)  # by name that a swap could redirect
            finally:
                os.close(where)
            try:
                return os.listdir(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise_unless_missing(exc)
            return None


    def live_record(self) -> object:
        return {} if self.is_live else super().live_record()


_LIST = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


def _check_readable(fd: int) -> None:
    """OSError (permission denied) unless the root folder may be entered and listed."""
    listing = os.open(".", _LIST, dir_fd=fd)
    try:
        os.listdir(listing)
    finally:
        os.close(listing)


def _node(st: os.stat_result) -> Node:
    return Node(node_kind(st.st_mode), st.st_mode, st.st_uid, st.st_gid, os.major(st.st_rdev),
                os.minor(st.st_rdev))

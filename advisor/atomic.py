"""Writing where the user asked, without destroying what is there.

One rule per kind of target, for the CLI and the wizard's export alike (:func:`write_output`):

- a new path or a regular file → atomic replace: a temporary file in the same directory, flush,
  fsync, rename. An existing file keeps its mode; a new one gets what ``open()`` would give it
  under the umask (``0666 & ~umask``: 0600 under ``umask 077``);
- a symbolic link → written in place through the link (the path itself is opened with
  truncation, so the kernel's protected-symlink rules apply); the link stays a link, and it is
  never resolved and renamed over;
- a character device (``/dev/null``, ``/dev/stdout``, a terminal) → written into;
- a FIFO, socket, directory or block device → refused with one line (:class:`TargetError`);
- a new or regular file in a kernel pseudo-filesystem (``/proc``, ``/sys``, …) → refused too:
  nothing written there is a report, and probing there can block.

A failed atomic write leaves an existing file untouched and no temporary file behind; one cut
short by ``kill -9`` leaves its temporary file, which the next write to that target removes (a
writer holds a lock on its temporary file, so only a dead writer's are removed).
:func:`write_atomic` is the regular-file half, also used for our own cache.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
from typing import Iterable, Union

#: what may be written: bytes, or byte chunks written as they come (a PDF, a tarball)
Data = Union[bytes, Iterable[bytes]]


TMP_PREFIX = ".tmp-"


class TargetError(ValueError):
    """The output path is a kind of file we will not write to; the message is one line."""


def write_output(path: str, data: Data) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks, written as they come) to ``path``
    by the rule for what ``path`` is (see the module docstring). Raises :class:`TargetError`
    for a target we refuse, OSError when writing fails."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is None or stat.S_ISREG(st.st_mode):
        fstype = pseudo_filesystem(os.path.dirname(os.path.abspath(path)))
        if fstype:
            raise TargetError(f"{path}: that folder is in {fstype}, a kernel pseudo-filesystem; "
                              "choose a folder on a disk")
    if st is None:
        write_atomic(path, data)
        return
    kind = st.st_mode
    if stat.S_ISREG(kind):
        write_atomic(path, data, stat.S_IMODE(kind))
    elif stat.S_ISLNK(kind) or stat.S_ISCHR(kind):
        _write_in_place(path, data)
    else:
        what = ("a directory" if stat.S_ISDIR(kind) else "a FIFO" if stat.S_ISFIFO(kind)
                else "a socket" if stat.S_ISSOCK(kind) else "a block device"
                if stat.S_ISBLK(kind) else "not a regular file")
        raise TargetError(f"{path}: is {what}; give a file name")


def chunks_of(data: Data) -> Iterable[bytes]:
    """``data`` as an iterable of byte chunks: bytes are one chunk, an iterable is itself."""
    return (data,) if isinstance(data, bytes) else data


def _write_in_place(path: str, data: Data) -> None:
    """Open the path itself (through a symlink, or a character device) and write."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC | os.O_NOCTTY)
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
            raise TargetError(f"{path}: the link leads to something that is not a file")
        for chunk in chunks_of(data):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def write_atomic(path: str, data: Data, mode: int | None = None) -> None:
    """Replace the regular file ``path`` (or create it) atomically with ``mode`` (default: what a
    new file gets under the umask); raises OSError, with nothing half-written, on failure."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    suffix = "-" + os.path.basename(path)
    _remove_stale(directory, suffix)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=TMP_PREFIX, suffix=suffix)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # ours while we live: see _remove_stale
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks_of(data):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _remove_stale(directory: str, suffix: str) -> None:
    """Remove temporary files of earlier writes to the same target whose writer died (no one
    holds their lock); a write in progress in another process keeps its file."""
    try:
        names = [n for n in os.listdir(directory) if n.startswith(TMP_PREFIX)
                 and n.endswith(suffix) and len(n) > len(TMP_PREFIX) + len(suffix)]
    except OSError:
        return
    for name in names:
        try:
            fd = os.open(os.path.join(directory, name),
                         os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(os.path.join(directory, name))
        except OSError:
            pass  # locked: another writer is at work
        finally:
            os.close(fd)


#: filesystems the kernel makes up as they are read: never a place for a report
PSEUDO_FILESYSTEMS = {"proc", "sysfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs",
                      "securityfs", "pstore", "bpf", "configfs", "fusectl", "efivarfs", "mqueue",
                      "binfmt_misc", "autofs", "rpc_pipefs", "nsfs", "selinuxfs"}


_OCTAL = re.compile(r"\\([0-7]{3})")


def pseudo_filesystem(directory: str) -> str | None:
    """The type of the kernel pseudo-filesystem ``directory`` lies in (``proc``…), else None;
    read from ``/proc/self/mountinfo`` (the longest mount point above the directory)."""
    try:
        real = os.path.realpath(directory)
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    best, fstype = "", None
    for line in lines:
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        point = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), parts[4])  # "\\040" is a space
        if (real == point or real.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, fstype = point, rest.split()[0]
    return fstype if fstype in PSEUDO_FILESYSTEMS else None

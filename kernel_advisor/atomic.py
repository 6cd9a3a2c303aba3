"""Writing where the user asked, without destroying or taking over what is there.

One rule per kind of target, for the CLI and the wizard's export alike (:func:`write_output`):

- a new path → atomic: a temporary file in the same folder, flushed, synced and renamed over
  the name; it gets what ``open()`` would give it under the umask (``0666 & ~umask``);
- an existing regular file keeps its owner, group, mode and hard links: it is replaced
  atomically where a rename keeps all of them (one link, and an owner and group we can give
  the new file), else written in place, in full, after the new content is complete. A
  write-protected file (no write bit for its owner) is refused for everyone, root included,
  unless ``force`` is given (the command line's ``--force``);
- a symbolic link is written in place through the link (it stays a link), if it may be
  followed: it is the writer's own or root's, or it lies in a folder nobody else can write.
  Root following another user's link out of ``/tmp`` is the classic attack; the kernel's
  ``fs.protected_symlinks`` rule is the model, widened to every folder others can write and to
  every link on the way;
- a character device (``/dev/null``, ``/dev/stdout``, a terminal) → written into;
- a FIFO, socket, directory or block device → refused with one line (:class:`TargetError`);
- a new or regular file in a kernel pseudo-filesystem (``/proc``, ``/sys``, …) → refused too:
  nothing written there is a report, and probing there can block.

A failed atomic write leaves an existing file untouched and no temporary file behind. One cut
short by ``kill -9`` leaves its temporary file, which a later write to the same target removes
only if it is provably ours and abandoned: named by our pattern, owned by us, a regular file no
writer holds a lock on, untouched for :data:`STALE_AFTER` seconds. Temporary names have a fixed
length, so any name the filesystem takes can be written. :func:`write_atomic` is the
regular-file half, also used for our own cache.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import tempfile
import time
import zlib
from typing import Iterable, Union

#: what may be written: bytes, or byte chunks written as they come (a PDF, a tarball)
Data = Union[bytes, Iterable[bytes]]

#: our temporary files: ``.kernel-advisor-<crc32 of the target's name>-<mkstemp's 8>.tmp``
TMP_PREFIX = ".kernel-advisor-"
TMP_SUFFIX = ".tmp"
_TMP_NAME = re.compile(r"\.kernel-advisor-([0-9a-f]{8})-[a-z0-9_]{8}\.tmp\Z")
#: a temporary file untouched this long, and unlocked, was left by a writer that died
STALE_AFTER = 60.0


class TargetError(ValueError):
    """The output path is a kind of file we will not write to; the message is one line.
    ``needs_force`` is set where ``--force`` (the wizard: a second confirmation) would do."""

    def __init__(self, message: str, needs_force: bool = False) -> None:
        super().__init__(message)
        self.needs_force = needs_force


def write_output(path: str, data: Data, force: bool = False) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks) to ``path`` by the rule for what
    ``path`` is (see the module docstring). Raises :class:`TargetError` for a target we refuse,
    OSError when writing fails."""
    _check_links(path)
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
        refuse_protected(path, st, force)
        if st.st_nlink == 1 and _can_give(st):
            write_atomic(path, data, stat.S_IMODE(kind), (st.st_uid, st.st_gid))
        else:  # a rename would break its other links, or hand it to us
            _write_in_place(path, data, force)
    elif stat.S_ISLNK(kind) or stat.S_ISCHR(kind):
        _write_in_place(path, data, force)
    else:
        raise TargetError(f"{path}: is {_kind_of(kind)}; give a file name")


def chunks_of(data: Data) -> Iterable[bytes]:
    """``data`` as an iterable of byte chunks: bytes are one chunk, an iterable is itself."""
    return (data,) if isinstance(data, bytes) else data


def _kind_of(mode: int) -> str:
    return ("a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a block device"
            if stat.S_ISBLK(mode) else "not a regular file")


def refuse_protected(path: str, st: os.stat_result, force: bool) -> None:
    """TargetError (naming ``--force``) for a write-protected regular file, unless ``force``."""
    if not force and stat.S_ISREG(st.st_mode) and not st.st_mode & stat.S_IWUSR:
        raise TargetError(f"{path}: is write-protected (mode {stat.S_IMODE(st.st_mode):04o}); "
                          "give --force to replace it", needs_force=True)


def _can_give(st: os.stat_result) -> bool:
    """Whether a new file of ours can be given ``st``'s owner and group (root: always; others:
    their own file, in a group they are in)."""
    if os.geteuid() == 0:
        return True
    return st.st_uid == os.geteuid() and (st.st_gid == os.getegid()
                                          or st.st_gid in os.getgroups())


def _owner_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def may_follow(link: os.stat_result, folder: os.stat_result, euid: int) -> bool:
    """Whether a symbolic link (``link``, lstat) in ``folder`` may be followed by ``euid``: it is
    the follower's or root's, or nobody but the follower and root can write the folder (so
    nobody else can have put it there)."""
    if link.st_uid in (euid, 0):
        return True
    others_write = folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or (
        folder.st_uid not in (euid, 0) and folder.st_mode & stat.S_IWUSR)
    return not others_write


def _check_links(path: str) -> None:
    """Refuse a path through a symbolic link :func:`may_follow` does not allow, at any step."""
    absolute = os.path.abspath(path)
    parts = [p for p in absolute.split("/") if p]
    euid = os.geteuid()
    for i in range(1, len(parts) + 1):
        here = "/" + "/".join(parts[:i])
        try:
            st = os.lstat(here)
        except OSError:
            return  # a missing step: the write itself says so
        if not stat.S_ISLNK(st.st_mode):
            continue
        folder = "/" + "/".join(parts[:i - 1])
        try:
            folder_st = os.stat(folder)
        except OSError:
            return
        if not may_follow(st, folder_st, euid):
            raise TargetError(f"{path}: {here} is a symbolic link of {_owner_name(st.st_uid)}'s "
                              f"in a folder others can write ({folder}); it is not followed")


def _write_in_place(path: str, data: Data, force: bool) -> None:
    """Write into the file the path opens (through a symlink, a character device, a regular
    file that must keep its links or owner). The data is complete before the file is touched;
    a regular file is overwritten, then cut to the new length, and synced."""
    content = b"".join(chunks_of(data))
    # O_NONBLOCK: a link to a FIFO with no reader fails (ENXIO) instead of blocking the open
    flags = os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY | os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise TargetError(f"{path}: leads to a FIFO; give a file name") from None
        raise
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode)):
            raise TargetError(f"{path}: leads to {_kind_of(st.st_mode)}; give a file name")
        refuse_protected(path, st, force)
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        if stat.S_ISREG(st.st_mode):
            os.ftruncate(fd, len(content))
            os.fsync(fd)
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


def _tag(path: str) -> str:
    """The target's part of our temporary names: a fixed-length checksum of its name."""
    return "%08x" % zlib.crc32(os.path.basename(path).encode("utf-8", "surrogateescape"))


def write_atomic(path: str, data: Data, mode: int | None = None,
                 owner: tuple[int, int] | None = None) -> None:
    """Replace the regular file ``path`` (or create it) atomically with ``mode`` (default: what a
    new file gets under the umask) and ``owner`` (uid, gid; default: ours); raises OSError,
    with nothing half-written, on failure."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    tag = _tag(path)
    _remove_stale(directory, tag)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f"{TMP_PREFIX}{tag}-", suffix=TMP_SUFFIX)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # ours while we live: see _remove_stale
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks_of(data):
                fh.write(chunk)
            fh.flush()
            if owner is not None:
                st = os.fstat(fh.fileno())
                if (st.st_uid, st.st_gid) != owner:
                    os.fchown(fh.fileno(), *owner)
            os.fchmod(fh.fileno(), 0o666 & ~_umask() if mode is None else mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(directory)


def _sync_folder(directory: str) -> None:
    """Make the rename itself durable (where the folder can be opened and synced)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale(directory: str, tag: str) -> None:
    """Remove temporary files that earlier writes to the same target left when they died: our
    name pattern for this target, a regular file of ours, untouched for :data:`STALE_AFTER`
    seconds (a writer between creating and locking its file is young) and unlocked (a writer
    alive holds its lock). Anything else in the folder is never touched."""
    try:
        names = [n for n in os.listdir(directory)
                 if n.startswith(TMP_PREFIX) and (m := _TMP_NAME.match(n)) and m.group(1) == tag]
    except OSError:
        return
    now, euid = time.time(), os.geteuid()
    for name in names:
        full = os.path.join(directory, name)
        try:
            fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if (not stat.S_ISREG(st.st_mode) or st.st_uid != euid
                    or now - st.st_mtime < STALE_AFTER):
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.lstat(full).st_ino == st.st_ino:  # still the file we locked
                os.unlink(full)
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

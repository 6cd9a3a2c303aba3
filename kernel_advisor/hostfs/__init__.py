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

from typing import TYPE_CHECKING, Any, Optional

from kernel_advisor.hostfs.base import (
    ABSENT,
    FILE_CAP,
    LIVE_RECORD,
    SNAPSHOT_FORMAT,
    TOTAL_CAP,
    InputError,
    Node,
    Read,
    Root,
    origin,
)
from kernel_advisor.hostfs.dirroot import DirRoot

if TYPE_CHECKING:
    from kernel_advisor.hostfs.tarroot import TarRoot


def __getattr__(name: str) -> Any:
    """``TarRoot`` on first use: a live check never imports ``tarfile`` (PEP 562)."""
    if name == "TarRoot":
        from kernel_advisor.hostfs.tarroot import TarRoot

        return TarRoot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_root(root: Optional[str] = None, snapshot: Optional[str] = None) -> Root:
    """The reader for the command-line input options (``--root``/``--snapshot``)."""
    if root and snapshot:
        raise InputError("--root and --snapshot cannot be used together")
    if snapshot:
        from kernel_advisor.hostfs.tarroot import TarRoot

        return TarRoot(snapshot)
    return DirRoot(root or "/")

__all__ = ["ABSENT", "FILE_CAP", "LIVE_RECORD", "SNAPSHOT_FORMAT", "TOTAL_CAP", "DirRoot",
           "InputError", "Node", "Read", "Root", "TarRoot", "open_root", "origin"]

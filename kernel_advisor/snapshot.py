"""``kernel-advisor snapshot``: capture exactly what the probe reads, to analyse it elsewhere.

The tarball holds one top-level folder laid out like ``/`` with every file the probe read (as
read), the device nodes and directories it looked at, and ``.kernel-advisor/live.json`` with what
only a live machine can tell (uname, the KVM ioctl results, CPUID, readable kernel-log hints).
Nothing secret goes in: PID 1's environment is cut to its ``container=`` entry, ``/etc/group`` to
the line of ``/dev/kvm``'s group, the mount table to its ``/`` and ``/dev`` lines, and the kernel
command line is already reduced by the probe to the options that matter here.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from typing import Any

from kernel_advisor import __version__, kernel
from kernel_advisor.hostfs import LIVE_RECORD, SNAPSHOT_FORMAT, DirRoot, Node, Read
from kernel_advisor.model import F
from kernel_advisor.probe import run
from kernel_advisor.probe.context import Context
from kernel_advisor.probe.kernel import filter_cmdline

TOP = "kernel-advisor-snapshot"
FORMAT = SNAPSHOT_FORMAT


def _redact(path: str, data: bytes, kvm_gid: int | None) -> bytes:
    if path == "/proc/1/environ":
        keep = [e for e in data.split(b"\0") if e.startswith(b"container=")]
        return b"\0".join(keep) + (b"\0" if keep else b"")
    if path == "/proc/cmdline":
        return (filter_cmdline(data.decode("utf-8", "replace")) + "\n").encode()
    if path == "/proc/self/mountinfo":  # only the root and /dev mounts: the rest names paths
        keep = [ln for ln in data.split(b"\n") if ln.split(b" ")[4:5] in ([b"/"], [b"/dev"])]
        return b"\n".join(keep) + b"\n"
    if path == "/etc/group":
        lines = [ln for ln in data.split(b"\n")
                 if kvm_gid is not None and ln.split(b":")[2:3] == [str(kvm_gid).encode()]]
        return b"\n".join(lines) + b"\n"
    return data


def capture(hostname: bool = False, inventory: str | None = None,
            login: str | None = None) -> tuple[bytes, dict[str, Any]]:
    """Probe this machine and return (tar.gz bytes, the live record). Its host name goes in
    only when asked (``hostname``): host names can be private. ``inventory`` is the name the
    machine has in an inventory (the fleet's Host); ``login`` who asked for a capture that runs
    as root (``sudo``, ``ansible-playbook -b``), recorded only then."""
    root = DirRoot("/")
    ctx = Context(root)
    host = run(ctx)
    x86 = kernel.is_x86(host.value(F.KERNEL_ARCH), host.value(F.CPU_VENDOR))
    # complete the record the probe started, so the snapshot holds every live-only fact
    # whatever path this host's probe took
    for key in ("uname", "kmsg", "msr", "access") + (("cpuid",) if x86 else ()) + (
            ("kvm",) if host.value(F.KVM_DEVICE) == "present" else ()):
        ctx.live_fact(key)
    record = dict(ctx.record)
    record["captured"] = {"tool": f"kernel-advisor {__version__}", "format": FORMAT,
                          "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    names = {}
    if hostname:
        names["name"] = os.uname().nodename
    if inventory:
        names["inventory"] = inventory
    if names:
        record["host"] = names
    if login and os.geteuid() == 0:
        record["captured"]["login"] = login
    kvm = root.stat("/dev/kvm")
    kvm_gid = kvm.gid if kvm else None

    buf = io.BytesIO()
    now = time.time()
    dirs: set[str] = set()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT) as tf:
        def add_dir(path: str) -> None:
            parts = [p for p in path.split("/") if p]
            for i in range(1, len(parts) + 1):
                sub = "/".join(parts[:i])
                if sub not in dirs:
                    dirs.add(sub)
                    info = tarfile.TarInfo(f"{TOP}/{sub}")
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, now
                    tf.addfile(info)

        top = tarfile.TarInfo(TOP)
        top.type, top.mode, top.mtime = tarfile.DIRTYPE, 0o755, now
        tf.addfile(top)
        for path, got in sorted(root.accessed.items()):
            parent = path.rsplit("/", 1)[0]
            if isinstance(got, Read):
                if got.data is None and "permission denied" not in (got.reason or ""):
                    continue
                add_dir(parent)
                data = _redact(path, got.data or b"", kvm_gid)
                info = tarfile.TarInfo(f"{TOP}{path}")
                info.size, info.mtime = len(data), now
                info.mode = 0o444 if got.data is not None else 0o000
                tf.addfile(info, io.BytesIO(data))
            elif isinstance(got, Node):
                if got.kind == "dir":
                    add_dir(path)
                elif got.kind in ("char", "block"):
                    add_dir(parent)
                    info = tarfile.TarInfo(f"{TOP}{path}")
                    info.type = tarfile.CHRTYPE if got.kind == "char" else tarfile.BLKTYPE
                    info.devmajor, info.devminor = got.major, got.minor
                    info.mode, info.uid, info.gid, info.mtime = got.mode & 0o7777, got.uid, \
                        got.gid, now
                    tf.addfile(info)
                elif got.kind == "file":
                    add_dir(parent)
                    info = tarfile.TarInfo(f"{TOP}{path}")
                    info.mode, info.mtime = 0o444, now
                    tf.addfile(info, io.BytesIO(b""))
            elif isinstance(got, list):
                add_dir(path)
                for name in got:
                    add_dir(f"{path}/{name}")
        add_dir(LIVE_RECORD.rsplit("/", 1)[0])
        data = json.dumps(record, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(f"{TOP}{LIVE_RECORD}")
        info.size, info.mode, info.mtime = len(data), 0o444, now
        tf.addfile(info, io.BytesIO(data))
    return buf.getvalue(), record


def contents(data: bytes) -> list[tuple[str, str, int]]:
    """What a snapshot holds, for a preview before it is saved: ``(path, kind, size)`` per
    member, paths as on the captured machine (``/proc/cpuinfo``)."""
    kinds = {tarfile.REGTYPE: "file", tarfile.DIRTYPE: "folder", tarfile.SYMTYPE: "link",
             tarfile.CHRTYPE: "device", tarfile.BLKTYPE: "device", tarfile.FIFOTYPE: "FIFO"}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        return [(m.name[len(TOP):] or "/", kinds.get(m.type, "other"), m.size)
                for m in tf.getmembers() if m.type != tarfile.DIRTYPE]

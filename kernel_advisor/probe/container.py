"""Containers and sandboxes: OpenVZ, WSL, systemd's container files, PID 1's ``container=``,
marker files, cgroup paths, Linux-VServer — in systemd's ``detect_container()`` order.

A marker file alone (``/.dockerenv``) can be a leftover: a VM whose root filesystem was built
from a container image keeps it (this project's own Firecracker machines do). So a marker counts
unless the mount table shows the machine's own: the root filesystem on a block device and
``/dev`` a devtmpfs, which no container runtime gives a container."""

from __future__ import annotations

import re
from typing import Optional, Tuple

from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, OK, F, Fact
from kernel_advisor.probe.context import Context

MARKER_FILES = (("/.flatpak-info", "flatpak"), ("/run/.containerenv", "podman"),
                ("/.dockerenv", "docker"), ("/.dockerinit", "docker"))
CGROUP_HINTS = (("/docker/", "docker"), ("/docker-", "docker"), ("/libpod-", "podman"),
                ("/lxc/", "lxc"), ("/lxc.payload", "lxc"))
NAMES = {"oci": "oci", "lxc-libvirt": "lxc", "systemd-nspawn": "systemd-nspawn"}
#: the fixed version line gVisor's Sentry shows as /proc/version (its own, not the host's):
#: a sandbox kernel, not a Linux one
GVISOR_VERSION = "#1 SMP Sun Jan 10 15:06:54 PST 2016"
_VXID = re.compile(r"^VxID:\s*(\d+)", re.M)


def _name(value: str) -> str:
    value = value.strip().lower()
    return NAMES.get(value, value)


def _find(ctx: Context) -> Optional[Tuple[Optional[str], str, str]]:
    """(kind, source, raw) of the first container evidence, or None; kind None: a leftover
    marker file on a machine's own root filesystem."""
    root = ctx.root
    version = root.text("/proc/version") or ""
    if GVISOR_VERSION in version:
        return "gvisor", "/proc/version", version.strip()
    if root.exists("/proc/vz") and not root.exists("/proc/bc"):
        return "openvz", "/proc/vz", _("present without /proc/bc")
    release = ctx.value(F.KERNEL_RELEASE) or ""
    if "Microsoft" in release:
        return "wsl", "/proc/sys/kernel/osrelease", release
    for path in ("/run/host/container-manager", "/run/systemd/container"):
        line, _unused = ctx.first_line(path)
        if line:
            return _name(line), path, line
    env = root.read("/proc/1/environ")
    for item in (env.data or b"").split(b"\0"):
        if item.startswith(b"container="):
            val = item[len(b"container="):].decode("ascii", "replace")
            if val:
                return _name(val), "/proc/1/environ", f"container={val}"
            break
    for path, kind in MARKER_FILES:
        if root.exists(path):
            own = _own_root_filesystem(ctx)
            return (kind, path, "present") if own is None else (None, path, own)
    cgroup = root.text("/proc/self/cgroup") or ""
    for needle, kind in CGROUP_HINTS:
        if needle in cgroup:
            return kind, "/proc/self/cgroup", needle
    m = _VXID.search(root.text("/proc/self/status") or "")
    if m and int(m.group(1)) != 0:
        return "linux-vserver", "/proc/self/status", m.group(0).strip()
    return None


def _own_root_filesystem(ctx: Context) -> Optional[str]:
    """The mount lines that show a machine's own root (block device, devtmpfs), else None."""
    root_line = dev_line = None
    for line in (ctx.root.text("/proc/self/mountinfo") or "").splitlines():
        left, sep, right = line.partition(" - ")
        cols, fs = left.split(), right.split()
        if not sep or len(cols) < 5 or len(fs) < 2:
            continue
        if cols[4] == "/" and fs[1].startswith("/dev/") and fs[0] not in ("overlay", "aufs"):
            root_line = _("/ on {device} ({fstype})").format(device=fs[1], fstype=fs[0])
        elif cols[4] == "/dev" and fs[0] == "devtmpfs":
            dev_line = _("/dev is devtmpfs")
    return f"{root_line}, {dev_line}" if root_line and dev_line else None


def detect(ctx: Context) -> None:
    found = _find(ctx)
    if found is not None and found[0] is None:
        _kind, marker, own = found
        ctx.add(Fact(id=F.CONTAINER_KIND, label=_("Container or sandbox"), value=None, status=OK,
                     summary=_("not in a container: {marker} exists, but the mount table shows "
                               "the machine's own root filesystem (a leftover of the image it was "
                               "built from)").format(marker=marker), source="/proc/self/mountinfo",
                     raw=f"{marker}; {own}"))
        return
    if found is None:
        ctx.add(Fact(id=F.CONTAINER_KIND, label=_("Container or sandbox"), value=None, status=OK,
                     summary=_("not in a container we know of")))
        return
    kind, src, raw = found
    note = (_(" — inside the Flatpak sandbox /proc and /sys are partly hidden: facts shown as "
              "unknown may be fine outside it")) if kind == "flatpak" else ""
    ctx.add(Fact(id=F.CONTAINER_KIND, label=_("Container or sandbox"), value=kind, status=INFO,
                 summary=_("inside a {kind} container{note}: the kernel and /dev are the host's, "
                           "shared or filtered").format(kind=kind, note=note), source=src, raw=raw))
    hv_type = ctx.out.get(F.HYPERVISOR_TYPE)
    if hv_type is not None and ctx.value(F.HYPERVISOR_VENDOR) is None and hv_type.value is None:
        hv_type.value = hv_type.summary = "container"

"""The rest of the host's virtualization plumbing: lguest's device and module, the vhost-net
and tun devices QEMU guests use for networking, and the IOMMU for device assignment."""

from __future__ import annotations

from kernel_advisor.hostfs import ABSENT
from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, OK, WARN, F, Fact, unknown
from kernel_advisor.probe.context import Context

NETWORK_DEVICES = (
    (F.DEV_VHOST_NET, "/dev/vhost-net", _("load 'vhost_net' for faster virtio networking")),
    (F.DEV_TUN, "/dev/net/tun", _("load 'tun' so QEMU guests can have a network")),
)
IOMMU_TABLES = ("DMAR", "IVRS", "IORT")  # Intel VT-d, AMD-Vi, Arm SMMU


def detect_lguest(ctx: Context) -> None:
    node = ctx.root.stat("/dev/lguest")
    loaded = "lg" in ctx.modules()[0]
    label = _("lguest (/dev/lguest, lg.ko)")
    if node is None and not loaded:
        ctx.add(Fact(id=F.LGUEST_DEVICE, label=label, value=None, status=INFO,
                     summary=_("not present"), source="/dev/lguest"))
    else:
        ctx.add(Fact(id=F.LGUEST_DEVICE, label=label, value=True, status=OK,
                     summary=(_("/dev/lguest present") if node else "")
                             + (_(" lg module loaded") if loaded else ""), source="/dev/lguest"))


def detect_network(ctx: Context) -> None:
    for fid, path, why in NETWORK_DEVICES:
        node = ctx.root.stat(path)
        if node is None:
            ctx.add(Fact(id=fid, label=path, value=False, status=WARN,
                         summary=_("absent: {why}").format(why=why), source=path))
        else:
            ctx.add(Fact(id=fid, label=path, value=True, status=OK,
                         summary=_("{kind} device {major}:{minor}, {perms}").format(
                                     kind=node.kind, major=node.major, minor=node.minor,
                                     perms=node.perms), source=path))


def detect_iommu(ctx: Context) -> None:
    root = ctx.root
    tables = [t for t in IOMMU_TABLES if root.exists(f"/sys/firmware/acpi/tables/{t}")]
    units = root.listdir("/sys/class/iommu") or []
    listed, why = root.listdir_why("/sys/kernel/iommu_groups")
    if listed is None and why not in ABSENT:
        ctx.add(unknown(F.IOMMU, _("IOMMU (device assignment)"),
                        f"/sys/kernel/iommu_groups: {why}", "/sys/kernel/iommu_groups"))
        return
    groups = listed or []
    opts = [o for o in (ctx.value(F.KERNEL_CMDLINE) or "").split()
            if o.split("=")[0] in ("intel_iommu", "amd_iommu", "iommu")]
    if groups:
        status, summary = OK, _("active: {count} IOMMU groups").format(count=len(groups))
    elif tables:
        status, summary = WARN, (_("firmware table {tables} present but no IOMMU groups: "
                                   "enable it on the kernel command line (intel_iommu=on, or "
                                   "check amd_iommu)").format(tables=', '.join(tables)))
    else:
        status, summary = INFO, (_("no DMAR/IVRS/IORT table and no IOMMU groups: device "
                                   "assignment (VFIO) is not available; ordinary VMs are fine"))
    ctx.add(Fact(id=F.IOMMU, label=_("IOMMU (device assignment)"),
                 value={"tables": tables, "units": units, "groups": len(groups), "cmdline": opts},
                 status=status, summary=summary, source="/sys/kernel/iommu_groups",
                 raw=f"tables={tables} units={units} cmdline={opts}"))

"""Device passthrough: for each PCI device worth giving to a guest (display, network, storage,
USB controllers), its IOMMU group and what else is in it, the driver bound and how it resets.

A group is the unit VFIO assigns: every endpoint in it goes to the guest together (bridges
excepted), so "01:00.0 shares group 2 only with its own audio function" can be passed through,
and "shares group 14 with the NVMe disk" only with the disk
(``Documentation/ABI/testing/sysfs-kernel-iommu_groups``, ``Documentation/driver-api/vfio.rst``;
``reset_method``: ``Documentation/ABI/testing/sysfs-bus-pci``, Linux 5.15 on). Read from
``/sys/kernel/iommu_groups/*/devices`` and each device's ``uevent`` (``DRIVER``, ``PCI_CLASS``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from kernel_advisor.hostfs import ABSENT
from kernel_advisor.i18n import N_, _
from kernel_advisor.model import INFO, OK, F, Fact, unknown
from kernel_advisor.probe.context import Context

GROUPS = "/sys/kernel/iommu_groups"
PCI = "/sys/bus/pci/devices"
MAX_DEVICES = 256  #: members read at most (a big server has a few hundred)
#: PCI base classes (and the USB subclass) worth passing, by the class code's leading digits
KINDS = (("0c03", N_("USB controller")), ("03", N_("display")), ("02", N_("network")),
         ("01", N_("storage")), ("04", N_("audio")), ("0604", N_("PCI bridge")),
         ("0600", N_("host bridge")), ("0601", N_("ISA bridge")))
#: functions no guest can take: the chipset's own (a multi-function PCH puts them beside its NIC)
CHIPSET = ("host bridge", "ISA bridge")
WORTH = ("display", "network", "storage", "USB controller")


def _kind(pci_class: str) -> str:
    for prefix, name in KINDS:
        if pci_class.startswith(prefix):
            return name
    return N_("other")


def _device(ctx: Context, address: str) -> Dict[str, Any]:
    fields: Dict[str, str] = {}
    for line in (ctx.root.text(f"{PCI}/{address}/uevent") or "").splitlines():
        key, _sep, val = line.partition("=")
        fields[key] = val
    pci_class = fields.get("PCI_CLASS", "").rjust(6, "0").lower()
    reset, _why = ctx.first_line(f"{PCI}/{address}/reset_method")
    return {"address": address, "kind": _kind(pci_class), "class": pci_class or None,
            "driver": fields.get("DRIVER") or None, "id": fields.get("PCI_ID") or None,
            "reset": reset}


def _slot(address: str) -> str:
    """``0000:01:00.1`` → ``0000:01:00``: the functions of one device share it."""
    return address.rsplit(".", 1)[0]


def detect(ctx: Context) -> None:
    groups, why = ctx.root.listdir_why(GROUPS)
    label = _("Devices a guest can be given (IOMMU groups)")
    if groups is None and why not in ABSENT:
        ctx.add(unknown(F.PASSTHROUGH, label, f"{GROUPS}: {why}", GROUPS))
        return
    if not groups:
        ctx.add(Fact(id=F.PASSTHROUGH, label=label, value=[], status=INFO, summary=_(
            "no IOMMU groups: no device can be given to a guest (see the IOMMU check)"),
            source=GROUPS))
        return
    members: List[Tuple[str, str]] = []
    for group in sorted(groups, key=lambda g: int(g) if g.isdigit() else 0):
        for address in sorted(ctx.root.listdir(f"{GROUPS}/{group}/devices") or []):
            if len(members) < MAX_DEVICES:
                members.append((group, address))
    devices = {address: dict(_device(ctx, address), group=group) for group, address in members}
    found = [_judge(d, devices) for d in devices.values() if d["kind"] in WORTH]
    said = [_say(d) for d in found]
    ctx.add(Fact(id=F.PASSTHROUGH, label=label, value=found, status=OK if found else INFO,
                 summary="; ".join(said) if said else _("no display, network, storage or USB "
                                                        "controller in an IOMMU group"),
                 source=GROUPS, raw=None))


def _judge(d: Dict[str, Any], devices: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """The device with the others of its group that must go with it, and whether that is
    only itself (its own functions count as itself; bridges do not go)."""
    others = [o for o in devices.values()
              if o["group"] == d["group"] and o["address"] != d["address"]
              and o["kind"] != "PCI bridge"]
    foreign = [o for o in others
               if _slot(o["address"]) != _slot(d["address"]) or o["kind"] in CHIPSET]
    return {**d, "with": [{"address": o["address"], "kind": o["kind"], "driver": o["driver"]}
                          for o in others],
            "alone": not foreign}


def _say(d: Dict[str, Any]) -> str:
    short = d["address"].split(":", 1)[-1]
    what = _(d["kind"]) + (f", {d['driver']}" if d["driver"] else "")
    names = ", ".join(f"{o['address'].split(':', 1)[-1]} {_(o['kind'])}" for o in d["with"])
    if not d["with"]:
        verdict = _("alone in group {group}: can be passed through").format(group=d["group"])
    elif d["alone"]:
        verdict = _("shares group {group} only with other functions of its own device "
                    "({names}): can be passed through with them").format(group=d["group"],
                                                                         names=names)
    else:
        verdict = _("shares group {group} with {names}: not without giving those to the guest "
                    "too").format(group=d["group"], names=names)
    reset = _("; reset: {how}").format(how=d["reset"]) if d.get("reset") else ""
    return f"{short} ({what}) {verdict}{reset}"


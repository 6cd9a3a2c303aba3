"""What the machine under this kernel is, beyond "which hypervisor": how it booted (UEFI, a
BIOS with SMBIOS tables, or a monitor that loads the kernel itself), whether it is a cloud
instance (and a bare-metal one), and whether it is a confidential VM.

These decide who can change what: a cloud's nested-virtualization switch is the provider's
setting, a bare-metal instance has no hypervisor under it (systemd's ``detect_vm_dmi()`` treats
Amazon's ``*.metal`` the same way), a confidential guest's monitor is not a KVM host its owner
can reconfigure, and a microVM started without firmware has no boot menu to pick Xen from.
"""

from __future__ import annotations

from typing import Optional

from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, F, Fact
from kernel_advisor.probe.context import Context

#: DMI ``sys_vendor``/``product_name``/``chassis_asset_tag`` prefixes → the cloud they name
#: (systemd's cloud table in ``src/basic/virt.c`` and the providers' own documentation)
CLOUDS = (
    ("sys_vendor", "Amazon EC2", "aws"), ("product_name", "Google Compute Engine", "gcp"),
    ("sys_vendor", "Google", "gcp"), ("chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77",
                                      "azure"),
    ("sys_vendor", "Alibaba Cloud", "alibaba"), ("sys_vendor", "DigitalOcean", "digitalocean"),
    ("sys_vendor", "Hetzner", "hetzner"), ("chassis_asset_tag", "OracleCloud.com", "oracle"),
    ("product_name", "OpenStack", "openstack"), ("sys_vendor", "Scaleway", "scaleway"),
)
#: cpuinfo flags a confidential guest's kernel sets (X86_FEATURE_TDX_GUEST; the SEV bits the
#: guest sees in CPUID 0x8000001f when its memory is encrypted)
CONFIDENTIAL_FLAGS = (("tdx_guest", "tdx"), ("sev_snp", "sev-snp"), ("sev_es", "sev-es"),
                      ("sev", "sev"))
GUEST_DEVICES = (("/dev/tdx_guest", "tdx"), ("/dev/sev-guest", "sev-snp"))


def _dmi(ctx: Context, name: str) -> Optional[str]:
    return ctx.first_line(f"/sys/class/dmi/id/{name}")[0]


def detect(ctx: Context) -> None:
    root = ctx.root
    firmware = root.stat("/sys/firmware")
    efi = None if firmware is None else root.stat("/sys/firmware/efi") is not None
    dmi_dir = root.stat("/sys/class/dmi/id")
    dmi = None if root.stat("/sys/class") is None else dmi_dir is not None
    product = _dmi(ctx, "product_name") if dmi else None
    cloud = None
    if dmi:
        for key, prefix, name in CLOUDS:
            line = _dmi(ctx, key)
            if line and line.startswith(prefix):
                cloud = name
                break
    metal = bool(cloud and product and product.endswith(".metal"))
    flags = set(ctx.value(F.CPU_FLAGS) or [])
    guest = bool(ctx.value(F.CPU_HYPERVISOR_FLAG))
    confidential = next((kind for flag, kind in CONFIDENTIAL_FLAGS if flag in flags and guest),
                        None)
    if confidential is None:
        confidential = next((kind for path, kind in GUEST_DEVICES if root.stat(path)), None)
    kmsg = (ctx.live_fact("kmsg") or {}).get("lines") or []
    if confidential is None and guest and any("memory encryption features active" in line.lower()
                                              and "sev" in line.lower() for line in kmsg):
        confidential = "sev"
    value = {"efi": efi, "dmi": dmi, "product": product, "cloud": cloud, "metal": metal,
             "confidential": confidential}
    bits = []
    if confidential:
        bits.append(_("a confidential VM ({kind})").format(kind=confidential))
    if cloud:
        bits.append(_("a bare-metal {cloud} instance ({product})").format(
            cloud=cloud, product=product) if metal else
            _("a {cloud} cloud instance").format(cloud=cloud))
    if efi is not None:
        bits.append(_("booted by UEFI") if efi else
                    _("booted without UEFI") + ("" if dmi else _(" and without SMBIOS (DMI) "
                                                                 "tables")))
    ctx.add(Fact(id=F.PLATFORM, label=_("Platform"), value=value, status=INFO,
                 summary="; ".join(bits) or _("nothing more is known"),
                 source="/sys/firmware, /sys/class/dmi/id",
                 raw=", ".join(f"{k}={v}" for k, v in value.items() if k != "product")))

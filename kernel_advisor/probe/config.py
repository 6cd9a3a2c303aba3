"""The kernel's build configuration: ``/proc/config.gz``, else ``/boot/config-RELEASE``.

Only the options that decide the answer are kept (KVM, Xen, lguest, paravirt, vhost and a few
more): a config has thousands of lines and snapshots should stay small and free of noise.
"""

from __future__ import annotations

import re
import zlib
from typing import Dict, Tuple

from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, F, Fact, unknown
from kernel_advisor.probe.context import Context

CONFIG_LINE = re.compile(
    r"^(?:# )?(CONFIG_(?:KVM\w*|XEN\w*|LGUEST\w*|PARAVIRT\w*|VHOST\w*|TUN|VFIO|INTEL_IOMMU|"
    r"AMD_IOMMU|MODULES|X86_PAE|HIGHMEM64G|X86_32|X86_64|64BIT|IKCONFIG_PROC|HYPERVISOR_GUEST))"
    r"(?:=(.*)| is not set)$", re.M)
SHOWN = ("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD", "CONFIG_KVM_PVM", "CONFIG_XEN",
         "CONFIG_XEN_DOM0", "CONFIG_LGUEST", "CONFIG_MODULES")


def config_entries(text: str) -> Dict[str, str]:
    """Every ``CONFIG_X=value`` (and ``# CONFIG_X is not set``) entry of a kernel config, in
    file order (a later line wins)."""
    return dict(_entry(m) for m in CONFIG_LINE.finditer(text))


def _entry(m: re.Match[str]) -> Tuple[str, str]:
    return m.group(1), m.group(2) if m.group(2) is not None else "n"


def detect(ctx: Context) -> None:
    tried = []
    text = source = None
    gz = ctx.root.read("/proc/config.gz", cap=2 << 20)
    if gz.data is not None:
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            text = d.decompress(gz.data, 4 << 20).decode("utf-8", "replace")
            source = "/proc/config.gz"
        except zlib.error as exc:
            tried.append(_("/proc/config.gz is corrupt ({exc})").format(exc=exc))
    else:
        tried.append(f"/proc/config.gz: {gz.reason}")
    release = ctx.value(F.KERNEL_RELEASE)
    if text is None and release and not ctx.what_if_kernel:
        path = f"/boot/config-{release}"
        got = ctx.root.read(path, cap=4 << 20)
        if got.text is not None:
            text, source = got.text, path
        else:
            tried.append(f"{path}: {got.reason}")
    if text is None:
        ctx.add(unknown(F.KERNEL_CONFIG, _("Kernel configuration"), "; ".join(tried),
                        "/proc/config.gz"))
        return
    config = config_entries(text)
    shown = " ".join(f"{k}={v}" for k, v in config.items() if k in SHOWN)
    ctx.add(Fact(id=F.KERNEL_CONFIG, label=_("Kernel configuration"), value=config, status=INFO,
                 summary=shown or _("no virtualization options found"), source=source,
                 raw="\n".join(f"{k}={v}" for k, v in config.items())))

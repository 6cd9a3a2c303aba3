"""Whose kernel is this, and whose system: the one lookup over ``distros.json`` and
``vendors.json``.

The rule (``docs/cli-contract.md``): the kernel release's shape comes first — ``.el9`` is Red
Hat's, ``-150700.`` SUSE's, ``-pve`` Proxmox's (``vendors.json`` ``shapes``, in order).
``/etc/os-release`` decides the shapes that several vendors share (``-lts`` is Arch Linux's and
Alpine Linux's) and names a derivative's own kernels (Pop!_OS builds its own ``-generic``
kernels), and it names a rebuild's product (a ``.el9`` kernel on Rocky Linux is Rocky's) or the
release where the kernel release does not (SUSE 12's ``4.12.14-122.37-default``). It does so
only where it describes the kernel's own system: never in a container (the image's os-release,
the host's kernel), never for a what-if kernel (unless ``--distro`` names the system), and a
kernel no shape matches (a custom build) never becomes a vendor kernel.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Pattern, Tuple

from kernel_advisor import data, kernel
from kernel_advisor.model import F, HostFacts

#: an os-release as the probe keeps it (ID, ID_LIKE, VERSION_ID, VARIANT_ID, NAME)
OsRelease = Mapping[str, str]


@dataclass(frozen=True)
class Owner:
    """Whose kernel a release is. ``vendor`` None: nobody's in our data (upstream, custom, or a
    shape several vendors share with no os-release to decide it)."""

    vendor: Optional[str] = None
    flavour: Optional[str] = None
    product: Optional[str] = None  # a vendors.json product: its lifecycle applies
    cycle: Optional[str] = None  # the product's release ("9", "15.7"), where known
    minor: Optional[str] = None  # the kernel's minor release ("9.4"), where the release names it
    basis: str = ""  # what decided it, for the reader
    distro: Optional[str] = None  # the distros.json id whose commands fit this kernel's system
    by_series: bool = False  # the release is known only by the upstream series
    by_base: Optional[str] = None  # ... or by the distribution it is built on (Proxmox: Debian)


@dataclass(frozen=True)
class Shape:
    pattern: Pattern[str]
    spec: Dict[str, Any]


@lru_cache(maxsize=None)
def shapes() -> Tuple[Shape, ...]:
    return tuple(Shape(re.compile(s["pattern"], re.ASCII), s)
                 for s in data.load("vendors.json")["shapes"])


def os_id(osr: OsRelease) -> str:
    return (osr.get("ID") or "").lower()


def _claim(spec: Dict[str, Any], osr: OsRelease) -> Optional[Dict[str, Any]]:
    """The entry of ``claimed_by`` whose system this os-release is."""
    me = os_id(osr)
    return next((c for c in spec.get("claimed_by", ()) if me and me in c["ids"]), None)


@lru_cache(maxsize=512)
def _owner(release: str, osr_items: Tuple[Tuple[str, str], ...]) -> Owner:
    osr = dict(osr_items)
    for shape in shapes():
        if not shape.pattern.search(release):
            continue
        spec = shape.spec
        claim = _claim(spec, osr)
        if claim is not None:  # the system's own kernel of a shared shape: its owner entirely
            spec = {k: v for k, v in claim.items() if k != "ids"}
            basis = f"kernel release shape, on {os_id(osr)} (/etc/os-release)"
        elif spec["vendor"] is None:
            return Owner(flavour=spec["flavour"], basis="kernel release shape shared by "
                         "several vendors; no os-release of the kernel's system to decide")
        else:
            basis = "kernel release"
        return _product(spec, release, osr, basis)
    return Owner()


def _product(spec: Dict[str, Any], release: str, osr: OsRelease, basis: str) -> Owner:
    product = spec.get("product")
    cycle = minor = None
    m = re.search(spec["cycle"], release, re.ASCII) if spec.get("cycle") else None
    if m:
        groups = m.groupdict()
        cycle = ".".join(str(int(groups[g])) for g in ("major", "sub") if groups.get(g))
        minor = f"{int(groups['major'])}.{int(groups['minor'])}" if groups.get("minor") else None
        basis = f"kernel release ({m.group(0).strip('.-+~')})"
    own_system = bool(osr) and os_id(osr) in _ids_of(spec.get("distro"))
    if product and cycle is None and spec.get("os_cycle") and own_system and \
            osr.get("VERSION_ID"):
        cycle = osr["VERSION_ID"]
        if spec["os_cycle"] == "major":
            cycle = cycle.split(".")[0]
        basis = f"kernel release ({spec['vendor']}), {os_id(osr)} {cycle} (/etc/os-release)"
    for rebuild in spec.get("os_products", ()):
        if rebuild.get("from_cycle") and _major(cycle) < rebuild["from_cycle"]:
            continue
        if os_id(osr) in rebuild["ids"] and rebuild.get("name_has", "") in (osr.get("NAME") or ""):
            product = rebuild["product"]
            basis += f", on {os_id(osr)} (/etc/os-release)"
            break
    return Owner(spec["vendor"], spec["flavour"], product, cycle, minor, basis, spec.get("distro"),
                 bool(spec.get("by_series")), spec.get("by_base"))


def _major(cycle: Optional[str]) -> int:
    head = (cycle or "").split(".")[0]
    return int(head) if head.isdigit() else -1


def _ids_of(distro_id: Optional[str]) -> Tuple[str, ...]:
    """The os-release IDs of the family a distros.json id belongs to (its own system's)."""
    if not distro_id:
        return ()
    for fam in data.load("distros.json")["families"].values():
        if distro_id in fam["ids"]:
            return tuple(fam["ids"])
    return (distro_id,)


def owner(release: Optional[str], osr: Optional[OsRelease] = None) -> Owner:
    """Whose kernel ``release`` is, with ``osr`` the os-release of the kernel's own system
    (:func:`kernel_os_release`; empty where there is none)."""
    if not release or len(release) > kernel.MAX_RELEASE:
        return Owner()
    keep = tuple(sorted((k, v) for k, v in (osr or {}).items()
                        if k in ("ID", "VERSION_ID", "NAME")))
    return _owner(release.strip(), keep)


def owned(r: kernel.KernelRelease, osr: Optional[OsRelease] = None) -> kernel.KernelRelease:
    """``r`` with its vendor and flavour (the parse alone names neither: it runs in the
    collector, which interprets nothing)."""
    o = owner(r.release, osr)
    if o.vendor is None and o.flavour is None:
        return r
    if o.vendor is None:
        return dataclasses.replace(r, flavour=o.flavour)
    return dataclasses.replace(r, vendor=o.vendor, flavour=o.flavour, git_snapshot=False,
                               notes=tuple(n for n in r.notes if n != kernel.GIT_NOTE))


def kernel_os_release(os_release: OsRelease, container: Optional[str],
                      what_if: Mapping[str, str]) -> Dict[str, str]:
    """The os-release that describes the analysed kernel's own system: the host's, except in a
    container (the image's userspace on the host's kernel) and for a what-if kernel, where only
    ``--distro ID[:VERSION]`` names the system."""
    if "kernel" in what_if:
        if "distro" not in what_if:
            return {}
        distro_id, _sep, version = what_if["distro"].strip().lower().partition(":")
        return {"ID": distro_id, **({"VERSION_ID": version} if version else {})}
    if container:
        return {}
    return dict(os_release)


def host_kernel_os_release(host: HostFacts) -> Dict[str, str]:
    """:func:`kernel_os_release` of an analysed host."""
    return kernel_os_release(host.os_release, host.value(F.CONTAINER_KIND), host.what_if)


def host_release(host: HostFacts) -> kernel.KernelRelease:
    """The analysed kernel's release, parsed and owned."""
    return owned(kernel.parse(host.value(F.KERNEL_RELEASE)), host_kernel_os_release(host))


def claimed_ids() -> List[str]:
    """Every os-release ID a shape names (the tests check each is a known distribution)."""
    return sorted({i for s in shapes() for c in s.spec.get("claimed_by", ()) for i in c["ids"]})

"""Whose kernel is this, and where is it in that vendor's lifecycle?

The kernel release decides whose kernel it is: ``.el9`` is Red Hat's, ``-150700.`` SUSE's,
``-generic`` Canonical's, ``-pve`` Proxmox's, ``.el9uek`` Oracle's. ``/etc/os-release`` only breaks
ties (a ``.el9`` kernel on Rocky Linux is Rocky's; ``6.8.0-NN-generic`` is Ubuntu 24.04's GA
kernel or 22.04's HWE kernel) and never makes a kernel that is not the distribution's own a vendor
kernel: a container reads its image's os-release, WSL runs Microsoft's kernel, and a custom kernel
on Debian follows upstream's lifecycle.

The dates are endoflife.date's (bundled in ``releases.json``); the phases, their names and which
are paid are ``kernel_advisor/data/vendors.json``.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from kernel_advisor import data, kernel
from kernel_advisor.i18n import _

_EL = re.compile(r"\.el(\d+)(?:_(\d+))?", re.ASCII)
_SLES = re.compile(r"-(\d{2})(\d{2})00\.", re.ASCII)  # -150700.x: SLE 15 SP7
_FC = re.compile(r"\.fc(\d+)", re.ASCII)
_DEB = re.compile(r"[.~+](?:deb|bpo)(\d+)", re.ASCII)  # 6.12.43+deb13-amd64, 6.1.0-0.deb11.13
#: (product, release or None, minor release or None, how it was known)
Product = Tuple[str, Optional[str], Optional[str], str]
RHEL_REBUILDS = ("centos", "almalinux", "rocky", "ol")


def table() -> Dict[str, Any]:
    doc = data.load("vendors.json")
    if doc.get("schema") != 1:
        raise ValueError("kernel_advisor/data/vendors.json: unknown schema")
    return doc


def product_of(r: kernel.KernelRelease, osr: Dict[str, str]
               ) -> Optional[Product]:
    """``(product, cycle, minor, basis)`` of a distribution kernel, or None for a kernel no
    distribution's lifecycle covers (upstream, custom, WSL, rolling distributions)."""
    os_id = (osr.get("ID") or "").lower()
    os_version = osr.get("VERSION_ID")
    m = _EL.search(r.release)
    if r.vendor in ("Red Hat", "Oracle") and m:
        product = "ol" if r.vendor == "Oracle" else "rhel"
        basis = f"kernel release (el{m.group(1)})"
        if product == "rhel" and os_id in RHEL_REBUILDS:
            product, basis = os_id, basis + f", on {os_id} (/etc/os-release)"
        minor = f"{m.group(1)}.{m.group(2)}" if m.group(2) else None
        return product, m.group(1), minor, basis
    if r.vendor == "SUSE":
        m = _SLES.search(r.release)
        if not m:
            return "sles", None, None, "kernel release (SUSE)"
        cycle = f"{int(m.group(1))}.{int(m.group(2))}"
        if os_id.startswith("opensuse"):
            return "opensuse", cycle, None, f"kernel release (-{m.group(1)}{m.group(2)}00), " \
                                            "on openSUSE Leap (/etc/os-release)"
        return "sles", cycle, None, f"kernel release (-{m.group(1)}{m.group(2)}00)"
    if r.vendor == "Fedora":
        m = _FC.search(r.release)
        return ("fedora", m.group(1), None, f"kernel release (fc{m.group(1)})") if m else None
    if r.vendor == "Debian":
        m = _DEB.search(r.release)
        if m:
            return "debian", m.group(1), None, f"kernel release (deb{m.group(1)})"
        return _by_series("debian", r, os_version if os_id == "debian" else None)
    if r.vendor == "Canonical":
        return _by_series("ubuntu", r, os_version if os_id == "ubuntu" else None)
    if r.vendor == "Proxmox":
        by_base = table()["kernels"]["proxmox"]["debian"].get(os_version or "")
        if os_id == "debian" and by_base:
            return "proxmox", by_base, None, f"kernel release (-pve), on Debian {os_version}"
        return _by_series("proxmox", r, None)
    return None


def _by_series(product: str, r: kernel.KernelRelease, os_version: Optional[str]) -> Product:
    """A distribution whose kernel release does not name its release: by the upstream series
    (Ubuntu GA/HWE, Debian, Proxmox VE), with the host's own release breaking ties."""
    candidates = table()["kernels"][product]["series"].get(r.series or "", [])
    if os_version and (os_version in candidates or not candidates):
        return product, os_version, None, f"kernel release, {product} {os_version} " \
                                          "(/etc/os-release)"
    if candidates:
        hint = f" (or {', '.join(candidates[1:])})" if len(candidates) > 1 else ""
        return product, candidates[0], None, f"kernel series {r.series}{hint}"
    return product, None, None, "kernel release"


def support(product: str, cycle: Optional[str], minor: Optional[str], basis: str,
            distros: Dict[str, Dict[str, Any]], today: str) -> Dict[str, Any]:
    """The ``vendor_support`` record: at least ``product``, ``until`` (the end of the phase the
    product is in now; null if that end is not announced or not known) and ``phase``."""
    spec = table()["products"][product]
    name = spec["name"] + (f" {cycle}" if cycle else "")
    out = {"product": name, "until": None, "phase": "unknown", "paid": None, "ended": False,
           "id": product, "vendor": spec["vendor"], "cycle": cycle, "minor": minor, "basis": basis,
           "phases": [], "latest": None, "update": _update(spec, cycle), "source_url": spec["url"],
           "data_url": spec["data_url"]}
    row = distros.get(product, {}).get(cycle or "")
    if not row:
        return out
    out["latest"] = row.get("latest")
    for field, phase, paid in spec["phases"]:
        value = row.get(field)
        if value is None:
            continue
        if out["phases"] and isinstance(value, str) and value == out["phases"][-1]["until"]:
            continue  # Ubuntu's two standard phases end together
        out["phases"].append({"phase": phase, "until": value if isinstance(value, str) else None,
                              "paid": paid, "announced": isinstance(value, str) or value is False})
    current = next((p for p in out["phases"] if p["until"] is None and p["announced"]
                    or (p["until"] or "") >= today), None)
    if current is not None:
        out.update(until=current["until"], phase=current["phase"], paid=current["paid"])
    else:
        dated = [p["until"] for p in out["phases"] if p["until"]]
        out.update(until=max(dated) if dated else None, phase="end of life", ended=True)
    for p in out["phases"]:
        p.pop("announced")
    return out


def _update(spec: Dict[str, Any], cycle: Optional[str]) -> str:
    """The update command of that release (``yum`` before RHEL 8)."""
    major = int(cycle.split(".")[0]) if cycle and cycle.split(".")[0].isdigit() else None
    for limit, command in sorted(spec.get("update_before", {}).items(), key=lambda kv: int(kv[0])):
        if major is not None and major < int(limit):
            return str(command)
    return str(spec["update"])


def notes(st: Dict[str, Any], series: Optional[str], upstream_end: Optional[str]) -> List[str]:
    """The sentences that explain a vendor_support record, the same in every output."""
    vendor, product = st["vendor"], st["product"]
    if st["phase"] == "unknown":
        return [_("A {vendor} kernel: {vendor}'s lifecycle applies, not kernel.org's; which "
                  "release's lifecycle ({product}) is not in our data.").format(
                  vendor=vendor,
                  product=product)]
    first = headline_part(st, series, upstream_end)
    said = [first[:1].upper() + first[1:] + "."]
    if st["ended"]:
        said.append(_("Move to a supported {split_0} release: {vendor} publishes no more fixes "
                      "for this one.").format(split_0=product.split()[0], vendor=vendor))
    latest, minor = st.get("latest"), st.get("minor")
    if not st["ended"] and latest and minor and latest != minor and "." in latest:
        said.append(_("This kernel comes from {split_0} {minor}; the current minor release is "
                      "{latest}: update within {product} ({st_update}).").format(
                      split_0=product.split()[0],
                      minor=minor,
                      latest=latest,
                      product=product,
                      st_update=st['update']))
    after = table()["products"][st["id"]].get("after")
    if after and (st["ended"] or st["phase"].startswith("Debian LTS")):
        said.append(after)
    return said


def headline_part(st: Dict[str, Any], series: Optional[str], upstream_end: Optional[str]) -> str:
    """``supported by Red Hat until 2032-05-31 (RHEL 9, maintenance support); upstream 5.14
    ended in 2021 — fixes come from Red Hat, not kernel.org``. ``upstream_end``: None while
    the upstream series lives, else the date it ended ("" if unknown)."""
    vendor, product = st["vendor"], st["product"]
    if st["ended"]:
        when = _(" on {date}").format(date=st["until"]) if st["until"] else ""
        return _("{product} reached its end of life{when}: no more fixes from {vendor}").format(
                 product=product,
                 when=when,
                 vendor=vendor)
    until = (_(" until {date}").format(date=st["until"]) if st["until"]
             else _(" (no end date announced yet)"))
    text = _("supported by {vendor}{until} ({product}, {st_phase})").format(
             vendor=vendor,
             until=until,
             product=product,
             st_phase=st['phase'])
    if upstream_end is not None and series:
        ended = (_("ended in {year}").format(year=upstream_end[:4]) if upstream_end
                 else _("has reached its end of life"))
        text += _("; upstream {series} {ended} — fixes come from {vendor}, not kernel.org").format(
                  series=series,
                  ended=ended,
                  vendor=vendor)
    return text

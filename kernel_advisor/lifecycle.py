"""Where a vendor's kernel is in that vendor's lifecycle.

Whose kernel it is, and which release of the vendor's product, is :mod:`kernel_advisor.systems`'
(the kernel release's shape, with the os-release of the kernel's own system deciding shared
shapes, rebuilds and the releases a kernel release does not name). Here: the release a kernel
known only by its upstream series belongs to (Ubuntu GA/HWE, Debian, Proxmox VE), the phases and
their dates.

The dates are endoflife.date's (bundled in ``releases.json``), or, for the products that data
lacks (CentOS Stream, Clear Linux OS), ``vendors.json``'s own with their source; the phases,
their names and which are paid are ``kernel_advisor/data/vendors.json``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from kernel_advisor import data, kernel
from kernel_advisor.i18n import _
from kernel_advisor.systems import OsRelease, Owner, os_id

#: (product, release or None, minor release or None, how it was known)
Product = Tuple[str, Optional[str], Optional[str], str]


def messages() -> List[str]:
    """The sentences of ``vendors.json`` shown to users (phase names, what comes after), for the
    translators' template (tools/i18n.py)."""
    out: List[str] = []
    for spec in table()["products"].values():
        out += [phase for _field, phase, _paid in spec["phases"]]
        out += [spec["after"]] if "after" in spec else []
    return list(dict.fromkeys(out))


def table() -> Dict[str, Any]:
    doc = data.load("vendors.json")
    if doc.get("schema") != 1:
        raise ValueError("kernel_advisor/data/vendors.json: unknown schema")
    return doc


def product_of(o: Owner, r: kernel.KernelRelease, osr: OsRelease) -> Optional[Product]:
    """``(product, cycle, minor, basis)`` of a vendor's kernel, or None for a kernel no
    distribution's lifecycle covers (upstream, custom, WSL, rolling distributions). ``osr``: the
    os-release of the kernel's own system (``systems.kernel_os_release``)."""
    if o.product is None:
        return None
    if o.cycle is not None:
        return o.product, o.cycle, o.minor, o.basis
    version = osr.get("VERSION_ID")
    if o.by_base:
        by_base = table()["kernels"][o.product][o.by_base].get(version or "")
        if os_id(osr) == o.by_base and by_base:
            return o.product, by_base, None, f"kernel release, on {o.by_base} {version}"
    if o.by_series:
        own = version if os_id(osr) == o.product else None
        return _by_series(o.product, r, own)
    if o.product in table()["products"] and "*" in table()["products"][o.product].get("cycles",
                                                                                       {}):
        return o.product, "*", None, o.basis
    return o.product, None, None, o.basis


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
    name = spec["name"] + (f" {cycle}" if cycle and cycle != "*" else "")
    out = {"product": name, "until": None, "phase": "unknown", "paid": None, "ended": False,
           "id": product, "vendor": spec["vendor"], "cycle": cycle, "minor": minor, "basis": basis,
           "phases": [], "latest": None, "update": _update(spec, cycle), "source_url": spec["url"],
           "data_url": spec["data_url"]}
    row = distros.get(product, {}).get(cycle or "") or spec.get("cycles", {}).get(cycle or "")
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
        said.append(_("Move to a supported {distribution} release: {vendor} publishes no more "
                      "fixes for this one.").format(distribution=product.split()[0],
                                                    vendor=vendor))
    latest, minor = st.get("latest"), st.get("minor")
    if not st["ended"] and latest and minor and latest != minor and "." in latest:
        said.append(_("This kernel comes from {distribution} {minor}; the current minor release is "
                      "{latest}: update within {product} ({command}).").format(
                      distribution=product.split()[0],
                      minor=minor,
                      latest=latest,
                      product=product,
                      command=st['update']))
    after = table()["products"][st["id"]].get("after")
    if after and (st["ended"] or st["phase"].startswith("Debian LTS")):
        said.append(_(after))
    return said


def headline_part(st: Dict[str, Any], series: Optional[str], upstream_end: Optional[str]) -> str:
    """``supported by Red Hat until 2032-05-31 (RHEL 9, maintenance support); upstream 5.14
    ended in 2021 — fixes come from Red Hat, not kernel.org``. ``upstream_end``: None while
    the upstream series lives, else the date it ended ("" if unknown)."""
    vendor, product = st["vendor"], st["product"]
    if st["ended"]:
        when = _(" on {date}").format(date=st["until"]) if st["until"] else ""
        text = _("{product} reached its end of life{when}: no more fixes from {vendor}").format(
                 product=product,
                 when=when,
                 vendor=vendor)
        if upstream_end is None and series:
            text += _("; upstream {series} is still maintained on kernel.org, but its fixes no "
                      "longer reach this kernel").format(series=series)
        return text
    until = (_(" until {date}").format(date=st["until"]) if st["until"]
             else _(" (no end date announced yet)"))
    text = _("supported by {vendor}{until} ({product}, {phase})").format(
             vendor=vendor,
             until=until,
             product=product,
             phase=_(st["phase"]))
    if upstream_end is not None and series:
        ended = (_("ended in {year}").format(year=upstream_end[:4]) if upstream_end
                 else _("has reached its end of life"))
        text += _("; upstream {series} {ended} — fixes come from {vendor}, not kernel.org").format(
                  series=series,
                  ended=ended,
                  vendor=vendor)
    return text

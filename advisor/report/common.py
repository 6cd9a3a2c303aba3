"""What every report format says the same way: what was analysed, the sources, commands."""

from __future__ import annotations

import re

_COMMAND = re.compile(r"(sudo|make|lguest|xl|modprobe|VBoxManage) ")
SOURCES_ABOUT = ("Facts come from the project's fact sheet (kernel-facts.md), each labelled "
                 "VERIFIED (primary source read), SECONDARY or UNVERIFIED (worded as such).")
TIMELINE_ABOUT = ("Where each framework exists in mainline Linux (KVM from 2.6.20; lguest "
                  "2.6.23–4.13; Xen domU from 2.6.23, dom0 from 2.6.37/3.0; VMI 2.6.21–2.6.36).")


def analysed(a) -> str:
    """``this computer``, ``snapshot host.tar.gz``… plus the what-if, if any."""
    what = a.host.origin
    if a.host.what_if:
        what += " — what if " + ", ".join(f"{k}={v}" for k, v in a.host.what_if.items())
    return what


def is_command(step: str) -> bool:
    """A next step that is a command to copy, not a sentence."""
    return _COMMAND.match(step) is not None


def all_sources(a) -> list:
    """Every knowledge-base fact the verdicts cite, once, in order of first citation."""
    seen: dict = {}
    for v in a.verdicts:
        for s in v.sources:
            seen.setdefault(s["id"], s)
    return list(seen.values())

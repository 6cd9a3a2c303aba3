"""What every report format says the same way: what was analysed, the sources, commands."""

from __future__ import annotations

import re

from advisor.i18n import N_, _

_COMMAND = re.compile(r"(sudo|make|lguest|xl|modprobe|VBoxManage) ")
SOURCES_ABOUT = (N_("Each fact names its source — the kernel's git tree at a release or commit, a "
                    "mailing-list message, a vendor's page — and how it was checked: VERIFIED (the "
                    "primary source was read), SECONDARY (read through a copy or a report) or "
                    "UNVERIFIED (worded as uncertain)."))


def timeline_about() -> str:
    """The timeline in words, from the same knowledge-base facts the picture draws."""
    from advisor import knowledge

    spans = []
    for bar in knowledge.load()["timeline"]["bars"]:
        since, until = knowledge.bounds(bar["fact"])
        spans.append(f"{bar['label']} {since}–{knowledge.last_before(until)}" if until
                     else _("{label} from {since}").format(label=bar["label"], since=since))
    return _("Where each framework exists in mainline Linux: ") + "; ".join(spans) + "."


def source_link(s: dict) -> str:
    """A cited fact as plain text: its citation, label and URL."""
    return f"{s['source']} ({s['status']})" + (f" — {s['source_url']}" if s.get("source_url")
                                               else "")


def analysed(a) -> str:
    """What was analysed, said plainly — every page and report opens with it."""
    return subject(a.host.origin, a.host.what_if, a.host.captured)


def subject(origin: str, what_if: dict, captured: str | None = None) -> str:
    """``This computer``, ``Snapshot host.tar.gz, taken 2026-11-20 14:03 UTC``,
    ``What if this computer ran kernel 2.6.23 on i686``… from a root's label (``this computer``,
    ``snapshot NAME``, ``directory DIR``), the what-if and the snapshot's date."""
    if origin.startswith("snapshot "):
        name = origin[len("snapshot "):]
        if captured:
            machine = _("the machine of snapshot {name} (taken {date})")
            plain = _("Snapshot {name}, taken {date}")
        else:
            machine, plain = _("the machine of snapshot {name}"), _("Snapshot {name}")
    elif origin.startswith("directory "):
        name = origin[len("directory "):]
        machine, plain = _("the machine in directory {name}"), _("Directory {name}")
    else:
        name, machine, plain = origin, _("this computer"), _("This computer")
    machine = machine.format(name=name, date=captured)
    kernel, arch = what_if.get("kernel"), what_if.get("arch")
    if kernel and arch:
        what = _("What if {machine} ran kernel {kernel} on {arch}")
    elif kernel:
        what = _("What if {machine} ran kernel {kernel}")
    elif arch:
        what = _("What if {machine} were {arch}")
    else:
        what = plain
    what = what.format(machine=machine, kernel=kernel, arch=arch, name=name, date=captured)
    distro = what_if.get("distro")
    return _("{subject} (commands for {distro})").format(subject=what, distro=distro) \
        if distro else what


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

"""lguest: 2.6.23 to 4.13, 32-bit x86 hosts only, Linux guests only, no VT needed."""

from __future__ import annotations

from advisor import knowledge
from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules.context import Context, add_source, block, cite


def evaluate(c: Context) -> Verdict:
    v = Verdict("lguest", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH])
    since, until = knowledge.bounds(K.LGUEST_RANGE)
    if c.release.wsl == 1:
        block(v, "This is WSL1: not a Linux kernel, so there is no lguest.", K.WSL1)
        return v
    if c.family is not None and c.family != "x86_32":
        block(v, f"lguest hosts are 32-bit x86 only; this is {c.arch}.", K.LGUEST_ARCH)
        if c.release.understood and c.before(until):
            v.next_steps.append(f"A 32-bit (i686) kernel of {since}–4.13 on this machine "
                                "could host lguest.")
        return v
    inside = c.in_range(K.LGUEST_RANGE)
    if inside is False:
        if c.before(since):
            block(v, f"Linux {c.release.version} predates lguest: it arrived in {since}.",
                  K.LGUEST_RANGE)
            v.next_steps.append(f"Move to a kernel between {since} and 4.13 (for example "
                                "2.6.24, the 'wait for it' choice of that era).")
        else:
            block(v, f"Linux {c.release.version} no longer has lguest: it was removed in "
                     f"{until}.", K.LGUEST_RANGE)
        return v
    if c.answers.guests == "any":
        block(v, "lguest runs Linux guests only, and you need other guest systems too.",
              K.LGUEST_GUESTS)
        return v
    if inside is None:
        v.unknowns.append("kernel release")
        v.reasons.append("The kernel release is unknown, so whether it has lguest is unknown.")
    else:
        cite(v, K.LGUEST_RANGE)
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown; lguest needs a 32-bit x86 host.")
    else:
        cite(v, K.LGUEST_ARCH)
    cite(v, K.LGUEST_GUESTS)
    cite(v, K.LGUEST_NOVT)
    if c.release.pae or c.config.get("CONFIG_X86_PAE") == "y":
        cite(v, K.LGUEST_PAE)
    cite(v, K.LGUEST_EXPERIMENTAL)
    if c.config.get("CONFIG_LGUEST") == "n":
        v.next_steps.append("Rebuild the kernel with CONFIG_LGUEST=m (this one has it off).")
    v.next_steps += ["sudo modprobe lg",
                     "Build the launcher: make -C Documentation/lguest (tools/lguest in later "
                     "trees).",
                     "Start a guest: sudo lguest 64 vmlinux --tunnet=192.168.19.1 "
                     "--block=rootfile root=/dev/vda"]
    add_source(v, K.LGUEST_LAUNCHER)
    return v

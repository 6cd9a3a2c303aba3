"""lguest: 2.6.23 to 4.13, 32-bit x86 hosts only, Linux guests only, no VT needed."""

from __future__ import annotations

from advisor import knowledge
from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules.context import Context, add_source, block, cite
from advisor.i18n import _


def evaluate(c: Context) -> Verdict:
    v = Verdict("lguest", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH])
    since, until = knowledge.bounds(K.LGUEST_RANGE)
    if c.release.wsl == 1:
        block(v, _("This is WSL1: not a Linux kernel, so there is no lguest."), K.WSL1)
        return v
    if c.family is not None and c.family != "x86_32":
        block(v, _("lguest hosts are 32-bit x86 only; this is {arch}.").format(arch=c.arch),
              K.LGUEST_ARCH)
        if c.release.understood and c.before(until):
            last = knowledge.last_before(until)
            v.next_steps.append(_("A 32-bit (i686) kernel of {since}–{last} on this machine "
                                  "could host lguest.").format(since=since, last=last))
        return v
    inside = c.in_range(K.LGUEST_RANGE)
    if inside is False:
        if c.before(since):
            block(v, _("Linux {version} predates lguest: it arrived in {since}.").format(
                       version=c.release.version,
                       since=since),
                  K.LGUEST_RANGE)
            v.next_steps.append(_("Move to a kernel from {since} on (lguest is in {since} to "
                                  "{last_before_until}), on a 32-bit x86 host.").format(
                                  since=since,
                                  last_before_until=knowledge.last_before(until)))
        else:
            block(v, _("Linux {version} no longer has lguest: it was removed in {until}.").format(
                       version=c.release.version,
                       until=until), K.LGUEST_RANGE)
        return v
    if c.answers.guests == "any":
        block(v, _("lguest runs Linux guests only, and you need other guest systems too."),
              K.LGUEST_GUESTS)
        return v
    if inside is None:
        v.unknowns.append("kernel release")
        v.reasons.append(_("The kernel release is unknown, so whether it has lguest is unknown."))
    else:
        cite(v, K.LGUEST_RANGE)
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append(_("The architecture is unknown; lguest needs a 32-bit x86 host."))
    else:
        cite(v, K.LGUEST_ARCH)
    cite(v, K.LGUEST_GUESTS)
    cite(v, K.LGUEST_NOVT)
    if not _pae(c, v):
        return v
    cite(v, K.LGUEST_EXPERIMENTAL)
    if c.config.get("CONFIG_LGUEST") == "n":
        v.next_steps.append(_("Rebuild the kernel with CONFIG_LGUEST=m (this one has it off)."))
    load = "sudo modprobe lg"
    if c.container:
        load = _("On the host (inside {container} no module can be loaded): {load}").format(
                 container=c.container,
                 load=load)
    first = c.in_range(K.LGUEST_BLOCKDEV) is False  # 2.6.23: lguest_blk, /dev/lgba
    launch = ("sudo Documentation/lguest/lguest 64m vmlinux --tunnet=192.168.19.1 "
                "--block=rootfile root=/dev/lgba" if first else
              "sudo lguest 64 vmlinux --tunnet=192.168.19.1 --block=rootfile root=/dev/vda")
    v.next_steps += [load,
                     _("Build the launcher: make -C Documentation/lguest (tools/lguest in later "
                       "trees)."),
                     _("Start a guest: {launch}").format(launch=launch)]
    add_source(v, K.LGUEST_BLOCKDEV)
    add_source(v, K.LGUEST_LAUNCHER)
    return v


def _pae(c: Context, v: Verdict) -> bool:
    """Before 2.6.31 lguest's Kconfig excluded PAE kernels (False: ``v`` is blocked)."""
    if c.in_range(K.LGUEST_PAE) is not False:
        if c.release.understood:
            cite(v, K.LGUEST_PAE)
        return True
    built_pae = c.config.get("CONFIG_X86_PAE") if c.config else None
    if built_pae == "y" or c.release.pae:
        block(v, _("Linux {version}'s lguest needs a kernel built without PAE, and {release} "
                   "is a PAE kernel.").format(
                   version=c.release.version,
                   release=c.release.release), K.LGUEST_PAE)
        v.next_steps.append(_("Boot a non-PAE (CONFIG_HIGHMEM64G=n) kernel of this release, or "
                              "a kernel from 2.6.31 on, where PAE is allowed."))
        return False
    if built_pae is None:
        if c.pae_cpu:
            v.unknowns.append(_("whether this kernel uses PAE"))
        cite(v, K.LGUEST_PAE, _("lguest before 2.6.31 needs a kernel built without PAE "
                                "(CONFIG_X86_PAE off): whether this one is depends on its "
                                "configuration, which is not known here."))
    return True

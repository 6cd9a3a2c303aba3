"""lguest as requirements: 2.6.23 to 4.13, 32-bit x86 hosts only, Linux guests only, no VT.

1. ``lguest.kernel_kind``  a real Linux kernel
2. ``lguest.arch``         a 32-bit x86 kernel
3. ``lguest.kernel_range`` the analysed kernel has lguest (2.6.23–4.13)
4. ``lguest.guests``       Linux guests only
5. ``lguest.pae``          before 2.6.31, a kernel built without PAE
6. ``lguest.module``       built (CONFIG_LGUEST) and loaded (lg.ko; not from a container)
7. ``lguest.live_proof``   /dev/lguest opens for this user
"""

from __future__ import annotations

from typing import Optional

from kernel_advisor import knowledge
from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import F, Layer, Requirement, State, Verdict, Who
from kernel_advisor.rules.context import Context
from kernel_advisor.rules.requirements import cited, evaluate, req, step
from kernel_advisor.stack import KernelKind

MET, FIXABLE, IMPOSSIBLE, UNKNOWN = State.MET, State.FIXABLE, State.IMPOSSIBLE, State.UNKNOWN


def kernel_kind(c: Context) -> Optional[Requirement]:
    if c.stack.kernel.kind == KernelKind.WSL1:
        return req("lguest.kernel_kind", Layer.KERNEL, IMPOSSIBLE, _(
            "This is WSL1: not a Linux kernel, so there is no lguest."),
            evidence=[F.KERNEL_RELEASE], source=K.WSL1)
    if c.stack.kernel.kind in (KernelKind.UML, KernelKind.SANDBOX):
        return req("lguest.kernel_kind", Layer.KERNEL, IMPOSSIBLE, _(
            "This kernel does not run on hardware (User-mode Linux, or a sandbox's kernel): it "
            "has no lguest."), evidence=[F.HYPERVISOR_VENDOR, F.CONTAINER_KIND])
    return None


def arch(c: Context) -> Optional[Requirement]:
    rid, ev = "lguest.arch", [F.KERNEL_ARCH]
    since, until = knowledge.span(K.LGUEST_RANGE)
    if c.family is None:
        return req(rid, Layer.KERNEL, UNKNOWN, _(
            "The architecture is unknown; lguest needs a 32-bit x86 host."), evidence=ev,
            source=K.LGUEST_ARCH, topic=_("architecture"))
    if c.family != "x86_32":
        fix = []
        if c.release.understood and c.before(until):
            fix = [step(_("A 32-bit (i686) kernel of {since}–{last} on this machine could host "
                          "lguest.").format(since=since, last=knowledge.last_before(until)),
                        who=Who.ADMIN)]
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
            "lguest hosts are 32-bit x86 only; this is {arch}.").format(arch=c.arch),
            evidence=ev, source=K.LGUEST_ARCH, fix=fix)
    return req(rid, Layer.KERNEL, MET, cited(K.LGUEST_ARCH), evidence=ev, source=K.LGUEST_ARCH)


def kernel_range(c: Context) -> Optional[Requirement]:
    rid, ev = "lguest.kernel_range", [F.KERNEL_RELEASE]
    since, until = knowledge.span(K.LGUEST_RANGE)
    inside = c.in_range(K.LGUEST_RANGE)
    if inside is None:
        return req(rid, Layer.KERNEL, UNKNOWN, _(
            "The kernel release is unknown, so whether it has lguest is unknown."),
            evidence=ev, source=K.LGUEST_RANGE, topic=_("kernel release"))
    if inside:
        return req(rid, Layer.KERNEL, MET, cited(K.LGUEST_RANGE), evidence=ev,
                   source=K.LGUEST_RANGE)
    if c.before(since):
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
            "Linux {version} predates lguest: it arrived in {since}.").format(
                version=c.release.version, since=since), evidence=ev, source=K.LGUEST_RANGE,
            fix=[step(_("Move to a kernel from {since} on (lguest is in {since} to "
                        "{last}), on a 32-bit x86 host.").format(
                            since=since, last=knowledge.last_before(until)),
                      who=Who.ADMIN)])
    return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
        "Linux {version} no longer has lguest: it was removed in {until}.").format(
            version=c.release.version, until=until), evidence=ev, source=K.LGUEST_RANGE)


def guests(c: Context) -> Optional[Requirement]:
    if c.family not in (None, "x86_32") and c.answers.guests != "any":
        return None  # not an lguest host in the first place (lguest.arch)
    if c.answers.guests == "any":
        return req("lguest.guests", Layer.KERNEL, IMPOSSIBLE, _(
            "lguest runs Linux guests only, and you need other guest systems too."),
            source=K.LGUEST_GUESTS)
    return req("lguest.guests", Layer.KERNEL, MET, cited(K.LGUEST_GUESTS) + " " +
               cited(K.LGUEST_NOVT), source=K.LGUEST_GUESTS)


def pae(c: Context) -> Optional[Requirement]:
    """Before the release ``lguest.pae`` names, lguest's Kconfig excluded PAE kernels."""
    rid, ev = "lguest.pae", [F.KERNEL_RELEASE, F.KERNEL_CONFIG, F.CPU_PAE]
    if c.family != "x86_32" or c.in_range(K.LGUEST_PAE) is not False:
        return None
    built_pae = c.config.get("CONFIG_X86_PAE") if c.config else None
    pae_from = knowledge.bounds(K.LGUEST_PAE)[0]
    if built_pae == "y" or c.release.pae:
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "Linux {version}'s lguest needs a kernel built without PAE, and {release} is a PAE "
            "kernel.").format(version=c.release.version, release=c.release.release),
            evidence=ev, source=K.LGUEST_PAE, replaces_kernel=True,
            fix=[step(_("Boot a non-PAE (CONFIG_HIGHMEM64G=n) kernel of this release, or a "
                        "kernel from {since} on, where PAE is allowed.").format(
                            since=pae_from), who=Who.ADMIN)])
    if built_pae is None:
        return req(rid, Layer.KERNEL, UNKNOWN if c.pae_cpu else MET, _(
            "lguest before {since} needs a kernel built without PAE (CONFIG_X86_PAE off): "
            "whether this one is depends on its configuration, which is not known here.").format(
                since=pae_from),
            evidence=ev, source=K.LGUEST_PAE, topic=_("whether this kernel uses PAE"))
    return req(rid, Layer.KERNEL, MET, _("This kernel was built without PAE."), evidence=ev,
               source=K.LGUEST_PAE)


def module(c: Context) -> Optional[Requirement]:
    rid, ev = "lguest.module", [F.LGUEST_DEVICE, F.KERNEL_CONFIG]
    if c.family != "x86_32" or c.in_range(K.LGUEST_RANGE) is False:
        return None
    if c.config.get("CONFIG_LGUEST") == "n":
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "This kernel was built without lguest (CONFIG_LGUEST is off)."), evidence=ev,
            replaces_kernel=True, fix=[step(_(
                "Rebuild the kernel with CONFIG_LGUEST=m (this one has it off)."),
                who=Who.ADMIN)])
    if not c.what_if and c.host.value(F.LGUEST_DEVICE):
        return req(rid, Layer.KERNEL, MET, _("lguest's module is loaded (/dev/lguest)."),
                   evidence=ev)
    load = "sudo modprobe lg"
    if c.container:
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "Inside {container} no module can be loaded: the host loads lguest's "
            "module.").format(container=c.container), evidence=ev + [F.CONTAINER_KIND],
            fix=[step(_("On the host: {cmd}").format(cmd=load), load, Who.OUTER_HOST)])
    if c.config.get("CONFIG_LGUEST") in ("m", "y"):
        return req(rid, Layer.KERNEL, FIXABLE, _("lguest's module (lg) is not loaded."),
                   evidence=ev, source=K.LGUEST_LAUNCHER, fix=[step(load, load, Who.ADMIN)])
    return req(rid, Layer.KERNEL, UNKNOWN, _(
        "Whether this kernel was built with lguest (CONFIG_LGUEST) is not known; if it was, "
        "loading lg gives /dev/lguest."), evidence=ev, source=K.LGUEST_LAUNCHER,
        fix=[step(load, load, Who.ADMIN)], topic=_("lguest in this kernel's build"))


def live_proof(c: Context) -> Optional[Requirement]:
    if c.family != "x86_32" or c.in_range(K.LGUEST_RANGE) is False:
        return None
    rid, ev = "lguest.live_proof", [F.LGUEST_DEVICE, F.USER_SESSION]
    if c.what_if:
        return req(rid, Layer.LIVE, UNKNOWN, _(
            "Not tried: a what-if kernel's /dev/lguest cannot be opened."), evidence=ev)
    if (c.host.value(F.USER_SESSION) or {}).get("lguest_rw"):
        return req(rid, Layer.LIVE, MET, _("/dev/lguest opens for this user."), evidence=ev)
    return req(rid, Layer.LIVE, UNKNOWN, _("Whether /dev/lguest opens is not known."),
               evidence=ev)


REQUIREMENTS = (kernel_kind, arch, kernel_range, guests, pae, module, live_proof)


def evaluate_lguest(c: Context) -> Verdict:
    v = Verdict("lguest")
    notes = [cited(K.LGUEST_EXPERIMENTAL)] if c.family == "x86_32" else []
    first = c.in_range(K.LGUEST_BLOCKDEV) is False  # 2.6.23: lguest_blk, /dev/lgba
    launch = ("sudo Documentation/lguest/lguest 64m vmlinux --tunnet=192.168.19.1 "
              "--block=rootfile root=/dev/lgba" if first else
              "sudo lguest 64 vmlinux --tunnet=192.168.19.1 --block=rootfile root=/dev/vda")
    after = [step(_("Build the launcher: make -C Documentation/lguest (tools/lguest in later "
                    "trees)."), "make -C Documentation/lguest"),
             step(_("Start a guest: {launch}").format(launch=launch), launch, Who.ADMIN)]
    v = evaluate(v, REQUIREMENTS, c, notes, after)
    for fid in (K.LGUEST_BLOCKDEV, K.LGUEST_LAUNCHER):
        if v.usable and all(s["id"] != fid for s in v.sources):
            v.sources.append(knowledge.source_of(fid))
    return v

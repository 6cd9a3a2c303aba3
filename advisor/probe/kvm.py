"""KVM on this host: the ``/dev/kvm`` node, whether this user may open it, whether a real
``KVM_CREATE_VM`` succeeds (kvm-ok only checks that the file exists), the modules, nesting for
our own guests, and other hypervisors holding VT."""

from __future__ import annotations

from advisor.hostfs import Root
from advisor.model import FAIL, INFO, OK, UNKNOWN, WARN, F, Fact, unknown
from advisor.probe.context import CONFLICTING, KVM_MODULES, Context

ACCESS_LABEL, USABLE_LABEL = "Can this user open /dev/kvm", "KVM_CREATE_VM works"
KVM_MISC_DEVICE = (10, 232)
BUILT_IN = ("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD", "CONFIG_KVM_PVM")


def detect(ctx: Context) -> None:
    _device(ctx)
    mods, mods_src = ctx.modules()
    config = ctx.value(F.KERNEL_CONFIG) or {}
    present = [m for m in KVM_MODULES if m in mods]
    built = [k for k in BUILT_IN if config.get(k) == "y"]
    summary = ", ".join(present) if present else "no KVM module loaded"
    if built:
        summary += f"; built in: {', '.join(built)}"
    ctx.add(Fact(F.KVM_MODULES, "KVM modules", present, OK if present or built else WARN,
                 summary, mods_src, " ".join(present) or None))
    _nested(ctx)
    conflicts = _holders(ctx)
    ctx.add(Fact(F.KVM_CONFLICTS, "Other hypervisors holding VT", conflicts,
                 WARN if conflicts else OK,
                 ("loaded: " + ", ".join(conflicts)) if conflicts else "none loaded",
                 "/proc/modules"))


def _holders(ctx: Context) -> list:
    """The other hypervisors whose modules are loaded (they hold VT-x/AMD-V while they run)."""
    mods, _ = ctx.modules()
    return [name for mod, name in CONFLICTING.items() if mod in mods]


def _device(ctx: Context) -> None:
    root = ctx.root
    node = root.stat("/dev/kvm")
    if node is None and not root.is_live and root.stat("/dev") is None:
        for fid, label in ((F.KVM_DEVICE, "/dev/kvm"), (F.KVM_ACCESS, ACCESS_LABEL),
                           (F.KVM_USABLE, USABLE_LABEL)):
            ctx.add(unknown(fid, label, "this capture holds no /dev", "/dev/kvm"))
        return
    if node is None:
        ctx.add(Fact(F.KVM_DEVICE, "/dev/kvm", "absent", WARN,
                     "/dev/kvm does not exist (KVM module not loaded, not built, or not passed "
                     "into this container)", "/dev/kvm"))
        ctx.add(Fact(F.KVM_ACCESS, ACCESS_LABEL, None, INFO, "no device to open", "/dev/kvm"))
        ctx.add(Fact(F.KVM_USABLE, USABLE_LABEL, None, INFO, "not tried: no /dev/kvm",
                     "/dev/kvm"))
        return
    fine = node.kind == "char" and (node.major, node.minor) == KVM_MISC_DEVICE
    desc = (f"{node.kind} device {node.major}:{node.minor}, {node.perms}, "
            f"owner uid {node.uid}, group gid {node.gid}")
    ctx.add(Fact(F.KVM_DEVICE, "/dev/kvm", "present", OK if fine else WARN,
                 desc if fine else f"present but odd: {desc}", "/dev/kvm", desc))
    _access(ctx, node)
    _create_vm(ctx)


def _access(ctx: Context, node) -> None:
    group = group_name(ctx.root, node.gid)
    group_rw = node.perms[4:6] == "rw" and group not in ("root", "gid 0")
    ctx.add(Fact(F.KVM_GROUP, "Group that may open /dev/kvm", group if group_rw else None,
                 INFO, f"members of {group} may open it ({node.perms})" if group_rw else
                 f"no group may: {node.perms}, group {group}", "/dev/kvm", node.perms))
    access = ctx.live_fact("access")
    if access is None:
        ctx.add(unknown(F.KVM_ACCESS, ACCESS_LABEL,
                        ctx.live_missing("access", "this snapshot did not record who "
                                         "captured it"), "/dev/kvm"))
        return
    ok = bool(access.get("rw_access"))
    user = access.get("user")
    if ok:
        summary = f"yes, {user} can open it read-write"
    elif not group_rw:
        summary = (f"no: {node.perms}, group {group} may not open it either. Fix: a udev rule "
                   'KERNEL=="kvm", GROUP="kvm", MODE="0660", then '
                   f"sudo usermod -aG kvm {user} and log in again")
    else:
        summary = (f"no: {user} may not open it ({node.perms}, group {group}). "
                   f"Fix: sudo usermod -aG {group} {user} and log in again")
    groups = access.get("groups") or []
    ctx.add(Fact(F.KVM_ACCESS, ACCESS_LABEL, ok, OK if ok else FAIL, summary, "/dev/kvm",
                 f"uid={access.get('uid')} groups={','.join(map(str, groups))}"))


def _create_vm(ctx: Context) -> None:
    result = ctx.live_fact("kvm")
    if result is None:
        ctx.add(unknown(F.KVM_USABLE, USABLE_LABEL,
                        ctx.live_missing("kvm", "this snapshot did not record the KVM "
                                         "ioctls"), "/dev/kvm"))
        return
    raw = ", ".join(f"{k}={v}" for k, v in result.items() if v is not None and k != "path")
    if result.get("create_vm") == "ok":
        vcpus = f", up to {result['max_vcpus']} vCPUs" if result.get("max_vcpus") else ""
        ctx.add(Fact(F.KVM_USABLE, USABLE_LABEL, True, OK,
                     f"yes: API version {result.get('api_version')}, a VM was created and "
                     f"closed{vcpus}", "/dev/kvm ioctl", raw))
    elif not result.get("opened"):
        ctx.add(Fact(F.KVM_USABLE, USABLE_LABEL, None, UNKNOWN,
                     f"not tried: could not open /dev/kvm ({result.get('error')})",
                     "/dev/kvm ioctl", raw, "the device could not be opened"))
    else:
        busy = result.get("errno") == "EBUSY"
        holder = " and ".join(_holders(ctx)) or "another hypervisor (none of the known modules is " \
            "loaded)"
        ctx.add(Fact(F.KVM_USABLE, USABLE_LABEL, False, FAIL,
                     f"no: {holder} holds VT-x/AMD-V (EBUSY)" if busy else
                     f"no: {result.get('error')}", "/dev/kvm ioctl", raw))


def _nested(ctx: Context) -> None:
    for mod in ("kvm_intel", "kvm_amd", "kvm"):
        path = f"/sys/module/{mod}/parameters/nested"
        line, _ = ctx.first_line(path)
        if line:
            on = line in ("Y", "y", "1")
            ctx.add(Fact(F.KVM_NESTED, "Nested virtualization (for our guests)", on, INFO,
                         f"{mod} nested={line}: guests here "
                         + ("can" if on else "cannot") + " run their own KVM", path, line))
            return
    ctx.add(Fact(F.KVM_NESTED, "Nested virtualization (for our guests)", None, INFO,
                 "no nested parameter: kvm_intel/kvm_amd not loaded, or a kernel before 3.1",
                 "/sys/module/kvm_intel/parameters/nested"))


def group_name(root: Root, gid: int) -> str:
    for line in (root.text("/etc/group") or "").splitlines():
        cols = line.split(":")
        if len(cols) > 2 and cols[2] == str(gid):
            return cols[0]
    return f"gid {gid}"

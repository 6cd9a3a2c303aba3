"""KVM on this host: the ``/dev/kvm`` node, whether this user may open it, whether a real
``KVM_CREATE_VM`` succeeds (kvm-ok only checks that the file exists), the modules, nesting for
our own guests, and other hypervisors holding VT."""

from __future__ import annotations

from typing import Dict, List, Optional

from kernel_advisor.hostfs import Node, Root
from kernel_advisor.i18n import _
from kernel_advisor.model import FAIL, INFO, OK, UNKNOWN, WARN, F, Fact, unknown
from kernel_advisor.probe.context import CONFLICTING, KVM_MODULES, Context

ACCESS_LABEL, USABLE_LABEL = _("Can this user open /dev/kvm"), _("KVM_CREATE_VM works")
KVM_MISC_DEVICE = (10, 232)
BUILT_IN = ("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD", "CONFIG_KVM_PVM")


def detect(ctx: Context) -> None:
    _device(ctx)
    _session(ctx)
    _blocked(ctx)
    mods, mods_src = ctx.modules()
    config = ctx.value(F.KERNEL_CONFIG) or {}
    present = [m for m in KVM_MODULES if m in mods]
    built = [k for k in BUILT_IN if config.get(k) == "y"]
    summary = ", ".join(present) if present else _("no KVM module loaded")
    if built:
        summary += _("; built in: {built}").format(built=', '.join(built))
    if not present and not built and ctx.modules_unknown:
        ctx.add(unknown(F.KVM_MODULES, _("KVM modules"), ctx.modules_unknown, mods_src))
    else:
        ctx.add(Fact(id=F.KVM_MODULES, label=_("KVM modules"), value=present,
                     status=OK if present or built else WARN, summary=summary,
                     source=mods_src, raw=" ".join(present) or None))
    _nested(ctx)
    at_load = _virt_at_load(ctx)
    conflicts = _holders(ctx)
    vendor = [m for m in ("kvm_intel", "kvm_amd") if m in ctx.modules()[0]]
    if conflicts and vendor and at_load:
        summary = _("{holders} loaded: its VMs cannot start while {vendor} is loaded, which "
                    "turned VT-x/AMD-V on when it loaded (kvm.enable_virt_at_load=Y)").format(
                        holders=" and ".join(conflicts), vendor=vendor[0])
    elif conflicts:
        summary = _("{holders} loaded: it takes VT-x/AMD-V while its VMs run").format(
            holders=" and ".join(conflicts))
    else:
        summary = _("none loaded")
    ctx.add(Fact(id=F.KVM_CONFLICTS, label=_("Other hypervisors' drivers"), value=conflicts,
                 status=WARN if conflicts and vendor and at_load else INFO if conflicts else OK,
                 summary=summary, source="/proc/modules"))


def _virt_at_load(ctx: Context) -> Optional[bool]:
    """``kvm.enable_virt_at_load`` (Linux 6.12 on): whether KVM turned VT-x/AMD-V on when its
    module loaded, keeping it from VirtualBox and VMware even while no KVM VM runs; None before
    6.12 (KVM takes it only while a VM runs) or where KVM is not loaded."""
    path = "/sys/module/kvm/parameters/enable_virt_at_load"
    line, why = ctx.first_line(path)
    label = _("KVM turns VT on at module load")
    if line is None:
        ctx.add(Fact(id=F.KVM_VIRT_AT_LOAD, label=label, value=None, status=INFO,
                     summary=_("no such parameter: a kernel before 6.12, where KVM takes "
                               "VT-x/AMD-V only while a VM runs, or KVM is not loaded"),
                     source=path, reason=why))
        return None
    on = line in ("Y", "y", "1")
    ctx.add(Fact(id=F.KVM_VIRT_AT_LOAD, label=label, value=on, status=INFO, summary=(
        _("yes (Y): VT-x/AMD-V is KVM's from the moment its module loaded") if on else
        _("no (N): KVM takes VT-x/AMD-V only while a VM runs")), source=path, raw=line))
    return on


def _holders(ctx: Context) -> List[str]:
    """The other hypervisors whose modules are loaded (they hold VT-x/AMD-V while they run)."""
    mods, _unused = ctx.modules()
    return [name for mod, name in CONFLICTING.items() if mod in mods]


def _device(ctx: Context) -> None:
    root = ctx.root
    node = root.stat("/dev/kvm")
    if node is None and not root.is_live and root.stat("/dev") is None:
        for fid, label in ((F.KVM_DEVICE, "/dev/kvm"), (F.KVM_ACCESS, ACCESS_LABEL),
                           (F.KVM_USABLE, USABLE_LABEL)):
            ctx.add(unknown(fid, label, _("this capture holds no /dev"), "/dev/kvm"))
        return
    if node is None:
        ctx.add(Fact(id=F.KVM_DEVICE, label="/dev/kvm", value="absent", status=WARN,
                     summary=_("/dev/kvm does not exist (KVM module not loaded, not built, or "
                               "not passed into this container)"), source="/dev/kvm"))
        ctx.add(Fact(id=F.KVM_ACCESS, label=ACCESS_LABEL, value=None, status=INFO,
                     summary=_("no device to open"), source="/dev/kvm"))
        ctx.add(Fact(id=F.KVM_USABLE, label=USABLE_LABEL, value=None, status=INFO,
                     summary=_("not tried: no /dev/kvm"), source="/dev/kvm"))
        return
    group = group_name(ctx.root, node.gid)
    ctx.add(Fact(id=F.KVM_NODE, label=_("/dev/kvm owner and mode"),
                 value={"uid": node.uid, "gid": node.gid, "mode": node.perms,
                        "group": None if group.startswith("gid ") else group},
                 summary=_("{perms}, owner uid {uid}, group {group}").format(
                     perms=node.perms, uid=node.uid, group=group),
                 source="/dev/kvm", raw=f"{node.perms} {node.uid}:{node.gid}"))
    fine = node.kind == "char" and (node.major, node.minor) == KVM_MISC_DEVICE
    desc = (_("{kind} device {major}:{minor}, {perms}, owner uid {uid}, group gid {gid}").format(
              kind=node.kind,
              major=node.major,
              minor=node.minor,
              perms=node.perms,
              uid=node.uid,
              gid=node.gid))
    ctx.add(Fact(id=F.KVM_DEVICE, label="/dev/kvm", value="present", status=OK if fine else WARN,
                 summary=desc if fine else _("present but odd: {desc}").format(desc=desc),
                 source="/dev/kvm", raw=desc))
    _access(ctx, node)
    _create_vm(ctx)
    _vcpu(ctx)
    _guests(ctx)


def _access(ctx: Context, node: Node) -> None:
    group = group_name(ctx.root, node.gid)
    group_rw = node.perms[4:6] == "rw" and group not in ("root", "gid 0")
    ctx.add(Fact(id=F.KVM_GROUP, label=_("Group that may open /dev/kvm"),
                 value=group if group_rw else None, status=INFO,
                 summary=_("members of {group} may open it ({perms})").format(
                           group=group,
                           perms=node.perms) if group_rw else
                   _("no group may: {perms}, group {group}").format(perms=node.perms, group=group),
                 source="/dev/kvm", raw=node.perms))
    access = ctx.live_fact("access")
    if access is None:
        ctx.add(unknown(F.KVM_ACCESS, ACCESS_LABEL,
                        ctx.live_missing("access", _("this snapshot did not record who "
                                           "captured it")), "/dev/kvm"))
        return
    ok = bool(access.get("rw_access"))
    user = access.get("user")
    if ok:
        summary = _("yes, {user} can open it read-write").format(user=user)
    elif not group_rw:
        summary = (_("no: {perms}, group {group} may not open it either. Fix: a udev rule "
                     "KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\", then sudo usermod -aG kvm "
                     "{user} and log in again").format(perms=node.perms, group=group, user=user))
    else:
        summary = (_("no: {user} may not open it ({perms}, group {group}). Fix: sudo usermod "
                     "-aG {group} {user} and log in again").format(
                     user=user,
                     perms=node.perms,
                     group=group))
    groups = access.get("groups") or []
    ctx.add(Fact(id=F.KVM_ACCESS, label=ACCESS_LABEL, value=ok, status=OK if ok else FAIL,
                 summary=summary, source="/dev/kvm",
                 raw=f"uid={access.get('uid')} groups={','.join(map(str, groups))}"))


def _session(ctx: Context) -> None:
    """Who the evidence is about: the user, the groups of their session (the process's, fixed
    at login), and whether ``/etc/group`` lists them in ``/dev/kvm``'s group already."""
    access = ctx.live_fact("access")
    if access is None:
        ctx.add(unknown(F.USER_SESSION, _("Who is asking"),
                        ctx.live_missing("access", _("this snapshot did not record who "
                                                     "captured it")), "/etc/group"))
        return
    node = ctx.value(F.KVM_NODE) or {}
    gid, group = node.get("gid"), node.get("group") or f"gid {node.get('gid')}"
    user = access.get("user")
    listed = _listed_in(ctx.root, gid, user) if user and gid is not None else None
    gids = access.get("gids")
    session = (gid in gids if gids is not None else group in (access.get("groups") or [])) \
        if gid is not None else None
    groups = access.get("groups") or []
    value = {"user": user, "uid": access.get("uid"), "groups": groups,
             "gids": gids, "device_group_in_session": session,
             "device_group_lists_user": listed, "lguest_rw": access.get("lguest_rw")}
    if listed and not session:
        summary = _("{user} is listed in group {group} in /etc/group, but this session started "
                    "before that: its groups are {groups}").format(
                        user=user, group=group, groups=", ".join(groups) or "—")
    else:
        summary = _("{user} (uid {uid}), groups: {groups}").format(
            user=user, uid=access.get("uid"), groups=", ".join(groups) or "—")
    ctx.add(Fact(id=F.USER_SESSION, label=_("Who is asking"), value=value, summary=summary,
                 source="/etc/group", raw=f"gids={gids}"))


def _listed_in(root: Root, gid: int, user: str) -> Optional[bool]:
    """Whether ``/etc/group``'s line for ``gid`` lists ``user`` (None: no such line here)."""
    for line in (root.text("/etc/group") or "").splitlines():
        cols = line.split(":")
        if len(cols) > 3 and cols[2] == str(gid):
            return user in cols[3].split(",")
    return None


#: where modprobe reads its configuration (modprobe.d(5)), most specific first
MODPROBE_DIRS = ("/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                 "/usr/lib/modprobe.d", "/lib/modprobe.d")
BLOCK_OPTIONS = ("module_blacklist", "modprobe.blacklist")


def _blocked(ctx: Context) -> None:
    """KVM modules that ``modprobe`` will refuse: ``blacklist NAME`` (which stops aliases, not
    an explicit modprobe), ``install NAME /bin/false`` (or ``/bin/true``), and the kernel
    command line's ``module_blacklist=``/``modprobe.blacklist=``."""
    found: Dict[str, str] = {}
    for folder in MODPROBE_DIRS:
        for name in sorted(ctx.root.listdir(folder) or []):
            if not name.endswith(".conf"):
                continue
            path = f"{folder}/{name}"
            for line in (ctx.root.text(path) or "").splitlines():
                words = line.split("#", 1)[0].split()
                if len(words) >= 2 and words[1].replace("-", "_") in KVM_MODULES:
                    mod = words[1].replace("-", "_")
                    if words[0] == "blacklist" or (
                            words[0] == "install" and len(words) > 2
                            and words[2].rsplit("/", 1)[-1] in ("false", "true")):
                        found.setdefault(mod, f"{path}: {line.strip()}")
    for option in (ctx.value(F.KERNEL_CMDLINE) or "").split():
        key, _sep, mods = option.partition("=")
        if key in BLOCK_OPTIONS:
            for mod in mods.split(","):
                if mod.replace("-", "_") in KVM_MODULES:
                    found.setdefault(mod.replace("-", "_"), f"/proc/cmdline: {option}")
    ctx.add(Fact(id=F.KVM_BLOCKED, label=_("KVM modules blocked from loading"),
                 value=found, status=WARN if found else OK,
                 summary="; ".join(found.values()) if found else _("none blocked"),
                 source="/etc/modprobe.d", raw="; ".join(found.values()) or None))


def _create_vm(ctx: Context) -> None:
    result = ctx.live_fact("kvm")
    if result is None:
        ctx.add(unknown(F.KVM_USABLE, USABLE_LABEL,
                        ctx.live_missing("kvm", _("this snapshot did not record the KVM "
                                           "ioctls")), "/dev/kvm"))
        return
    raw = ", ".join(f"{k}={v}" for k, v in result.items() if v is not None and k != "path")
    if result.get("create_vm") == "ok":
        vcpus = _(", up to {count} vCPUs").format(count=result["max_vcpus"]) \
            if result.get("max_vcpus") else ""
        ctx.add(Fact(id=F.KVM_USABLE, label=USABLE_LABEL, value=True, status=OK,
                     summary=_("yes: API version {version}, a VM was created and closed{vcpus}")
                     .format(version=result.get("api_version"), vcpus=vcpus),
                     source="/dev/kvm ioctl", raw=raw))
    elif not result.get("opened"):
        ctx.add(Fact(id=F.KVM_USABLE, label=USABLE_LABEL, value=None, status=UNKNOWN,
                     summary=_("not tried: could not open /dev/kvm ({error})").format(
                               error=result.get('error')), source="/dev/kvm ioctl", raw=raw,
                     reason=_("the device could not be opened")))
    else:
        busy = result.get("errno") == "EBUSY"
        holder = " and ".join(_holders(ctx)) or _("another hypervisor (none of the known "
                                                  "modules is loaded)")
        ctx.add(Fact(id=F.KVM_USABLE, label=USABLE_LABEL, value=False, status=FAIL,
                     summary=_("no: {holder} holds VT-x/AMD-V (EBUSY)").format(holder=holder)
                     if busy else f"no: {result.get('error')}", source="/dev/kvm ioctl", raw=raw))


def _vcpu(ctx: Context) -> None:
    """Whether a vCPU ran guest code to HLT (:mod:`kernel_advisor.vcpu`), as the live record has
    it; a record from before the vCPU run has no ``vcpu_ran``: not recorded."""
    label = _("A vCPU runs guest code (KVM_RUN)")
    result = ctx.live_fact("kvm")
    if result is None or result.get("create_vm") != "ok":
        why = (_("the KVM ioctls were not recorded") if result is None else
               _("could not open /dev/kvm ({error})").format(error=result.get("error"))
               if not result.get("opened") else _("KVM_CREATE_VM did not succeed"))
        ctx.add(unknown(F.KVM_VCPU, label, _("not tried: {why}").format(why=why), "/dev/kvm"))
        return
    if "vcpu_ran" not in result and "vcpu_step" not in result:
        ctx.add(unknown(F.KVM_VCPU, label, _("this snapshot was taken before Kernel Advisor "
                                              "ran a vCPU"), "/dev/kvm"))
        return
    ran, detail = result.get("vcpu_ran"), result.get("vcpu_detail") or ""
    raw = ", ".join(f"{k}={v}" for k, v in result.items()
                    if k.startswith("vcpu_") and v is not None)
    value = {key: result.get(f"vcpu_{key}") for key in ("ran", "exit", "detail", "errno")}
    if ran is True:
        ctx.add(Fact(id=F.KVM_VCPU, label=label, value=value, status=OK, summary=_(
            "yes: a vCPU ran guest code to HLT through KVM_RUN ({detail}); that is all it "
            "proves, not that a full guest boots").format(detail=detail),
            source="/dev/kvm KVM_RUN", raw=raw))
    elif ran is False:
        exit_ = result.get("vcpu_exit")
        ctx.add(Fact(id=F.KVM_VCPU, label=label, value=value, status=FAIL, summary=_(
            "no: KVM_CREATE_VM works, but the vCPU did not run to HLT ({how})").format(
                how="; ".join(x for x in (exit_, detail) if x)), source="/dev/kvm KVM_RUN",
            raw=raw))
    else:
        ctx.add(unknown(F.KVM_VCPU, label, _("not tried: {why}").format(
            why=detail or _("no reason recorded")), "/dev/kvm"))


#: KVM_X86_*_VM by their bit in KVM_CAP_VM_TYPES (arch/x86/include/uapi/asm/kvm.h)
VM_TYPES = ("default", "sw-protected", "sev", "sev-es", "sev-snp", "tdx")
#: the module parameters that switch confidential guests on, and what they switch
CONFIDENTIAL_PARAMS = (("kvm_amd", "sev", "sev"), ("kvm_amd", "sev_es", "sev-es"),
                       ("kvm_amd", "sev_snp", "sev-snp"), ("kvm_intel", "tdx", "tdx"))


def _guests(ctx: Context) -> None:
    """What guests get from this KVM: VMX/SVM in the CPUID it offers (whether they can nest),
    the VM types it creates, and the confidential-guest switches and ``/dev/sev``."""
    label = _("What guests get")
    result = ctx.live_fact("kvm")
    if result is None or not result.get("opened") or "guest_vmx" not in result:
        why = (_("the KVM ioctls were not recorded") if result is None else
               _("not asked: could not open /dev/kvm ({error})").format(error=result.get("error"))
               if not result.get("opened") else
               _("this snapshot was taken before Kernel Advisor asked KVM what guests get"))
        ctx.add(unknown(F.KVM_GUESTS, label, why, "/dev/kvm KVM_GET_SUPPORTED_CPUID"))
        return
    vmx, svm = result.get("guest_vmx"), result.get("guest_svm")
    nested = None if vmx is None and svm is None else bool(vmx or svm)
    bits = result.get("vm_types")
    types = [name for i, name in enumerate(VM_TYPES) if bits is not None and bits >> i & 1]
    switches = {}
    for module, param, kind in CONFIDENTIAL_PARAMS:
        line, _why = ctx.first_line(f"/sys/module/{module}/parameters/{param}")
        if line is not None:
            switches[kind] = line in ("Y", "y", "1")
    sev_device = ctx.root.stat("/dev/sev") is not None
    value = {"nested": nested, "vm_types": types if bits is not None else None,
             "nested_state": result.get("nested_state"), "confidential_switches": switches,
             "sev_device": sev_device}
    said = [(_("guests are offered {ext}: they can run KVM themselves (nested)").format(
                ext="VMX" if vmx else "SVM") if nested else
             _("guests are offered neither VMX nor SVM: they cannot run KVM themselves"))
            if nested is not None else _("the CPUID offered to guests is not known")]
    if bits is not None:
        said.append(_("VM types: {types}").format(types=", ".join(types) or _("none listed")))
        off = [kind for kind, on in switches.items() if on and kind not in types]
        if off:
            said.append(_("{kinds} switched on in the module but not offered by KVM_CAP_VM_TYPES"
                          ).format(kinds=", ".join(off)))
    ctx.add(Fact(id=F.KVM_GUESTS, label=label, value=value, status=INFO, summary="; ".join(said),
                 source="/dev/kvm KVM_GET_SUPPORTED_CPUID, KVM_CAP_VM_TYPES",
                 raw=", ".join(f"{k}={result.get(k)}" for k in
                               ("guest_vmx", "guest_svm", "nested_state", "vm_types"))))


def _nested(ctx: Context) -> None:
    for mod in ("kvm_intel", "kvm_amd", "kvm"):
        path = f"/sys/module/{mod}/parameters/nested"
        line, _unused = ctx.first_line(path)
        if line:
            on = line in ("Y", "y", "1")
            ctx.add(Fact(id=F.KVM_NESTED, label=_("Nested virtualization (for our guests)"),
                         value=on, status=INFO,
                         summary=(_("{mod} nested={line}: guests here can run their own KVM")
                                  if on else
                                  _("{mod} nested={line}: guests here cannot run their own KVM"))
                         .format(mod=mod, line=line), source=path, raw=line))
            return
    ctx.add(Fact(id=F.KVM_NESTED, label=_("Nested virtualization (for our guests)"), value=None,
                 status=INFO,
                 summary=_("no nested parameter: kvm_intel/kvm_amd not loaded, or a kernel "
                           "before 3.1"),
                 source="/sys/module/kvm_intel/parameters/nested"))


def group_name(root: Root, gid: int) -> str:
    for line in (root.text("/etc/group") or "").splitlines():
        cols = line.split(":")
        if len(cols) > 2 and cols[2] == str(gid):
            return cols[0]
    return f"gid {gid}"

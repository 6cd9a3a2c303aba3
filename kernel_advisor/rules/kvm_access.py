"""KVM's ``kvm.device_node`` and ``kvm.user_access``: /dev/kvm exists here (in a container:
was given to it) and this user may open it — the device's group, the session's groups (fixed at
login), /etc/group, and in a container the runtime's group mapping."""

from __future__ import annotations

from typing import Optional

from kernel_advisor.i18n import _
from kernel_advisor.model import F, Layer, Requirement, State, Who
from kernel_advisor.rules.context import Context
from kernel_advisor.rules.kvm_hardware import works
from kernel_advisor.rules.requirements import req, step
from kernel_advisor.stack import KernelKind

MET, FIXABLE, IMPOSSIBLE, UNKNOWN = State.MET, State.FIXABLE, State.IMPOSSIBLE, State.UNKNOWN

#: how each container runtime is given /dev/kvm (their own documentation)
RUNTIME_DEVICE = {
    "docker": ("docker run --device /dev/kvm …", "docker run --device /dev/kvm"),
    "podman": ("podman run --device /dev/kvm …", "podman run --device /dev/kvm"),
    "lxc": ("lxc config device add NAME kvm unix-char source=/dev/kvm (LXD/Incus), or in "
            "the container's config: lxc.cgroup2.devices.allow = c 10:232 rwm and "
            "lxc.mount.entry = /dev/kvm dev/kvm none bind,optional,create=file", None),
    "openvz": ("vzctl set CTID --devnodes kvm:rw --save (on the OpenVZ/Virtuozzo host)", None),
    "systemd-nspawn": ("systemd-nspawn --bind=/dev/kvm with DeviceAllow=/dev/kvm rw in its "
                       "unit", None),
}


def device_node(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.device_node", [F.KVM_DEVICE, F.KVM_MODULES]
    if c.stack.kernel.kind != KernelKind.REAL or c.what_if:
        return None
    if works(c) or c.kvm_device == "present":
        return req(rid, Layer.CONTAINER if c.container else Layer.OS, MET,
                   _("/dev/kvm exists."), evidence=ev)
    if c.kvm_device is None:
        return req(rid, Layer.OS, UNKNOWN, _("Whether /dev/kvm exists is unknown: {why}.")
                   .format(why=c.host.reason(F.KVM_DEVICE) or _("not recorded")), evidence=ev)
    if c.container:
        text, command = RUNTIME_DEVICE.get(c.container, (
            _("give the container the device /dev/kvm (character device 10:232)"), None))
        return req(rid, Layer.CONTAINER, FIXABLE, _(
            "This {container} container was not given /dev/kvm.").format(container=c.container),
            evidence=ev + [F.CONTAINER_KIND],
            fix=[step(_("Whoever starts this container gives it the device: {how}.").format(
                how=text), command, Who.RUNTIME)])
    loaded = {"kvm", "kvm_intel", "kvm_amd", "kvm_pvm"} & set(c.kvm_modules)
    if loaded:
        return req(rid, Layer.OS, FIXABLE, _(
            "KVM's module is loaded, but /dev/kvm does not exist: udev did not create the "
            "device node."), evidence=ev,
            fix=[step(_("Ask udev to create it again (or create it: sudo mknod /dev/kvm c 10 "
                        "232)."), "sudo udevadm trigger --name-match=kvm", Who.ADMIN)])
    return None  # kvm.module says how to load it; the device follows


def user_access(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.user_access", [F.KVM_ACCESS, F.KVM_NODE, F.USER_SESSION]
    u = c.stack.user
    if c.stack.kernel.kind != KernelKind.REAL or c.what_if:
        return None
    if u.access is True or works(c):
        return req(rid, Layer.USER, MET, _("{user} may open /dev/kvm.").format(
            user=u.name or _("This user")), evidence=ev)
    if c.kvm_device != "present":
        return None
    if u.access is None and u.other_rw:
        return req(rid, Layer.USER, MET, _(
            "Every user may open /dev/kvm: its mode lets anyone read and write it."),
            evidence=ev)
    if u.access is None:
        return req(rid, Layer.USER, UNKNOWN, _(
            "Whether this user may open /dev/kvm is unknown: {why}.").format(
                why=c.host.reason(F.KVM_ACCESS) or _("not recorded")), evidence=ev)
    user = u.name or "$USER"
    group = u.device_group
    if u.group_rw and group is None:
        gid = u.device_gid
        if c.container:
            return req(rid, Layer.CONTAINER, FIXABLE, _(
                "/dev/kvm belongs to gid {gid}, which has no name inside this container, and "
                "this process is not in it: the container's runtime maps the groups.").format(
                    gid=gid), evidence=ev, fix=[step(_(
                        "Start the container with that group added: docker run --group-add "
                        "{gid} (podman: --group-add keep-groups).").format(gid=gid),
                        f"--group-add {gid}", Who.RUNTIME)])
        return req(rid, Layer.USER, FIXABLE, _(
            "/dev/kvm belongs to gid {gid}, which has no name in /etc/group.").format(gid=gid),
            evidence=ev, fix=[step(_('Give the device a named group with a udev rule: '
                                     'KERNEL=="kvm", GROUP="kvm", MODE="0660"; then add '
                                     '{user} to it and log in again.').format(user=user),
                                   who=Who.ADMIN)])
    if u.group_rw and u.listed and not u.in_session:
        return req(rid, Layer.USER, FIXABLE, _(
            "{user} is in group {group} in /etc/group, but this login session started before "
            "that and does not have the group yet.").format(user=user, group=group),
            evidence=ev, fix=[step(_("Log out and in again (or start a shell with the group: "
                                     "newgrp {group})").format(group=group),
                                   f"newgrp {group}", Who.YOU)])
    if u.group_rw:
        return req(rid, Layer.USER, FIXABLE, _(
            "{user} may not open /dev/kvm ({mode}, group {group}) and is not in group "
            "{group}.").format(user=user, mode=(c.host.value(F.KVM_NODE) or {}).get("mode"),
                               group=group), evidence=ev,
            fix=[step(_("sudo usermod -aG {group} {user}, then log out and in again (a new "
                        "login session is needed for the group to apply).").format(
                            group=group, user=user),
                      f"sudo usermod -aG {group} {user}", Who.ADMIN)])
    return req(rid, Layer.USER, FIXABLE, _(
        "No group may open /dev/kvm ({mode}): only root can use KVM here.").format(
            mode=(c.host.value(F.KVM_NODE) or {}).get("mode") or "?"), evidence=ev,
        fix=[step(_('An administrator gives the device a group with a udev rule: '
                    'KERNEL=="kvm", GROUP="kvm", MODE="0660", then sudo usermod -aG kvm {user} '
                    'and {user} logs in again.').format(user=user), who=Who.ADMIN)])

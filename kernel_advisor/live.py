"""Facts only a running machine can tell: uname, CPUID, the KVM ioctls, kernel messages, MSRs.

Each function returns a plain dict that can travel in a snapshot's live record, so that
analysing a snapshot elsewhere gives the same facts as analysing the machine live. Nothing
here asks for privileges: the MSRs are read only when we already run as root, and an
``EACCES`` is reported, not escalated.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import grp
import mmap
import os
import pwd
import struct
from typing import Any, Callable, Dict, Optional, Tuple

KVM_GET_API_VERSION = 0xAE00
KVM_CREATE_VM = 0xAE01
KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_NR_VCPUS = 9
KVM_CAP_MAX_VCPUS = 66
KVM_CAP_NESTED_STATE = 157
KVM_CAP_VM_TYPES = 235  # x86, 6.10 on: a bit per VM type KVM_CREATE_VM accepts
#: _IOWR(KVMIO, 0x05, struct kvm_cpuid2): the CPUID KVM can give guests
KVM_GET_SUPPORTED_CPUID = 0xC008AE05
CPUID_ENTRY = 40  #: struct kvm_cpuid_entry2: function, index, flags, eax..edx, padding[3]
#: ``uname -m`` of the machines whose vCPU the guest code can run on
X86_MACHINES = ("x86_64", "i386", "i486", "i586", "i686")

#: lines of the kernel log (lower-cased) that tell whether KVM can have the hardware: VT locked off
#: by the firmware (every wording from 2.6.20 to 6.8: ``kernel-facts.md`` Addendum §4), no VT,
#: arm64's EL2 (``kvm [1]: Hyp mode initialized successfully`` / ``HYP mode not available``) and
#: s390's SIE (Addendum §5)
KMSG_HINTS = ("disabled by bios", "(by bios)", "kvm: no hardware support",
              "vmx not supported by cpu", "svm not supported by cpu", "hyp mode not available",
              "mode initialized successfully", "sie is not available",
              # RISC-V's "kvm [1]: hypervisor extension (not) available" (arch/riscv/kvm/main.c),
              # LoongArch's "Hardware virtualization not available" (arch/loongarch/kvm/main.c),
              # an SEV guest's "Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP"
              "hypervisor extension", "hardware virtualization not available",
              "memory encryption features active")


def uname() -> Dict[str, Any]:
    u = os.uname()
    return {"sysname": u.sysname, "release": u.release, "machine": u.machine}


def cpuid(leaf: int, subleaf: int = 0) -> tuple[int, int, int, int] | None:
    """Run the CPUID instruction without root (x86-64 only); None where it cannot run."""
    if os.uname().machine not in ("x86_64", "AMD64"):
        return None
    try:
        return _cpuid_runner()(leaf, subleaf)
    except (OSError, ValueError, AttributeError):
        return None


CpuidFn = Callable[[int, int], Tuple[int, int, int, int]]
_RUNNER: Optional[CpuidFn] = None


def _cpuid_runner() -> CpuidFn:
    """A tiny machine-code trampoline: (leaf, subleaf, out*) -> out[0..3] = eax, ebx, ecx, edx."""
    global _RUNNER
    if _RUNNER is None:
        code = bytes.fromhex(
            "53"  # push rbx
            "4989d0"  # mov r8, rdx
            "89f8"  # mov eax, edi
            "89f1"  # mov ecx, esi
            "0fa2"  # cpuid
            "418900"  # mov [r8], eax
            "41895804"  # mov [r8+4], ebx
            "41894808"  # mov [r8+8], ecx
            "4189500c"  # mov [r8+12], edx
            "5b"  # pop rbx
            "c3"  # ret
        )
        buf = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        buf.write(code)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
        proto = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_uint32,
                                 ctypes.POINTER(ctypes.c_uint32 * 4))
        func = proto(addr)

        def run(leaf: int, subleaf: int) -> tuple[int, int, int, int]:
            out = (ctypes.c_uint32 * 4)()
            func(leaf, subleaf, ctypes.byref(out))
            return out[0], out[1], out[2], out[3]

        run.keep = (buf, func)  # type: ignore[attr-defined]
        _RUNNER = run
    return _RUNNER


def cpuid_facts() -> Dict[str, Any]:
    """The CPUID bits that matter: raw VMX/SVM capability, the hypervisor bit and signature."""
    leaf1 = cpuid(1)
    if leaf1 is None:
        return {"available": False, "reason": "CPUID cannot be run here (not x86-64, or "
                                              "executable memory is not allowed)"}
    leaf0 = cpuid(0) or (0, 0, 0, 0)
    vendor = b"".join(r.to_bytes(4, "little") for r in (leaf0[1], leaf0[3], leaf0[2]))
    ext = cpuid(0x80000000) or (0, 0, 0, 0)
    svm = False
    if ext[0] >= 0x80000001:
        svm = bool((cpuid(0x80000001) or (0, 0, 0, 0))[2] & (1 << 2))
    hv_bit = bool(leaf1[2] & (1 << 31))
    signature = ""
    if hv_bit:
        hv = cpuid(0x40000000) or (0, 0, 0, 0)
        raw = b"".join(r.to_bytes(4, "little") for r in hv[1:])
        signature = raw.rstrip(b"\0").decode("ascii", "replace")
    return {
        "available": True,
        "vendor": vendor.decode("ascii", "replace"),
        "vmx": bool(leaf1[2] & (1 << 5)),
        "svm": svm,
        "hypervisor_bit": hv_bit,
        "signature": signature,
    }


def kvm_check(path: str = "/dev/kvm") -> Dict[str, Any]:
    """Open /dev/kvm, ask its API version, create a VM and close both at once."""
    result: Dict[str, Any] = {"path": path, "opened": False, "api_version": None, "create_vm": None,
                    "errno": None, "error": None}
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        result["errno"] = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        result["error"] = f"open: {exc.strerror}"
        return result
    result["opened"] = True
    try:
        result["api_version"] = fcntl.ioctl(fd, KVM_GET_API_VERSION, 0)
        for name, cap in (("nr_vcpus", KVM_CAP_NR_VCPUS), ("max_vcpus", KVM_CAP_MAX_VCPUS)):
            try:
                result[name] = fcntl.ioctl(fd, KVM_CHECK_EXTENSION, cap)
            except OSError:
                result[name] = None
        result.update(_guest_features(fd))
        vm = fcntl.ioctl(fd, KVM_CREATE_VM, 0)
        os.close(vm)
        result["create_vm"] = "ok"
    except OSError as exc:
        result["create_vm"] = "failed"
        result["errno"] = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        result["error"] = f"ioctl: {exc.strerror}"
    finally:
        os.close(fd)
    if result["create_vm"] == "ok":
        result.update(_vcpu(path))
    return result


def _guest_features(fd: int) -> Dict[str, Any]:
    """What KVM offers its guests (x86): the VMX and SVM bits of ``KVM_GET_SUPPORTED_CPUID`` —
    whether our guests can nest, whatever a module parameter says —, the raw
    ``KVM_CAP_NESTED_STATE`` (saving nested state; not proof that guests nest) and the
    ``KVM_CAP_VM_TYPES`` bits (which VM types, confidential ones too, this KVM creates)."""
    out: Dict[str, Any] = {"guest_vmx": None, "guest_svm": None, "nested_state": None,
                           "vm_types": None}
    if os.uname().machine not in X86_MACHINES:
        return out
    for name, cap in (("nested_state", KVM_CAP_NESTED_STATE), ("vm_types", KVM_CAP_VM_TYPES)):
        try:
            out[name] = fcntl.ioctl(fd, KVM_CHECK_EXTENSION, cap)
        except OSError:
            pass
    for count in (256, 1024):
        buf = bytearray(8 + count * CPUID_ENTRY)
        struct.pack_into("=I", buf, 0, count)
        try:
            fcntl.ioctl(fd, KVM_GET_SUPPORTED_CPUID, buf, True)
        except OSError as exc:
            if exc.errno == errno.E2BIG:
                continue
            return out
        entries = struct.unpack_from("=I", buf, 0)[0]
        out["guest_vmx"] = out["guest_svm"] = False
        for i in range(min(entries, count)):
            function, index, _flags, _a, _b, ecx, _d = struct.unpack_from("=7I", buf,
                                                                           8 + i * CPUID_ENTRY)
            if (function, index) == (1, 0):
                out["guest_vmx"] = bool(ecx & (1 << 5))
            elif function == 0x80000001:
                out["guest_svm"] = bool(ecx & (1 << 2))
        break
    return out


def _vcpu(path: str) -> Dict[str, Any]:
    """The vCPU run (:mod:`kernel_advisor.vcpu`) as the record's ``vcpu_*`` fields; x86 only."""
    if os.uname().machine not in X86_MACHINES:
        return {"vcpu_ran": None, "vcpu_step": "not tried",
                "vcpu_detail": f"x86 only: the guest code is x86 real-mode code, and this is "
                               f"{os.uname().machine}"}
    from kernel_advisor import vcpu

    run = vcpu.run_bounded(path)
    return {f"vcpu_{key}": run.get(key) for key in ("ran", "exit", "detail", "errno", "step")}


def kmsg_hints(limit: int = 4000) -> Dict[str, Any]:
    """Kernel log lines about VT being disabled or missing, if the log is readable."""
    try:
        fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return {"readable": False, "reason": f"/dev/kmsg: {exc.strerror}", "lines": []}
    lines: list[str] = []
    try:
        for _ in range(limit):
            try:
                rec = os.read(fd, 8192)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.EPIPE:  # overwritten record: keep reading
                    continue
                return {"readable": False, "reason": f"/dev/kmsg: {exc.strerror}", "lines": []}
            if not rec:
                break
            msg = rec.decode("utf-8", "replace").split(";", 1)[-1].split("\n", 1)[0]
            low = msg.lower()
            if any(hint in low for hint in KMSG_HINTS):
                lines.append(msg.strip())
    finally:
        os.close(fd)
    return {"readable": True, "reason": None, "lines": lines[:20]}


def msr_facts() -> Dict[str, Any]:
    """Firmware VT lock from the MSRs: only when already root and the msr driver is there."""
    if os.geteuid() != 0:
        return {"read": False, "reason": "not running as root (never asked for)"}
    try:
        fd = os.open("/dev/cpu/0/msr", os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        return {"read": False, "reason": f"/dev/cpu/0/msr: {exc.strerror} (msr driver not loaded?)"}
    out: Dict[str, Any] = {"read": True, "reason": None}
    try:
        for name, reg in (("feature_control", 0x3A), ("vm_cr", 0xC0010114)):
            try:
                out[name] = int.from_bytes(os.pread(fd, 8, reg), "little")
            except OSError:
                out[name] = None
    finally:
        os.close(fd)
    return out


def access_facts(path: str = "/dev/kvm") -> Dict[str, Any]:
    """Who we are and whether we may open the device read-write."""
    names = []
    gids = sorted(set(os.getgroups()) | {os.getegid()})
    for gid in gids:
        try:
            names.append(grp.getgrgid(gid).gr_name)
        except KeyError:
            names.append(str(gid))
    lguest = "/dev/lguest"
    return {
        "uid": os.geteuid(),
        "user": _user_name(),
        "groups": names,  # this process's groups: the session's, whatever /etc/group says now
        "gids": gids,
        "rw_access": os.access(path, os.R_OK | os.W_OK),
        "lguest_rw": os.access(lguest, os.R_OK | os.W_OK) if os.path.exists(lguest) else None,
    }



def _user_name() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return os.environ.get("USER") or str(os.geteuid())


#: live-only facts by the key they have in a snapshot's live record
LIVE_FACTS = {"uname": uname, "cpuid": cpuid_facts, "kmsg": kmsg_hints, "msr": msr_facts,
              "access": access_facts, "kvm": kvm_check}


# -- the live record's schema ----------------------------------------------------------------------
#: each field's allowed types, per section; ``[str]`` is a list of strings. A snapshot's record
#: is checked against this once (:func:`validate_record`): a section with a field of the wrong
#: type is left out with the reason, so a hand-edited or hostile record is an unknown, never a
#: traceback.
_INT, _STR, _BOOL, _NONE = int, str, bool, type(None)
RECORD_SCHEMA: dict[str, dict[str, tuple[Any, ...]]] = {
    "uname": {"sysname": (_STR,), "release": (_STR,), "machine": (_STR,)},
    "cpuid": {"available": (_BOOL,), "reason": (_STR, _NONE), "vendor": (_STR,), "vmx": (_BOOL,),
              "svm": (_BOOL,), "hypervisor_bit": (_BOOL,), "signature": (_STR,)},
    "kvm": {"path": (_STR,), "opened": (_BOOL,), "api_version": (_INT, _NONE),
            "create_vm": (_STR, _NONE), "errno": (_STR, _NONE), "error": (_STR, _NONE),
            "nr_vcpus": (_INT, _NONE), "max_vcpus": (_INT, _NONE),
            # the vCPU run (format 1 records from before it lack these: judged as before)
            "vcpu_ran": (_BOOL, _NONE), "vcpu_exit": (_STR, _NONE), "vcpu_detail": (_STR, _NONE),
            "vcpu_errno": (_STR, _NONE), "vcpu_step": (_STR, _NONE),
            "guest_vmx": (_BOOL, _NONE), "guest_svm": (_BOOL, _NONE),
            "nested_state": (_INT, _NONE), "vm_types": (_INT, _NONE)},
    "kmsg": {"readable": (_BOOL,), "reason": (_STR, _NONE), "lines": ([str],)},
    "msr": {"read": (_BOOL,), "reason": (_STR, _NONE), "feature_control": (_INT, _NONE),
            "vm_cr": (_INT, _NONE)},
    "access": {"uid": (_INT,), "user": (_STR,), "groups": ([str],), "gids": ([int],),
               "rw_access": (_BOOL,), "lguest_rw": (_BOOL, _NONE)},
    "captured": {"tool": (_STR,), "time": (_STR,), "format": (_INT,), "login": (_STR,)},
    "host": {"name": (_STR,), "inventory": (_STR,)},
}
#: fields a section must have (the rest may be absent, as in records of older versions)
REQUIRED: dict[str, tuple[str, ...]] = {
    "uname": ("release",), "cpuid": ("available",), "kvm": ("opened",), "kmsg": ("readable",),
    "msr": ("read",), "access": ("rw_access",), "captured": ("time",), "host": ()}
MAX_TEXT = 4096  #: characters in one string of the record
MAX_ITEMS = 64  #: strings in one list of the record


def _fits(value: object, allowed: tuple[Any, ...]) -> bool:
    for kind in allowed:
        if kind == [str]:
            if isinstance(value, list) and len(value) <= MAX_ITEMS and all(
                    isinstance(v, str) and len(v) <= MAX_TEXT for v in value):
                return True
        elif kind == [int]:
            if isinstance(value, list) and len(value) <= MAX_ITEMS and all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value):
                return True
        elif kind is _INT:  # True is an int to Python, not to the schema
            if isinstance(value, int) and not isinstance(value, bool):
                return True
        elif isinstance(value, kind) and not (kind is _STR and len(value) > MAX_TEXT):
            return True
    return False


def validate_record(record: object) -> tuple[dict[str, Any], dict[str, str]]:
    """The sections of a live record that match :data:`RECORD_SCHEMA`, and for each section
    that does not, why. Unknown sections and fields are ignored (a newer version wrote them)."""
    if not isinstance(record, dict):
        why = "the snapshot's live record is not a JSON object"
        return {}, {key: why for key in RECORD_SCHEMA}
    good, bad = {}, {}
    for key, fields in RECORD_SCHEMA.items():
        section = record.get(key)
        if section is None:
            continue
        if not isinstance(section, dict):
            bad[key] = f"the live record's {key!r} is not an object"
            continue
        missing = [name for name in REQUIRED[key] if name not in section]
        wrong = [name for name, allowed in fields.items()
                 if name in section and not _fits(section[name], allowed)]
        if missing or wrong:
            bad[key] = f"the live record's {key!r} is malformed (" + ", ".join(
                [f"{n} missing" for n in missing] + [f"{n} has the wrong type or size"
                                                     for n in wrong]) + ")"
            continue
        good[key] = {name: section[name] for name in fields if name in section}
    return good, bad

"""Run a vCPU: the proof that KVM runs guest code here, not only that it creates a VM.

After ``KVM_CREATE_VM``: one 4 KiB memory slot at guest-physical 0x1000 holding five bytes of
real-mode code (``mov al, 0x4b; out 0x10, al; hlt``), ``KVM_CREATE_VCPU``, the run structure
mapped (``KVM_GET_VCPU_MMAP_SIZE``), CS and RIP pointed at the code, then ``KVM_RUN`` until
``KVM_EXIT_HLT`` — the ``out`` comes back first as ``KVM_EXIT_IO`` with the byte it wrote.
Without an in-kernel irqchip, ``hlt`` exits to user space (``Documentation/virt/kvm/api.rst``,
4.10 KVM_RUN and 5. The kvm_run structure). What it proves, and no more: a vCPU ran guest code
to HLT through ``KVM_RUN``; it says nothing of a full guest (under PVM a stock distribution
kernel still does not boot). x86 only: nothing here can test another architecture's path.

The run happens in a short-lived child process, so that it is bounded from any thread (a
Python signal timer fires only in the main thread, and a vCPU stuck in ``KVM_RUN`` does not
return): ``python -I -S -c`` with this module's own source (from a checkout, a wheel or the
collector's zipapp alike), or the frozen app itself with :data:`CHILD_ENV` set. Standard library
only, Python 3.8: the fleet collector runs it on its targets.
"""

from __future__ import annotations

import errno
import fcntl
import json
import mmap
import os
import struct
import subprocess
import sys
from typing import Any, Dict, List, Optional

CHILD_ENV = "KERNEL_ADVISOR_VCPU_CHILD"  #: a frozen app that sees it runs the vCPU and exits
DEADLINE = 5.0  #: seconds the child may take (it takes milliseconds)

KVMIO = 0xAE


def _io(nr: int) -> int:
    return (KVMIO << 8) | nr


def _iow(nr: int, size: int) -> int:
    return (1 << 30) | (size << 16) | (KVMIO << 8) | nr


def _ior(nr: int, size: int) -> int:
    return (2 << 30) | (size << 16) | (KVMIO << 8) | nr


# include/uapi/linux/kvm.h and arch/x86/include/uapi/asm/kvm.h
KVM_CREATE_VM = _io(0x01)
KVM_GET_VCPU_MMAP_SIZE = _io(0x04)
KVM_CREATE_VCPU = _io(0x41)
KVM_SET_USER_MEMORY_REGION = _iow(0x46, 32)  # struct kvm_userspace_memory_region
KVM_RUN = _io(0x80)
KVM_SET_REGS = _iow(0x82, 144)  # struct kvm_regs: 18 u64, RIP at 128, RFLAGS at 136
KVM_GET_SREGS = _ior(0x83, 312)  # struct kvm_sregs: CS first (base u64 at 0, selector at 12)
KVM_SET_SREGS = _iow(0x84, 312)
#: kvm_run.exit_reason values (KVM_EXIT_*)
EXITS = {0: "KVM_EXIT_UNKNOWN", 1: "KVM_EXIT_EXCEPTION", 2: "KVM_EXIT_IO",
         3: "KVM_EXIT_HYPERCALL", 4: "KVM_EXIT_DEBUG", 5: "KVM_EXIT_HLT", 6: "KVM_EXIT_MMIO",
         7: "KVM_EXIT_IRQ_WINDOW_OPEN", 8: "KVM_EXIT_SHUTDOWN", 9: "KVM_EXIT_FAIL_ENTRY",
         10: "KVM_EXIT_INTR", 17: "KVM_EXIT_INTERNAL_ERROR"}
GUEST_ADDR = 0x1000
PORT, BYTE = 0x10, 0x4B
GUEST_CODE = bytes([0xB0, BYTE, 0xE6, PORT, 0xF4])  # mov al, 0x4b; out 0x10, al; hlt
MAX_RUNS = 4


def _errno_name(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, str(exc.errno))


def run_here(path: str = "/dev/kvm") -> Dict[str, Any]:
    """Create a VM and run the guest code in this process: ``{"ran", "exit", "detail",
    "errno", "step"}`` (``ran``: True once HLT was reached, False on a failure, None where it
    could not be tried)."""
    out: Dict[str, Any] = {"ran": None, "exit": None, "detail": None, "errno": None,
                           "step": "open"}
    fds: List[int] = []
    maps: List[mmap.mmap] = []
    try:
        kvm = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        fds.append(kvm)
        out["step"] = "KVM_CREATE_VM"
        vm = fcntl.ioctl(kvm, KVM_CREATE_VM, 0)
        fds.append(vm)
        out["ran"] = False
        memory = mmap.mmap(-1, 0x1000, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS,
                           prot=mmap.PROT_READ | mmap.PROT_WRITE)
        maps.append(memory)
        memory[0:len(GUEST_CODE)] = GUEST_CODE
        address = _address(memory)
        out["step"] = "KVM_SET_USER_MEMORY_REGION"
        fcntl.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                    struct.pack("=IIQQQ", 0, 0, GUEST_ADDR, 0x1000, address))
        out["step"] = "KVM_CREATE_VCPU"
        vcpu = fcntl.ioctl(vm, KVM_CREATE_VCPU, 0)
        fds.append(vcpu)
        out["step"] = "KVM_GET_VCPU_MMAP_SIZE"
        size = fcntl.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0)
        run = mmap.mmap(vcpu, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        maps.append(run)
        out["step"] = "KVM_SET_SREGS"
        sregs = bytearray(312)
        fcntl.ioctl(vcpu, KVM_GET_SREGS, sregs, True)
        struct.pack_into("=Q", sregs, 0, 0)  # CS base 0: real mode, linear = offset
        struct.pack_into("=H", sregs, 12, 0)  # CS selector 0
        fcntl.ioctl(vcpu, KVM_SET_SREGS, bytes(sregs))
        out["step"] = "KVM_SET_REGS"
        regs = bytearray(144)
        struct.pack_into("=QQ", regs, 128, GUEST_ADDR, 0x2)  # RIP, RFLAGS (bit 1 is always 1)
        fcntl.ioctl(vcpu, KVM_SET_REGS, bytes(regs))
        out["step"] = "KVM_RUN"
        _run(vcpu, run, out)
    except OSError as exc:
        out["errno"], out["detail"] = _errno_name(exc), f"{out['step']}: {exc.strerror}"
    finally:
        for m in reversed(maps):
            m.close()
        for fd in reversed(fds):
            os.close(fd)
    return out


def _address(memory: mmap.mmap) -> int:
    """The user-space address of an anonymous mapping (for the memory slot)."""
    import ctypes

    view = ctypes.c_char.from_buffer(memory)
    try:
        return ctypes.addressof(view)
    finally:
        del view  # the mapping can be closed only once nothing exports its buffer


def _run(vcpu: int, run: mmap.mmap, out: Dict[str, Any]) -> None:
    for _attempt in range(MAX_RUNS):
        fcntl.ioctl(vcpu, KVM_RUN, 0)
        reason = struct.unpack_from("=I", run, 8)[0]
        out["exit"] = EXITS.get(reason, f"exit reason {reason}")
        if reason == 2:  # KVM_EXIT_IO: direction, size, port, count, data_offset at 32
            _dir, _size, port, _count, offset = struct.unpack_from("=BBHIQ", run, 32)
            value = run[offset] if offset < len(run) else None
            if (port, value) != (PORT, BYTE):
                out["detail"] = f"an unexpected OUT to port {port:#x} ({value!r})"
                return
            continue
        if reason == 5:
            out["ran"], out["detail"] = True, f"OUT {BYTE:#x} to port {PORT:#x}, then HLT"
            return
        if reason == 9:  # hardware_entry_failure_reason (u64) at 32
            code = struct.unpack_from("=Q", run, 32)[0]
            out["detail"] = f"hardware entry failure reason {code:#x}"
        elif reason == 17:  # suberror (u32) at 32
            out["detail"] = f"suberror {struct.unpack_from('=I', run, 32)[0]}"
        return
    out["detail"] = f"no HLT after {MAX_RUNS} runs"


def _not_run(detail: str, step: str, ran: Optional[bool] = None,
             errno_: Optional[str] = None) -> Dict[str, Any]:
    return {"ran": ran, "exit": None, "detail": detail, "errno": errno_, "step": step}


def run_bounded(path: str = "/dev/kvm", deadline: float = DEADLINE) -> Dict[str, Any]:
    """:func:`run_here` in a child process, killed after ``deadline`` seconds."""
    if getattr(sys, "frozen", False):
        argv = [sys.executable]
        env: Optional[Dict[str, str]] = dict(os.environ, **{CHILD_ENV: path})
    else:
        source = _source()
        if source is None:
            return _not_run("this module's source is not readable", "start")
        argv, env = [sys.executable, "-I", "-S", "-c", source, path], None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=deadline, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        return _not_run(f"KVM_RUN did not return within {deadline:.0f} s", "KVM_RUN", ran=False)
    except OSError as exc:
        return _not_run(f"the child process: {exc.strerror}", "start", errno_=_errno_name(exc))
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        why = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return _not_run(f"the child process ended with status {done.returncode}: {why}", "child")
    return result if isinstance(result, dict) else _not_run("the child's answer is not an "
                                                             "object", "child")


def _source() -> Optional[str]:
    loader = globals().get("__loader__")
    try:
        return loader.get_source(__name__) if loader is not None else None
    except (ImportError, OSError):
        return None


def main(path: Optional[str] = None) -> None:
    """The child's side: one JSON line on standard output."""
    print(json.dumps(run_here(path or (sys.argv[1] if len(sys.argv) > 1 else "/dev/kvm"))))


if __name__ == "__main__":
    main()

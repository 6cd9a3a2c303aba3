"""What every detector shares: the one root, the what-if, the facts found so far, cached reads
(cpuinfo, loaded modules, the live record) and the small parsers several detectors use.

Detectors import this module, never each other.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from kernel_advisor import kernel, live
from kernel_advisor.hostfs import ABSENT, Root
from kernel_advisor.model import F, Fact, HostFacts

#: modules whose presence the detectors ask about (``/proc/modules`` or ``/sys/module/NAME``)
KVM_MODULES = ("kvm", "kvm_intel", "kvm_amd", "kvm_pvm", "kvm_hv", "kvm_pr")
CONFLICTING = {"vboxdrv": "VirtualBox", "vmmon": "VMware Workstation"}
WATCHED_MODULES = KVM_MODULES + ("lg", "xen_blkback", "xen_netback") + tuple(CONFLICTING)


class Context:
    """One probe run over ``root``; ``kernel_release``/``arch`` are what-if overrides."""

    def __init__(self, root: Root, kernel_release: Optional[str] = None,
                 arch: Optional[str] = None) -> None:
        self.root = root
        self.what_if_kernel = kernel_release
        self.what_if_arch = arch
        self.out = HostFacts(origin=root.label)
        if kernel_release:
            self.out.what_if["kernel"] = kernel_release
        if arch:
            self.out.what_if["arch"] = arch
        #: live-only facts computed on the live root (a snapshot stores this record)
        self.record: Dict[str, Dict[str, Any]] = {}
        self._snapshot_record: Optional[Tuple[Dict[str, Any], Dict[str, str]]] = None
        self._cpuinfo: Optional[Tuple[str, Optional[str]]] = None
        self._cpuinfo_fields: Optional[Dict[str, str]] = None
        self._modules: Optional[Tuple[Set[str], Optional[str]]] = None
        #: why the loaded modules cannot be known (no /proc/modules, /sys/module unreadable)
        self.modules_unknown: Optional[str] = None

    # -- facts ----------------------------------------------------------------------------------
    def add(self, fact: Fact) -> Fact:
        return self.out.add(fact)

    def value(self, fid: str, default: Any = None) -> Any:
        return self.out.value(fid, default)

    @property
    def x86(self) -> bool:
        return kernel.is_x86(self.value(F.KERNEL_ARCH), self.value(F.CPU_VENDOR))

    # -- reads ----------------------------------------------------------------------------------
    def live_fact(self, key: str) -> Optional[Dict[str, Any]]:
        """A live-only fact (:data:`kernel_advisor.live.LIVE_FACTS`): computed once on the live
        root,
        read from the snapshot's record elsewhere (None if it holds none of the right type)."""
        if self.root.is_live:
            if key not in self.record:
                self.record[key] = live.LIVE_FACTS[key]()
            return self.record[key]
        return self._snapshot_live()[0].get(key)

    def live_missing(self, key: str, default: str) -> str:
        """Why a live-only fact is not there: its section of the record is malformed, or
        ``default`` (the snapshot did not record it)."""
        return self._snapshot_live()[1].get(key, default)

    def snapshot_record(self) -> Dict[str, Any]:
        """The sections of the snapshot's live record that passed the schema."""
        return self._snapshot_live()[0]

    def captured_at(self) -> Optional[str]:
        """When the snapshot was taken, ``YYYY-MM-DD HH:MM UTC`` (None live, or if unrecorded)."""
        if self.root.is_live:
            return None
        when = (self._snapshot_live()[0].get("captured") or {}).get("time", "")
        date, _sep, clock = when.partition("T")
        if len(date) == 10 and date[4] == date[7] == "-" and date.replace("-", "").isdigit():
            return f"{date} {clock[:5]} UTC" if clock[:2].isdigit() else date
        return None

    def _snapshot_live(self) -> Tuple[Dict[str, Any], Dict[str, str]]:
        """The snapshot's live record, checked against its schema once per probe."""
        if self._snapshot_record is None:
            self._snapshot_record = live.validate_record(self.root.live_record())
        return self._snapshot_record

    def first_line(self, path: str) -> Tuple[Optional[str], Optional[str]]:
        """The first line of a small file, stripped, or (None, why not)."""
        got = self.root.read(path, cap=65536)
        if got.text is None:
            return None, got.reason
        return got.text.strip().split("\n", 1)[0].strip(), None

    def cpuinfo(self) -> Tuple[str, Optional[str]]:
        """``/proc/cpuinfo`` ('' if unreadable or empty) and why it could not be read."""
        if self._cpuinfo is None:
            got = self.root.read("/proc/cpuinfo", cap=4 << 20)
            self._cpuinfo = (got.text or "", got.reason)
        return self._cpuinfo

    def cpuinfo_fields(self) -> Dict[str, str]:
        """The cpuinfo's first value per key, parsed once per probe."""
        if self._cpuinfo_fields is None:
            self._cpuinfo_fields = cpuinfo_fields(self.cpuinfo()[0])
        return self._cpuinfo_fields

    def modules(self) -> Tuple[Set[str], Optional[str]]:
        """Loaded modules we care about, and where the list came from."""
        if self._modules is None:
            text = self.root.text("/proc/modules")
            mods = {line.split()[0] for line in (text or "").splitlines() if line.strip()}
            for name in WATCHED_MODULES:  # built-in or /proc hidden: /sys/module still shows it
                if name in mods:
                    continue
                node, reason = self.root.stat_why(f"/sys/module/{name}")
                if node is not None:
                    mods.add(name)
                elif text is None and reason not in ABSENT and not self.modules_unknown:
                    self.modules_unknown = f"/sys/module/{name}: {reason}"
            self._modules = (mods, "/proc/modules" if text is not None else "/sys/module")
        return self._modules


def cpuinfo_fields(text: str) -> Dict[str, str]:
    """First value of each key in cpuinfo (keys lower-cased), whatever the architecture."""
    fields: Dict[str, str] = {}
    for line in text.splitlines():
        key, sep, val = line.partition(":")
        key = key.strip().lower()
        if sep and key and key not in fields:
            fields[key] = val.strip()
    return fields


StepCallback = Callable[[List[Fact]], None]

"""The records every layer shares: host facts with their evidence, the user's answers, verdicts
and the kernel's stability — plain dataclasses, and the fact ids as named constants.

This module is on the capture path (it is shipped to fleet machines inside the collector), so it
runs on Python 3.8 with the standard library alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterator, List, Optional

from advisor.i18n import N_, _
from advisor.textsafe import clean, printable

#: statuses, as shown beside each check (always as a word, never by colour alone)
OK, WARN, FAIL, INFO, UNKNOWN = "ok", "warn", "fail", "info", "unknown"
#: Display words (translated where shown: ``_(STATUS_WORDS[status])``); the keys are the values.
STATUS_WORDS = {OK: N_("OK"), WARN: N_("WARN"), FAIL: N_("FAIL"), INFO: N_("INFO"),
                UNKNOWN: N_("UNKNOWN")}

RAW_LIMIT = 600  # characters of raw evidence kept per fact


class F:
    """Host fact ids. Use these names, never the strings: a typo is an AttributeError here, and
    :class:`HostFacts` refuses an id that is not listed."""

    KERNEL_RELEASE = "kernel.release"
    KERNEL_ARCH = "kernel.arch"
    KERNEL_CMDLINE = "kernel.cmdline"
    KERNEL_CONFIG = "kernel.config"
    OS_DISTRO = "os.distro"
    CPU_VENDOR = "cpu.vendor"
    CPU_FLAGS = "cpu.flags"
    CPU_VIRTUALIZATION = "cpu.virtualization"
    CPU_VT_FEATURES = "cpu.vt_features"
    CPU_HYPERVISOR_FLAG = "cpu.hypervisor_flag"
    CPU_PAE = "cpu.pae"
    CPU_FIRMWARE_VT = "cpu.firmware_vt"
    HYPERVISOR_VENDOR = "hypervisor.vendor"
    HYPERVISOR_TYPE = "hypervisor.type"
    HYPERVISOR_XEN_ROLE = "hypervisor.xen_role"
    HYPERVISOR_DETAIL = "hypervisor.detail"
    HYPERVISOR_CPUID = "hypervisor.cpuid"
    CONTAINER_KIND = "container.kind"
    KVM_DEVICE = "kvm.device"
    KVM_ACCESS = "kvm.access"
    KVM_GROUP = "kvm.group"
    KVM_USABLE = "kvm.usable"
    KVM_MODULES = "kvm.modules"
    KVM_NESTED = "kvm.nested"
    KVM_CONFLICTS = "kvm.conflicts"
    XEN_CAPABILITIES = "xen.capabilities"
    XEN_VERSION = "xen.version"
    LGUEST_DEVICE = "lguest.device"
    DEV_VHOST_NET = "dev.vhost_net"
    DEV_TUN = "dev.tun"
    IOMMU = "iommu"


FACT_IDS = frozenset(v for k, v in vars(F).items() if k.isupper())


def _check_id(fid: str) -> str:
    if fid not in FACT_IDS:
        raise KeyError(f"unknown fact id {fid!r} (see advisor.model.F)")
    return fid


@dataclass
class Fact:
    """One host fact: a value with the path and raw text it came from, or an unknown with a
    reason."""

    id: str
    label: str
    value: Any = None
    status: str = INFO
    summary: str = ""
    source: Optional[str] = None
    raw: Optional[str] = None
    reason: Optional[str] = None

    def __post_init__(self) -> None:
        _check_id(self.id)
        if self.raw is not None and len(self.raw) > RAW_LIMIT:
            self.raw = self.raw[:RAW_LIMIT] + " …"
        # host text enters the analysis here and only here: made inert once for every output
        self.label, self.summary, self.value = clean(self.label), clean(self.summary), \
            clean(self.value)
        self.source, self.raw, self.reason = clean(self.source), clean(self.raw), \
            clean(self.reason)

    @property
    def known(self) -> bool:
        return self.status != UNKNOWN

    def to_json(self) -> dict:
        return asdict(self)


def unknown(fid: str, label: str, reason: str, source: Optional[str] = None) -> Fact:
    return Fact(fid, label, None, UNKNOWN, _("unknown: {reason}").format(reason=reason), source,
                None, reason)


@dataclass
class HostFacts:
    """Everything the probe found, in display order, plus where it looked."""

    origin: str = "this computer"  # this computer | snapshot NAME | directory DIR
    facts: Dict[str, Fact] = field(default_factory=dict)
    what_if: Dict[str, str] = field(default_factory=dict)  # "kernel", "arch" → the value given
    timings_ms: Dict[str, float] = field(default_factory=dict)
    os_release: Dict[str, str] = field(default_factory=dict)  # ID, ID_LIKE, VERSION_ID, NAME
    captured: Optional[str] = None  # when a snapshot was taken (its live record's UTC time)
    recorded_host: Optional[str] = None  # the host name a snapshot recorded (only if asked)
    snapshot_format: Optional[int] = None  # a snapshot's format (advisor.snapshot.FORMAT)
    #: live-only sources that could not be read without root (``kernel log``, ``MSRs``)
    needed_root: List[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.origin = printable(self.origin, one_line=True)

    def add(self, fact: Fact) -> Fact:
        self.facts[fact.id] = fact
        return fact

    def get(self, fid: str) -> Optional[Fact]:
        return self.facts.get(_check_id(fid))

    def value(self, fid: str, default: Any = None) -> Any:
        fact = self.get(fid)
        if fact is None or fact.value is None:
            return default
        return fact.value

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())


# -- the user's answers and the verdicts -----------------------------------------------------------
GUESTS = ("linux", "any")
PREFER = ("stability", "features")
PURPOSES = ("learning", "desktop", "servers", "kernel-dev")

RECOMMENDED, POSSIBLE, UNAVAILABLE = "recommended", "possible", "unavailable"
VERDICT_WORDS = {RECOMMENDED: N_("Recommended"), POSSIBLE: N_("Possible"),
                 UNAVAILABLE: N_("Unavailable")}
FRAMEWORKS = ("kvm", "xen", "lguest")
FRAMEWORK_NAMES = {"kvm": "KVM", "xen": "Xen", "lguest": "lguest"}


@dataclass(frozen=True)
class Answers:
    """The wizard's questions; the defaults are what a typical desktop user means."""

    guests: str = "linux"
    prefer: str = "stability"
    purpose: str = "desktop"

    def __post_init__(self) -> None:
        for name, allowed in (("guests", GUESTS), ("prefer", PREFER), ("purpose", PURPOSES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name}: {getattr(self, name)!r} is not one of {allowed}")


@dataclass
class Verdict:
    """One framework's verdict, with the reasons, next steps and sources behind it."""

    framework: str
    evidence: List[str] = field(default_factory=list)  # host fact ids relied on
    verdict: str = POSSIBLE
    reasons: List[str] = field(default_factory=list)
    next_steps: List[str] = field(default_factory=list)
    sources: List[dict] = field(default_factory=list)  # knowledge-base facts cited
    unknowns: List[str] = field(default_factory=list)
    ready: bool = False  # usable right now, no setup needed
    score: int = 0

    @property
    def name(self) -> str:
        return FRAMEWORK_NAMES[self.framework]

    @property
    def usable(self) -> bool:
        return self.verdict != UNAVAILABLE

    def to_json(self) -> dict:
        return {"framework": self.framework, "verdict": self.verdict, "reasons": self.reasons,
                "next_steps": self.next_steps, "sources": self.sources,
                "evidence": self.evidence, "unknowns": self.unknowns, "ready": self.ready}


# -- stability --------------------------------------------------------------------------------------
CHANNELS = ("development", "rc", "mainline", "stable", "longterm", "eol", "unknown")
#: Where the release data came from (``stability.source``), as the reports say it.
SOURCE_WORDS = {"online": N_("kernel.org, just now"), "cache": N_("cached"),
                "bundled": N_("bundled")}
CHANNEL_WORDS = {"development": N_("development series"), "rc": N_("release candidate"),
                 "mainline": N_("mainline release"), "stable": N_("stable series"),
                 "longterm": N_("longterm (LTS) series"), "eol": N_("end of life"),
                 "unknown": N_("unknown")}


@dataclass
class Stability:
    """The kernel's release channel, its vendor, and the notes that explain them."""

    channel: str
    vendor: Optional[str]
    notes: List[str]
    data_as_of: str
    source: str  # online | cache | bundled
    series: Optional[str] = None
    latest_in_series: Optional[str] = None
    behind: Optional[int] = None
    vendor_support: Optional[dict] = None
    newest_longterm: Optional[str] = None

    def to_json(self) -> dict:
        return asdict(self)

"""The records every layer shares: host facts with their evidence, the user's answers, verdicts
and the kernel's stability — plain dataclasses, and the fact ids as named constants.

This module is on the capture path (it is shipped to fleet machines inside the collector), so it
runs on Python 3.8 with the standard library alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Dict, Iterator, List, Optional

from kernel_advisor.i18n import N_, _
from kernel_advisor.textsafe import clean, printable

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
    OS_IMAGE = "os.image"
    CPU_VENDOR = "cpu.vendor"
    CPU_FLAGS = "cpu.flags"
    CPU_VIRTUALIZATION = "cpu.virtualization"
    CPU_VT_FEATURES = "cpu.vt_features"
    CPU_HYPERVISOR_FLAG = "cpu.hypervisor_flag"
    CPU_PAE = "cpu.pae"
    CPU_FIRMWARE_VT = "cpu.firmware_vt"
    SECURE_BOOT = "firmware.secure_boot"
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
    KVM_VCPU = "kvm.vcpu"
    KVM_GUESTS = "kvm.guest_features"
    KVM_MODULES = "kvm.modules"
    KVM_NESTED = "kvm.nested"
    KVM_CONFLICTS = "kvm.conflicts"
    KVM_VIRT_AT_LOAD = "kvm.enable_virt_at_load"
    OTHER_HYPERVISOR_MODULES = "kvm.other_hypervisor_modules"
    KVM_NODE = "kvm.node"
    KVM_BLOCKED = "kvm.blocked"
    USER_SESSION = "user.session"
    PLATFORM = "platform"
    XEN_CAPABILITIES = "xen.capabilities"
    XEN_VERSION = "xen.version"
    LGUEST_DEVICE = "lguest.device"
    DEV_VHOST_NET = "dev.vhost_net"
    DEV_TUN = "dev.tun"
    IOMMU = "iommu"
    PASSTHROUGH = "iommu.passthrough"


FACT_IDS = frozenset(v for k, v in vars(F).items() if k.isupper())


def _check_id(fid: str) -> str:
    if fid not in FACT_IDS:
        raise KeyError(f"unknown fact id {fid!r} (see kernel_advisor.model.F)")
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

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


def unknown(fid: str, label: str, reason: str, source: Optional[str] = None) -> Fact:
    return Fact(id=fid, label=label, value=None, status=UNKNOWN,
                summary=_("unknown: {reason}").format(reason=reason), source=source, raw=None,
                reason=reason)


@dataclass
class HostFacts:
    """Everything the probe found, in display order, plus where it looked."""

    origin: str = "this computer"  # this computer | snapshot NAME | directory DIR
    facts: Dict[str, Fact] = field(default_factory=dict)
    what_if: Dict[str, str] = field(default_factory=dict)  # "kernel", "arch" → the value given
    timings_ms: Dict[str, float] = field(default_factory=dict)
    #: ID, ID_LIKE, VERSION_ID, VARIANT_ID, NAME
    os_release: Dict[str, str] = field(default_factory=dict)
    captured: Optional[str] = None  # when a snapshot was taken (its live record's UTC time)
    recorded_host: Optional[str] = None  # the host name a snapshot recorded (only if asked)
    inventory_name: Optional[str] = None  # its name in an inventory (the collector's option)
    #: who asked for a snapshot taken as root (``sudo``/``ansible-playbook -b``: SUDO_USER)
    login_user: Optional[str] = None
    snapshot_format: Optional[int] = None  # a snapshot's format (kernel_advisor.snapshot.FORMAT)
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

    def reason(self, fid: str) -> Optional[str]:
        """Why the fact is unknown (None: known, or not looked up)."""
        fact = self.get(fid)
        return fact.reason if fact is not None else None

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())


# -- named value sets ------------------------------------------------------------------------------
class Value(str, Enum):
    """A named value set whose members are their own contract strings: they compare equal to
    those strings and JSON writes them as such. ``__str__`` is explicit because ``format()`` of
    a mixed-in enum differs between Python 3.8 and 3.11 (the capture path runs on 3.8)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Level(Value):
    """A framework's verdict."""

    RECOMMENDED = "recommended"
    POSSIBLE = "possible"
    UNAVAILABLE = "unavailable"


class State(Value):
    """A requirement's state."""

    MET = "met"
    FIXABLE = "fixable"
    IMPOSSIBLE = "impossible"
    UNKNOWN = "unknown"


class Layer(Value):
    """The layer of the host that owns a requirement (the one whose owner acts on it)."""

    HARDWARE = "hardware"
    FIRMWARE = "firmware"
    BELOW = "below"  # what runs under this kernel
    KERNEL = "kernel"
    OS = "os"
    CONTAINER = "container"
    USER = "user"
    LIVE = "live"  # the proof that the framework runs


class Who(Value):
    """Who carries out a step."""

    YOU = "you"  # the user, unprivileged
    ADMIN = "administrator"  # root on this system (sudo)
    OUTER_HOST = "outer host"  # the administrator of the hypervisor under this system
    PROVIDER = "cloud provider"  # a setting of the cloud account or instance type
    RUNTIME = "container runtime"  # whoever starts this container
    FIRMWARE_SETUP = "firmware setup"  # the machine's BIOS/UEFI setup screen


#: display words, one table per value set (translated where shown: ``_(WORDS[value])``)
LEVEL_WORDS = {Level.RECOMMENDED: N_("Recommended"), Level.POSSIBLE: N_("Possible"),
               Level.UNAVAILABLE: N_("Unavailable")}
STATE_WORDS = {State.MET: N_("met"), State.FIXABLE: N_("to do"),
               State.IMPOSSIBLE: N_("impossible"), State.UNKNOWN: N_("unknown")}
#: the order requirements are read in: what stops a framework, what to do, what is not known,
#: what is fine (reasons, checklists)
STATE_ORDER = (State.IMPOSSIBLE, State.FIXABLE, State.UNKNOWN, State.MET)
WHO_WORDS = {Who.YOU: N_("you"), Who.ADMIN: N_("an administrator of this system"),
             Who.OUTER_HOST: N_("the administrator of the host under this system"),
             Who.PROVIDER: N_("the cloud provider's setting"),
             Who.RUNTIME: N_("whoever starts this container"),
             Who.FIRMWARE_SETUP: N_("the firmware setup screen")}


@dataclass(frozen=True)
class Step:
    """One thing to do: a sentence, the command alone where there is one (what a copy button
    copies), and who does it."""

    text: str
    command: Optional[str] = None
    who: Who = Who.YOU

    def to_json(self) -> Dict[str, Any]:
        return {"text": self.text, "command": self.command, "who": str(self.who)}


@dataclass
class Requirement:
    """One condition a framework needs, owned by one layer, with its state, the facts it rests
    on, what would fix it, and the knowledge-base fact that says so."""

    id: str  # "kvm.user_access": FRAMEWORK.REQUIREMENT, never a fact id
    layer: Layer
    state: State
    text: str
    evidence: List[str] = field(default_factory=list)
    fix: List[Step] = field(default_factory=list)
    source: Optional[str] = None
    #: a fix that boots another kernel: the verdict (about the analysed kernel) is at most possible
    replaces_kernel: bool = False
    topic: Optional[str] = None  # what is unknown, in words, where the id does not say it

    def __post_init__(self) -> None:
        if "." not in self.id or self.id in FACT_IDS:
            raise ValueError(f"requirement id {self.id!r}: FRAMEWORK.NAME, never a fact id")

    def to_json(self) -> Dict[str, Any]:
        fix = " ".join(s.text for s in self.fix) or None
        return {"id": self.id, "layer": str(self.layer), "state": str(self.state),
                "evidence": self.evidence, "fix": fix, "steps": [s.to_json() for s in self.fix],
                "source": self.source, "text": self.text}


# -- the user's answers and the verdicts -----------------------------------------------------------
GUESTS = ("linux", "any")
PREFER = ("stability", "features")
PURPOSES = ("learning", "desktop", "servers", "kernel-dev")

RECOMMENDED, POSSIBLE, UNAVAILABLE = Level.RECOMMENDED, Level.POSSIBLE, Level.UNAVAILABLE
VERDICT_WORDS = LEVEL_WORDS
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
    verdict: Level = POSSIBLE
    reasons: List[str] = field(default_factory=list)
    next_steps: List[str] = field(default_factory=list)
    sources: List[Dict[str, str]] = field(default_factory=list)  # knowledge-base facts cited
    unknowns: List[str] = field(default_factory=list)
    ready: bool = False  # works now for the user the evidence is about
    score: int = 0
    requirements: List[Requirement] = field(default_factory=list)
    steps: List[Step] = field(default_factory=list)  # next_steps as objects
    #: the ranking's input "this framework is already the hypervisor here" (a dom0)
    incumbent: bool = False
    #: at most possible: a fix replaces the analysed kernel
    capped: bool = False

    @property
    def name(self) -> str:
        return FRAMEWORK_NAMES[self.framework]

    @property
    def usable(self) -> bool:
        return self.verdict != UNAVAILABLE

    @property
    def why(self) -> str:
        """The verdict in one line (summaries, the fleet, the reports' verdict table): the
        requirement that decides it — the first one not met, in :data:`STATE_ORDER` (what
        stops the framework, then what is to do, then what is not known) — else, where every
        requirement is met, the met one of the most specific layer (the proof that it runs,
        the user's access) rather than the history fact that comes first; else the first
        reason."""
        for state in STATE_ORDER[:-1]:
            unmet = next((r for r in self.requirements if r.state == state), None)
            if unmet is not None:
                return unmet.text
        layers = list(Layer)
        met = [r for r in self.requirements if r.state == State.MET]
        if met:
            return max(reversed(met), key=lambda r: layers.index(r.layer)).text
        return self.reasons[0] if self.reasons else ""

    def to_json(self) -> Dict[str, Any]:
        return {"framework": self.framework, "verdict": str(self.verdict), "why": self.why,
                "reasons": self.reasons, "next_steps": self.next_steps,
                "steps": [s.to_json() for s in self.steps], "sources": self.sources,
                "evidence": self.evidence, "unknowns": self.unknowns, "ready": self.ready,
                "requirements": [r.to_json() for r in self.requirements]}


# -- stability ------------------------------------------------------------------------------------
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
    vendor_support: Optional[Dict[str, Any]] = None
    newest_longterm: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

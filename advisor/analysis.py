"""One analysis: probe a root, rank the frameworks, classify the kernel's stability.

The CLI, the wizard and the reports all go through :func:`analyse`, so they cannot disagree.
"""

from __future__ import annotations

from advisor import SCHEMA, __version__, kernel
from advisor.facts import HostFacts
from advisor.hostfs import Root, open_root
from advisor.probe import probe
from advisor.rules import Answers, Verdict, notes_when_nothing_fits, recommend
from advisor.stability import ReleaseData, Stability, bundled_data, classify, now_utc_iso


class Analysis:
    """The probe's facts, the ranked verdicts and the kernel's stability, for one host."""

    __slots__ = ("host", "answers", "verdicts", "stability", "releases", "generated_at",
                 "hostname")

    def __init__(self, host: HostFacts, answers: Answers, verdicts: list[Verdict],
                 stability: Stability, releases: ReleaseData) -> None:
        self.host, self.answers, self.verdicts = host, answers, verdicts
        self.stability, self.releases = stability, releases
        self.generated_at = now_utc_iso()
        self.hostname: str | None = None

    @property
    def usable(self) -> bool:
        return any(v.usable for v in self.verdicts)

    @property
    def notes(self) -> list[str]:
        return notes_when_nothing_fits(self.verdicts)

    @property
    def top(self) -> Verdict | None:
        return next((v for v in self.verdicts if v.verdict == "recommended"), None)

    def with_releases(self, releases: ReleaseData) -> "Analysis":
        """The same analysis with fresher release data (the wizard's 'check kernel.org now')."""
        self.releases = releases
        self.stability = self._classify()
        return self

    def _classify(self) -> Stability:
        return classify(self.host.value("kernel.release"), self.releases, _os_release(self.host),
                        prefer=self.answers.prefer)

    def with_answers(self, answers: Answers) -> "Analysis":
        self.answers = answers
        self.verdicts = recommend(self.host, answers)
        self.stability = self._classify()
        return self

    def to_json(self) -> dict:
        """The ``kernel-advisor/1`` document (cli-contract.md), plus our own extra fields."""
        h = self.host
        rel = kernel.parse(h.value("kernel.release"))
        flags = h.value("cpu.flags", []) or []
        doc = {
            "schema": SCHEMA,
            "tool": {"name": "kernel-advisor", "version": __version__},
            "generated_at": self.generated_at,
            "analysed": {"origin": h.origin, "what_if": h.what_if},
            "host": {
                "kernel": {"release": h.value("kernel.release"), "version": rel.version,
                           "rc": rel.rc, "vendor": rel.vendor, "flavour": rel.flavour},
                "cpu": {"arch": h.value("kernel.arch"), "vendor": h.value("cpu.vendor"),
                        "virtualization": h.value("cpu.virtualization"), "flags": flags,
                        "firmware_vt": h.value("cpu.firmware_vt")},
                "hypervisor": {"vendor": h.value("hypervisor.vendor"),
                               "type": h.value("hypervisor.type"),
                               "xen_role": h.value("hypervisor.xen_role"),
                               "detail": h.value("hypervisor.detail"),
                               "container": h.value("container.kind")},
                "kvm": {"device": _device(h), "usable": h.value("kvm.usable"),
                        "access": h.value("kvm.access"), "modules": h.value("kvm.modules", []),
                        "nested": h.value("kvm.nested")},
            },
            "stability": self.stability.to_json(),
            "recommendations": [v.to_json() for v in self.verdicts],
            "answers": {"guests": self.answers.guests, "prefer": self.answers.prefer,
                        "purpose": self.answers.purpose},
            "checks": [f.to_json() for f in h],
            "notes": self.notes,
        }
        if self.hostname:
            doc["host"]["name"] = self.hostname
        return doc


def _device(h: HostFacts) -> str:
    fact = h.get("kvm.device")
    if fact is None or fact.value is None:
        return "unknown"
    return fact.value


def _os_release(h: HostFacts) -> dict:
    """ID and VERSION_ID of the analysed root, for the vendor lifecycle (live or captured)."""
    return h.extra.get("os_release", {})


def analyse(root: Root | None = None, *, root_dir: str | None = None, snapshot: str | None = None,
            kernel_release: str | None = None, arch: str | None = None,
            answers: Answers | None = None, releases: ReleaseData | None = None,
            host: HostFacts | None = None) -> Analysis:
    """Probe (unless ``host`` is given), recommend and classify.

    ``releases`` defaults to the offline (bundled) data.
    """
    answers = answers or Answers()
    if host is None:
        root = root or open_root(root_dir, snapshot)
        host = probe(root, kernel_release, arch)
    releases = releases or bundled_data()
    verdicts = recommend(host, answers)
    stab = classify(host.value("kernel.release"), releases, _os_release(host),
                    prefer=answers.prefer)
    return Analysis(host, answers, verdicts, stab, releases)

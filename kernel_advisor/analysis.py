"""One analysis: probe a root, rank the frameworks, classify the kernel's stability.

The CLI, the wizard, the fleet view and the reports all go through :func:`analyse`, so they
cannot disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import List, Optional

from kernel_advisor import systems
from kernel_advisor.hostfs import SNAPSHOT_FORMAT, InputError, Root, open_root
from kernel_advisor.i18n import _
from kernel_advisor.model import RECOMMENDED, Answers, F, HostFacts, Stability, Verdict
from kernel_advisor.probe import probe
from kernel_advisor.probe.context import StepCallback
from kernel_advisor.rules import notes_when_nothing_fits, recommend
from kernel_advisor.stability import ReleaseData, bundled_data, classify, headline, now_utc_iso


@dataclass
class Analysis:
    """The probe's facts, the ranked verdicts and the kernel's stability, for one host."""

    host: HostFacts
    answers: Answers
    verdicts: List[Verdict]
    stability: Stability
    releases: ReleaseData
    generated_at: str = field(default_factory=now_utc_iso)
    hostname: Optional[str] = None

    @property
    def usable(self) -> bool:
        return any(v.usable for v in self.verdicts)

    def machine_name(self) -> Optional[str]:
        """The analysed machine's host name, for a report that is asked to carry it: this
        computer's, the name a snapshot recorded (``snapshot --hostname``), else None — never
        the name of the computer the report is written on, for another machine's evidence."""
        if self.host.origin == "this computer":
            import os

            return os.uname().nodename
        return self.host.recorded_host

    @property
    def works_now(self) -> bool:
        """A framework works now for the user the evidence is about (``check``'s exit 0)."""
        return any(v.ready for v in self.verdicts)

    @property
    def notes(self) -> List[str]:
        return notes_when_nothing_fits(self.verdicts)

    @property
    def top(self) -> Optional[Verdict]:
        return next((v for v in self.verdicts if v.verdict == RECOMMENDED), None)

    @property
    def headline(self) -> str:
        """One sentence, the same in every output: the verdict, then the kernel's stability
        (the vendor's lifecycle where the kernel is a distribution's)."""
        top = self.top
        verdict = (_("{name} is recommended").format(name=top.name) if top else
                   _("No virtualization framework fits this host as it stands"))
        return f"{verdict}; {headline(self.stability, self.host.value(F.KERNEL_RELEASE))}."

    def with_releases(self, releases: ReleaseData) -> "Analysis":
        """The same host judged with fresher release data (the wizard's 'check kernel.org')."""
        return dataclasses.replace(self, releases=releases,
                                   stability=_classify(self.host, releases, self.answers))

    def with_answers(self, answers: Answers) -> "Analysis":
        """The same host judged for other answers (the wizard's needs page)."""
        return dataclasses.replace(self, answers=answers, verdicts=recommend(self.host, answers),
                                   stability=_classify(self.host, self.releases, answers))


def _classify(host: HostFacts, releases: ReleaseData, answers: Answers) -> Stability:
    return classify(host.value(F.KERNEL_RELEASE), releases, systems.host_kernel_os_release(host),
                    prefer=answers.prefer)


def _require_readable_format(host: HostFacts) -> None:
    """A snapshot from a newer Kernel Advisor may mean things this one cannot read: say so."""
    if host.snapshot_format is not None and host.snapshot_format > SNAPSHOT_FORMAT:
        raise InputError(_("{origin}: snapshot format {snapshot_format} is newer than this "
                           "Kernel Advisor reads ({SNAPSHOT_FORMAT}); update Kernel Advisor")
                         .format(
                           origin=host.origin,
                           snapshot_format=host.snapshot_format,
                           SNAPSHOT_FORMAT=SNAPSHOT_FORMAT),
                         _("This snapshot was made by a newer Kernel Advisor (format "
                           "{snapshot_format}); update Kernel Advisor to read it.").format(
                           snapshot_format=host.snapshot_format))


def check_snapshot(path: str, kernel_release: Optional[str] = None) -> None:
    """What the wizard asks on its first page, before the scan: can the snapshot ``path`` be
    analysed (with the what-if ``kernel_release``, if any)? Raises the InputError the analysis
    would (unreadable, hostile, not a snapshot, a newer format): the same reading and the same
    words, without the verdicts."""
    host = probe(open_root(None, path), kernel_release, None, None)
    _require_readable_format(host)
    _require_evidence(host)


def _require_evidence(host: HostFacts) -> None:
    """A verdict needs a kernel release or a CPU description; without either, say what is
    missing (an empty root, a tarball that is not a snapshot) instead of judging nothing."""
    release, cpu = host.get(F.KERNEL_RELEASE), host.get(F.CPU_FLAGS)
    if (release is not None and release.known) or (cpu is not None and cpu.known):
        return
    why = (cpu.reason if cpu is not None else None) or "missing"
    what = (_("This is not a Kernel Advisor snapshot") if host.origin.startswith("snapshot ")
            else _("There is nothing here to judge"))
    raise InputError(_("{origin}: not a host to judge (not a Kernel Advisor snapshot?): no "
                       "kernel release (proc/sys/kernel/osrelease, --kernel) and no CPU "
                       "description ({why})").format(origin=host.origin, why=why),
                     _("{what}: it has no proc/cpuinfo ({why}) and no kernel release "
                       "(proc/sys/kernel/osrelease). Choose a snapshot made with "
                       "'kernel-advisor snapshot', or ask “What if…” with a kernel release.")
                     .format(
                       what=what,
                       why=why))


def analyse(root: Optional[Root] = None, *, root_dir: Optional[str] = None,
            snapshot: Optional[str] = None, kernel_release: Optional[str] = None,
            arch: Optional[str] = None, distro: Optional[str] = None,
            answers: Optional[Answers] = None,
            releases: Optional[ReleaseData] = None,
            on_step: Optional[StepCallback] = None) -> Analysis:
    """Probe ``root`` (else the directory or snapshot given, else this computer), recommend and
    classify. ``distro`` (``ID[:VERSION]``) names the distribution of the next steps' commands.
    ``on_step`` receives each probe step's facts as they are found; ``releases``
    defaults to the bundled data (the faces pass what :func:`kernel_advisor.releases.load` gave)."""
    answers = answers or Answers()
    root = root or open_root(root_dir, snapshot)
    host = probe(root, kernel_release, arch, on_step)
    _require_readable_format(host)
    _require_evidence(host)
    if distro:
        host.what_if["distro"] = distro  # the commands' distribution (see kernel_advisor.distro)
    releases = releases or bundled_data()
    return Analysis(host, answers, recommend(host, answers),
                    _classify(host, releases, answers), releases)

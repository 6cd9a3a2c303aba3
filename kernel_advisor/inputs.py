"""What to analyse and what the user wants: one model for every face.

The command line's input options (``--root``, ``--snapshot``, ``--kernel``, ``--arch``,
``--distro``, ``--guests``, ``--prefer``, ``--purpose``, ``--releases-url``, ``--online``,
``--offline``, ``gui --fleet``) become one :class:`Inputs` through :meth:`Inputs.from_args`, and
the wizard starts from it and changes it; :meth:`Inputs.analyse` is the one call that turns it
into an analysis. An option cannot be parsed by one face and forgotten by the other: every field
reaches :func:`kernel_advisor.analysis.analyse` here, and ``tests/test_cli.py`` checks that every
option
of ``gui`` and ``check`` is a field.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Optional

from kernel_advisor.model import Answers

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis
    from kernel_advisor.probe.context import StepCallback
    from kernel_advisor.stability import ReleaseData


#: command-line destination → Inputs field, for the options that name what to analyse
OPTIONS = {"root": "root_dir", "snapshot": "snapshot", "kernel": "kernel", "arch": "arch",
           "distro": "distro", "releases_url": "releases_url", "fleet": "fleet_dir"}
#: the options that answer the wizard's questions, in Answers' order
ANSWER_OPTIONS = ("guests", "prefer", "purpose")


@dataclass(frozen=True)
class Inputs:
    """What to analyse: this computer, a root or snapshot, a what-if kernel, or a folder of
    snapshots (``fleet_dir``) — or, with ``take_snapshot``, nothing: a snapshot of this
    computer is to be saved; and the answers to the wizard's questions."""

    root_dir: Optional[str] = None
    snapshot: Optional[str] = None
    kernel: Optional[str] = None
    arch: Optional[str] = None
    distro: Optional[str] = None  #: ``ID[:VERSION]`` of the next steps' commands
    releases_url: Optional[str] = None
    online: bool = False  #: ask kernel.org (or ``releases_url``) for current release data
    fleet_dir: Optional[str] = None
    take_snapshot: bool = False
    answers: Answers = field(default_factory=Answers)

    @classmethod
    def from_args(cls, args: Optional[argparse.Namespace]) -> "Inputs":
        """The inputs the command line gave (``None``: the defaults, a double-click)."""
        if args is None:
            return cls()
        given = vars(args)
        picked: dict[str, Any] = {name: given.get(dest) for dest, name in OPTIONS.items()}
        defaults = Answers()
        answers = Answers(*(given.get(k) or getattr(defaults, k) for k in ANSWER_OPTIONS))
        online = bool(given.get("online") or given.get("releases_url")) \
            and not given.get("offline")
        return replace(cls(online=online, answers=answers), **picked)

    @classmethod
    def option_fields(cls) -> set[str]:
        """The command-line destinations :meth:`from_args` reads."""
        return set(OPTIONS) | set(ANSWER_OPTIONS) | {"online", "offline"}

    @property
    def what_if(self) -> dict[str, str]:
        """The imagined kernel and architecture, as ``HostFacts.what_if`` will hold them."""
        return {k: v for k, v in (("kernel", self.kernel), ("arch", self.arch)) if v}

    @property
    def named(self) -> bool:
        """Whether these inputs name what to analyse (the wizard then starts past its first
        page, as ``gui --snapshot FILE`` or ``gui --fleet DIR`` asks)."""
        return bool(self.root_dir or self.snapshot or self.kernel or self.arch
                    or self.fleet_dir)

    def release_data(self) -> ReleaseData:
        from kernel_advisor import releases

        return releases.load(offline=not self.online, url=self.releases_url)

    def analyse(self, releases: Optional[ReleaseData] = None,
                answers: Optional[Answers] = None,
                on_step: Optional[StepCallback] = None) -> Analysis:
        """The analysis these inputs ask for (``answers``: the wizard's newer answers)."""
        from kernel_advisor.analysis import analyse

        return analyse(root_dir=self.root_dir, snapshot=self.snapshot,
                       kernel_release=self.kernel, arch=self.arch, distro=self.distro,
                       answers=answers or self.answers,
                       releases=releases if releases is not None else self.release_data(),
                       on_step=on_step)

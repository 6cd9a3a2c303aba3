"""A parsed kernel release as a PEP 440 version, and the knowledge base's ranges over it.

:mod:`kernel_advisor.kernel` finds the upstream numbers in any ``uname -r``; this module hands
that base on as a :class:`packaging.version.Version` (``6.8.0``; ``6.13-rc3`` → ``6.13rc3``),
which the knowledge base's ranges are evaluated against. It is the analysis side of the parser:
the capture code (the fleet collector) ships :mod:`kernel_advisor.kernel` and nothing outside
the standard library, so it runs on a target's Python 3.8 whatever ``packaging`` is installed
where the collector was built.

Pre-releases keep the kernel's order: 2.4's ``-preN`` came before that release's ``-rcN``, and
2.6.0 had ``-test1``…``-test11``; ``packaging`` would read ``pre`` as ``rc``, so they map to
``bN`` and ``aN`` explicitly (:data:`kernel_advisor.kernel.PEP440_PRE`).
"""

from __future__ import annotations

from typing import Optional

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from kernel_advisor.kernel import PEP440_PRE, KernelRelease


def upstream(release: KernelRelease) -> Optional[Version]:
    """The upstream release ``release`` is based on, as a PEP 440 version (pre-releases
    included: ``6.13-rc3`` → ``6.13rc3``, ``2.6.0-test5`` → ``2.6.0a5``); None where there is
    none (not understood, or WSL1, which runs no Linux kernel)."""
    if not release.parts or release.wsl == 1:
        return None
    text = ".".join(map(str, release.parts))
    if release.pre:
        text += f"{PEP440_PRE[release.pre[0]]}{release.pre[1]}"
    return Version(text)


def in_range(release: KernelRelease, specifier: SpecifierSet) -> Optional[bool]:
    """Whether the upstream base lies in ``specifier`` (pre-releases count: a feature merged for
    X is already in X-rc1); None when the release is not understood."""
    version = upstream(release)
    return None if version is None else specifier.contains(version, prereleases=True)

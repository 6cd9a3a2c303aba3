"""``kernel-advisor fleet DIR``: every snapshot in a folder, analysed in parallel, as one table.

Each snapshot is analysed by the same :func:`~advisor.analysis.analyse` as ``check --snapshot``,
in a pool of worker processes (one per core: the probe is CPU-bound Python). Results stream back
in file-name order (:meth:`Executor.map`) and each is reduced at once to its row of the table
and, for ``--json``, its single-host document, so memory stays flat as the fleet grows. A file
that cannot be analysed is a row with its one-line reason, never the end of the run.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional

from advisor.model import Answers, F

if TYPE_CHECKING:
    from advisor.analysis import Analysis
    from advisor.stability import ReleaseData

SCHEMA = "kernel-advisor-fleet/1"
SUFFIXES = (".tar.gz", ".tgz")
#: the table's columns: (key, heading); CSV uses the keys as its header (docs/cli-contract.md)
COLUMNS = (("host", "Host"), ("system", "Distribution and kernel"),
           ("stability", "Stability"), ("vt", "VT-x/AMD-V"), ("layer", "Runs in"),
           ("recommended", "Recommended"), ("why_not", "Why none fits"),
           ("needs_root", "Collected without root"))


def snapshot_files(directory: str) -> List[str]:
    """The snapshots in ``directory`` (``*.tar.gz``, ``*.tgz``), sorted by name."""
    names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIXES))
    return [os.path.join(directory, n) for n in names]


def stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


@dataclass
class Entry:
    """One file of the fleet: its table row, and its check document (``--json`` only)."""

    file: str
    host: str
    row: Dict[str, Any] = field(default_factory=dict)
    document: Optional[Dict[str, Any]] = None
    error: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return {"file": os.path.basename(self.file), "host": self.host,
                "analysis": self.document, "error": self.error}


# -- one host, in a worker process -------------------------------------------------------------
_WORKER: Dict[str, Any] = {}


def _init(answers: Answers, releases: ReleaseData, documents: bool) -> None:
    _WORKER.update(answers=answers, releases=releases, documents=documents)


def analyse_file(path: str) -> Entry:
    """Analyse one snapshot (in a worker); never raises for a bad file."""
    from advisor.analysis import analyse
    from advisor.hostfs import InputError

    try:
        a = analyse(snapshot=path, answers=_WORKER["answers"], releases=_WORKER["releases"])
    except InputError as exc:
        return Entry(path, stem(path), {"host": stem(path)}, None, _reason(str(exc), path))
    except Exception as exc:
        return Entry(path, stem(path), {"host": stem(path)}, None,
                     f"could not be analysed ({type(exc).__name__}: {exc})")
    host = a.host.recorded_host or stem(path)
    document = None
    if _WORKER["documents"]:
        from advisor.report.jsondoc import document as check_document

        document = check_document(a)
    return Entry(path, host, row(a, host), document)


def _reason(message: str, path: str) -> str:
    """The CLI's message without the option and path it starts with (the table names the file)."""
    for prefix in (f"--snapshot {path}: ", f"snapshot {os.path.basename(path)}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def row(a: Analysis, host: str) -> Dict[str, Any]:
    """The table row of one analysis (see :data:`COLUMNS`)."""
    h, st = a.host, a.stability
    release = h.value(F.KERNEL_RELEASE) or "unknown kernel"
    distro = h.value(F.OS_DISTRO) or "unknown distribution"
    firmware = h.value(F.CPU_FIRMWARE_VT)
    virt = h.value(F.CPU_VIRTUALIZATION)
    vt = {"disabled": "off in firmware", "enabled": f"{virt or 'on'}",
          "not exposed": "not passed to this VM", "absent": "none in this CPU",
          "unavailable": "unavailable"}.get(firmware, "unknown" if virt is None else str(virt))
    container, hypervisor = h.value(F.CONTAINER_KIND), h.value(F.HYPERVISOR_VENDOR)
    layer = (f"{container} container" if container else
             f"{hypervisor} VM" if hypervisor else "bare metal")
    top = a.top
    why_not = ""
    if top is None:
        blocked = next((v for v in a.verdicts if v.reasons), None)
        why_not = blocked.reasons[0] if blocked else "no framework fits"
    stability = (f"{st.vendor_support['product']}: {st.vendor_support['phase']}"
                 if st.vendor_support else st.channel)
    return {"host": host, "system": f"{distro}, {release}", "stability": stability,
            "eol": st.channel == "eol", "vt": vt, "vt_off": firmware == "disabled",
            "layer": layer, "recommended": top.name if top else "none", "why_not": why_not,
            "needs_root": ", ".join(h.needed_root)}


# -- the fleet ----------------------------------------------------------------------------------
def analyse_fleet(directory: str, answers: Answers, releases: ReleaseData,
                  documents: bool = False,
                  jobs: Optional[int] = None) -> Iterator[Entry]:
    """Every snapshot of ``directory``, analysed across ``jobs`` processes (default: the
    cores), yielded in file-name order as each is ready."""
    files = snapshot_files(directory)
    if not files:
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(files) == 1:
        _init(answers, releases, documents)
        yield from map(analyse_file, files)
        return
    # "forkserver": workers are not forked from this process, which may have threads (the
    # wizard's): a fork would copy their locks in whatever state they are
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context,
                             initializer=_init, initargs=(answers, releases, documents)) as pool:
        yield from pool.map(analyse_file, files, chunksize=4)


class Summary:
    """Counts for the fleet's summary, kept as entries stream past (nothing else is kept):
    hosts per recommended framework, kernels past end of life, VT off in firmware, refusals."""

    def __init__(self) -> None:
        self.hosts = self.refused = self.end_of_life = self.vt_off = 0
        self.recommended: Dict[str, int] = {}

    def add(self, e: Entry) -> None:
        self.hosts += 1
        if e.error is not None:
            self.refused += 1
            return
        name = e.row["recommended"]
        self.recommended[name] = self.recommended.get(name, 0) + 1
        self.end_of_life += bool(e.row["eol"])
        self.vt_off += bool(e.row["vt_off"])

    def to_json(self) -> Dict[str, Any]:
        return {"hosts": self.hosts, "analysed": self.hosts - self.refused,
                "refused": self.refused, "recommended": dict(sorted(self.recommended.items())),
                "end_of_life": self.end_of_life, "vt_off_in_firmware": self.vt_off}

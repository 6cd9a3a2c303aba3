"""Kernel stability, told truthfully (``kernel-facts.md`` §4–§5).

Before 2.6 an odd minor number meant a development series. Since 2.6.0 parity means nothing:
"odd 2.6.x releases are less stable" is folklore from a proposal of 2 March 2005 that was never
adopted (the 2.6.x.y stable branch came two days later instead). Stability is the release
channel — release candidate, mainline, stable, longterm, end of life — from kernel.org's
``releases.json`` (see :mod:`advisor.releases`), and a distribution kernel follows its vendor's
lifecycle, not kernel.org's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, Optional

from packaging.version import Version

from advisor import data, kernel, knowledge, lifecycle
from advisor.model import CHANNEL_WORDS, Stability

STALE_DAYS = 30
NON_LTS_MONTHS = 4  # EOLD: "non-LTS: releaseDate(x)+4 months"
MAINLINE_CADENCE_DAYS = 65  # a mainline release every 9-10 weeks (PROC: merge window + rc1..rc7/8)


@dataclass
class ReleaseData:
    """kernel.org's view of which series are current, plus the bundled history and lifecycles."""

    as_of: str
    source: str  # online | cache | bundled
    current: Dict[str, dict]  # series -> {"moniker", "iseol", "latest", "date"}
    mainline: Optional[str] = None  # the current mainline version ("7.3-rc5", "7.2")
    problem: Optional[str] = None  # one line: why a fresher source did not answer

    @property
    def history(self) -> Dict[str, dict]:
        return bundled_table()["series"]

    @property
    def distros(self) -> Dict[str, dict]:
        return bundled_table()["distros"]


def bundled_table() -> dict:
    """The bundled release history and lifecycles (``advisor/data/releases.json``)."""
    return data.load("releases.json")


def version_key(version: str) -> Version:
    """A kernel.org version (``6.8.12``, ``7.3-rc5``) as a comparable :class:`Version`, through
    the same parser as every kernel release."""
    upstream = kernel.parse(version).upstream
    if upstream is None:
        raise ValueError(f"not a kernel.org version: {version!r}")
    return upstream


def today_iso() -> str:
    return dt.date.today().isoformat()


def now_utc_iso() -> str:
    """Now, in UTC to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def days_between(earlier: str, later: str) -> int:
    """Days from one ISO date to another; ValueError if either is not one."""
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def bundled_data(problem: str | None = None) -> ReleaseData:
    """The offline view: current series as they stood on ``data_as_of``."""
    table = bundled_table()
    current: dict[str, dict] = {}
    newest = max((s for s in table["series"] if not s.startswith("2.")), key=version_key)
    for s, row in table["series"].items():
        if row["eol"] is not False and not (isinstance(row["eol"], str)
                                            and row["eol"] > table["data_as_of"]):
            continue
        moniker = "longterm" if row["lts"] else "mainline" if s == newest and \
            row["latest"] in (s, s + ".0") else "stable"
        current[s] = {"moniker": moniker, "iseol": False, "latest": row["latest"],
                      "date": row["latest_date"]}
    return ReleaseData(table["data_as_of"], "bundled", current, newest, problem)


def from_releases_json(doc: dict, as_of: str, source: str) -> ReleaseData:
    """kernel.org's releases.json (already validated by :mod:`advisor.releases`)."""
    current: dict[str, dict] = {}
    mainline = None
    for rel in doc["releases"]:
        moniker, version = rel["moniker"], rel["version"]
        if moniker not in ("mainline", "stable", "longterm"):
            continue  # linux-next and monikers we do not know
        base = version.split("-")[0]
        s = kernel.series_of(base)
        date = (rel.get("released") or {}).get("isodate")
        if moniker == "mainline":
            mainline = version
            if "-rc" in version:
                continue  # the rc's series is not released yet
        current[s] = {"moniker": moniker, "iseol": bool(rel.get("iseol")), "latest": base,
                      "date": date}
    return ReleaseData(as_of, source, current, mainline)


def _newest_longterm(data: ReleaseData) -> str | None:
    lts = [s for s, row in data.current.items() if row["moniker"] == "longterm" and not row["iseol"]]
    return max(lts, key=version_key) if lts else None


def classify(release: str | None, data: ReleaseData, os_release: dict | None = None,
             today: str | None = None, prefer: str = "stability") -> Stability:
    """Channel, vendor and plain-sentence notes for one kernel release (``today``: ISO date)."""
    today = today or today_iso()
    r = kernel.parse(release)
    notes: list[str] = []
    lts = _newest_longterm(data)
    st = Stability("unknown", None, notes, data.as_of, data.source, r.series,
                   newest_longterm=lts)
    if r.wsl == 1:
        st.vendor = "Microsoft"
        notes.append("Not a Linux kernel: Windows Subsystem for Linux 1 translation layer. "
                     "No KVM or Xen.")
        return _finish(st, data, today)
    if r.linux_next:
        st.channel = "development"
        notes.append(f"linux-next of {r.linux_next}: an integration tree for the next merge "
                     "window, not a release. For testing only.")
        return _finish(st, data, today)
    if not r.understood:
        notes.append("The kernel release is unknown or not understood, so its channel is "
                     "unknown." if release else "No kernel release to classify (give --kernel).")
        return _finish(st, data, today)
    p = r.parts
    if p[0] < 2 or (p[0] == 2 and p[1] < 6):
        if p[1] % 2 == 1 or p[0] == 0:
            st.channel = "development"
            notes.append("Development series (odd minor number): experimental by design.")
        else:
            st.channel = "eol"
            notes.append("Stable-series kernel (even minor, old scheme). Long end-of-life.")
        notes.append("Before 2.6 the second number's parity meant something: odd (1.1, 1.3, 2.1, "
                     "2.3, 2.5) were development series, even (1.0, 1.2, 2.0, 2.2, 2.4) stable "
                     "ones. 2.6.0 (December 2003) ended that scheme.")
        return _finish(st, data, today)
    if r.git_snapshot:
        st.channel = "development"
        notes.append("Built from a git tree between releases (a '-gHASH' version): development, "
                     "not a release.")
    elif r.pre is not None:
        kind, n = r.pre
        st.channel = "rc"
        what = {"rc": "Release candidate", "pre": "Pre-release (-pre)",
                "test": "Test release (-test)"}[kind]
        notes.append(f"{what} {kind}{n} of {r.version}: a pre-release for testing, not for "
                     "production.")
    if p[0] == 2:  # 2.6.x
        _two_six(r, st, data, notes)
    else:
        _modern(r, st, data, notes)
    _vendor(r, st, data, notes, os_release or {}, today)
    _behind(r, st, data, notes)
    vendor_ok = st.vendor_support is not None and not st.vendor_support["ended"] and \
        st.vendor_support["phase"] != "unknown"
    if prefer == "stability" and st.channel in ("rc", "mainline", "eol", "development") and lts \
            and not vendor_ok:
        latest = data.current.get(lts, {}).get("latest", lts)
        notes.append(f"For a stable base, use the newest longterm series: {lts} "
                     f"(latest {latest}), or your distribution's supported kernel.")
    return _finish(st, data, today)


def _two_six(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str]) -> None:
    """2.6.x: end of life, its stable or longterm history, the parity folklore, the era's
    milestones (from the same knowledge-base facts the timeline draws)."""
    p, n = r.parts, r.parts[2]
    st.channel = st.channel if st.channel != "unknown" else "eol"
    stable = knowledge.fact("history.stable")["text"]
    if n <= 10:
        notes.append("2.6 stable series, before separate stable updates existed. End-of-life. "
                     + stable)
    else:
        notes.append(f"2.6.{n} mainline release" + (
            f"; the fourth number ({p[3]}) is a -stable update" if len(p) > 3 else "")
            + ". End-of-life.")
    row = data.history.get(f"2.6.{n}", {})
    history = knowledge.load()["facts"].get(f"history.2.6.{n}")
    if history:
        notes.append(knowledge.cite(f"history.2.6.{n}"))
    elif row.get("lts"):
        notes.append(f"2.6.{n} had stable updates for longer than usual (up to {row['latest']}, "
                     f"{row['latest_date']}); whether it was an official longterm series is "
                     "not established by our sources.")
    parity = "odd" if n % 2 else "even"
    notes.append(
        f"2.6.{n} has an {parity} number, and since 2.6.0 that means nothing: the idea that "
        "odd 2.6 releases are less stable is folklore from a proposal Linus Torvalds floated "
        "on 2 March 2005 (even = stability-only, odd = bigger changes, 'all kernels would "
        "still be stable'). It was never adopted: two days later the 2.6.x.y stable branch "
        "was announced instead.")
    latest = row.get("latest")
    if not r.vendor:
        notes.append("For a 2.6 kernel the truthful advice is the latest update of its own "
                     "series" + (f" (2.6.{n}: {latest})" if latest and latest != r.version else "")
                     + " or of a long-maintained one, or the first release that has the "
                       "feature you need — not the next 2.6 number.")
    notes.append(_milestones(r))
    if r.vendor == "Red Hat" and p[:3] == (2, 6, 18):
        notes.append(knowledge.cite("history.rhel2618"))


def _milestones(r: kernel.KernelRelease) -> str:
    """What this 2.6 kernel has and lacks of the era's virtualization milestones."""
    has, lacks = [], []
    facts = knowledge.load()["facts"]
    milestones = sorted((fid for fid, f in facts.items() if f.get("milestone")),
                        key=lambda fid: Version(knowledge.bounds(fid)[0]))
    for fid in milestones:
        since, until = knowledge.bounds(fid)
        label = facts[fid].get("label", fid)
        inside = r.in_range(knowledge.kernels(fid))
        if inside:
            span = f"–{knowledge.last_before(until)}" if until else " on"
            has.append(f"{label} ({since}{span})")
        elif inside is False:
            when = f"from {since}" if r.upstream < Version(since) else f"removed in {until}"
            lacks.append(f"{label} ({when})")
    return (f"Virtualization in {r.version}: " + (", ".join(has) or "none of the era's milestones")
            + (f"; not (yet): {', '.join(lacks)}" if lacks else "") + ".")


def _modern(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str]) -> None:
    s = r.series or ""
    cur = data.current.get(s)
    if st.channel in ("rc", "development"):
        pass
    elif cur is not None:
        st.channel = "eol" if cur["iseol"] else cur["moniker"]
    else:
        known = [k for k in list(data.current) + list(data.history) if not k.startswith("2.")]
        if known and version_key(s) > max(version_key(k) for k in known):
            st.channel = "unknown"
            notes.append(f"{s} is newer than our release data ({data.as_of}): its channel is "
                         "unknown; check kernel.org.")
            return
        st.channel = "eol"
    words = {
        "mainline": f"{s} is the current mainline release: new features; stable updates "
                    "follow within days.",
        "stable": f"{s} is a stable series: it gets {s}.Z bug-fix updates for about 3–4 months, "
                  "then reaches end of life.",
        "longterm": f"{s} is a longterm (LTS) series" + _lts_until(s, data) + ".",
        "eol": f"The {s} series has reached end of life" + _eol_since(s, data)
               + ": no more upstream fixes.",
    }
    if st.channel in words:
        notes.append(words[st.channel])
    if r.parts[1] == 0 and r.parts[0] >= 3:
        notes.append(f"{r.parts[0]}.0 is a renumbering, not a bigger or riskier change: "
                     "\"we don't do feature-based releases\" (Linus Torvalds, 5.0).")
    notes.append("Since 3.0 version numbers carry no stability meaning, odd or even: "
                 "stability is the release channel.")


def _lts_until(s: str, data: ReleaseData) -> str:
    eol = data.history.get(s, {}).get("eol")
    return f", maintained until {eol} (projected)" if isinstance(eol, str) else ""


def _eol_since(s: str, data: ReleaseData) -> str:
    row = data.history.get(s, {})
    eol = row.get("eol")
    last = row.get("latest")
    if isinstance(eol, str):
        return f" (last update {last}, {eol})" if last else f" ({eol})"
    return ""


def _vendor(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str],
            osr: dict, today: str) -> None:
    """A distribution kernel: its vendor's lifecycle decides (see :mod:`advisor.lifecycle`)."""
    if not r.vendor or r.vendor in ("Docker",):
        return
    st.vendor = r.vendor
    found = lifecycle.product_of(r, osr)
    if found is None:
        notes.append(f"A {r.vendor} kernel based on upstream {r.series}: no distribution "
                     "lifecycle covers it, so upstream's channel applies.")
        return
    st.vendor_support = lifecycle.support(*found, data.distros, today)
    notes.extend(lifecycle.notes(st.vendor_support, r.series, _upstream_end(st)))


def _upstream_end(st: Stability) -> str | None:
    """None while the upstream series lives; else the date it ended ("" if unknown)."""
    if st.channel != "eol":
        return None
    eol = bundled_table()["series"].get(st.series or "", {}).get("eol")
    return eol if isinstance(eol, str) else ""


def headline(st: Stability, release: str | None) -> str:
    """The stability part of the one headline, the same in every output."""
    what = f"kernel {release}" if release else "the kernel"
    if st.vendor_support and st.vendor_support["phase"] != "unknown":
        return f"{what}: " + lifecycle.headline_part(
            st.vendor_support, st.series, _upstream_end(st))
    words = CHANNEL_WORDS[st.channel]
    if st.channel == "longterm" and st.series:
        words = f"longterm (LTS) series {st.series}"
    elif st.channel == "eol" and st.series:
        words = f"upstream {st.series} has reached its end of life"
    vendor = f" ({st.vendor}'s lifecycle applies)" if st.vendor and st.vendor_support else ""
    return f"{what}: {words}{vendor}"


def _behind(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str]) -> None:
    if r.pre is not None or r.git_snapshot:
        return
    if r.vendor not in (None, "Fedora", "Arch Linux", "Gentoo", "Raspberry Pi"):
        return  # the vendor's own numbering hides its backports
    s = r.series or ""
    cur = data.current.get(s) or {}
    latest = cur.get("latest") or data.history.get(s, {}).get("latest")
    date = cur.get("date") or data.history.get(s, {}).get("latest_date")
    if not latest:
        return
    mine, theirs_n = _update_number(r.parts), _update_number(version_key(latest).release)
    st.latest_in_series = latest
    st.behind = max(theirs_n - mine, 0)
    if st.behind:
        notes.append(f"This kernel is {r.version}; the series' latest is {latest}"
                     + (f" ({date})" if date else "") + f": {st.behind} stable update"
                     + ("s" if st.behind != 1 else "") + " behind.")
    else:
        notes.append(f"This is the series' latest release known to our data ({latest}).")


def _update_number(parts: tuple) -> int:
    """The stable-update number within a series: ``6.8.12`` → 12, ``2.6.32.71`` → 71."""
    index = 3 if parts[:2] == (2, 6) else 2
    return parts[index] if len(parts) > index else 0


def _finish(st: Stability, data: ReleaseData, today: str) -> Stability:
    if data.problem:
        st.notes.append(data.problem)
    try:
        age = days_between(data.as_of, today)
    except ValueError:
        return st
    if age > STALE_DAYS:
        st.notes.append(_staleness(data, today, age))
    return st


def _staleness(data: ReleaseData, today: str, age: int) -> str:
    gone = []
    for s, row in data.current.items():
        if row["moniker"] == "longterm" or row["iseol"]:
            continue
        first = data.history.get(s, {}).get("first")
        if not first:
            continue
        try:
            lived = days_between(first, today)
        except ValueError:
            continue
        if lived > NON_LTS_MONTHS * 30.5:
            gone.append(s)
    newer = age // MAINLINE_CADENCE_DAYS
    text = (f"The release data is from {data.as_of} ({age} days old, {data.source}). "
            "Since then, likely: ")
    bits = []
    if gone:
        bits.append(f"{', '.join(sorted(gone, key=version_key))} reached end of life (non-LTS series "
                    "live about 3–4 months)")
    if newer:
        bits.append(f"about {newer} newer mainline release{'s' if newer > 1 else ''} came out")
    if not bits:
        bits.append("new stable updates were published")
    return text + " and ".join(bits) + ". Check kernel.org for current data."

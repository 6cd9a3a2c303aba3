"""Kernel stability, told truthfully (``kernel-facts.md`` §4–§5).

Before 2.6 an odd minor number meant a development series. Since 2.6.0 parity means nothing:
"odd 2.6.x releases are less stable" is folklore from a proposal of 2 March 2005 that was never
adopted (the 2.6.x.y stable branch came two days later instead). Stability is the release
channel — release candidate, mainline, stable, longterm, end of life — from kernel.org's
``releases.json`` (see :mod:`kernel_advisor.releases`), and a distribution kernel follows its
vendor's lifecycle, not kernel.org's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from packaging.version import Version

from kernel_advisor import data, kernel, lifecycle, systems, two_six, versions
from kernel_advisor.i18n import _, ngettext
from kernel_advisor.model import CHANNEL_WORDS, SOURCE_WORDS, Stability

STALE_DAYS = 30
NON_LTS_MONTHS = 4  # EOLD: "non-LTS: releaseDate(x)+4 months"
MAINLINE_CADENCE_DAYS = 65  # a mainline release every 9-10 weeks (PROC: merge window + rc1..rc7/8)


@dataclass
class ReleaseData:
    """kernel.org's view of which series are current, plus the bundled history and lifecycles."""

    as_of: str
    source: str  # online | cache | bundled
    current: Dict[str, Dict[str, Any]]  # series -> {"moniker", "iseol", "latest", "date"}
    mainline: Optional[str] = None  # the current mainline version ("7.3-rc5", "7.2")
    problem: Optional[str] = None  # one line: why a fresher source did not answer

    @property
    def history(self) -> Dict[str, Dict[str, Any]]:
        series: Dict[str, Dict[str, Any]] = bundled_table()["series"]
        return series

    @property
    def distros(self) -> Dict[str, Dict[str, Any]]:
        distros: Dict[str, Dict[str, Any]] = bundled_table()["distros"]
        return distros


def bundled_table() -> Dict[str, Any]:
    """The bundled release history and lifecycles (``kernel_advisor/data/releases.json``)."""
    return data.load("releases.json")


def version_key(version: str) -> Version:
    """A kernel.org version (``6.8.12``, ``7.3-rc5``) as a comparable :class:`Version`, through
    the same parser as every kernel release."""
    upstream = versions.upstream(kernel.parse(version))
    if upstream is None:
        raise ValueError(_("not a kernel.org version: {version!r}").format(version=version))
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
    current: dict[str, dict[str, Any]] = {}
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


def from_releases_json(doc: Dict[str, Any], as_of: str, source: str) -> ReleaseData:
    """kernel.org's releases.json (already validated by :mod:`kernel_advisor.releases`)."""
    current: dict[str, dict[str, Any]] = {}
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
    lts = [s for s, row in data.current.items()
           if row["moniker"] == "longterm" and not row["iseol"]]
    return max(lts, key=version_key) if lts else None


def classify(release: str | None, data: ReleaseData, os_release: Dict[str, str] | None = None,
             today: str | None = None, prefer: str = "stability") -> Stability:
    """Channel, vendor and plain-sentence notes for one kernel release (``today``: ISO date).
    ``os_release``: that of the kernel's own system (:func:`systems.kernel_os_release`), which
    decides the release shapes several vendors share and the releases a kernel release does not
    name."""
    today = today or today_iso()
    osr = os_release or {}
    r = systems.owned(kernel.parse(release), osr)
    notes: list[str] = []
    lts = _newest_longterm(data)
    st = Stability("unknown", None, notes, data.as_of, data.source, r.series,
                   newest_longterm=lts)
    if r.wsl == 1:
        st.vendor = "Microsoft"
        notes.append(_("Not a Linux kernel: Windows Subsystem for Linux 1 translation layer. "
                       "No KVM or Xen."))
        return _finish(st, data, today)
    if r.linux_next:
        st.channel = "development"
        notes.append(_("linux-next of {linux_next}: an integration tree for the next merge "
                       "window, not a release. For testing only.").format(linux_next=r.linux_next))
        return _finish(st, data, today)
    if not r.understood:
        notes.append(_("The kernel release is unknown or not understood, so its channel is "
                       "unknown.") if release
                     else _("No kernel release to classify (give --kernel)."))
        return _finish(st, data, today)
    p = r.parts
    if p[0] < 2 or (p[0] == 2 and p[1] < 6):
        if p[1] % 2 == 1 or p[0] == 0:
            st.channel = "development"
            notes.append(_("Development series (odd minor number): experimental by design."))
        else:
            st.channel = "eol"
            notes.append(_("Stable-series kernel (even minor, old scheme). Long end-of-life."))
        notes.append(_("Before 2.6 the second number's parity meant something: odd (1.1, 1.3, 2.1, "
                       "2.3, 2.5) were development series, even (1.0, 1.2, 2.0, 2.2, 2.4) stable "
                       "ones. 2.6.0 (December 2003) ended that scheme."))
        return _finish(st, data, today)
    if r.git_snapshot:
        st.channel = "development"
        notes.append(_("Built from a git tree between releases (a '-gHASH' version): development, "
                       "not a release."))
    elif r.pre is not None:
        kind, n = r.pre
        st.channel = "rc"
        what = {"rc": _("Release candidate"), "pre": _("Pre-release (-pre)"),
                "test": _("Test release (-test)")}[kind]
        notes.append(_("{what} {kind}{n} of {version}: a pre-release for testing, not for "
                       "production.").format(what=what, kind=kind, n=n, version=r.version))
    if p[0] == 2:  # 2.6.x
        two_six.add_notes(r, st, data.history, notes)
    else:
        _modern(r, st, data, notes)
    _vendor(r, st, data, notes, osr, today)
    _behind(r, st, data, notes)
    vendor_ok = st.vendor_support is not None and not st.vendor_support["ended"] and \
        st.vendor_support["phase"] != "unknown"
    if prefer == "stability" and st.channel in ("rc", "mainline", "eol", "development") and lts \
            and not vendor_ok:
        latest = data.current.get(lts, {}).get("latest", lts)
        notes.append(_("For a stable base, use the newest longterm series: {lts} (latest "
                       "{latest}), or your distribution's supported kernel.").format(
                       lts=lts,
                       latest=latest))
    return _finish(st, data, today)


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
            notes.append(_("{series} is newer than our release data ({as_of}): its channel is "
                           "unknown; check kernel.org.").format(series=s, as_of=data.as_of))
            return
        st.channel = "eol"
    words = {
        "mainline": _("{series} is the current mainline release: new features; stable updates "
                      "follow within days.").format(series=s),
        "stable": _("{series} is a stable series: it gets {series}.Z bug-fix updates for "
                    "about 3–4 months, then reaches end of life.").format(series=s),
        "longterm": _("{series} is a longterm (LTS) series").format(series=s)
                    + _lts_until(s, data) + ".",
        "eol": _("The {series} series has reached end of life").format(series=s)
               + _eol_since(s, data) + _(": no more upstream fixes."),
    }
    if st.channel in words:
        notes.append(words[st.channel])
    if r.parts[1] == 0 and r.parts[0] >= 3:
        notes.append(_("{major}.0 is a renumbering, not a bigger or riskier change: \"we "
                       "don't do feature-based releases\" (Linus Torvalds, 5.0).").format(
                       major=r.parts[0]))
    notes.append(_("Since 3.0 version numbers carry no stability meaning, odd or even: "
                   "stability is the release channel."))


def _lts_until(s: str, data: ReleaseData) -> str:
    eol = data.history.get(s, {}).get("eol")
    return _(", maintained until {eol} (projected)").format(eol=eol) if isinstance(eol, str) else ""


def _eol_since(s: str, data: ReleaseData) -> str:
    row = data.history.get(s, {})
    eol = row.get("eol")
    last = row.get("latest")
    if isinstance(eol, str):
        return _(" (last update {last}, {eol})").format(last=last, eol=eol) if last else f" ({eol})"
    return ""


def _vendor(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str],
            osr: Dict[str, str], today: str) -> None:
    """A distribution kernel: its vendor's lifecycle decides
    (see :mod:`kernel_advisor.lifecycle`)."""
    owner = systems.owner(r.release, osr)
    if not r.vendor or r.vendor in ("Docker",):
        return
    st.vendor = r.vendor
    found = lifecycle.product_of(owner, r, osr)
    if found is None:
        notes.append(_("A {vendor} kernel based on upstream {series}: no distribution "
                       "lifecycle covers it, so upstream's channel applies.").format(
                       vendor=r.vendor,
                       series=r.series))
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
    what = _("kernel {release}").format(release=release) if release else _("the kernel")
    return f"{what}: {status_words(st)}"


def status_words(st: Stability) -> str:
    """What the headline, the ``Stability`` line, the wizard and the reports say of the kernel's
    stability: the vendor's phase first where the kernel is a vendor's (the upstream series'
    state as its detail), else the upstream channel."""
    vs = st.vendor_support
    if vs and vs["phase"] != "unknown":
        return lifecycle.headline_part(vs, st.series, _upstream_end(st))
    words = _(CHANNEL_WORDS[st.channel])
    if st.channel == "longterm" and st.series:
        words = _("longterm (LTS) series {series}").format(series=st.series)
    elif st.channel == "eol" and st.series:
        words = _("upstream {series} has reached its end of life").format(series=st.series)
    if vs:
        return _("{words} ({vendor}'s kernel, whose lifecycle, {product}, is not in our "
                 "data)").format(vendor=st.vendor, product=vs["product"], words=words)
    if st.vendor:
        return _("{words} ({vendor}'s kernel: upstream's channel applies)").format(
                 words=words, vendor=st.vendor)
    return words


def _behind(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str]) -> None:
    if r.pre is not None or r.git_snapshot:
        return
    if r.vendor not in (None, "Fedora", "Arch Linux", "Gentoo", "Raspberry Pi"):
        return  # the vendor's own numbering hides its backports
    s = r.series or ""
    cur = data.current.get(s) or {}
    if not cur and s in data.history and not two_six.listed_updates(data.history[s]):
        notes.append(_("Our release data does not list the stable updates of {series}: they "
                       "predate the kernel's git history (from 2.6.12) that the data comes from, "
                       "so how far behind this kernel is cannot be said.").format(series=s))
        return
    latest = cur.get("latest") or data.history.get(s, {}).get("latest")
    date = cur.get("date") or data.history.get(s, {}).get("latest_date")
    if not latest:
        return
    mine, theirs_n = _update_number(r.parts), _update_number(version_key(latest).release)
    st.latest_in_series = latest
    st.behind = max(theirs_n - mine, 0)
    if st.behind:
        notes.append(ngettext("This kernel is {version}; the series' latest is {latest}{date}: "
                              "{behind} stable update behind.",
                              "This kernel is {version}; the series' latest is {latest}{date}: "
                              "{behind} stable updates behind.", st.behind).format(
                                  version=r.version, latest=latest, behind=st.behind,
                                  date=f" ({date})" if date else ""))
    else:
        notes.append(_("This is the series' latest release known to our data ({latest}).").format(
                       latest=latest))


def _update_number(parts: Tuple[int, ...]) -> int:
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
    text = (_("The release data is from {as_of} ({age} days old, {source}). Since then, "
              "likely: ").format(as_of=data.as_of, age=age,
                                 source=_(SOURCE_WORDS.get(data.source, data.source))))
    bits = []
    if gone:
        bits.append(ngettext("{series} reached end of life (non-LTS series live about 3–4 "
                             "months)",
                             "{series} reached end of life (non-LTS series live about 3–4 "
                             "months)", len(gone)).format(
                                 series=', '.join(sorted(gone, key=version_key))))
    if newer:
        bits.append(ngettext("about {newer} newer mainline release came out",
                             "about {newer} newer mainline releases came out", newer).format(
                                 newer=newer))
    if not bits:
        bits.append(_("new stable updates were published"))
    return text + _(" and ").join(bits) + _(". Check kernel.org for current data.")


def far_ahead(release: str) -> Optional[str]:
    """Why a release typed for a what-if looks like a typo — its major version is more than one
    ahead of the newest series in the bundled data (Linux moves a major version every few
    years: ``99.99.99``) — or None. It is still analysed as typed; this is said beside it."""
    r = kernel.parse(release)
    if not (r.understood and r.parts):
        return None
    newest = max(bundled_table()["series"], key=version_key)
    if r.parts[0] <= version_key(newest).major + 1:
        return None
    return _("{release} is far newer than any release our data knows (the newest is {newest}): "
             "a typo? It is analysed as typed.").format(release=release, newest=newest)

"""Kernel stability, told truthfully (``kernel-facts.md`` §4–§5).

Before 2.6 an odd minor number meant a development series. Since 2.6.0 parity means nothing:
"odd 2.6.x releases are less stable" is folklore from a proposal of 2 March 2005 that was never
adopted (the 2.6.x.y stable branch came two days later instead). Stability is the release
channel — release candidate, mainline, stable, longterm, end of life — from kernel.org's
``releases.json`` (see :mod:`advisor.releases`), and a distribution kernel follows its vendor's
lifecycle, not kernel.org's.
"""

from __future__ import annotations

import time

from advisor import kernel
from advisor.textmatch import digits_at, find_all

CHANNELS = ("development", "rc", "mainline", "stable", "longterm", "eol", "unknown")
CHANNEL_WORDS = {"development": "development series", "rc": "release candidate",
                 "mainline": "mainline release", "stable": "stable series",
                 "longterm": "longterm (LTS) series", "eol": "end of life", "unknown": "unknown"}
STALE_DAYS = 30
NON_LTS_MONTHS = 4  # EOLD: "non-LTS: releaseDate(x)+4 months"
MAINLINE_CADENCE_DAYS = 65  # a mainline release every 9-10 weeks (PROC: merge window + rc1..rc7/8)


class ReleaseData:
    """kernel.org's view of which series are current, plus the bundled history and lifecycles."""

    __slots__ = ("as_of", "source", "current", "mainline", "problem")

    def __init__(self, as_of: str, source: str, current: dict[str, dict],
                 mainline: str | None = None, problem: str | None = None) -> None:
        self.as_of = as_of
        self.source = source  # online | cache | bundled
        self.current = current  # series -> {"moniker", "iseol", "latest", "date"}
        self.mainline = mainline  # the current mainline version ("7.3-rc5", "7.2")
        self.problem = problem  # one line: why a fresher source did not answer

    def __repr__(self) -> str:
        return f"ReleaseData({self.as_of!r}, {self.source!r}, {len(self.current)} series)"

    @property
    def history(self) -> dict[str, dict]:
        return bundled_table()["series"]

    @property
    def distros(self) -> dict[str, dict]:
        return bundled_table()["distros"]


class Stability:
    """The kernel's release channel, its vendor, and the notes that explain them."""

    __slots__ = ("channel", "vendor", "notes", "data_as_of", "source", "series",
                 "latest_in_series", "behind", "vendor_support", "newest_longterm")

    def __init__(self, channel: str, vendor: str | None, notes: list[str], data_as_of: str,
                 source: str, series: str | None = None,
                 newest_longterm: str | None = None) -> None:
        self.channel, self.vendor, self.notes = channel, vendor, notes
        self.data_as_of, self.source, self.series = data_as_of, source, series
        self.latest_in_series: str | None = None
        self.behind: int | None = None
        self.vendor_support: dict | None = None
        self.newest_longterm = newest_longterm

    def __repr__(self) -> str:
        return f"Stability({self.channel!r}, vendor={self.vendor!r})"

    def to_json(self) -> dict:
        return {"channel": self.channel, "vendor": self.vendor, "notes": self.notes,
                "data_as_of": self.data_as_of, "source": self.source, "series": self.series,
                "latest_in_series": self.latest_in_series, "behind": self.behind,
                "vendor_support": self.vendor_support, "newest_longterm": self.newest_longterm}


def bundled_table() -> dict:
    """The bundled release history and lifecycles (``advisor/data/releases.json``), as the
    pre-digested Python literal :mod:`advisor._bundled` (no JSON parser on the start-up path)."""
    from advisor._bundled import RELEASES

    return RELEASES


def _vkey(v: str) -> tuple[int, ...]:
    """``"6.8.12"`` → ``(6, 8, 12)``; ``"7.3-rc5"`` → ``(7, 3)``: numbers before any ``-``."""
    return tuple(int(x) for x in v.split("-")[0].split(".") if x.isdecimal())


def today_iso() -> str:
    """Today's local date as ``YYYY-MM-DD`` (what ``datetime.date.today().isoformat()`` gives)."""
    return time.strftime("%Y-%m-%d")


def now_utc_iso() -> str:
    """Now, in UTC to the second, as ``datetime.now(timezone.utc).isoformat()`` writes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def day_number(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date ``YYYY-MM-DD`` (proleptic Gregorian, like
    ``date.toordinal() - 719163``); ValueError if it is not one. Howard Hinnant's
    days_from_civil: plain integer arithmetic, so the CLI need not import ``datetime``."""
    y_s, m_s, d_s = iso.split("-")
    if not (len(y_s) == 4 and len(m_s) == 2 and len(d_s) == 2
            and (y_s + m_s + d_s).isdigit() and (y_s + m_s + d_s).isascii()):
        raise ValueError(f"not an ISO date: {iso!r}")
    y, m, d = int(y_s), int(m_s), int(d_s)
    if not (1 <= m <= 12 and 1 <= d <= _month_days(y, m)) or y == 0:
        raise ValueError(f"not a calendar date: {iso!r}")
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _month_days(y: int, m: int) -> int:
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def bundled_data(problem: str | None = None) -> ReleaseData:
    """The offline view: current series as they stood on ``data_as_of``."""
    table = bundled_table()
    current: dict[str, dict] = {}
    newest = max((s for s in table["series"] if not s.startswith("2.")), key=_vkey)
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
        s = series_key(base)
        date = (rel.get("released") or {}).get("isodate")
        if moniker == "mainline":
            mainline = version
            if "-rc" in version:
                continue  # the rc's series is not released yet
        current[s] = {"moniker": moniker, "iseol": bool(rel.get("iseol")), "latest": base,
                      "date": date}
    return ReleaseData(as_of, source, current, mainline)


def series_key(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["2", "6"] else ".".join(parts[:2])


def _newest_longterm(data: ReleaseData) -> str | None:
    lts = [s for s, row in data.current.items() if row["moniker"] == "longterm" and not row["iseol"]]
    return max(lts, key=_vkey) if lts else None


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
    elif r.rc is not None:
        st.channel = "rc"
        notes.append(f"Release candidate rc{r.rc} of {r.version}: a pre-release for testing, "
                     "not for production.")
    if p[0] == 2:  # 2.6.x
        n = p[2]
        st.channel = st.channel if st.channel != "unknown" else "eol"
        if n <= 10:
            notes.append("2.6 stable series. No separate stable-update branch existed yet. "
                         "End-of-life.")
        else:
            notes.append(f"2.6.{n} mainline release" + (
                f"; the fourth number ({p[3]}) is a -stable update" if len(p) > 3 else "")
                + ". End-of-life.")
        row = data.history.get(f"2.6.{n}", {})
        if row.get("lts"):
            notes.append(f"2.6.{n} was long-maintained (up to {row['latest']}, "
                         f"{row['latest_date']})"
                         + (" — unverified as an official longterm series."
                            if row.get("lts_status") == "UNVERIFIED" else "."))
        parity = "odd" if n % 2 else "even"
        notes.append(
            f"2.6.{n} has an {parity} number, and since 2.6.0 that means nothing: the idea that "
            "odd 2.6 releases are less stable is folklore from a proposal Linus Torvalds floated "
            "on 2 March 2005 (even = stability-only, odd = bigger changes, 'all kernels would "
            "still be stable'). It was never adopted: two days later the 2.6.x.y stable branch "
            "was announced instead.")
        if n % 2 == 1:
            notes.append(
                f"A user who preferred stability then would wait for the 2.6.{n}.y stable "
                f"updates or for 2.6.{n + 1}"
                + (f"; today the equivalent is the newest longterm series, {lts}." if lts else "."))
    else:
        _modern(r, st, data, notes)
    _vendor(r, st, data, notes, os_release or {}, today)
    _behind(r, st, data, notes)
    if prefer == "stability" and st.channel in ("rc", "mainline", "eol", "development") and lts:
        latest = data.current.get(lts, {}).get("latest", lts)
        notes.append(f"For a stable base, use the newest longterm series: {lts} "
                     f"(latest {latest}), or your distribution's supported kernel.")
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
        if known and _vkey(s) > max(_vkey(k) for k in known):
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


def _rhel_major(release: str) -> str | None:
    r"""``2.6.18-8.el5xen`` → ``"5"``: the digits of the first ``\.el(\d+)``."""
    return next((d for i in find_all(release, ".el") if (d := digits_at(release, i + 3))), None)


def _sles_cycle(release: str) -> str | None:
    r"""SUSE's ``-150400.24.`` (and alike) → ``"15.4"``: ``-(\d{2})(\d)(\d)00\.``."""
    for i in find_all(release, "-"):
        six = release[i + 1:i + 7]
        if len(digits_at(six, 0)) == 6 and six.endswith("00") and release[i + 7:i + 8] == ".":
            return f"{six[:2]}.{six[3]}"
    return None


def _vendor(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str],
            osr: dict, today: str) -> None:
    if not r.vendor or r.vendor in ("Docker",):
        return
    st.vendor = r.vendor
    base = r.series
    notes.append(f"Vendor kernel based on upstream {base}. The vendor's lifecycle applies, "
                 "not kernel.org's" + (": its upstream series being end-of-life does not make "
                                       "it unsupported." if st.channel == "eol" else "."))
    product = cycle = None
    rhel = _rhel_major(r.release) if r.vendor == "Red Hat" else None
    sles = _sles_cycle(r.release) if r.vendor == "SUSE" else None
    if rhel:
        product = "centos" if osr.get("ID") == "centos" else "rhel"
        cycle = rhel
    elif sles:
        product, cycle = "sles", sles
    elif r.vendor == "Debian" and osr.get("ID") == "debian":
        product, cycle = "debian", osr.get("VERSION_ID")
    elif r.vendor == "Canonical" and osr.get("ID") == "ubuntu":
        product, cycle = "ubuntu", osr.get("VERSION_ID")
    row = data.distros.get(product or "", {}).get(cycle or "")
    if not row:
        return
    name = {"rhel": "RHEL", "centos": "CentOS", "sles": "SLES", "debian": "Debian",
            "ubuntu": "Ubuntu"}[product]
    st.vendor_support = {"product": name, "cycle": cycle, **row}
    end = row.get("eol")
    ext = row.get("eoes") or (row.get("lts") if isinstance(row.get("lts"), str) else None)
    if isinstance(end, str) and end >= today:
        notes.append(f"{name} {cycle} is supported until {end}"
                     + (f", with extended support to {ext}." if ext else "."))
    elif isinstance(end, str):
        if ext and ext >= today:
            notes.append(f"{name} {cycle}: regular support ended {end}; extended (paid) support "
                         f"runs to {ext}.")
        else:
            notes.append(f"{name} {cycle} reached end of life on {ext or end}.")


def _behind(r: kernel.KernelRelease, st: Stability, data: ReleaseData, notes: list[str]) -> None:
    if r.rc is not None or r.git_snapshot:
        return
    if r.vendor not in (None, "Fedora", "Arch Linux", "Gentoo", "Raspberry Pi"):
        return  # the vendor's own numbering hides its backports
    s = r.series or ""
    cur = data.current.get(s) or {}
    latest = cur.get("latest") or data.history.get(s, {}).get("latest")
    date = cur.get("date") or data.history.get(s, {}).get("latest_date")
    if not latest:
        return
    mine = r.parts[3] if r.parts[:2] == (2, 6) and len(r.parts) > 3 else (
        r.parts[2] if r.parts[0] >= 3 else 0)
    theirs = _vkey(latest)
    theirs_n = theirs[3] if latest.startswith("2.6.") and len(theirs) > 3 else (
        theirs[2] if len(theirs) > 2 and not latest.startswith("2.6.") else 0)
    st.latest_in_series = latest
    st.behind = max(theirs_n - mine, 0)
    if st.behind:
        notes.append(f"This kernel is {r.version}; the series' latest is {latest}"
                     + (f" ({date})" if date else "") + f": {st.behind} stable update"
                     + ("s" if st.behind != 1 else "") + " behind.")
    else:
        notes.append(f"This is the series' latest release known to our data ({latest}).")


def _finish(st: Stability, data: ReleaseData, today: str) -> Stability:
    if data.problem:
        st.notes.append(data.problem)
    try:
        age = day_number(today) - day_number(data.as_of)
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
            lived = day_number(today) - day_number(first)
        except ValueError:
            continue
        if lived > NON_LTS_MONTHS * 30.5:
            gone.append(s)
    newer = age // MAINLINE_CADENCE_DAYS
    text = (f"The release data is from {data.as_of} ({age} days old, {data.source}). "
            "Since then, likely: ")
    bits = []
    if gone:
        bits.append(f"{', '.join(sorted(gone, key=_vkey))} reached end of life (non-LTS series "
                    "live about 3–4 months)")
    if newer:
        bits.append(f"about {newer} newer mainline release{'s' if newer > 1 else ''} came out")
    if not bits:
        bits.append("new stable updates were published")
    return text + " and ".join(bits) + ". Check kernel.org for current data."

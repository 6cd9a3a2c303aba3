#!/usr/bin/env python3
"""Regenerate ``kernel_advisor/data/releases.json``, the bundled offline release data.

Sources (copies in ``../shared/data/endoflife-date/``, see its README):
- ``release-data-linux-kernel.json``: every kernel tag with its date (endoflife-date/release-data);
- ``product-*.md``: endoflife.date's lifecycle tables for the kernel, RHEL, CentOS, Debian,
  Ubuntu and SLES.

The output is a small, pre-digested table (one row per kernel series and per distribution
release) so that loading it costs next to nothing at start-up.

    python3 tools/build_release_data.py [SOURCE_DIR] [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRC = os.path.join(HERE, "..", "..", "shared", "data", "endoflife-date")
OUT = os.path.join(HERE, "..", "kernel_advisor", "data", "releases.json")
PRODUCTS = {"linux-kernel": "kernel", "rhel": "rhel", "centos": "centos", "debian": "debian",
            "ubuntu": "ubuntu", "sles": "sles", "almalinux": "almalinux", "rocky-linux": "rocky",
            "oracle-linux": "ol", "opensuse": "opensuse", "fedora": "fedora",
            "proxmox-ve": "proxmox"}
#: kernel-facts.md §5 "Earlier long-maintained series": longterm per PROC and the 2017 kernel.org
#: table (VERIFIED), or inferred from long tag runs (UNVERIFIED)
LONG_MAINTAINED = {
    **{s: "VERIFIED" for s in ("3.2", "3.4", "3.10", "3.16", "4.1", "4.4", "4.9")},
    **{s: "UNVERIFIED" for s in ("2.6.16", "2.6.27", "2.6.32", "2.6.33", "2.6.34", "2.6.35",
                                 "3.0", "3.12", "3.14", "3.18")},
}
KEEP = ("releaseDate", "eol", "eoas", "eoes", "lts", "latest", "latestReleaseDate", "codename")


def parse_front_matter_releases(text: str) -> list[dict]:
    """The ``releases:`` list of an endoflife.date page (a flat YAML subset; no PyYAML needed)."""
    front = text.split("---", 2)[1] if text.startswith("---") else text
    lines = front.splitlines()
    try:
        start = lines.index("releases:")
    except ValueError:
        return []
    items: list[dict] = []
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break
        m = re.match(r"^\s*(-\s+)?(\w+):\s*(.*?)\s*$", line)
        if not m:
            continue
        if m.group(1):
            items.append({})
        if not items:
            continue
        value = re.sub(r"\s+#.*$", "", m.group(3)).strip().strip('"').strip("'")
        if value in ("true", "false"):
            items[-1][m.group(2)] = value == "true"
        else:
            items[-1][m.group(2)] = value
    return items


def series_of(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["2", "6"] else ".".join(parts[:2])


def _vkey(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def build(src: str, as_of: str) -> dict:
    with open(os.path.join(src, "release-data-linux-kernel.json"), encoding="utf-8") as fh:
        tags = json.load(fh)["versions"]
    series: dict[str, dict] = {}
    for name, row in tags.items():
        if not re.fullmatch(r"\d+(\.\d+)+", name):
            continue
        s = series_of(name)
        entry = series.setdefault(s, {"first": None, "latest": None, "latest_date": None,
                                      "count": 0})
        entry["count"] += 1
        date = row.get("date")
        if date == "1970-01-01":  # 2.6.11 and 2.6.12 have no usable tag date (RD)
            date = None
        if name == s or (name == s + ".0"):
            entry["first"] = date
        if entry["latest"] is None or _vkey(name) > _vkey(entry["latest"]):
            entry["latest"], entry["latest_date"] = name, date
    with open(os.path.join(src, "product-linux-kernel.md"), encoding="utf-8") as fh:
        for row in parse_front_matter_releases(fh.read()):
            s = row["releaseCycle"]
            entry = series.setdefault(s, {"first": None, "latest": None, "latest_date": None,
                                          "count": 0})
            entry["first"] = entry["first"] or row.get("releaseDate")
            entry["lts"] = bool(row.get("lts", False))
            eol = row.get("eol", False)
            entry["eol"] = eol if isinstance(eol, (bool, str)) else False
    for s, entry in series.items():
        entry.setdefault("lts", False)
        if s in LONG_MAINTAINED and not entry["lts"]:
            entry["lts"] = True
            entry["lts_status"] = LONG_MAINTAINED[s]
        if "eol" not in entry:  # not on the current product page: long gone
            entry["eol"] = entry["latest_date"] or True
    distros: dict[str, dict] = {}
    for product, key in PRODUCTS.items():
        if key == "kernel":
            continue
        with open(os.path.join(src, f"product-{product}.md"), encoding="utf-8") as fh:
            rows = parse_front_matter_releases(fh.read())
        distros[key] = {r["releaseCycle"]: {k: r[k] for k in KEEP if k in r} for r in rows}
    ordered = dict(sorted(series.items(), key=lambda kv: _vkey(kv[0])))
    return {
        "data_as_of": as_of,
        "sources": {
            "kernel_tags": "endoflife-date/release-data releases/linux-kernel.json "
                           "@f626bdef8bf9d1503707c05034905184c3a795d6",
            "lifecycles": "endoflife-date/endoflife.date products/*.md "
                          "@a70eca337600e7d721dc48112c271f98661d208b",
        },
        "series": ordered,
        "distros": distros,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="?", default=DEFAULT_SRC)
    ap.add_argument("--as-of", default="2026-08-22")
    ap.add_argument("-o", "--output", default=OUT)
    args = ap.parse_args(argv)
    data = build(args.src, args.as_of)
    text = json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(args.output)), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, args.output)
    print(f"wrote {args.output}: {len(data['series'])} kernel series, "
          f"{sum(len(v) for v in data['distros'].values())} distribution releases, "
          f"{len(text)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

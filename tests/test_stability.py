"""Stability told truthfully: eras, channels, vendor lifecycles, distance, data age."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from kernel_advisor.stability import bundled_data, bundled_table, classify, days_between, today_iso

TODAY = "2026-11-23"
DATA = bundled_data()


def cls(release, **kw):
    return classify(release, DATA, today=TODAY, **kw)


@pytest.mark.parametrize("release, channel", [
    ("1.1.95", "development"), ("2.1.100", "development"), ("2.5.75", "development"),
    ("2.4.21-4.EL", "eol"), ("2.2.26", "eol"),
    ("2.6.9", "eol"), ("2.6.23", "eol"), ("2.6.32.71", "eol"),
    ("2.6.39-rc1", "rc"), ("6.13.0-rc3", "rc"),
    ("7.2.0", "mainline"), ("7.1.9", "stable"),
    ("6.18.44", "longterm"), ("6.1.0-26-amd64", "longterm"), ("5.10.0-32-cloud-amd64", "longterm"),
    ("7.0.14", "eol"), ("6.19.3", "eol"), ("4.14.336", "eol"),
    ("6.8.0-11409-gf6cef5f8c37f", "development"), ("next-20240307", "development"),
    ("9.3.0", "unknown"), (None, "unknown"),
])
def test_channel(release, channel):
    assert cls(release).channel == channel


def test_odd_2_6_gets_the_folklore_note_and_the_advice():
    st = cls("2.6.23")
    text = " ".join(st.notes)
    assert "2 March 2005" in text and "never adopted" in text
    # no "wait for 2.6.(n+1)" rule: the series' own latest update, or a long-maintained one
    assert "2.6.24" not in text and "2.6.23.17" in text and "not the next 2.6 number" in text
    assert "6.18" in text  # the newest longterm today (bundled data)
    assert "less stable" not in text.replace("odd 2.6 releases are less stable is folklore", "")


def test_even_2_6_also_says_parity_means_nothing():
    assert any("means nothing" in n for n in cls("2.6.24").notes)


def test_pre_2_6_parity_rule():
    assert any("experimental by design" in n for n in cls("2.5.75").notes)
    assert any("Stable-series kernel" in n for n in cls("2.4.37").notes)


def test_vendor_lifecycle_applies_not_upstream_eol():
    st = cls("3.10.0-1160.el7.x86_64")
    assert st.channel == "eol" and st.vendor == "Red Hat"
    text = " ".join(st.notes)
    assert "fixes come from Red Hat, not kernel.org" in text
    assert "RHEL 7" in text and "2029-05-31" in text  # ELS per endoflife.date
    assert st.vendor_support["phase"].startswith("Extended Life Cycle Support")
    assert st.vendor_support["paid"] is True


def test_sles_service_pack_from_release():
    st = cls("5.14.21-150500.55.19-default")
    assert st.vendor_support["product"] == "SLES 15.5" and st.vendor_support["cycle"] == "15.5"


def test_distance_behind_series_latest():
    st = cls("6.1.21")
    assert st.latest_in_series == "6.1.183" and st.behind == 162
    assert cls("2.6.23").behind == 17


def test_stale_data_note():
    text = " ".join(cls("6.18.44").notes)
    assert "93 days old" in text and "7.1" in text and "end of life" in text


def test_wsl1_is_not_a_linux_kernel():
    st = cls("4.4.0-19041-Microsoft")
    assert st.vendor == "Microsoft" and "Not a Linux kernel" in st.notes[0]


def test_renumbering_note():
    assert any("renumbering" in n for n in cls("7.0.0").notes)


def test_bundled_data_is_small_and_dated():
    from importlib import resources

    raw = resources.files("kernel_advisor").joinpath("data/releases.json").read_bytes()
    assert len(raw) < 64 * 1024
    assert bundled_table()["data_as_of"] == "2026-08-22"


def test_regeneration_script_reproduces_the_bundled_file(tmp_path):
    src = os.path.join(os.path.dirname(__file__), "fixtures", "endoflife-date")
    out = tmp_path / "releases.json"
    subprocess.run([sys.executable, "tools/build_release_data.py", src, "-o", str(out)],
                   check=True, capture_output=True,
                   cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert json.loads(out.read_text()) == bundled_table()


def test_data_age_in_days():
    assert days_between("2026-08-22", "2026-11-23") == 93
    for bad in ("2026-02-29", "2024-13-01", "unknown", ""):
        with pytest.raises(ValueError):
            days_between(bad, TODAY)


def test_today_is_the_local_date():
    assert today_iso() in {dt.date.today().isoformat(),
                           (dt.date.today() - dt.timedelta(days=1)).isoformat()}  # midnight




def _release_data_tags():
    """Every 2.6.12–2.6.39 tag of endoflife-date's release data (gregkh/linux's git tags)."""
    from conftest import FIXTURES

    doc = json.loads((FIXTURES / "endoflife-date" / "release-data-linux-kernel.json").read_text())
    tags = {}
    for name in doc["versions"]:
        parts = name.split(".")
        if parts[:2] == ["2", "6"] and 12 <= int(parts[2]) <= 39:
            tags.setdefault(f"2.6.{parts[2]}", []).append(name)
    return tags


TAGS = _release_data_tags()


@pytest.mark.parametrize("series", sorted(TAGS, key=lambda s: int(s.split(".")[2])))
def test_every_26_stable_update_knows_how_far_behind_it_is(series):
    """From 2.6.12 on, each update's distance to its series' last one is what the git tags say."""
    updates = sorted(TAGS[series], key=lambda v: [int(p) for p in v.split(".")])
    last = updates[-1]
    for version in updates:
        st = cls(version)
        assert st.latest_in_series == last, version
        own = int(version.split(".")[3]) if version.count(".") == 3 else 0
        assert st.behind == int(last.split(".")[3]) - own if last.count(".") == 3 else 0


def test_a_series_from_before_git_is_not_called_its_own_latest():
    """2.6.11.y updates predate the git history the data comes from: say so, not "the series'
    latest release known to our data (2.6.11)"."""
    st = cls("2.6.11.7")
    said = " ".join(st.notes)
    assert "does not list the stable updates of 2.6.11" in said
    assert "latest release known to our data" not in said and st.behind is None
    assert "(2.6.11: 2.6.11)" not in said

"""Advice that is true about time (issue 15): vendor lifecycles first, decided by the kernel
release with os-release breaking ties, on realistic roots (real os-release files from
python-distro's test resources); the same stability headline in every output."""

from __future__ import annotations

import json

import pytest
from test_host_advice import INTEL, host, snapshot

from kernel_advisor import knowledge
from kernel_advisor.analysis import analyse
from kernel_advisor.report import html, jsondoc, markdown, text
from kernel_advisor.stability import bundled_data, classify

TODAY = "2026-11-26"


def cls(release, osr=None):
    return classify(release, bundled_data(), osr or {}, today=TODAY)


@pytest.mark.parametrize("release, osr, product, until, phase", [
    ("5.14.0-427.13.1.el9_4.x86_64", {}, "RHEL 9", "2027-05-31", "full support"),
    ("5.14.0-427.13.1.el9_4.x86_64", {"ID": "rocky", "VERSION_ID": "9.4"}, "Rocky Linux 9",
     "2027-05-31", "active support"),
    ("3.10.0-1160.el7.x86_64", {}, "RHEL 7", "2029-05-31", "Extended Life Cycle Support"),
    ("6.8.0-45-generic", {"ID": "ubuntu", "VERSION_ID": "24.04"}, "Ubuntu 24.04", "2029-05-31",
     "hardware and maintenance updates"),
    ("6.8.0-45-generic", {"ID": "ubuntu", "VERSION_ID": "22.04"}, "Ubuntu 22.04", "2027-04-01",
     "standard security maintenance"),  # 22.04's HWE kernel: 22.04's lifecycle
    ("6.4.0-150700.53.3-default", {}, "SLES 15.7", "2031-07-31", "general support"),
    ("5.14.21-150500.55.19-default", {}, "SLES 15.5", "2027-12-31", "Long Term Service Pack"),
    ("6.1.0-26-amd64", {"ID": "debian", "VERSION_ID": "12"}, "Debian 12", "2028-06-30",
     "Debian LTS (free to users"),
    ("5.15.0-209.161.7.2.el9uek.x86_64", {}, "Oracle Linux 9", "2032-06-30", "Premier Support"),
    ("6.8.12-4-pve", {"ID": "debian", "VERSION_ID": "12"}, "Proxmox VE 8", "2026-08-31",
     "end of life"),
])
def test_the_vendors_lifecycle_decides(release, osr, product, until, phase):
    st = cls(release, osr)
    vs = st.vendor_support
    assert (vs["product"], vs["until"]) == (product, until)
    assert vs["phase"].startswith(phase)
    assert set(vs) >= {"product", "until", "phase"}
    assert st.channel != "unknown"  # the channel stays upstream's
    if vs["ended"]:
        assert any("end of life" in n and until in n for n in st.notes)
    else:
        assert not any("newest longterm" in n for n in st.notes)


@pytest.mark.parametrize("release, osr", [
    ("6.18.44-fc-v657", {"ID": "debian", "VERSION_ID": "12"}),  # this project's CI machines
    ("5.15.153.1-microsoft-standard-WSL2", {"ID": "ubuntu", "VERSION_ID": "22.04"}),  # WSL
    ("6.6.32", {"ID": "rhel", "VERSION_ID": "9.4"}),  # a custom kernel on RHEL
])
def test_os_release_never_makes_a_foreign_kernel_a_vendor_kernel(release, osr):
    assert cls(release, osr).vendor_support is None


def test_a_container_reads_the_kernel_not_its_image(tmp_path):
    """A Debian container on an Ubuntu 24.04 host: the kernel is Canonical's."""
    root = snapshot(tmp_path, files={**host("6.8.0-45-generic", cpuinfo=INTEL.format(extra="vmx")),
                                     "/run/.containerenv": ""}, distro="debian13")
    a = analyse(root, releases=bundled_data())
    assert a.stability.vendor_support["product"] == "Ubuntu 24.04"


def test_older_minor_release_is_told_to_update_within_the_product():
    st = cls("5.14.0-427.13.1.el9_4.x86_64")
    notes = " ".join(st.notes)
    assert "current minor release is 9.8" in notes and "update within RHEL 9" in notes
    assert not st.vendor_support["ended"] and "RHEL 9 reached" not in notes


def test_debian_lts_is_free_and_elts_paid():
    st = cls("6.1.0-26-amd64", {"ID": "debian", "VERSION_ID": "12"})  # in LTS since 2026-07
    assert st.vendor_support["phase"].startswith("Debian LTS (free to users")
    assert st.vendor_support["paid"] is False
    assert "ELTS is a paid extension" in " ".join(st.notes)
    old = cls("5.10.0-30-amd64", {"ID": "debian", "VERSION_ID": "11"})  # LTS ended 2026-08-31
    assert old.vendor_support["ended"] and old.vendor_support["until"] == "2026-08-31"


@pytest.mark.parametrize("distro, release", [
    ("rhel9", "5.14.0-427.13.1.el9_4.x86_64"), ("ubuntu24", "6.8.0-45-generic"),
    ("debian13", "6.12.43+deb13-amd64"), ("centos7", "3.10.0-1160.el7.x86_64"),
    ("rhel5", "2.6.18-8.el5xen"),
])
def test_one_headline_in_every_output(tmp_path, distro, release):
    root = snapshot(tmp_path, files=host(release, cpuinfo=INTEL.format(extra="vmx")), distro=distro)
    a = analyse(root, releases=bundled_data())
    line = a.headline
    assert line in text.render(a) and markdown.md_escape(line) in markdown.render(a)
    assert json.loads(jsondoc.render(a))["headline"] == line
    from html import escape
    # the PDF is drawn from html.render(a, for_qt=True): the same sentence
    assert escape(line) in html.render(a) and escape(line) in html.render(a, for_qt=True)


def test_every_source_is_followable_and_no_output_names_our_fact_sheet(tmp_path):
    for fid in knowledge.load()["facts"]:
        assert knowledge.source_of(fid)["source_url"].startswith(("https://", "http://"))
    root = snapshot(tmp_path, files=host("2.6.18-8.el5xen", cpuinfo=INTEL.format(extra="vmx")),
                    distro="rhel5")
    a = analyse(root, releases=bundled_data())
    for out in (text.render(a), markdown.render(a), html.render(a), jsondoc.render(a)):
        assert "kernel-facts" not in out and "peer-tools" not in out and ".md §" not in out
    assert "https://" in markdown.render(a) and '<a href="https://' in html.render(a)
    doc = json.loads(jsondoc.render(a))
    assert all(s["source_url"] for r in doc["recommendations"] for s in r["sources"])


def test_timeline_text_and_facts_agree():
    from kernel_advisor.report.common import timeline_about

    words = timeline_about()
    assert "lguest 2.6.23–4.13" in words and "VMI 2.6.21–2.6.36" in words
    assert "removed in 2.6.37" in knowledge.fact("vmi.range")["text"]


def test_era_milestones_are_in_the_check():
    notes = " ".join(cls("2.6.23").notes)
    for part in ("KVM (2.6.20 on)", "KVM's stable ABI (API 12) (2.6.22 on)", "paravirt_ops",
                 "VMI (2.6.21–2.6.36)", "lguest (2.6.23–4.13)", "Xen PV guest (i386) (2.6.23 on)"):
        assert part in notes
    assert "RHEL 5's 2.6.18 is not Linus' 2.6.18" in " ".join(cls("2.6.18-8.el5").notes)


@pytest.mark.parametrize("release, who", [("2.6.16.62", "Adrian Bunk"),
                                          ("2.6.27.62", "Greg Kroah-Hartman"),
                                          ("2.6.32.71", "Willy Tarreau")])
def test_long_maintained_2_6_series_say_who(release, who):
    notes = " ".join(cls(release).notes)
    assert "long-maintained (longterm)" in notes and who in notes
    assert "unverified" not in notes.lower()


def test_stable_series_began_with_2_6_11_1():
    assert any("2.6.11.1" in n for n in cls("2.6.10").notes)

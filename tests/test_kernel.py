"""Kernel release parsing: the fact sheet's real strings (§6), and a property test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from kernel_advisor import knowledge
from kernel_advisor.kernel import arch_family, from_proc_version, is_x86, parse, series_of
from kernel_advisor.systems import owned
from kernel_advisor.versions import in_range, upstream

# (uname -r, contract version, rc, vendor, xen flavour) — kernel-facts.md §6 rows, plus more
CASES = [
    ("6.12.0", "6.12.0", None, None, False),
    ("6.13.0-rc3", "6.13", 3, None, False),
    ("6.8.0-45-generic", "6.8.0", None, "Canonical", False),
    ("6.8.0-1008-aws", "6.8.0", None, "Canonical", False),
    ("6.8.0-111-generic", "6.8.0", None, "Canonical", False),
    ("5.14.0-427.13.1.el9_4.x86_64", "5.14.0", None, "Red Hat", False),
    ("3.10.0-1160.el7.x86_64", "3.10.0", None, "Red Hat", False),
    ("2.6.32-754.el6.x86_64", "2.6.32", None, "Red Hat", False),
    ("2.6.18-8.el5xen", "2.6.18", None, "Red Hat", True),
    ("2.6.18-92.el5xen", "2.6.18", None, "Red Hat", True),
    ("2.6.18-8.el5PAE", "2.6.18", None, "Red Hat", False),
    ("2.6.18-194.8.1.el5.centos.plus", "2.6.18", None, "Red Hat", False),
    ("2.6.18-92.1.18.el5.028stab060.2PAE", "2.6.18", None, "OpenVZ", False),
    ("2.4.21-4.ELsmp", "2.4.21", None, "Red Hat", False),
    ("2.4.21-4.EL", "2.4.21", None, "Red Hat", False),
    ("6.1.0-26-amd64", "6.1.0", None, "Debian", False),
    ("5.10.0-32-cloud-amd64", "5.10.0", None, "Debian", False),
    ("2.6.32-5-xen-amd64", "2.6.32", None, "Debian", True),
    ("2.6.32-5-xen-686", "2.6.32", None, "Debian", True),
    ("2.6.18-6-xen-686", "2.6.18", None, "Debian", True),
    ("2.6.26-2-xen-amd64", "2.6.26", None, "Debian", True),
    ("2.6.16.21-0.8-xen", "2.6.16.21", None, "SUSE", True),
    ("5.14.21-150500.55.19-default", "5.14.21", None, "SUSE", False),
    ("6.6.52-1-lts", "6.6.52", None, None, False),  # Arch's or Alpine's: os-release decides
    ("6.11.5-arch1-1", "6.11.5", None, "Arch Linux", False),
    ("6.10.11-200.fc40.x86_64", "6.10.11", None, "Fedora", False),
    ("6.13.0-0.rc3.20241217git4a3fd6f7.fc42.x86_64", "6.13", 3, "Fedora", False),
    ("6.13.0-061300rc3-generic", "6.13", 3, "Canonical", False),
    ("5.15.153.1-microsoft-standard-WSL2", "5.15.153", None, "Microsoft", False),
    ("6.6.87.2-microsoft-standard-WSL2", "6.6.87", None, "Microsoft", False),
    ("4.19.128-microsoft-standard", "4.19.128", None, "Microsoft", False),
    ("4.4.0-19041-Microsoft", None, None, "Microsoft", False),
    ("6.1.21-v8+", "6.1.21", None, "Raspberry Pi", False),
    ("6.1.21-v7l+", "6.1.21", None, "Raspberry Pi", False),
    ("5.10.76-linuxkit", "5.10.76", None, "Docker", False),
    ("6.8.12-4-pve", "6.8.12", None, "Proxmox", False),
    ("5.15.0-209.161.7.2.el9uek.x86_64", "5.15.0", None, "Oracle", False),
    ("2.6.18-xenU-ec2-v1.2", "2.6.18", None, "Amazon", True),
    ("2.6.11.12-whnetz-xenU", "2.6.11.12", None, None, True),
    ("2.6.32.24", "2.6.32.24", None, None, False),
    ("6.8.0-11409-gf6cef5f8c37f", "6.8.0", None, None, False),
    ("2.6.18-rc6", "2.6.18", 6, None, False),
    ("2.6.39-rc1", "2.6.39", 1, None, False),
    ("6.1.28-gentoo", "6.1.28", None, "Gentoo", False),
    ("6.1.19-gentoo-x86_64", "6.1.19", None, "Gentoo", False),
    ("6.18.44-fc-v769", "6.18.44", None, None, False),
    ("2.6.20", "2.6.20", None, None, False),
    ("3.0.0", "3.0.0", None, None, False),
    ("7.0.0-rc1", "7.0", 1, None, False),
]


@pytest.mark.parametrize("release, version, rc, vendor, xen", CASES)
def test_real_release_strings(release, version, rc, vendor, xen):
    """The parse, and whose kernel the release's shape says it is (no os-release)."""
    r = owned(parse(release))
    assert r.version == version
    assert r.rc == rc
    assert r.vendor == vendor
    assert r.xen_flavour == xen


def test_wsl_generations():
    assert parse("4.4.0-19041-Microsoft").wsl == 1
    assert parse("5.15.153.1-microsoft-standard-WSL2").wsl == 2
    assert parse("6.8.0-45-generic").wsl is None


def test_git_snapshot_and_linux_next():
    assert parse("6.8.0-11409-gf6cef5f8c37f").git_snapshot
    n = parse("next-20240307")
    assert n.linux_next == "20240307" and n.version is None


def test_upstream_is_a_packaging_version():
    assert upstream(parse("6.8.0-45-generic")) == Version("6.8.0")
    assert upstream(parse("6.13.0-rc3")) == Version("6.13rc3")
    assert upstream(parse("2.6.32.71")) > Version("2.6.32")
    assert upstream(parse("6.8")) == Version("6.8.0") and upstream(parse("3.0")) >= Version("3")
    assert upstream(parse("2.6.18-8.el5xen")) < Version("2.6.20")
    assert upstream(parse("4.13.16")) < Version("4.14") <= upstream(parse("4.14.0"))
    assert upstream(parse("4.4.0-19041-Microsoft")) is None  # WSL1: no Linux kernel at all
    assert upstream(parse("banana")) is None


def test_old_pre_releases_keep_the_kernels_order():
    """2.6.0-test1..11 were test releases of 2.6.0, 2.4's -preN came before its -rcN: both are
    pre-releases, and they sort before the release as the kernel's history has them."""
    assert parse("2.6.0-test11").pre == ("test", 11)
    assert parse("2.4.10-pre3").pre == ("pre", 3)
    order = ["2.4.9", "2.4.10-pre1", "2.4.10-pre14", "2.4.10-rc1", "2.4.10", "2.5.75",
             "2.6.0-test1", "2.6.0-test11", "2.6.0", "2.6.1-rc1", "2.6.1"]
    versions = [upstream(parse(r)) for r in order]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert parse("2.6.0-test5").rc is None and parse("2.6.0-test5").version == "2.6.0"


RANGE_EDGES = [  # (fact, last kernel without, first kernel with, last with, first without)
    ("kvm.x86", "2.6.19", "2.6.20-rc1", "7.0.0", None),
    ("lguest.range", "2.6.22.19", "2.6.23-rc1", "4.13.16", "4.14-rc1"),
    ("xen.dom0", "2.6.36.4", "2.6.37-rc1", "6.18.44", None),
    ("kvm.arm", "3.8.13", "3.9-rc1", "5.6.19", "5.7-rc1"),
    ("kvm.ia64", "2.6.25.20", "2.6.26-rc1", "3.18.140", "3.19-rc1"),
    ("vmi.range", "2.6.20.21", "2.6.21-rc1", "2.6.36.4", "2.6.37-rc1"),
    ("kvm.riscv", "5.15.170", "5.16-rc1", "6.12.0", None),
]


@pytest.mark.parametrize("fid, before, first, last, after", RANGE_EDGES)
def test_knowledge_ranges_at_both_edges(fid, before, first, last, after):
    spec = knowledge.kernels(fid)
    assert in_range(parse(before), spec) is False
    assert in_range(parse(first), spec) is True  # a feature merged for X is already in X-rc1
    assert in_range(parse(last), spec) is True
    if after is not None:
        assert in_range(parse(after), spec) is False


def test_every_knowledge_range_is_a_valid_specifier_with_a_lower_bound():
    for fid, fact in knowledge.load()["facts"].items():
        if "kernels" in fact:
            since, until = knowledge.bounds(fid)
            assert in_range(parse(since), knowledge.kernels(fid)) is True
            if until:
                assert in_range(parse(until), knowledge.kernels(fid)) is False


def test_series_and_architecture_are_spelled_once():
    assert series_of("2.6.32.71") == "2.6.32" and series_of("7.3-rc5") == "7.3"
    assert parse("6.8.12-4-pve").series == "6.8" and parse("2.6.18-8.el5xen").series == "2.6.18"
    assert arch_family("i686") == "x86_32" and arch_family("vax") is None
    assert is_x86("x86_64") and not is_x86("aarch64", "GenuineIntel")
    assert is_x86(None, "AuthenticAMD") and not is_x86(None, None)


def test_proc_version():
    line = ("Linux version 2.6.18-194.el5 (mockbuild@x86-007.build.bos.redhat.com) "
            "(gcc version 4.1.2 20080704 (Red Hat 4.1.2-48)) #1 SMP Tue Mar 16 21:52:43 EDT 2010")
    assert from_proc_version(line) == "2.6.18-194.el5"
    assert from_proc_version("garbage") is None


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_parser_never_raises(text):
    r = parse(text)
    if r.version is not None:
        Version(r.version)  # whatever it understood is a valid packaging version


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 9), st.integers(0, 40), st.integers(0, 400),
       st.sampled_from(["", "-1-amd64", "-45-generic", ".x86_64", "-arch1-1", "-rc4", "+"]))
def test_round_trip(major, minor, sub, suffix):
    release = f"{major}.{minor}.{sub}{suffix}"
    r = parse(release)
    assert r.release == release
    if suffix == "-rc4":
        assert r.rc == 4
        assert r.version == (f"{major}.{minor}" if major >= 3 else f"{major}.{minor}.{sub}")
    else:
        assert r.version == f"{major}.{minor}.{sub}"
        assert parse(r.version).parts == r.parts  # the normalised version parses to itself


@pytest.mark.parametrize("release, fields", [
    ("2.6.18-8.el5xen\n", {"vendor": "Red Hat", "xen_flavour": True}),
    ("6.1.0-1-xen-amd64", {"vendor": "Debian", "xen_flavour": True}),
    ("3.2.0-4-rt-amd64", {"vendor": "Debian", "notes": ("PREEMPT_RT real-time build",)}),
    ("6.8.0-1008-aws-fips", {"vendor": "Canonical"}),
    ("6.8.0-45-generic-", {"vendor": None}),
    ("2.6.16-1.2-bigsmp", {"vendor": "SUSE", "pae": True}),
    ("4.0-rc12a", {"rc": 1}), ("4.0rc1", {"rc": 1}),
    ("4.0-RC2", {"rc": 2}), ("4.0~rc1", {"rc": 1}), ("4.0-arc4", {"rc": None}),
    ("4.0-xen0", {"xen_flavour": True}), ("4.0-xenial", {"xen_flavour": False}),
    ("6.8.0-1-g0123456-dirty", {"git_snapshot": True}), ("6.8.0-g0123456", {"git_snapshot": False}),
    ("6.8.0-1-gABCDEF0", {"git_snapshot": False}),
    ("1234.5", {"parts": ()}), ("next-2024030", {"parts": ()}),
    ("6.5.0-060500-generic", {"vendor": "Canonical"}),
    ("٣.٤", {"parts": ()}),  # not ASCII digits: not a release
])
def test_edge_strings(release, fields):
    r = owned(parse(release))
    for name, value in fields.items():
        assert getattr(r, name) == value, name

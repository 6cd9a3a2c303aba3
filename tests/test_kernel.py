"""Kernel release parsing: the fact sheet's real strings (§6), and a property test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from advisor.kernel import from_proc_version, parse, version_key
from regex_oracle import parse as regex_parse

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
    ("6.6.52-1-lts", "6.6.52", None, "Arch Linux", False),
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
    r = parse(release)
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


def test_comparisons():
    assert parse("2.6.32.71").key > version_key("2.6.32")
    assert parse("6.8").key == version_key("6.8.0") and parse("3.0").at_least("3")
    assert parse("2.6.18-8.el5xen").before("2.6.20")
    assert parse("4.13.16").before("4.14") and not parse("4.14.0").before("4.14")
    assert parse("6.13.0-rc3").at_least("6.13")


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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=4),
       st.lists(st.integers(0, 40), min_size=1, max_size=4))
def test_version_keys_order_like_packaging(a, b):
    """Our tuple keys order upstream versions exactly as PEP 440 (``packaging``) does."""
    va, vb = ".".join(map(str, a)), ".".join(map(str, b))
    assert (version_key(va) < version_key(vb)) == (Version(va) < Version(vb))
    assert (version_key(va) == version_key(vb)) == (Version(va) == Version(vb))


def _fields(r):
    return {name: getattr(r, name) for name in regex_parse("1.0")}


EXTRA = ["2.6.18-8.el5xen\n", "6.1.0-1-xen-amd64", "3.2.0-4-rt-amd64", "6.8.0-1008-aws-fips",
         "6.8.0-45-generic-64k", "6.8.0-45-generic-", "5.14.21-150500-default",
         "5.14.21-1.2.-default", "2.6.16-1.2-bigsmp", "2.6.16.1.2-3-smp", "6.1-arch-1",
         "6.1-arch1-", "4.0-rc12a", "4.0-rc1234", "4.0rc1", "4.0-RC2", "4.0-xen0", "4.0.xenU",
         "4.0-xenu-", "4.0xen", "6.8.0-1-g0123456", "6.8.0-1-g0123456-dirty", "6.8.0-g0123456",
         "6.8.0-1-gABCDEF0", "6.8.0-1-g012345", "1234.5", "6.12345.1", "6.8.123456.7",
         "6.8.1.123456", "next-2024030", "next-202403071", "6.1.21-v8-16k+", "x.y", "", " ",
         "2.6.18-194.8.1.el5.centos.plus", "5.15.0-209.el9uek", "2.6.9-89.0.1.EL", "6.1.1-rt5",
         "6.1.1-rt", "6.5.0-060500-generic", "6.5.0-06050-generic", "6.5.0-060500rc-generic",
         "4.0~rc1", "4.0_rc2", "4.0-4rc3", "4.0-arc4"]


@pytest.mark.parametrize("release", [c[0] for c in CASES] + EXTRA)
def test_agrees_with_the_regular_expressions_on_real_strings(release):
    assert _fields(parse(release)) == regex_parse(release)


WORDS = ["2", "6", "18", "0", "1", "32", "71", "123456", "el", "el5",
             "xen", "U", "u", "0", "rc", "RC", "generic", "amd64", "686-pae", "aws", "dirty",
             "g", "g0123abc", "abcdef012", "stab", "EL", "ELsmp", "smp", "arch", "lts", "v7l",
             "rpi", "pve", "microsoft", "Microsoft", "standard", "WSL2", "linuxkit", "fc",
             "amzn", "uek", "PAE", "pae", "bigsmp", "rt", "default", "next", "gentoo", "x86_64"]


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(["", "2.6.18", "6.8.0", "4.0", "2.6.16.21", "5.15.153.1"]),
       st.one_of(st.lists(st.tuples(st.sampled_from(["-", ".", "", "_", "~", "+"]),
                                    st.sampled_from(WORDS)).map("".join),
                          max_size=8).map("".join),
                 st.lists(st.sampled_from(WORDS + list("-._~+")), max_size=12).map("".join),
                 st.text(alphabet="0123456789.-_+~abcdefgilmnoprstuvxyzACELMPRSUWX",
                         max_size=40)))
def test_agrees_with_the_regular_expressions_on_generated_strings(head, tail):
    release = head + tail  # mostly a real version first, so the suffix matchers all get work
    assert _fields(parse(release)) == regex_parse(release)

"""The probe's hand-written matchers agree with the regular expressions they replace.

The core avoids ``re`` for start-up time; ``tests/regex_oracle.py`` keeps the patterns.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.probe import _power_cpu, config_entry, keep_cmdline_option
from advisor.textmatch import has_word
from regex_oracle import CMDLINE_KEEP, CONFIG_KEYS, POWER, UML


def regex_config(line):
    m = CONFIG_KEYS.match(line)
    return None if m is None else (m.group(1), m.group(2) if m.group(2) is not None else "n")


CONFIG_LINES = ["CONFIG_KVM=y", "CONFIG_KVM_INTEL=m", "# CONFIG_XEN is not set", "CONFIG_TUN=m",
                "CONFIG_TUNX=m", "CONFIG_KVM", "CONFIG_KVM=", "# CONFIG_KVM=y", "CONFIG_KVM is not set",
                "CONFIG_KVM=y is not set", "# CONFIG_KVMX is not set", "CONFIG_KVM-X=y",
                "CONFIG_=y", "#CONFIG_KVM=y", "CONFIG_VHOST_NET=m", "CONFIG_64BIT=y",
                "CONFIG_PARAVIRT_SPINLOCKS=y", "CONFIG_LGUEST_GUEST=y", "CONFIG_X86_64_SMP=y",
                "CONFIG_KVM ÿ=y", "CONFIG_KVMé=y", "CONFIG_KVM is not set=y", ""]


@pytest.mark.parametrize("line", CONFIG_LINES)
def test_config_lines(line):
    assert config_entry(line) == regex_config(line)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["", "# ", "#"]),
       st.sampled_from(["CONFIG_", "CONFIG", "config_", ""]),
       st.sampled_from(["KVM", "XEN", "TUN", "VFIO", "64BIT", "X86_32", "LGUEST", "PARAVIRT",
                        "VHOST", "MODULES", "SND", "IKCONFIG_PROC", "HYPERVISOR_GUEST", ""]),
       st.text(alphabet="_AMDINTELé -=", max_size=6),
       st.sampled_from(["=y", "=m", "=", " is not set", "", "=\"x y\"", " is not set "]))
def test_config_lines_generated(hash_, prefix, option, suffix, tail):
    line = hash_ + prefix + option + suffix + tail
    assert config_entry(line) == regex_config(line)


CMDLINE = ["intel_iommu", "iommu", "iommux", "kvm_intel.nested", "kvm-amd.npt", "kvm.ignore_msrs",
           "kvm.", "kvm_intel", "kvm_intel.", "kvm_.x", "kvm-intel.a.b", "kvm", "nested",
           "nested_virt", "dom0_mem", "dom0_", "dom0", "xen", "xenfoo", "xen-pv", "vfio_iommu",
           "hugepages", "hugepagesz", "modprobe.blacklist", "modprobe.x", "root", "quiet",
           "prot_virt", "nomodule", "module_blacklist", "mitigations", "kvm.é", "xené"]


@pytest.mark.parametrize("name", CMDLINE)
def test_cmdline_names(name):
    assert keep_cmdline_option(name) == bool(CMDLINE_KEEP.match(name))


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["kvm", "kvm_", "kvm-", "kvm.", "nested", "dom0_", "xen", "vfio",
                        "iommu", "intel_iommu", "hugepages", "modprobe", ""]),
       st.text(alphabet="ab_.-=é1", max_size=8))
def test_cmdline_names_generated(head, tail):
    name = head + tail
    assert keep_cmdline_option(name) == bool(CMDLINE_KEEP.match(name))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["UML", "User Mode Linux", "POWER", "9", "x", "_", " ", "-",
                                 "é", "(", "POWER8"]), max_size=6).map("".join))
def test_word_matchers(text):
    assert ("User Mode Linux" in text or has_word(text, "UML")) == bool(UML.search(text))
    assert _power_cpu(text) == bool(POWER.search(text))


def regex_config_text(text):
    config = {}
    for line in text.splitlines():
        entry = regex_config(line.strip())
        if entry:
            config[entry[0]] = entry[1]
    return config


def test_whole_config_from_a_real_host():
    import gzip
    import tarfile

    from conftest import FIRECRACKER
    from advisor.probe import config_entries

    with tarfile.open(FIRECRACKER) as tar:
        text = gzip.decompress(tar.extractfile("kernel-advisor-snapshot/proc/config.gz").read())
    text = text.decode()
    got = config_entries(text)
    assert got == regex_config_text(text) and list(got) == list(regex_config_text(text))
    assert got["CONFIG_KVM"] in ("y", "m") and len(got) > 10


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(CONFIG_LINES + ["CONFIG_KVM=m", "CONFIG_KVM=n", "  CONFIG_TUN=y  ",
                                                "CONFIG_SND=y", "x CONFIG_KVM=y"]), max_size=12))
def test_config_texts_generated(lines):
    from advisor.probe import config_entries

    text = "\n".join(lines)
    assert list(config_entries(text).items()) == list(regex_config_text(text).items())

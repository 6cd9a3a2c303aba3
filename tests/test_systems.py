"""Whose system and whose kernel, on realistic roots (issue 26's classes): image-based systems get
their own commands, a derivative is not judged by its family's version rules, a shared release
shape is decided by the kernel's own os-release and never by a container's, and the Stability
line, the headline, the reports and the JSON say one thing.

The os-release files are python-distro's test resources (``tests/fixtures/distros``, with its
licence); the image-based systems' are built here from the keys their real files carry (Fedora
Silverblue's ``VARIANT_ID=silverblue``, Bazzite's ``ID=bazzite`` with ``ID_LIKE="fedora"``,
SteamOS's ``ID=steamos`` with ``ID_LIKE=arch``, NixOS's module-generated ``ID=nixos``) with the
marker files and mount lines those systems have.
"""

from __future__ import annotations

import json

import pytest
from test_host_advice import INTEL, advise, host, snapshot

from kernel_advisor import distro, systems
from kernel_advisor.analysis import analyse
from kernel_advisor.model import Answers
from kernel_advisor.report import jsondoc, markdown, text
from kernel_advisor.stability import bundled_data, classify, status_words

TODAY = "2026-12-03"
VMX = INTEL.format(extra="vmx")
#: /proc/self/mountinfo's root line: read-write, and read-only as on MicroOS or SteamOS
ROOT_RW = "23 1 259:2 / / rw,relatime shared:1 - btrfs /dev/nvme0n1p2 rw\n"
ROOT_RO = "23 1 259:2 /@/.snapshots/1/snapshot / ro,relatime shared:1 - btrfs /dev/nvme0n1p2 ro\n"


def osr_files(text_):
    return {"/etc/os-release": text_}


def kvm_step(tmp_path, release, files=None, distro_=None, **kw):
    root = snapshot(tmp_path, files={**host(release, cpuinfo=VMX), **(files or {})},
                    distro=distro_)
    a, v = advise(root, **kw)
    return a, v["kvm"].next_steps


# -- 1. image-based and immutable systems -----------------------------------------------------------
@pytest.mark.parametrize("os_release, markers, mount, expect, never", [
    ('NAME="Fedora Linux"\nID=fedora\nVERSION_ID=44\nVARIANT_ID=silverblue\n',
     {"/run/ostree-booted": ""}, ROOT_RW, "sudo rpm-ostree install", "dnf install"),
    ('NAME="Bazzite"\nID=bazzite\nID_LIKE="fedora"\nVERSION_ID=41\nVARIANT_ID=bazzite-nvidia\n',
     {"/run/ostree-booted": ""}, ROOT_RW, "sudo rpm-ostree install", "dnf install"),
    ('NAME="openSUSE MicroOS"\nID="opensuse-microos"\nID_LIKE="suse opensuse opensuse-tumbleweed"'
     '\nVERSION_ID="20261201"\n', {}, ROOT_RO, "sudo transactional-update pkg install",
     "sudo zypper install"),
    ('NAME="SteamOS"\nID=steamos\nID_LIKE=arch\nVERSION_ID=3.6.20\n', {}, ROOT_RO,
     "flatpak install flathub org.gnome.Boxes", "pacman -S"),
    ('NAME=NixOS\nID=nixos\nVERSION_ID="25.05"\n', {"/etc/NIXOS": ""}, ROOT_RW,
     "virtualisation.libvirtd.enable = true;", "apt install"),
])
def test_image_based_systems_get_their_own_commands(tmp_path, os_release, markers, mount, expect,
                                                    never):
    files = {**osr_files(os_release), **markers, "/proc/self/mountinfo": mount}
    a, steps = kvm_step(tmp_path, "6.12.5", files)
    assert any(expect in s for s in steps), steps
    assert not any(never in s for s in steps), steps


def test_the_same_fedora_without_the_ostree_marker_installs_with_dnf(tmp_path):
    files = {**osr_files("ID=fedora\nVERSION_ID=44\n"), "/proc/self/mountinfo": ROOT_RW}
    _, steps = kvm_step(tmp_path, "6.12.5-200.fc44.x86_64", files)
    assert any(s.startswith("sudo dnf install @virtualization") for s in steps), steps


def test_an_image_based_snapshot_carries_its_markers(tmp_path):
    """A snapshot of a Silverblue root analyses like the root: the marker goes into it."""
    files = {**osr_files("ID=fedora\nVERSION_ID=44\nVARIANT_ID=silverblue\n"),
             "/run/ostree-booted": "", "/proc/self/mountinfo": ROOT_RW}
    a, _ = advise(snapshot(tmp_path, files=host("6.12.5-200.fc44.x86_64", cpuinfo=VMX)
                           | files))
    assert a.host.value("os.image")["ostree"] is True


# -- 2. a family's version rules apply to the family's own releases --------------------------------
def test_a_derivative_is_not_judged_by_its_familys_version_rules(tmp_path):
    """An ID_LIKE="mandriva fedora" system numbered 5 is not "Fedora before 22" (yum)."""
    files = osr_files('NAME="OpenMandriva Lx"\nID=openmandriva\nID_LIKE="mandriva fedora"\n'
                      'VERSION_ID=5\n')
    _, steps = kvm_step(tmp_path, "6.6.1", files)
    assert any(s.startswith("sudo dnf install") for s in steps), steps
    assert not any("yum" in s for s in steps)


def test_mageia_has_its_own_family_and_release_rules(tmp_path):
    _, steps = kvm_step(tmp_path, "6.6.52-desktop-1.mga9", distro_="mageia5")
    assert any(s.startswith("sudo urpmi qemu") for s in steps), steps
    d = distro.Distro("mageia", "9", "mageia")
    assert d.command("kvm", "x86_64")[0].startswith("sudo dnf install qemu")


def test_fedoras_own_old_release_still_gets_yum():
    d = distro.Distro("fedora", "21", "fedora")
    assert d.manager == "yum" and d.member
    assert distro.Distro("nobara", "21", "fedora").manager == "dnf"


# -- 3. whose kernel: the shape first, os-release where the shape is shared -------------------------
@pytest.mark.parametrize("release, os_release, vendor", [
    ("6.6.58-0-lts", "ID=alpine\nVERSION_ID=3.23.2\n", "Alpine Linux"),
    ("6.6.58-1-lts", "ID=arch\n", "Arch Linux"),
    ("6.6.58-1-lts", "", None),  # no os-release of the kernel's system: nobody's
    ("6.9.3-76060903-generic", 'ID=pop\nID_LIKE="ubuntu debian"\nVERSION_ID=22.04\n', "System76"),
    ("6.8.0-45-generic", 'ID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID=22\n', "Canonical"),
    ("6.6.48-1.qubes.fc37.x86_64", "ID=qubes\nVERSION_ID=4.2\n", "Qubes OS"),
    ("6.6.48-1.qubes.fc37.x86_64", "", "Qubes OS"),
    ("6.12.0", "ID=debian\nVERSION_ID=13\n", None),  # a custom kernel stays upstream's
    ("5.15.153.1-microsoft-standard-WSL2", "ID=ubuntu\nVERSION_ID=24.04\n", "Microsoft"),
])
def test_whose_kernel(release, os_release, vendor):
    osr = dict(line.split("=", 1) for line in os_release.splitlines())
    assert systems.owner(release, osr).vendor == vendor


def test_alpines_lts_kernel_gets_apk_not_pacman(tmp_path):
    a, steps = kvm_step(tmp_path, "6.6.58-0-lts", distro_="alpine")
    assert any(s.startswith("sudo apk add qemu-system-x86_64") for s in steps), steps
    assert a.stability.vendor == "Alpine Linux"


def test_a_what_if_on_a_shared_shape_names_no_vendor_unless_distro_says(tmp_path):
    root = snapshot(tmp_path, files=host("6.12.5", cpuinfo=VMX), distro="arch")
    a = analyse(root, answers=Answers(), kernel_release="6.6.58-0-lts")
    assert a.stability.vendor is None
    assert not any("pacman" in s for v in a.verdicts for s in v.next_steps)
    b = analyse(root, answers=Answers(), kernel_release="6.6.58-0-lts", distro="alpine")
    assert b.stability.vendor == "Alpine Linux"


def test_a_containers_os_release_never_makes_the_hosts_kernel_its_own(tmp_path):
    """Alpine in a Docker container on an Arch host: the -lts kernel is not Alpine's."""
    files = {**host("6.6.58-1-lts", cpuinfo=VMX), "/.dockerenv": ""}
    a, _ = advise(snapshot(tmp_path, files=files, distro="alpine"))
    assert a.host.value("container.kind") == "docker"
    assert a.stability.vendor is None and a.stability.vendor_support is None


# -- 4. the Stability line, the headline, the reports and the JSON agree ----------------------------
@pytest.mark.parametrize("release, os_release, says", [
    ("6.8.0-45-generic", "ID=ubuntu\nVERSION_ID=24.04\n", "supported by Canonical"),
    ("5.14.0-570.el9.x86_64", "ID=rhel\nVERSION_ID=9.6\n", "supported by Red Hat"),
    ("4.19.0-27-amd64", "ID=debian\nVERSION_ID=10\n", "reached its end of life"),
    ("5.14.0-570.el9.x86_64", 'ID="centos"\nNAME="CentOS Stream"\nVERSION_ID="9"\n',
     "supported by CentOS Project"),
])
def test_one_stability_in_every_output(tmp_path, release, os_release, says):
    a, _ = advise(snapshot(tmp_path, files={**host(release, cpuinfo=VMX),
                                            **osr_files(os_release)}), guests="linux")
    words = status_words(a.stability)
    assert says in words, words
    stability_line = next(ln for ln in text.render(a).splitlines()
                          if ln.startswith("Stability:"))
    assert words in stability_line
    assert words in a.headline
    assert words in markdown.render(a)
    doc = json.loads(json.dumps(jsondoc.document(a)))
    assert words in doc["headline"]
    assert doc["stability"]["channel"] == a.stability.channel  # upstream's, as the contract says


# -- 5. the lifecycle falls back to os-release where the release does not name the release ----------
def test_a_sle12_kernel_takes_its_service_pack_from_os_release():
    st = classify("4.12.14-122.37-default", bundled_data(), {"ID": "sles", "VERSION_ID": "12.5"},
                  today=TODAY)
    assert st.vendor_support["product"] == "SLES 12.5"
    assert st.vendor_support["phase"] != "unknown"


def test_centos_stream_is_maintained_not_end_of_life():
    osr = {"ID": "centos", "NAME": "CentOS Stream", "VERSION_ID": "9"}
    st = classify("5.14.0-570.el9.x86_64", bundled_data(), osr, today=TODAY)
    assert st.vendor_support["id"] == "centos-stream"
    assert not st.vendor_support["ended"] and st.vendor_support["until"] == "2027-05-31"
    st8 = classify("4.18.0-552.el8.x86_64", bundled_data(), {**osr, "VERSION_ID": "8"},
                   today=TODAY)
    assert st8.vendor_support["ended"]


# -- 6. the distributions beyond the common five ----------------------------------------------------
@pytest.mark.parametrize("fixture, release, expect", [
    ("alpine", "6.12.5-0-virt", "sudo apk add"),
    ("gentoo", "6.12.5-gentoo", "sudo emerge --ask app-emulation/qemu"),
    ("slackware14", "6.12.5", "SlackBuilds.org"),
    ("centosstream10", "6.12.0-55.el10.x86_64", "sudo dnf install qemu-kvm"),
    ("rhel10", "6.12.0-55.el10.x86_64", "sudo dnf install qemu-kvm"),
    ("debian13", "6.12.43+deb13-amd64", "sudo apt install qemu-system-x86"),
])
def test_more_distributions(tmp_path, fixture, release, expect):
    _, steps = kvm_step(tmp_path, release, distro_=fixture)
    assert any(expect in s for s in steps), steps


@pytest.mark.parametrize("os_release, expect", [
    ("ID=void\n", "sudo xbps-install -S qemu libvirt"),
    ('ID="openEuler"\nVERSION_ID="24.03"\n', "sudo dnf install qemu libvirt"),
])
def test_more_distributions_by_os_release(tmp_path, os_release, expect):
    _, steps = kvm_step(tmp_path, "6.6.0", osr_files(os_release))
    assert any(s.startswith(expect) for s in steps), steps


def test_clear_linux_is_recognised_as_ended(tmp_path):
    files = osr_files('NAME="Clear Linux OS"\nID=clear-linux-os\nVERSION_ID=43340\n')
    a, v = advise(snapshot(tmp_path, files={**host("6.12.5-1451.native", cpuinfo=VMX), **files}))
    assert any("ended on 2025-07-18" in n for n in v["kvm"].reasons + v["kvm"].next_steps +
               a.notes + [n for vv in a.verdicts for n in vv.reasons]), v["kvm"]
    assert a.stability.vendor_support["ended"]


def test_an_unknown_system_keeps_the_upstream_step(tmp_path):
    _, steps = kvm_step(tmp_path, "6.6.0", distro_="exherbo")
    assert any("names vary" in s for s in steps), steps


def test_every_claimed_system_is_a_known_distribution_or_says_none():
    for system_id in systems.claimed_ids():
        if system_id in ("qubes",):
            continue
        assert distro.family_of(system_id) is not None, system_id


#: a kernel of every product in vendors.json, on its own system
EVERY_PRODUCT = [
    ("5.14.0-570.el9.x86_64", "ID=rhel\nVERSION_ID=9.6\n"),
    ("3.10.0-1160.el7.x86_64", 'ID="centos"\nNAME="CentOS Linux"\nVERSION_ID="7"\n'),
    ("6.12.0-55.el10.x86_64", 'ID="centos"\nNAME="CentOS Stream"\nVERSION_ID="10"\n'),
    ("5.14.0-570.el9.x86_64", 'ID="almalinux"\nVERSION_ID="9.6"\n'),
    ("5.14.0-570.el9.x86_64", 'ID="rocky"\nVERSION_ID="9.6"\n'),
    ("5.15.0-300.163.18.el9uek.x86_64", 'ID="ol"\nVERSION_ID="9.6"\n'),
    ("6.8.0-45-generic", "ID=ubuntu\nVERSION_ID=24.04\n"),
    ("6.1.0-26-amd64", "ID=debian\nVERSION_ID=12\n"),
    ("6.4.0-150700.53.3-default", 'ID="sles"\nVERSION_ID="15.7"\n'),
    ("6.4.0-150600.23.7-default", 'ID="opensuse-leap"\nVERSION_ID="15.6"\n'),
    ("6.11.4-301.fc41.x86_64", "ID=fedora\nVERSION_ID=41\n"),
    ("6.8.12-4-pve", "ID=debian\nVERSION_ID=12\n"),
    ("6.12.5-1451.native", "ID=clear-linux-os\nVERSION_ID=43340\n"),
]


@pytest.mark.parametrize("release, os_release", EVERY_PRODUCT)
def test_every_vendor_kernel_says_one_thing_everywhere(tmp_path, release, os_release):
    import html as html_

    from kernel_advisor.report import html

    a, _ = advise(snapshot(tmp_path, files={**host(release, cpuinfo=VMX),
                                            **osr_files(os_release)}))
    assert a.stability.vendor_support and a.stability.vendor_support["phase"] != "unknown"
    words = status_words(a.stability)
    assert words.startswith(("supported by", a.stability.vendor_support["product"]))
    assert words in a.headline and words in text.stability_line(a)
    assert words in markdown.render(a) and html_.escape(words) in html.render(a)


def test_every_captured_host_says_one_thing_everywhere():
    """The captured roots that hold a kernel release (the virt-what trees have none)."""
    from conftest import FIRECRACKER, LSCPU, VIRT_WHAT

    from kernel_advisor.hostfs import DirRoot, InputError, TarRoot

    roots = [TarRoot(str(p)) for p in [FIRECRACKER, *sorted(LSCPU.glob("*.tar.gz"))]] + [
        DirRoot(str(p)) for p in sorted(VIRT_WHAT.iterdir()) if p.is_dir()]
    judged = 0
    for root in roots:
        try:
            a = analyse(root, answers=Answers())
        except InputError:
            continue
        judged += 1
        words = status_words(a.stability)
        assert words in a.headline and words in text.stability_line(a), root
    assert judged >= 2

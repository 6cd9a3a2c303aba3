"""Device passthrough (issue 27, item 5): each display, network, storage or USB controller with
its IOMMU group — alone, only with its own functions, or beside another device that would have
to go to the guest too — read from a constructed root laid out as sysfs lays it out."""

from __future__ import annotations

from test_host_advice import INTEL, advise, host, snapshot

from kernel_advisor.model import F

#: group → (address, PCI_CLASS, driver, reset_method)
GROUPS = {
    "2": [("0000:01:00.0", "30000", "nvidia", "flr bus"), ("0000:01:00.1", "40300",
                                                           "snd_hda_intel", None)],
    "14": [("0000:00:1f.6", "20000", "e1000e", "flr"), ("0000:00:1f.3", "40380",
                                                        "snd_hda_intel", None),
           ("0000:00:1f.0", "60100", None, None)],
    "15": [("0000:00:1c.0", "60400", "pcieport", None), ("0000:02:00.0", "10802", "nvme",
                                                          "flr")],
    "16": [("0000:00:14.0", "c0330", "xhci_hcd", "pm")],
}


def machine(tmp_path):
    files = host("6.12.43+deb13-amd64", cpuinfo=INTEL.format(extra="vmx"))
    for group, members in GROUPS.items():
        for address, cls, driver, reset in members:
            files[f"/sys/kernel/iommu_groups/{group}/devices/{address}/vendor"] = "0x8086\n"
            files[f"/sys/bus/pci/devices/{address}/uevent"] = (
                (f"DRIVER={driver}\n" if driver else "") + f"PCI_CLASS={cls}\n"
                f"PCI_SLOT_NAME={address}\n")
            if reset:
                files[f"/sys/bus/pci/devices/{address}/reset_method"] = reset + "\n"
    return advise(snapshot(tmp_path, files=files, distro="debian13"))


def test_each_device_worth_passing_is_judged_by_its_group(tmp_path):
    a, _v = machine(tmp_path)
    found = {d["address"]: d for d in a.host.value(F.PASSTHROUGH)}
    assert set(found) == {"0000:01:00.0", "0000:00:1f.6", "0000:02:00.0", "0000:00:14.0"}
    gpu, nic, disk, usb = (found[k] for k in ("0000:01:00.0", "0000:00:1f.6", "0000:02:00.0",
                                              "0000:00:14.0"))
    assert gpu["alone"] and [o["address"] for o in gpu["with"]] == ["0000:01:00.1"]
    assert not nic["alone"] and gpu["reset"] == "flr bus"
    assert disk["alone"] and disk["with"] == []  # the root port above it does not go with it
    assert usb["alone"] and usb["driver"] == "xhci_hcd"
    summary = a.host.get(F.PASSTHROUGH).summary
    assert ("01:00.0 (display, nvidia) shares group 2 only with other functions of its own "
            "device (01:00.1 audio)") in summary
    assert ("00:1f.6 (network, e1000e) shares group 14 with 00:1f.0 ISA bridge, 00:1f.3 "
            "audio") in summary
    assert "not without giving those to the guest too" in summary
    assert "02:00.0 (storage, nvme) alone in group 15: can be passed through" in summary


def test_without_iommu_groups_nothing_can_be_given(tmp_path):
    a, _v = advise(snapshot(tmp_path, files=host("6.1.0-26-amd64", cpuinfo=INTEL.format(
        extra="vmx")), distro="debian13"))
    assert a.host.value(F.PASSTHROUGH) == []
    assert a.host.get(F.PASSTHROUGH).summary.startswith("no IOMMU groups")

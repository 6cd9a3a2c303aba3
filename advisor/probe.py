"""The host probe: every fact that decides the answer, each with its evidence.

All reads go through one :class:`advisor.hostfs.Root`; facts only a live machine can tell come
from :mod:`advisor.live` on the live root, and from the snapshot's live record elsewhere. Where a
fact cannot be known the probe says why (``Fact.reason``). Detection follows the peers' sources
(``peer-tools.md`` §2–§8) and fixes their blind spots: firmware-disabled VT, a ``/dev/kvm`` that
works without VT (PVM), Xen dom0, containers on top of VMs, WSL1 vs WSL2.
"""

from __future__ import annotations

import time

from advisor import kernel
from advisor.facts import FAIL, INFO, OK, UNKNOWN, WARN, Fact, HostFacts, unknown
from advisor.hostfs import Root
from advisor.textmatch import digits_at, find_all, has_word, is_word, word_starts_at

X86_32 = {"i386", "i486", "i586", "i686", "x86"}
ARCH_FAMILY = {
    **{a: "x86_32" for a in X86_32},
    "x86_64": "x86_64", "amd64": "x86_64",
    "armv7l": "arm", "armv7": "arm", "armv6l": "arm", "armv8l": "arm", "arm": "arm",
    "armhf": "arm", "armel": "arm",
    "aarch64": "arm64", "arm64": "arm64", "aarch64_be": "arm64",
    "s390x": "s390", "s390": "s390",
    "ppc64": "ppc", "ppc64le": "ppc", "ppc": "ppc", "powerpc": "ppc",
    "riscv64": "riscv", "riscv32": "riscv",
    "loongarch64": "loongarch",
    "ia64": "ia64", "sparc64": "sparc", "sparc": "sparc",
    "mips": "mips", "mips64": "mips", "mipsel": "mips", "mips64el": "mips",
}

#: CPUID 0x40000000 signatures, named as lscpu / systemd name them
CPUID_VENDORS = {
    "XenVMMXenVMM": "Xen", "KVMKVMKVM": "KVM", "Linux KVM Hv": "KVM", "Microsoft Hv": "Microsoft",
    "VMwareVMware": "VMware", "TCGTCGTCGTCG": "QEMU", "bhyve bhyve": "bhyve",
    "VBoxVBoxVBox": "Oracle", "ACRNACRNACRN": "ACRN", "QNXQVMBSQG": "QNX",
    "UnisysSpar64": "Unisys s-Par", "LKVMLKVMLKVM": "KVM", "SRESRESRESRE": "SRE",
    "Apple VZ": "Apple", "OpenBSDVMM58": "OpenBSD vmm",
}
#: DMI prefixes (systemd's detect_vm_dmi_vendor table)
DMI_VENDORS = [
    ("KVM", "KVM"), ("OpenStack", "KVM"), ("KubeVirt", "KVM"), ("Amazon EC2", "Amazon"),
    ("QEMU", "QEMU"), ("VMware", "VMware"), ("VMW", "VMware"), ("innotek GmbH", "Oracle"),
    ("VirtualBox", "Oracle"), ("Oracle Corporation", "Oracle"), ("Xen", "Xen"),
    ("Bochs", "Bochs"), ("Parallels", "Parallels"), ("BHYVE", "bhyve"),
    ("Hyper-V", "Microsoft"), ("Apple Virtualization", "Apple"),
    ("Google Compute Engine", "Google"),
]
DMI_FILES = ("product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version")
#: PCI ids lscpu treats as proof of a full-virtualization host
PCI_VENDORS = {("5853", "0001"): "Xen", ("15ad", "0710"): "VMware", ("80ee", "beef"): "Oracle"}
#: kernel config options kept (``CONFIG_`` + one of these, or a name starting with a prefix)
CONFIG_NAMES = frozenset(("TUN", "VFIO", "INTEL_IOMMU", "AMD_IOMMU", "MODULES", "X86_PAE",
                          "HIGHMEM64G", "X86_32", "X86_64", "64BIT", "IKCONFIG_PROC",
                          "HYPERVISOR_GUEST"))
CONFIG_PREFIXES = ("KVM", "XEN", "LGUEST", "PARAVIRT", "VHOST")
#: kernel command-line options kept in facts and snapshots (the rest may hold secrets)
CMDLINE_NAMES = frozenset(("intel_iommu", "amd_iommu", "iommu", "mitigations", "nomodule",
                           "module_blacklist", "modprobe.blacklist", "prot_virt", "hugepages"))
CMDLINE_PREFIXES = ("nested", "xen", "vfio")  # and any word characters after them
KVM_MODULES = ("kvm", "kvm_intel", "kvm_amd", "kvm_pvm", "kvm_hv", "kvm_pr")
CONFLICTING = {"vboxdrv": "VirtualBox", "vmmon": "VMware Workstation"}


class Probe:
    """Collects :class:`HostFacts` from one root. ``kernel``/``arch`` are what-if overrides."""

    def __init__(self, root: Root, kernel_release: str | None = None, arch: str | None = None):
        self.root = root
        self.what_if_kernel = kernel_release
        self.what_if_arch = arch
        self.out = HostFacts(origin=root.label)
        if kernel_release:
            self.out.what_if["kernel"] = kernel_release
        if arch:
            self.out.what_if["arch"] = arch
        self.record: dict = {}
        #: called with the list of facts each step adds (the wizard shows them as they come)
        self.on_step = None
        self._cpuinfo: str | None = None
        self._modules: set[str] | None = None

    # -- helpers ------------------------------------------------------------------------------
    def live_fact(self, key: str):
        """A live-only fact (:data:`advisor.live.LIVE_FACTS`): computed once on the live root,
        read from the snapshot's record elsewhere."""
        if self.root.is_live:
            if key not in self.record:
                from advisor import live

                self.record[key] = live.LIVE_FACTS[key]()
            return self.record[key]
        return self.root.live_record().get(key)

    def _first_line(self, path: str) -> tuple[str | None, str | None]:
        got = self.root.read(path, cap=65536)
        if got.text is None:
            return None, got.reason
        return got.text.strip().split("\n", 1)[0].strip(), None

    def _timed(self, name: str, func) -> None:
        start = time.perf_counter()
        try:
            func()
        finally:
            self.out.timings_ms[name] = (time.perf_counter() - start) * 1000

    # -- entry point -------------------------------------------------------------------------
    def run(self) -> HostFacts:
        for name, step in (
            ("kernel", self.kernel), ("cpu", self.cpu), ("hypervisor", self.hypervisor),
            ("container", self.container), ("firmware", self.firmware_vt), ("kvm", self.kvm),
            ("xen", self.xen), ("lguest", self.lguest), ("devices", self.devices),
            ("iommu", self.iommu),
        ):
            before = len(self.out.facts)
            self._timed(name, step)
            if self.on_step is not None:
                self.on_step(list(self.out.facts.values())[before:])
        return self.out

    # -- kernel ------------------------------------------------------------------------------
    def kernel(self) -> None:
        add = self.out.add
        uname = self.live_fact("uname")
        release = source = raw = None
        if self.what_if_kernel:
            release, source = self.what_if_kernel, "what-if (--kernel)"
        else:
            line, why = self._first_line("/proc/sys/kernel/osrelease")
            if line:
                release, source, raw = line, "/proc/sys/kernel/osrelease", line
            elif uname and uname.get("release"):
                release, source = uname["release"], "uname -r"
                raw = release
            else:
                pv = self.root.text("/proc/version")
                got = kernel.from_proc_version(pv)
                if got:
                    release, source, raw = got, "/proc/version", pv
        if release:
            parsed = kernel.parse(release)
            add(Fact("kernel.release", "Kernel release", release, OK if parsed.understood else WARN,
                     _describe_release(parsed), source, raw))
        else:
            add(unknown("kernel.release", "Kernel release",
                        "the root has no proc/sys/kernel/osrelease or proc/version, and no "
                        "--kernel was given", "/proc/sys/kernel/osrelease"))

        arch = None
        if self.what_if_arch:
            arch, source, raw = self.what_if_arch, "what-if (--arch)", self.what_if_arch
        else:
            line, why = self._first_line("/proc/sys/kernel/arch")
            if line:
                arch, source, raw = line, "/proc/sys/kernel/arch", line
            elif uname and uname.get("machine"):
                arch, source, raw = uname["machine"], "uname -m", uname["machine"]
            else:
                arch, raw = _infer_arch(self.cpuinfo())
                source = "/proc/cpuinfo (inferred)" if arch else None
        if arch:
            add(Fact("kernel.arch", "Architecture", arch, OK,
                     f"{arch} ({ARCH_FAMILY.get(arch, 'unfamiliar')} family)", source, raw))
        else:
            add(unknown("kernel.arch", "Architecture",
                        "no proc/sys/kernel/arch, no --arch, and the cpuinfo is not unambiguous",
                        "/proc/sys/kernel/arch"))

        cmdline = self.root.read("/proc/cmdline")
        if cmdline.text is not None:
            # only the options that matter here: the rest may hold secrets (snapshots travel)
            text = " ".join(o for o in cmdline.text.split()
                            if keep_cmdline_option(o.split("=", 1)[0]))
            add(Fact("kernel.cmdline", "Kernel command line", text, INFO, text or "(empty)",
                     "/proc/cmdline", text))
        else:
            add(unknown("kernel.cmdline", "Kernel command line", cmdline.reason or "", "/proc/cmdline"))
        self.kernel_config(release)

        osr = self.root.read("/etc/os-release")
        if osr.text is None:
            osr = self.root.read("/usr/lib/os-release")
        if osr.text is not None:
            fields = dict(_kv(line) for line in osr.text.splitlines() if "=" in line)
            pretty = fields.get("PRETTY_NAME") or fields.get("NAME") or "unnamed"
            self.out.extra["os_release"] = {k: fields[k] for k in ("ID", "VERSION_ID")
                                            if k in fields}
            add(Fact("os.distro", "Distribution (userspace)", pretty, INFO, pretty, osr.path,
                     None))
        else:
            add(unknown("os.distro", "Distribution (userspace)", osr.reason or "", "/etc/os-release"))

    def kernel_config(self, release: str | None) -> None:
        tried = []
        text = source = None
        gz = self.root.read("/proc/config.gz", cap=2 << 20)
        if gz.data is not None:
            import zlib

            try:
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                text = d.decompress(gz.data, 4 << 20).decode("utf-8", "replace")
                source = "/proc/config.gz"
            except zlib.error as exc:
                tried.append(f"/proc/config.gz is corrupt ({exc})")
        else:
            tried.append(f"/proc/config.gz: {gz.reason}")
        if text is None and release and not self.what_if_kernel:
            path = f"/boot/config-{release}"
            got = self.root.read(path, cap=4 << 20)
            if got.text is not None:
                text, source = got.text, path
            else:
                tried.append(f"{path}: {got.reason}")
        if text is None:
            self.out.add(unknown("kernel.config", "Kernel configuration", "; ".join(tried),
                                 "/proc/config.gz"))
            return
        config = config_entries(text)
        shown = " ".join(f"{k}={v}" for k, v in config.items()
                         if k in ("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD",
                                  "CONFIG_KVM_PVM", "CONFIG_XEN", "CONFIG_XEN_DOM0",
                                  "CONFIG_LGUEST", "CONFIG_MODULES"))
        self.out.add(Fact("kernel.config", "Kernel configuration", config, INFO,
                          shown or "no virtualization options found", source,
                          "\n".join(f"{k}={v}" for k, v in config.items())))

    # -- CPU -----------------------------------------------------------------------------------
    def cpuinfo(self) -> str | None:
        if self._cpuinfo is None:
            got = self.root.read("/proc/cpuinfo", cap=4 << 20)
            self._cpuinfo = got.text if got.text is not None else ""
            self._cpuinfo_reason = got.reason
        return self._cpuinfo or None

    def cpu(self) -> None:
        add = self.out.add
        info = self.cpuinfo()
        if info is None:
            why = getattr(self, "_cpuinfo_reason", None) or "empty"
            for fid, label in (("cpu.vendor", "CPU vendor"), ("cpu.flags", "CPU flags"),
                               ("cpu.virtualization", "Hardware virtualization (VT-x/AMD-V)")):
                add(unknown(fid, label, f"/proc/cpuinfo: {why}", "/proc/cpuinfo"))
            return
        fields = _cpuinfo_fields(info)
        vendor = (fields.get("vendor_id") or fields.get("vendor") or fields.get("cpu implementer")
                  or fields.get("mvendorid") or fields.get("cpu family") or None)
        model = (fields.get("model name") or fields.get("cpu") or fields.get("processor")
                 or fields.get("uarch") or fields.get("cpu model") or None)
        add(Fact("cpu.vendor", "CPU vendor", vendor, INFO if vendor else UNKNOWN,
                 f"{vendor or 'not stated'}; model: {model or 'not stated'}", "/proc/cpuinfo",
                 f"vendor={vendor!r} model={model!r}",
                 None if vendor else "cpuinfo names no vendor"))
        flag_line_key = next((k for k in ("flags", "features", "isa", "cpucaps", "facilities")
                              if k in fields), None)
        flags: list[str] = []
        if flag_line_key:
            raw = fields[flag_line_key]
            flags = raw.replace(",", " ").split() if flag_line_key != "isa" else [raw]
        if flag_line_key == "features" and "facilities" in fields:
            flags += fields["facilities"].split()
        add(Fact("cpu.flags", "CPU flags", flags, INFO,
                 f"{len(flags)} flags from the '{flag_line_key}' line" if flag_line_key
                 else "no flags line", "/proc/cpuinfo", fields.get(flag_line_key or "", None)))
        fset = set(flags)
        virt = "AMD-V" if "svm" in fset else "VT-x" if "vmx" in fset else None
        arch_family = ARCH_FAMILY.get(self.out.value("kernel.arch", ""), "")
        if virt:
            add(Fact("cpu.virtualization", "Hardware virtualization (VT-x/AMD-V)", virt, OK,
                     f"{virt} ('{'svm' if virt == 'AMD-V' else 'vmx'}' flag present)",
                     "/proc/cpuinfo", "svm" if virt == "AMD-V" else "vmx"))
        elif arch_family in ("x86_64", "x86_32") or "vendor_id" in fields:
            add(Fact("cpu.virtualization", "Hardware virtualization (VT-x/AMD-V)", None, WARN,
                     "no vmx or svm flag in /proc/cpuinfo (see the firmware check for why)",
                     "/proc/cpuinfo", fields.get("flags")))
        else:
            extra = ""
            if arch_family == "s390":
                extra = "; s390 SIE facility: " + ("present" if "sie" in fset else "not listed")
            add(Fact("cpu.virtualization", "Hardware virtualization (VT-x/AMD-V)", None, INFO,
                     f"not an x86 CPU: VT-x/AMD-V do not apply{extra}", "/proc/cpuinfo", None))
        sub = sorted(fset & {"ept", "vpid", "npt", "unrestricted_guest", "flexpriority", "avic",
                             "nrip_save", "ept_ad", "posted_intr"})
        vmx_line = fields.get("vmx flags")
        if vmx_line:
            sub = sorted(set(sub) | (set(vmx_line.split()) & {"ept", "vpid", "unrestricted_guest",
                                                              "ept_ad", "posted_intr"}))
        add(Fact("cpu.vt_features", "VT sub-features (EPT/NPT, VPID)", sub, INFO,
                 ", ".join(sub) if sub else "none listed", "/proc/cpuinfo",
                 vmx_line or " ".join(sub) or None))
        add(Fact("cpu.hypervisor_flag", "CPU 'hypervisor' flag", "hypervisor" in fset, INFO,
                 "set: the CPU says it runs under a hypervisor" if "hypervisor" in fset
                 else "not set", "/proc/cpuinfo", "hypervisor" if "hypervisor" in fset else None))
        add(Fact("cpu.pae", "PAE / 64-bit (lm) flags", {"pae": "pae" in fset, "lm": "lm" in fset},
                 INFO, f"pae={'yes' if 'pae' in fset else 'no'}, lm={'yes' if 'lm' in fset else 'no'}",
                 "/proc/cpuinfo", None))

    # -- hypervisor (are WE a guest?) ------------------------------------------------------------
    def hypervisor(self) -> None:
        vendor = vtype = role = None
        evidence: list[tuple[str, str]] = []  # (source, raw)
        hv_detail = None
        release = self.out.value("kernel.release")
        parsed = kernel.parse(release) if release else None
        info = self.cpuinfo() or ""
        arch_family = ARCH_FAMILY.get(self.out.value("kernel.arch", ""), "")
        x86 = arch_family in ("x86_64", "x86_32") or "vendor_id" in _cpuinfo_fields(info)

        # 1. WSL first (lscpu does the same): WSL1 is a translation layer, WSL2 a Hyper-V VM
        if parsed and parsed.wsl == 1:
            vendor, vtype, hv_detail = "Microsoft", "container", "WSL1"
            evidence.append(("/proc/sys/kernel/osrelease", release))
        # 2. CPUID leaf 0x40000000 (live, or recorded in a snapshot)
        cpuid = self.live_fact("cpuid") if x86 else None
        sig = (cpuid or {}).get("signature") or ""
        if vendor is None and sig:
            name = CPUID_VENDORS.get(sig.strip()) or CPUID_VENDORS.get(sig[:9])
            if name:
                vendor, vtype = name, "full"
                evidence.append(("CPUID 0x40000000", sig))
        # 3. Xen: /sys/hypervisor, /proc/xen
        xen_type, _ = self._first_line("/sys/hypervisor/type")
        proc_xen = self.root.stat("/proc/xen")
        if xen_type == "xen" or (proc_xen and proc_xen.kind == "dir") or vendor == "Xen":
            vendor = "Xen"
            role, role_src, role_raw = self._xen_role(proc_xen is not None)
            guest_type, _ = self._first_line("/sys/hypervisor/guest_type")
            feats = self._xen_features()
            if guest_type in ("PV", "PVH") or (feats is not None and feats & (1 << 5)):
                vtype = "para"
            elif guest_type == "HVM":
                vtype = "full"
            elif vtype is None:
                vtype = "para"
            if xen_type:
                evidence.append(("/sys/hypervisor/type", xen_type))
            if role_src:
                evidence.append((role_src, role_raw or ""))
        # 4. DMI (systemd's table)
        if vendor is None:
            for name in DMI_FILES:
                line, _ = self._first_line(f"/sys/class/dmi/id/{name}")
                if not line:
                    continue
                hit = next((v for p, v in DMI_VENDORS if line.startswith(p)), None)
                if hit:
                    vendor, vtype = hit, "full"
                    evidence.append((f"/sys/class/dmi/id/{name}", line))
                    break
        # 5. /sys/hypervisor/type naming something else
        if vendor is None and xen_type:
            vendor, vtype = xen_type, "full"
            evidence.append(("/sys/hypervisor/type", xen_type))
        # 6. device tree (arm, ppc, riscv)
        if vendor is None:
            vendor, vtype, src, raw = self._device_tree()
            if src:
                evidence.append((src, raw or ""))
        # 7. s390 /proc/sysinfo
        if vendor is None:
            sysinfo = self.root.text("/proc/sysinfo")
            if sysinfo:
                import re  # s390 only: kept off everyone else's start-up path

                progs = re.findall(r"^VM\d\d Control Program:\s*(.+?)\s*$", sysinfo, re.M)
                if progs:
                    hv_detail = progs[0]
                    vendor = "KVM" if "KVM" in progs[0] else "IBM"
                    vtype = "full"
                    evidence.append(("/proc/sysinfo", f"VM00 Control Program: {progs[0]}"))
                elif re.search(r"^LPAR ", sysinfo, re.M):
                    vendor, vtype, hv_detail = "IBM", "full", "PR/SM"
                    evidence.append(("/proc/sysinfo", "LPAR"))
        # 8. PCI ids (as lscpu)
        if vendor is None:
            pci = self.root.text("/proc/bus/pci/devices")
            for line in (pci or "").splitlines():
                cols = line.split()
                if len(cols) > 1 and len(cols[1]) == 8:
                    hit = PCI_VENDORS.get((cols[1][:4].lower(), cols[1][4:].lower()))
                    if hit:
                        vendor, vtype = hit, "full"
                        evidence.append(("/proc/bus/pci/devices", cols[1]))
                        break
        # 9. kvm-clock, UML, the bare hypervisor bit
        if vendor is None:
            clock, _ = self._first_line(
                "/sys/devices/system/clocksource/clocksource0/current_clocksource")
            if clock in ("kvm-clock", "xen", "hyperv_clocksource_tsc_page"):
                vendor = {"kvm-clock": "KVM", "xen": "Xen"}.get(clock, "Microsoft")
                vtype = "full"
                evidence.append(("clocksource", clock))
        if vendor is None and ("User Mode Linux" in info or has_word(info, "UML")):
            vendor, vtype = "User-mode Linux", "para"
            evidence.append(("/proc/cpuinfo", "UML"))
        flagged = bool(self.out.value("cpu.hypervisor_flag"))
        if parsed and parsed.wsl == 2 and vendor in (None, "Microsoft"):
            vendor, vtype, hv_detail = "Microsoft", "full", "WSL2"
            evidence.append(("/proc/sys/kernel/osrelease", release or ""))

        add = self.out.add
        src = evidence[0][0] if evidence else None
        raw = "; ".join(f"{s}: {r}" for s, r in evidence) or None
        if vendor:
            what = f"{vendor}" + (f" ({hv_detail})" if hv_detail else "")
            summary = f"running under {what}, {vtype} virtualization"
            if role:
                summary += f", Xen {role}"
            add(Fact("hypervisor.vendor", "Running under a hypervisor", vendor, INFO, summary,
                     src, raw))
        elif flagged:
            add(Fact("hypervisor.vendor", "Running under a hypervisor", None, WARN,
                     "the CPU's hypervisor flag is set but the hypervisor could not be named"
                     + ("" if self.root.is_live or cpuid else " (no CPUID signature recorded)"),
                     "/proc/cpuinfo", "hypervisor"))
            vtype = "full"
        else:
            add(Fact("hypervisor.vendor", "Running under a hypervisor", None, OK,
                     "no hypervisor found: bare metal (or one that hides itself)", None, None))
        add(Fact("hypervisor.type", "Virtualization type", vtype, INFO, vtype or "none", src, None))
        add(Fact("hypervisor.xen_role", "Xen domain", role, INFO, role or "not a Xen domain", None,
                 None))
        add(Fact("hypervisor.detail", "Hypervisor detail", hv_detail, INFO, hv_detail or "—", src,
                 None))
        add(Fact("hypervisor.cpuid", "CPUID hypervisor signature", sig or None,
                 INFO if cpuid else UNKNOWN,
                 (sig or "empty") if cpuid else "not available",
                 "CPUID 0x40000000", sig or None,
                 None if cpuid else ("not an x86 host" if not x86 else
                                     "this snapshot did not record CPUID")))

    def _xen_features(self) -> int | None:
        line, _ = self._first_line("/sys/hypervisor/properties/features")
        try:
            return int(line, 16) if line else None
        except ValueError:
            return None

    def _xen_role(self, proc_xen: bool) -> tuple[str | None, str | None, str | None]:
        feats = self._xen_features()
        if feats is not None:  # XENFEAT_dom0 is bit 11 (systemd's method, needs no xenfs)
            return ("dom0" if feats & (1 << 11) else "domU",
                    "/sys/hypervisor/properties/features", f"{feats:x}")
        caps = self.root.read("/proc/xen/capabilities")
        if caps.text is not None:
            return ("dom0" if "control_d" in caps.text else "domU",
                    "/proc/xen/capabilities", caps.text.strip() or "(empty)")
        if proc_xen:
            return "domU", "/proc/xen", "no capabilities file"
        return None, None, None

    def _device_tree(self) -> tuple[str | None, str | None, str | None, str | None]:
        compat = self.root.read("/proc/device-tree/hypervisor/compatible")
        if compat.data is not None:
            text = compat.data.replace(b"\0", b" ").decode("ascii", "replace").strip()
            if "linux,kvm" in text:
                return "KVM", "full", compat.path, text
            if "xen" in text:
                return "Xen", "para", compat.path, text
            if "vmware" in text:
                return "VMware", "full", compat.path, text
            return None, "full", compat.path, text
        if self.root.exists("/proc/iSeries"):
            return "OS/400", "para", "/proc/iSeries", ""
        if self.root.exists("/proc/device-tree/ibm,partition-name") and \
                self.root.exists("/proc/device-tree/hmc-managed?") and \
                not self.root.exists("/proc/device-tree/chosen/qemu,graphic-width"):
            return "pHyp", "para", "/proc/device-tree/ibm,partition-name", "hmc-managed?"
        top = self.root.read("/proc/device-tree/compatible")
        if top.data is not None and b"qemu,pseries" in top.data:
            return "KVM", "para", top.path, "qemu,pseries"
        return None, None, None, None

    # -- containers and sandboxes --------------------------------------------------------------
    def container(self) -> None:
        kind = None
        src = raw = None
        note = None
        release = self.out.value("kernel.release") or ""
        checks = [
            ("/.flatpak-info", "flatpak"), ("/run/.containerenv", "podman"),
            ("/.dockerenv", "docker"), ("/.dockerinit", "docker"),
        ]
        proc_vz = self.root.exists("/proc/vz")
        if proc_vz and not self.root.exists("/proc/bc"):
            kind, src, raw = "openvz", "/proc/vz", "present without /proc/bc"
        if kind is None and "Microsoft" in release:
            kind, src, raw = "wsl", "/proc/sys/kernel/osrelease", release
        if kind is None:
            for path in ("/run/host/container-manager", "/run/systemd/container"):
                line, _ = self._first_line(path)
                if line:
                    kind, src, raw = _container_name(line), path, line
                    break
        if kind is None:
            env = self.root.read("/proc/1/environ")
            if env.data is not None:
                for item in env.data.split(b"\0"):
                    if item.startswith(b"container="):
                        val = item[10:].decode("ascii", "replace")
                        if val:
                            kind, src, raw = _container_name(val), "/proc/1/environ", f"container={val}"
                        break
        if kind is None:
            for path, name in checks:
                if self.root.exists(path):
                    kind, src, raw = name, path, "present"
                    break
        if kind is None:
            cg = self.root.text("/proc/self/cgroup") or ""
            if "/docker/" in cg or "/docker-" in cg:
                kind, src, raw = "docker", "/proc/self/cgroup", "/docker/"
            elif "/libpod-" in cg:
                kind, src, raw = "podman", "/proc/self/cgroup", "/libpod-"
            elif "/lxc/" in cg or "/lxc.payload" in cg:
                kind, src, raw = "lxc", "/proc/self/cgroup", "/lxc/"
        if kind is None:
            status = self.root.text("/proc/self/status") or ""
            vxid = next((line for line in status.split("\n") if line.startswith("VxID:")), "")
            if digits_at(vxid[5:].strip(), 0) not in ("", "0"):
                kind, src, raw = "linux-vserver", "/proc/self/status", vxid.strip()
        if kind == "flatpak":
            note = ("inside the Flatpak sandbox /proc and /sys are partly hidden: facts shown "
                    "as unknown may be fine outside it")
        add = self.out.add
        if kind:
            add(Fact("container.kind", "Container or sandbox", kind, INFO,
                     f"inside a {kind} container" + (f" — {note}" if note else "")
                     + ": the kernel and /dev are the host's, shared or filtered",
                     src, raw))
        else:
            add(Fact("container.kind", "Container or sandbox", None, OK,
                     "not in a container we know of", None, None))
        if kind and self.out.value("hypervisor.vendor") is None and \
                self.out.value("hypervisor.type") is None:
            self.out.facts["hypervisor.type"].value = "container"
            self.out.facts["hypervisor.type"].summary = "container"

    # -- firmware-disabled VT ----------------------------------------------------------------------
    def firmware_vt(self) -> None:
        """Tell 'firmware disabled VT' from 'CPU has no VT' without asking for root."""
        add = self.out.add
        fid, label = "cpu.firmware_vt", "VT enabled in firmware"
        virt = self.out.value("cpu.virtualization")
        arch_family = ARCH_FAMILY.get(self.out.value("kernel.arch", ""), "")
        x86 = arch_family in ("x86_64", "x86_32") or str(self.out.value("cpu.vendor", "")) in (
            "GenuineIntel", "AuthenticAMD", "HygonGenuine")
        if not x86:
            add(Fact(fid, label, None, INFO, "not an x86 host: no VT-x/AMD-V firmware switch",
                     None, None))
            return
        if virt:
            add(Fact(fid, label, "enabled", OK, f"{virt} is visible to the kernel, so the firmware "
                     "has it enabled", "/proc/cpuinfo", "vmx" if virt == "VT-x" else "svm"))
            return
        evidence: list[str] = []
        verdict = None
        cpuid = self.live_fact("cpuid")
        kmsg = self.live_fact("kmsg") or {}
        msr = self.live_fact("msr") or {}
        for line in kmsg.get("lines", []):
            evidence.append(f"kernel log: {line}")
            if "disabled" in line.lower():
                verdict = "disabled"
            elif verdict is None:
                verdict = "absent"
        itlb, _ = self._first_line("/sys/devices/system/cpu/vulnerabilities/itlb_multihit")
        if itlb:
            evidence.append(f"itlb_multihit: {itlb}")
        raw_vt = None
        if cpuid and cpuid.get("available"):
            raw_vt = cpuid.get("vmx") or cpuid.get("svm")
            evidence.append(f"CPUID: vmx={cpuid.get('vmx')} svm={cpuid.get('svm')} "
                            f"hypervisor={cpuid.get('hypervisor_bit')}")
        if msr.get("read"):
            fc, vmcr = msr.get("feature_control"), msr.get("vm_cr")
            if fc is not None and fc & 1 and not fc & 4:
                verdict = "disabled"
                evidence.append(f"MSR 0x3A = {fc:#x}: locked with VMX off")
            if vmcr is not None and vmcr & 0x10:
                verdict = "disabled"
                evidence.append(f"MSR VM_CR = {vmcr:#x}: SVMDIS set")
        under_hv = bool(self.out.value("cpu.hypervisor_flag")) or \
            self.out.value("hypervisor.vendor") is not None
        if verdict is None and raw_vt and not under_hv:
            verdict = "disabled"  # the CPU has it, the kernel hid it: firmware lock (5.6+/6.7+)
        if verdict is None and itlb and "VMX unsupported" in itlb and raw_vt:
            verdict = "disabled"
        if verdict is None and under_hv:
            verdict = "not exposed"
        if verdict is None and cpuid and cpuid.get("available") and not raw_vt:
            verdict = "absent"
        raw = "\n".join(evidence) or None
        if verdict == "disabled":
            add(Fact(fid, label, "disabled", FAIL,
                     "the CPU has VT but the firmware has it switched off: the kernel hides the "
                     "flag (Linux 5.6+ Intel, 6.7+ AMD). Enable it in the firmware setup and "
                     "power-cycle", "CPUID / kernel log / itlb_multihit", raw))
        elif verdict == "not exposed":
            add(Fact(fid, label, "not exposed", WARN,
                     "we run under a hypervisor that does not pass VT-x/AMD-V through "
                     "(nested virtualization is off on the outer host)",
                     "/proc/cpuinfo hypervisor flag", raw))
        elif verdict == "absent":
            add(Fact(fid, label, "absent", WARN, "this CPU has no VT-x/AMD-V", "CPUID", raw))
        else:
            add(unknown(fid, label, "no vmx/svm flag, and no CPUID, readable kernel log or MSR "
                        "could tell a disabled VT from a missing one", "/proc/cpuinfo"))
            self.out.facts[fid].raw = raw

    # -- KVM -------------------------------------------------------------------------------------
    def modules(self) -> set[str]:
        if self._modules is None:
            mods: set[str] = set()
            text = self.root.text("/proc/modules")
            for line in (text or "").splitlines():
                if line.strip():
                    mods.add(line.split()[0])
            self._modules_src = "/proc/modules" if text is not None else None
            for name in KVM_MODULES + ("lg", "xen_blkback", "xen_netback") + tuple(CONFLICTING):
                if name not in mods and self.root.stat(f"/sys/module/{name}") is not None:
                    mods.add(name)
            self._modules = mods
        return self._modules

    def kvm_device(self) -> None:
        """/dev/kvm: the node, whether this user may open it, and whether KVM_CREATE_VM works."""
        add = self.out.add
        access_label, usable_label = "Can this user open /dev/kvm", "KVM_CREATE_VM works"
        node = self.root.stat("/dev/kvm")
        if node is None and not self.root.is_live and self.root.stat("/dev") is None:
            for fid, label in (("kvm.device", "/dev/kvm"), ("kvm.access", access_label),
                               ("kvm.usable", usable_label)):
                add(unknown(fid, label, "this capture holds no /dev", "/dev/kvm"))
            return
        if node is None:
            add(Fact("kvm.device", "/dev/kvm", "absent", WARN,
                     "/dev/kvm does not exist (KVM module not loaded, not built, or not passed "
                     "into this container)", "/dev/kvm", None))
            add(Fact("kvm.access", access_label, None, INFO, "no device to open", "/dev/kvm", None))
            add(Fact("kvm.usable", usable_label, None, INFO, "not tried: no /dev/kvm", "/dev/kvm",
                     None))
            return
        fine = node.kind == "char" and (node.major, node.minor) == (10, 232)
        desc = (f"{node.kind} device {node.major}:{node.minor}, {node.perms}, "
                f"owner uid {node.uid}, group gid {node.gid}")
        add(Fact("kvm.device", "/dev/kvm", "present", OK if fine else WARN,
                 desc if fine else f"present but odd: {desc}", "/dev/kvm", desc))
        access = self.live_fact("access")
        if access is None:
            add(unknown("kvm.access", access_label,
                        "this snapshot did not record who captured it", "/dev/kvm"))
        else:
            ok = bool(access.get("rw_access"))
            group = _group_name(self.root, node.gid)
            user = access.get("user")
            if ok:
                summary = f"yes, {user} can open it read-write"
            elif group in ("root", "gid 0"):
                summary = (f"no: {node.perms}, owned by root only. Fix: a udev rule "
                           'KERNEL=="kvm", GROUP="kvm", MODE="0660", then '
                           f"sudo usermod -aG kvm {user} and log in again")
            else:
                summary = (f"no: {user} may not open it ({node.perms}, group {group}). "
                           f"Fix: sudo usermod -aG {group} {user} and log in again")
            add(Fact("kvm.access", access_label, ok, OK if ok else FAIL, summary, "/dev/kvm",
                     f"uid={access.get('uid')} groups={','.join(access.get('groups', []))}"))
        result = self.live_fact("kvm")
        if result is None:
            add(unknown("kvm.usable", usable_label,
                        "this snapshot did not record the KVM ioctls", "/dev/kvm"))
        elif result.get("create_vm") == "ok":
            add(Fact("kvm.usable", usable_label, True, OK,
                     f"yes: API version {result.get('api_version')}, a VM was created and closed"
                     + (f", up to {result['max_vcpus']} vCPUs" if result.get("max_vcpus") else ""),
                     "/dev/kvm ioctl", _short(result)))
        elif not result.get("opened"):
            add(Fact("kvm.usable", usable_label, None, UNKNOWN,
                     f"not tried: could not open /dev/kvm ({result.get('error')})",
                     "/dev/kvm ioctl", _short(result), "the device could not be opened"))
        else:
            busy = result.get("errno") == "EBUSY"
            add(Fact("kvm.usable", usable_label, False, FAIL,
                     "no: another hypervisor (VirtualBox, VMware) holds VT-x" if busy else
                     f"no: {result.get('error')}", "/dev/kvm ioctl", _short(result)))

    def kvm(self) -> None:
        self.kvm_device()
        add = self.out.add
        mods = self.modules()
        config = self.out.value("kernel.config") or {}
        present = [m for m in KVM_MODULES if m in mods]
        built = [k for k in ("CONFIG_KVM", "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD", "CONFIG_KVM_PVM")
                 if config.get(k) == "y"]
        summary = ", ".join(present) if present else "no KVM module loaded"
        if built:
            summary += f"; built in: {', '.join(built)}"
        add(Fact("kvm.modules", "KVM modules", present, OK if present or built else WARN, summary,
                 getattr(self, "_modules_src", None) or "/sys/module",
                 " ".join(present) or None))
        nested = None
        for mod in ("kvm_intel", "kvm_amd", "kvm"):
            line, _ = self._first_line(f"/sys/module/{mod}/parameters/nested")
            if line:
                val = line.strip()
                nested = (mod, val, val in ("Y", "y", "1"))
                break
        if nested:
            add(Fact("kvm.nested", "Nested virtualization (for our guests)", nested[2], INFO,
                     f"{nested[0]} nested={nested[1]}: guests here "
                     + ("can" if nested[2] else "cannot") + " run their own KVM",
                     f"/sys/module/{nested[0]}/parameters/nested", nested[1]))
        else:
            add(Fact("kvm.nested", "Nested virtualization (for our guests)", None, INFO,
                     "no nested parameter: kvm_intel/kvm_amd not loaded, or a kernel before 3.1",
                     "/sys/module/kvm_intel/parameters/nested", None))
        conflicts = [CONFLICTING[m] for m in CONFLICTING if m in mods]
        add(Fact("kvm.conflicts", "Other hypervisors holding VT", conflicts,
                 WARN if conflicts else OK,
                 ("loaded: " + ", ".join(conflicts)) if conflicts else "none loaded",
                 "/proc/modules", None))

    # -- Xen host facts ----------------------------------------------------------------------------
    def xen(self) -> None:
        caps_line = self.root.text("/sys/hypervisor/properties/capabilities")
        if caps_line is None:
            self.out.add(Fact("xen.capabilities", "Xen capabilities", None, INFO,
                              "not a Xen domain", "/sys/hypervisor/properties/capabilities", None))
            return
        caps = caps_line.split()
        hvm = any(c.startswith("hvm-") for c in caps)
        self.out.add(Fact("xen.capabilities", "Xen capabilities", caps, INFO,
                          ("HVM guests possible (hvm-* listed)" if hvm else
                           "PV guests only: no hvm-* capability (no VT, or not enabled)"),
                          "/sys/hypervisor/properties/capabilities", caps_line.strip()))

    def lguest(self) -> None:
        node = self.root.stat("/dev/lguest")
        mods = self.modules()
        loaded = "lg" in mods
        if node is None and not loaded:
            self.out.add(Fact("lguest.device", "lguest (/dev/lguest, lg.ko)", None, INFO,
                              "not present", "/dev/lguest", None))
        else:
            self.out.add(Fact("lguest.device", "lguest (/dev/lguest, lg.ko)", True, OK,
                              ("/dev/lguest present" if node else "")
                              + (" lg module loaded" if loaded else ""), "/dev/lguest", None))

    def devices(self) -> None:
        for fid, path, label, why in (
            ("dev.vhost_net", "/dev/vhost-net", "/dev/vhost-net",
             "load 'vhost_net' for faster virtio networking"),
            ("dev.tun", "/dev/net/tun", "/dev/net/tun", "load 'tun' so QEMU guests can have a network"),
        ):
            node = self.root.stat(path)
            if node is None:
                self.out.add(Fact(fid, label, False, WARN, f"absent: {why}", path, None))
            else:
                self.out.add(Fact(fid, label, True, OK,
                                  f"{node.kind} device {node.major}:{node.minor}, {node.perms}",
                                  path, None))

    def iommu(self) -> None:
        tables = [t for t in ("DMAR", "IVRS", "IORT")
                  if self.root.exists(f"/sys/firmware/acpi/tables/{t}")]
        units = self.root.listdir("/sys/class/iommu") or []
        groups = self.root.listdir("/sys/kernel/iommu_groups") or []
        cmd = self.out.value("kernel.cmdline") or ""
        opts = [o for o in cmd.split() if o.split("=")[0] in ("intel_iommu", "amd_iommu", "iommu")]
        if groups:
            status, summary = OK, f"active: {len(groups)} IOMMU groups"
        elif tables:
            status, summary = WARN, (f"firmware table {', '.join(tables)} present but no IOMMU "
                                     "groups: enable it on the kernel command line "
                                     "(intel_iommu=on, or check amd_iommu)")
        else:
            status, summary = INFO, ("no DMAR/IVRS/IORT table and no IOMMU groups: device "
                                     "assignment (VFIO) is not available; ordinary VMs are fine")
        self.out.add(Fact("iommu", "IOMMU (device assignment)",
                          {"tables": tables, "units": units, "groups": len(groups), "cmdline": opts},
                          status, summary, "/sys/kernel/iommu_groups",
                          f"tables={tables} units={units} cmdline={opts}"))


def _short(result: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.items() if v is not None and k != "path")


def _kv(line: str) -> tuple[str, str]:
    key, _, val = line.partition("=")
    return key.strip(), val.strip().strip('"').strip("'")


def _cpuinfo_fields(text: str) -> dict[str, str]:
    """First value of each key in cpuinfo (keys lower-cased), whatever the architecture."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, val = line.partition(":")
        if not sep:
            continue
        key = key.strip().lower()
        if key and key not in fields:
            fields[key] = val.strip()
    return fields


def _infer_arch(info: str | None) -> tuple[str | None, str | None]:
    """Architecture from cpuinfo, only where the evidence is unambiguous (cli-contract.md)."""
    if not info:
        return None, None
    f = _cpuinfo_fields(info)
    if f.get("vendor_id", "").startswith("IBM/S390"):
        return "s390x", "vendor_id: IBM/S390"
    isa = f.get("isa", "")
    if isa.startswith("rv64"):
        return "riscv64", f"isa: {isa}"
    if isa.startswith("rv32"):
        return "riscv32", f"isa: {isa}"
    if "loongarch64" in isa or f.get("cpu family", "").startswith("Loongson-64"):
        return "loongarch64", "Loongson-64bit"
    if f.get("type", "").startswith(("sun4u", "sun4v")) or "UltraSparc" in f.get("cpu", ""):
        return "sparc64", f"cpu: {f.get('cpu')}"
    if _power_cpu(f.get("cpu", "")) and "ppc64" not in info:
        return "ppc64", f"cpu: {f.get('cpu')}"
    return None, None


def _power_cpu(cpu: str) -> bool:
    r"""``\bPOWER\d``: an IBM POWER processor name (POWER8, POWER9…)."""
    return any(word_starts_at(cpu, i) and cpu[i + 5:i + 6].isdecimal()
               for i in find_all(cpu, "POWER"))


def config_entry(line: str) -> tuple[str, str] | None:
    """``CONFIG_KVM=m`` → ``("CONFIG_KVM", "m")``, ``# CONFIG_XEN is not set`` → ``("CONFIG_XEN",
    "n")``, for the options in :data:`CONFIG_NAMES` and :data:`CONFIG_PREFIXES`; else None."""
    body = line[2:] if line.startswith("# ") else line
    name, eq, value = body.partition("=")
    if not eq:
        if not body.endswith(" is not set"):
            return None
        name, value = body[:-len(" is not set")], "n"
    option = name[len("CONFIG_"):]
    if name.startswith("CONFIG_") and (option in CONFIG_NAMES or (
            option.startswith(CONFIG_PREFIXES) and is_word(option))):
        return name, value
    return None


def config_entries(text: str) -> dict[str, str]:
    """Every :func:`config_entry` of a kernel config, in file order (a later line wins).

    A config has thousands of lines and we want a few dozen: ``str.find`` jumps to the lines that
    name a wanted option, instead of looking at each line in Python.
    """
    hits: dict[int, tuple[str, str]] = {}  # line start -> entry
    for wanted in (*CONFIG_PREFIXES, *CONFIG_NAMES):
        for i in find_all(text, "CONFIG_" + wanted):
            start = text.rfind("\n", 0, i) + 1
            if start not in hits:
                end = text.find("\n", i)
                entry = config_entry(text[start:len(text) if end < 0 else end].strip())
                if entry:
                    hits[start] = entry
    return dict(hits[start] for start in sorted(hits))


def keep_cmdline_option(name: str) -> bool:
    """Whether a kernel command-line option (its name, before any ``=``) is one we keep."""
    if name in CMDLINE_NAMES:
        return True
    if name.startswith(CMDLINE_PREFIXES):
        return is_word(name)
    if name.startswith("dom0_"):
        return is_word(name[5:])
    if name.startswith("kvm."):  # kvm.PARAM
        return is_word(name[4:])
    if name.startswith(("kvm-", "kvm_")):  # kvm-MODULE.PARAM, kvm_MODULE.PARAM
        module, dot, param = name[4:].partition(".")
        return bool(dot) and is_word(module) and is_word(param)
    return False


def _container_name(value: str) -> str:
    value = value.strip().lower()
    return {"oci": "oci", "lxc-libvirt": "lxc", "systemd-nspawn": "systemd-nspawn"}.get(value, value)


def _group_name(root: Root, gid: int) -> str:
    text = root.text("/etc/group") or ""
    for line in text.splitlines():
        cols = line.split(":")
        if len(cols) > 2 and cols[2] == str(gid):
            return cols[0]
    return f"gid {gid}"


def _describe_release(parsed: kernel.KernelRelease) -> str:
    if not parsed.understood and not parsed.linux_next:
        return "not a release string we understand"
    bits = []
    if parsed.version:
        bits.append(f"upstream {parsed.version}" + (f"-rc{parsed.rc}" if parsed.rc else ""))
    if parsed.vendor:
        bits.append(f"{parsed.vendor} ({parsed.flavour})")
    elif parsed.flavour:
        bits.append(parsed.flavour)
    if parsed.xen_flavour:
        bits.append("Xen kernel flavour")
    if parsed.wsl == 1:
        bits.append("not a Linux kernel")
    bits.extend(parsed.notes)
    return "; ".join(bits)


def probe(root: Root, kernel_release: str | None = None, arch: str | None = None) -> HostFacts:
    """Run every check against ``root``; never raises for missing or odd files."""
    return Probe(root, kernel_release, arch).run()

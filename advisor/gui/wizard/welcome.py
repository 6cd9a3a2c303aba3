"""Page 1: what to analyse — this computer, a snapshot, or "what if I ran kernel …"."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6 import QtWidgets
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout,
    QWizardPage,
)

from advisor import kernel
from advisor.gui.wizard.state import Inputs, WizardState
from advisor.gui.wizard.widgets import button, plain

ARCHES = ("", "x86_64", "i686", "aarch64", "armv7l", "s390x", "ppc64le", "riscv64", "loongarch64")


class WelcomePage(QWizardPage):
    def __init__(self, state: WizardState):
        super().__init__()
        self.state = state
        inputs = state.inputs
        self.setTitle(self.tr("Which hypervisor fits this machine?"))
        self.setSubTitle(self.tr("KVM, Xen or lguest — and is this kernel a stable base?"))
        lay = QVBoxLayout(self)
        lay.addWidget(plain(self.tr(
            "Kernel Advisor reads the running kernel's release, the CPU's virtualization "
            "support (VT-x, AMD-V), /dev/kvm, kernel modules and configuration, and whether this "
            "machine is itself a virtual machine or container. It asks for no password and "
            "changes nothing.\n\nNothing leaves this computer, except an optional check of "
            "kernel.org's list of current releases, which you start yourself.")))
        box = QGroupBox(self.tr("What should be analysed?"))
        form = QVBoxLayout(box)
        self.this = QRadioButton(self.tr("&This computer"))
        self.snap = QRadioButton(self.tr("A &snapshot from another machine…"))
        self.what_if = QRadioButton(self.tr("&What if I ran kernel…"))
        self.group = QButtonGroup(self)
        for b in (self.this, self.snap, self.what_if):
            self.group.addButton(b)
        self.snap_path = QLineEdit(inputs.snapshot or "")
        self.snap_path.setPlaceholderText(self.tr("snapshot .tar.gz (kernel-advisor snapshot -o …)"))
        self.snap_path.setAccessibleName(self.tr("Snapshot file"))
        browse = button(self.tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.snap_path)
        row.addWidget(browse)
        self.kernel = QLineEdit(inputs.kernel or "")
        self.kernel.setPlaceholderText("2.6.23, 6.8.0-45-generic, 2.6.18-8.el5xen …")
        self.kernel.setAccessibleName(self.tr("Kernel release"))
        self.arch = QComboBox()
        self.arch.addItems(ARCHES)
        self.arch.setAccessibleName(self.tr("Architecture"))
        if inputs.arch:
            self.arch.setCurrentText(inputs.arch)
        kernel_label = QLabel(self.tr("&Kernel:"))
        kernel_label.setBuddy(self.kernel)
        arch_label = QLabel(self.tr("&Architecture:"))
        arch_label.setBuddy(self.arch)
        krow = QHBoxLayout()
        krow.addWidget(kernel_label)
        krow.addWidget(self.kernel, 1)
        krow.addWidget(arch_label)
        krow.addWidget(self.arch)
        form.addWidget(self.this)
        form.addWidget(self.snap)
        form.addLayout(row)
        form.addWidget(self.what_if)
        form.addLayout(krow)
        lay.addWidget(box)
        self.error = plain()
        self.error.setAccessibleName(self.tr("Input problem"))
        lay.addWidget(self.error)
        lay.addStretch(1)
        if inputs.snapshot:
            self.snap.setChecked(True)
        elif inputs.kernel or inputs.arch:
            self.what_if.setChecked(True)
        else:
            self.this.setChecked(True)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open a snapshot"), "", self.tr("Snapshots (*.tar.gz *.tgz *.tar)"))
        if path:
            self.snap_path.setText(path)
            self.snap.setChecked(True)

    def chosen(self) -> Inputs:
        """The input the widgets describe now (the root and releases URL come from the
        command line and stay)."""
        base = Inputs(root_dir=self.state.inputs.root_dir,
                      releases_url=self.state.inputs.releases_url)
        if self.snap.isChecked():
            return replace(base, root_dir=None, snapshot=self.snap_path.text().strip() or None)
        if self.what_if.isChecked():
            return replace(base, kernel=self.kernel.text().strip() or None,
                           arch=self.arch.currentText() or None)
        return base

    def validatePage(self) -> bool:  # noqa: N802
        chosen = self.chosen()
        problem = None
        if self.snap.isChecked() and not (chosen.snapshot and os.path.isfile(chosen.snapshot)):
            problem = self.tr("Choose a snapshot file that exists.")
        if self.what_if.isChecked() and chosen.kernel and \
                not kernel.is_release(chosen.kernel):
            problem = self.tr("'%s' is not a kernel release (e.g. 6.8.0-45-generic).") \
                % chosen.kernel
        self.error.setText(problem or "")
        if problem is None:
            self.state.inputs = chosen
        return problem is None

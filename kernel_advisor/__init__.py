"""Kernel Advisor: which virtualization framework fits this machine, and how stable is its kernel.

The package is split like Anki's pylib/aqt: everything outside ``kernel_advisor.gui`` is the Qt-free
core (probe, knowledge, rules, stability, reports); ``kernel_advisor.gui`` is the PySide6 wizard,
and
imports run one way only (README, "Layout").
"""

__version__ = "0.1.0"

#: Reverse-DNS application id: the desktop entry, metainfo, icon name and
#: ``QGuiApplication.setDesktopFileName`` all use it.
APP_ID = "io.github.kerneladvisor.KernelAdvisor"
APP_NAME = "Kernel Advisor"
SCHEMA = "kernel-advisor/1"


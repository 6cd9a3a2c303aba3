"""How this copy of Kernel Advisor was installed, and so what adds the wizard (Qt) to it.

``pip install 'kernel-advisor[gui]'`` is right in a virtual environment and wrong almost
everywhere else: Debian 12 refuses it outside one (PEP 668, "externally managed"), a pipx
install is changed through pipx, the ``.deb`` lives in the distribution's Python, and the
installer's venv is the installer's to change. :func:`detect` tells which of these is running;
:func:`gui_hint` names the command that works there.
"""

from __future__ import annotations

import enum
import os
import shlex
import site
import sys
import sysconfig
from dataclasses import dataclass
from typing import Optional

from kernel_advisor.i18n import _


class Install(enum.Enum):
    BUNDLE = "bundle"  # the PyInstaller bundle (installer/build-bundle.sh)
    DISTRIBUTION = "distribution"  # the distribution's package (the .deb)
    PIPX = "pipx"
    INSTALLER = "installer"  # installer/install.sh's venv
    VENV = "venv"  # any other virtual environment
    USER = "user"  # pip install --user
    SYSTEM = "system"  # a system Python's site-packages, or a source checkout


@dataclass(frozen=True)
class Where:
    """What :func:`detect` looks at (the running interpreter's, unless a test gives others)."""

    package: str  # the kernel_advisor package's folder
    prefix: str = sys.prefix
    base_prefix: str = sys.base_prefix
    frozen: bool = bool(getattr(sys, "frozen", False))
    user_site: Optional[str] = None
    stdlib: str = ""
    python: str = sys.executable or "python3"

    @classmethod
    def here(cls) -> Where:
        return cls(package=os.path.dirname(os.path.abspath(__file__)),
                   user_site=site.getusersitepackages() if site.ENABLE_USER_SITE else None,
                   stdlib=sysconfig.get_paths()["stdlib"])


#: where installer/install.sh makes its venvs, under $XDG_DATA_HOME
INSTALLER_VENVS = os.path.join("kernel-advisor", "venvs")


def detect(where: Where) -> Install:
    if where.frozen:
        return Install.BUNDLE
    if where.prefix != where.base_prefix:
        if os.path.exists(os.path.join(where.prefix, "pipx_metadata.json")):  # pipx writes it
            return Install.PIPX
        if os.path.dirname(os.path.normpath(where.prefix)).endswith(INSTALLER_VENVS):
            return Install.INSTALLER
        return Install.VENV
    if where.package.startswith(("/usr/lib/python3/dist-packages/",
                                 "/usr/lib/python3/site-packages/")):
        return Install.DISTRIBUTION
    if where.user_site and where.package.startswith(where.user_site + os.sep):
        return Install.USER
    return Install.SYSTEM


def externally_managed(where: Where) -> bool:
    """PEP 668: the distribution manages this Python, and pip refuses to install into it."""
    return bool(where.stdlib) and os.path.exists(os.path.join(where.stdlib,
                                                              "EXTERNALLY-MANAGED"))


PIPX = "pipx install 'kernel-advisor[gui]'"


def gui_hint(where: Optional[Where] = None) -> str:
    """The command (with its reason where it is not the obvious one) that adds Qt here."""
    where = where or Where.here()
    kind = detect(where)
    if kind is Install.BUNDLE:
        return _("the bundle should carry Qt: rebuild it with installer/build-bundle.sh from a "
                 "Python that has the GUI extra")
    if kind is Install.DISTRIBUTION:
        return _("this is the distribution's package of the command-line part, and Debian 12 "
                 "packages no PySide6; for the wizard, install the app with pipx: "
                 "{command}").format(command=PIPX)
    if kind is Install.PIPX:
        return _("pipx installed it without the GUI extra: "
                 "pipx install --force 'kernel-advisor[gui]'")
    if kind is Install.INSTALLER:
        return _("run installer/install.sh again: it installs the GUI extra and Qt's system "
                 "libraries")
    if kind is Install.VENV:
        return f"{shlex.quote(where.python)} -m pip install 'kernel-advisor[gui]'"
    if externally_managed(where):
        return _("this Python is the distribution's, which pip may not change (PEP 668); "
                 "install the app with pipx: {command}").format(command=PIPX)
    if kind is Install.USER:
        return f"{shlex.quote(where.python)} -m pip install --user 'kernel-advisor[gui]'"
    return f"{shlex.quote(where.python)} -m pip install 'kernel-advisor[gui]'"

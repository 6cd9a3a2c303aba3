"""``install-desktop`` / ``uninstall-desktop``: put the app into this user's menu and take it out.

What goes where (XDG Base Directory; ``$XDG_DATA_HOME`` defaults to ``~/.local/share``):

- the desktop entry, with ``Exec``/``TryExec`` set to the launcher's absolute path, into
  ``applications/``; the icons into ``icons/hicolor/``; the AppStream metainfo into ``metainfo/``
  (the freedesktop menu and software-centre locations);
- the man page into ``man/man1/`` (``man`` finds ``~/.local/share/man`` through ``$PATH``'s
  ``~/.local/bin``), bash completion into ``bash-completion/completions/`` (bash-completion's
  per-user folder), fish's into ``fish/vendor_completions.d/`` (on fish's own path) and zsh's
  into ``zsh/site-functions/``, which zsh's default ``fpath`` lacks: the README gives the line.

Every file is written atomically and listed in ``kernel-advisor/desktop-files``, so uninstalling
removes exactly what was placed and nothing else. All sources are package data under
``kernel_advisor/data/``, so a wheel, a ``.deb`` and a checkout behave alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List, Optional, Tuple

from kernel_advisor import APP_ID, data
from kernel_advisor.atomic import write_atomic

MANIFEST = "desktop-files"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _files(launcher: str) -> List[Tuple[str, bytes]]:
    """(path under the data home, content) for everything install() places."""
    desktop = data.path(f"desktop/{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in desktop.splitlines():
        key = line.split("=", 1)[0]
        if key == "Exec":
            line = f"Exec={_quote_exec(launcher)}"
        elif key == "TryExec":
            line = f"TryExec={launcher}"
        lines.append(line)
    files = [(f"applications/{APP_ID}.desktop", ("\n".join(lines) + "\n").encode("utf-8")),
             (f"metainfo/{APP_ID}.metainfo.xml",
              data.path(f"desktop/{APP_ID}.metainfo.xml").read_bytes()),
             ("man/man1/kernel-advisor.1", data.path("man/kernel-advisor.1").read_bytes()),
             ("bash-completion/completions/kernel-advisor",
              data.path("completion/kernel-advisor.bash").read_bytes()),
             ("zsh/site-functions/_kernel-advisor",
              data.path("completion/_kernel-advisor").read_bytes()),
             ("fish/vendor_completions.d/kernel-advisor.fish",
              data.path("completion/kernel-advisor.fish").read_bytes())]
    icons = data.path("desktop/icons")
    for icon in sorted(icons.rglob("*")):
        if icon.is_file():
            files.append((f"icons/{icon.relative_to(icons)}", icon.read_bytes()))
    return files


def _quote_exec(path: str) -> str:
    """A path as a desktop entry's Exec argument (the spec's quoting rules)."""
    if not any(c in path for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'.replace("%", "%%")


def launcher_path(argv0: str) -> Optional[str]:
    """The absolute path of the running ``kernel-advisor`` command, or None when we were not
    started through it (``python -m kernel_advisor``)."""
    if os.path.basename(argv0) == "kernel-advisor":
        return os.path.abspath(argv0)  # not resolved: keep ~/.local/bin's link, not the venv
    return shutil.which("kernel-advisor")


def install(launcher: str, home: Optional[Path] = None) -> List[Path]:
    """Place the menu entry and its companions for ``launcher``; returns what was written."""
    home = home or data_home()
    placed = []
    for rel, content in _files(launcher):
        target = home / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(target), content, 0o644)
        placed.append(target)
    manifest = home / "kernel-advisor" / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(manifest)
    write_atomic(str(manifest), "".join(f"{p}\n" for p in sorted(set(old) | set(placed)))
                 .encode("utf-8"), 0o644)
    _refresh_caches(home)
    return placed


def uninstall(home: Optional[Path] = None) -> List[Path]:
    """Remove what :func:`install` placed (per its manifest); returns what was removed."""
    home = home or data_home()
    manifest = home / "kernel-advisor" / MANIFEST
    removed = []
    for path in _read_manifest(manifest):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        _prune(path.parent, home)
    try:
        manifest.unlink()
    except FileNotFoundError:
        pass
    _prune(manifest.parent, home)
    _refresh_caches(home)
    return removed


def _read_manifest(manifest: Path) -> List[Path]:
    try:
        text = manifest.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [Path(line) for line in text.splitlines() if line.strip()]


def _prune(folder: Path, home: Path) -> None:
    """Remove folders left empty up to (not including) the data home."""
    while folder != home and home in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _refresh_caches(home: Path) -> None:
    """The menu's and icon theme's caches, where their tools exist (as the installer did)."""
    for tool, args in (("update-desktop-database", ["-q", str(home / "applications")]),
                       ("gtk-update-icon-cache", ["-q", "-t", str(home / "icons" / "hicolor")])):
        if shutil.which(tool) and Path(args[-1]).is_dir():
            subprocess.run([tool, *args], check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

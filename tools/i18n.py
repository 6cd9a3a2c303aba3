#!/usr/bin/env python3
"""The translation pipeline, with the ecosystem's own tools:

- the core (gettext): Babel extracts every ``_()`` / ``N_()`` / ``ngettext()`` message from
  ``kernel_advisor/`` (not ``kernel_advisor/gui``), plus the knowledge base's fact texts from
  ``kernel_advisor/data/kb.json`` and the sentences of ``distros.json`` and ``vendors.json``
  (``distro.messages()``, ``lifecycle.messages()``), into ``po/kernel-advisor.pot``; each
  ``po/LANG.po`` is updated from it and compiled to
  ``kernel_advisor/data/locale/LANG/LC_MESSAGES/kernel-advisor.mo``;
- the wizard (Qt Linguist): ``pyside6-lupdate`` collects every ``tr()`` of ``kernel_advisor/gui``
  into ``po/qt/kernel-advisor_LANG.ts``, and ``pyside6-lrelease`` compiles it to
  ``kernel_advisor/data/i18n/kernel-advisor_LANG.qm``.

    .venv/bin/python tools/i18n.py update     # after changing user-visible text: then translate
    .venv/bin/python tools/i18n.py compile    # after translating: the .mo and .qm files
    .venv/bin/python tools/i18n.py check      # tests: catalogues current, no broken entry

A partly translated catalogue is fine: a message without a translation (or with a fuzzy one)
falls back to English where it is shown. ``check`` fails only on what is stale (a template,
catalogue or compiled file that does not match the code) or broken (a translation whose
placeholders differ from its message's, so that ``format()`` would fail or lose a value).

The compiled files are committed (package data), so neither a wheel build nor the Debian build
needs Babel or Qt's tools.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "po"
POT = PO / "kernel-advisor.pot"
LANGUAGES = ("de",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
GUI = ROOT / "kernel_advisor" / "gui"


def mo_path(lang: str) -> Path:
    return ROOT / "kernel_advisor" / "data" / "locale" / lang / "LC_MESSAGES" / "kernel-advisor.mo"


def ts_path(lang: str) -> Path:
    return PO / "qt" / f"kernel-advisor_{lang}.ts"


def qm_path(lang: str) -> Path:
    return ROOT / "kernel_advisor" / "data" / "i18n" / f"kernel-advisor_{lang}.qm"


def template() -> Catalog:
    """Every core message: the code's, then the knowledge base's fact texts."""
    from kernel_advisor import __version__

    pot = Catalog(project="kernel-advisor", version=__version__,
                  msgid_bugs_address="https://github.com/kerneladvisor/kernel-advisor/issues",
                  copyright_holder="Kernel Advisor developers", charset="utf-8")
    stamp = datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone.utc)  # reproducible
    pot.creation_date = pot.revision_date = stamp
    for filename, lineno, message, comments, _ctx in extract_from_dir(
            ROOT / "kernel_advisor", method_map=[("gui/**.py", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        pot.add(message, locations=[(f"kernel_advisor/{filename}", lineno)], auto_comments=comments,
                flags=("python-brace-format",) if "{" in str(message) else ())
    kb = json.loads((ROOT / "kernel_advisor" / "data" / "kb.json").read_text(encoding="utf-8"))
    for fid, fact in kb["facts"].items():
        pot.add(fact["text"], locations=[("kernel_advisor/data/kb.json", 0)],
                auto_comments=[f"knowledge-base fact {fid} ({fact['status']})"])
        if "label" in fact:
            pot.add(fact["label"], locations=[("kernel_advisor/data/kb.json", 0)],
                    auto_comments=[f"knowledge-base fact {fid}: its label"])
    sys.path.insert(0, str(ROOT))
    from kernel_advisor import distro, lifecycle

    for name, messages in (("distros.json", distro.messages()),
                           ("vendors.json", lifecycle.messages())):
        for message in messages:
            pot.add(message, locations=[(f"kernel_advisor/data/{name}", 0)],
                    auto_comments=[f"a sentence of {name}"],
                    flags=("python-brace-format",) if "{" in message else ())
    return pot


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False,
             include_lineno=False)  # file names only: moving code does not stale the catalogues
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _read(path: Path, lang: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang)


def updated(lang: str, pot: Catalog) -> Catalog:
    path = PO / f"{lang}.po"
    po = _read(path, lang) if path.exists() else Catalog(locale=lang, charset="utf-8")
    po.update(pot, update_header_comment=False)
    po.obsolete.clear()
    po.revision_date = pot.creation_date
    return po


def qt_tool(name: str) -> str:
    tool = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if tool is None:
        sys.exit(f"i18n.py: {name} not found: it comes with PySide6 (pip install "
                 "'kernel-advisor[gui]')")
    return tool


def lupdate(lang: str, target: Path) -> None:
    tool = qt_tool("pyside6-lupdate")
    sources = sorted(str(p) for p in GUI.rglob("*.py"))
    if target != ts_path(lang) and ts_path(lang).exists():
        shutil.copy(ts_path(lang), target)
    subprocess.run([tool, "-silent", "-no-obsolete", "-locations", "none", *sources,
                    "-ts", str(target)], check=True)


def lrelease(ts: Path, qm: Path) -> None:
    tool = qt_tool("pyside6-lrelease")
    subprocess.run([tool, "-silent", "-nounfinished", str(ts), "-qm", str(qm)], check=True)


def untranslated(po: Catalog) -> list[str]:
    return [m.id for m in po if m.id and (not m.string or m.fuzzy)]


_FIELD = re.compile(r"(?<!\{)\{([^{}:!]*)[^{}]*\}(?!\})")
_QT_ARG = re.compile(r"%(\d+|n)")


def _fields(text: str) -> set:
    return set(_FIELD.findall(text))


def broken(po: Catalog) -> list[str]:
    """Translations whose ``{placeholders}`` differ from their message's. A plural form may
    leave out a field (German "eine Datei" for ``{count}``) but never add one."""
    bad = []
    for m in po:
        if not m.id or m.fuzzy or not m.string:
            continue
        if isinstance(m.id, (list, tuple)):
            wanted = set().union(*(_fields(i) for i in m.id))
            wrong = any(s and not _fields(s) <= wanted for s in m.string)
        else:
            wrong = _fields(m.string) != _fields(m.id)
        if wrong:
            bad.append(m.id if isinstance(m.id, str) else m.id[0])
    return bad


def qt_broken(ts: Path) -> list[str]:
    """Wizard translations whose ``%1``-style arguments differ from their source's."""
    import xml.etree.ElementTree as ET

    bad = []
    for msg in ET.parse(ts).getroot().iter("message"):
        source, tr = msg.findtext("source") or "", msg.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
            continue
        forms = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""]
        wanted = set(_QT_ARG.findall(source))
        if any(f and set(_QT_ARG.findall(f)) != wanted for f in forms):
            bad.append(source)
    return bad


def qt_untranslated(ts: Path) -> list[str]:
    import xml.etree.ElementTree as ET

    return [msg.findtext("source") for msg in ET.parse(ts).getroot().iter("message")
            if (msg.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                or not (msg.findtext("translation") or msg.find("translation/numerusform")
                        is not None))]


def cmd_update() -> int:
    pot = template()
    POT.parent.mkdir(exist_ok=True)
    POT.write_bytes(_po_bytes(pot))
    for lang in LANGUAGES:
        po = updated(lang, pot)
        (PO / f"{lang}.po").write_bytes(_po_bytes(po))
        ts_path(lang).parent.mkdir(exist_ok=True)
        lupdate(lang, ts_path(lang))
        print(f"{lang}: {len(untranslated(po))} core and "
              f"{len(qt_untranslated(ts_path(lang)))} wizard messages to translate")
    return 0


def cmd_compile() -> int:
    for lang in LANGUAGES:
        mo_path(lang).parent.mkdir(parents=True, exist_ok=True)
        mo_path(lang).write_bytes(_mo_bytes(_read(PO / f"{lang}.po", lang)))
        qm_path(lang).parent.mkdir(parents=True, exist_ok=True)
        lrelease(ts_path(lang), qm_path(lang))
    return 0


def cmd_check() -> int:
    """Exit 1, saying why, where a catalogue is stale or has a broken entry; untranslated
    messages are counted, not refused (they fall back to English)."""
    problems = []
    pot = template()
    if not POT.exists() or POT.read_bytes() != _po_bytes(pot):
        problems.append("po/kernel-advisor.pot is not current (run tools/i18n.py update)")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            po = updated(lang, pot)
            bad = broken(po)
            if bad:
                problems.append(f"{lang}.po: {len(bad)} with placeholders unlike the message's, "
                                f"e.g. {bad[0]!r}")
            missing = untranslated(po)
            if missing:
                print(f"{lang}.po: {len(missing)} untranslated (shown in English)")
            if (PO / f"{lang}.po").read_bytes() != _po_bytes(po):
                problems.append(f"po/{lang}.po is not current (run tools/i18n.py update)")
            if not mo_path(lang).exists() or mo_path(lang).read_bytes() != _mo_bytes(
                    _read(PO / f"{lang}.po", lang)):
                problems.append(f"{mo_path(lang).name} ({lang}) is not compiled from po/{lang}.po")
            ts = Path(tmp) / ts_path(lang).name
            lupdate(lang, ts)
            if ts.read_bytes() != ts_path(lang).read_bytes():
                problems.append(f"{ts_path(lang).name} is not current (run tools/i18n.py update)")
            bad = qt_broken(ts_path(lang))
            if bad:
                problems.append(f"{ts_path(lang).name}: {len(bad)} with arguments unlike the "
                                f"source's, e.g. {bad[0]!r}")
            missing = qt_untranslated(ts_path(lang))
            if missing:
                print(f"{ts_path(lang).name}: {len(missing)} untranslated (shown in English)")
            qm = Path(tmp) / "out.qm"
            lrelease(ts_path(lang), qm)
            if not qm_path(lang).exists() or qm.read_bytes() != qm_path(lang).read_bytes():
                problems.append(f"{qm_path(lang).name} is not compiled from {ts_path(lang).name}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=("update", "compile", "check"))
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    return {"update": cmd_update, "compile": cmd_compile, "check": cmd_check}[args.action]()


if __name__ == "__main__":
    sys.exit(main())

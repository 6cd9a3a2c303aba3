"""The German translation end to end, as a user with LANG=de_DE.UTF-8 meets it: the wizard
(every page, Qt's own buttons included), ``check``, the reports, and the JSON (keys and values
English, sentences German). Each runs in a fresh process, as the environment decides the
language at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIRECRACKER, needs_qt, schema_errors

DE = {"LANG": "de_DE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
      "QT_QPA_PLATFORM": "offscreen"}
#: English words that must not survive on a German page (titles, headings, Qt's buttons).
ENGLISH = ("Recommendation", "Kernel stability", "Your needs", "Scanning", "Next steps",
           "&Next >", "< &Back", "Cancel", "Reasons", "Which hypervisor fits")


def run(*args, env=DE, **kw):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env}, **kw)


def cli(*args):
    return run("-m", "kernel_advisor", *args)


@needs_qt
def test_the_wizard_speaks_german_on_every_page():
    walker = Path(__file__).parent / "gui" / "german_walk.py"
    out = run(str(walker), str(FIRECRACKER), "2.6.23", "i686")
    assert out.returncode == 0, out.stderr
    pages = json.loads(out.stdout)
    assert [p["page"] for p in pages] == ["WELCOME", "SCAN", "NEEDS", "RECOMMENDATION",
                                          "STABILITY", "REPORT"]
    expected = {"WELCOME": "Welcher Hypervisor passt", "SCAN": "Prüfung",
                "NEEDS": "Ihr Bedarf", "RECOMMENDATION": "Empfehlung",
                "STABILITY": "Kernel-Stabilität", "REPORT": "Bericht"}
    for page in pages:
        words = " ".join(page["texts"])
        assert expected[page["page"]] in words, page["page"]
        assert "Schritt " in page["texts"][1] or page["page"] == "WELCOME"
        for english in ENGLISH:
            assert english not in words + " ".join(page["buttons"]), (page["page"], english)
        assert any(b in ("&Weiter >", "Ab&schließen") for b in page["buttons"]), page
        keys = page["mnemonics"]
        assert len(keys) == len(set(keys)), (page["page"], keys)  # unique in German too
    recommendation = " ".join(next(p for p in pages if p["page"] == "RECOMMENDATION")["texts"])
    # the what-if the command line gave applies to the snapshot, as in check (below)
    assert "lguest wird empfohlen" in recommendation and "Nicht verfügbar" in recommendation
    scan = " ".join(next(p for p in pages if p["page"] == "SCAN")["texts"])
    assert "Kernel-Release" in scan and "Hardware-Virtualisierung" in scan


def test_check_speaks_german():
    out = cli("check", "--offline", "--snapshot", str(FIRECRACKER), "--kernel", "2.6.23",
              "--arch", "i686")
    assert out.returncode == 1, out.stderr  # a what-if never works "now"
    text = out.stdout
    assert "EMPFOHLEN  lguest" in text and "MÖGLICH  KVM" in text  # the outer host could nest
    assert "Kurz gesagt: lguest wird empfohlen" in text
    assert "2.6.23 hat eine ungerade Nummer, und seit 2.6.0 bedeutet das nichts" in text
    assert "Stabilität: Upstream 2.6.23 hat sein Lebensende erreicht" in text
    for english in ("In short", "RECOMMENDED", "Stability:", "has an odd number"):
        assert english not in text
    usage = cli("check", "--snapshot", "/nonexistent.tar.gz")
    assert usage.returncode == 2 and usage.stderr.startswith("kernel-advisor: ")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_speak_german(tmp_path, fmt):
    target = tmp_path / f"r.{fmt}"
    out = cli("report", "-f", fmt, "-o", str(target), "--offline", "--snapshot",
              str(FIRECRACKER), "--kernel", "2.6.23", "--arch", "i686")
    assert out.returncode == 0 and out.stderr.endswith(f"Bytes, {fmt})\n"), out.stderr
    doc = target.read_text()
    for german in ("Kernel-Advisor-Bericht" if fmt == "md" else "Kernel Advisor-Bericht",
                   "Urteil", "Anforderungen:", "erfüllt", "Kernel-Stabilität", "Zeitleiste", "Belege",
                   "Quellen", "lguest wird empfohlen"):
        assert german in doc or german.replace("Kernel-Advisor-", "Kernel Advisor-") in doc, \
            german
    for english in ("Requirements:", "Kernel stability", "Timeline", "Evidence"):
        assert english not in doc
    if fmt == "html":
        assert '<html lang="de">' in doc


def test_json_keeps_keys_and_values_english_and_carries_german_sentences():
    doc = json.loads(cli("check", "--json", "--offline", "--snapshot", str(FIRECRACKER),
                         "--kernel", "2.6.23", "--arch", "i686").stdout)
    assert schema_errors(doc) == []  # the same enumerations as in English
    lguest = next(r for r in doc["recommendations"] if r["framework"] == "lguest")
    assert lguest["verdict"] == "recommended" and doc["stability"]["channel"] == "eol"
    assert doc["headline"].startswith("lguest wird empfohlen")
    assert any("ungerade Nummer" in n for n in doc["stability"]["notes"])
    english = json.loads(run("-m", "kernel_advisor", "check", "--json", "--offline", "--snapshot",
                             str(FIRECRACKER), "--kernel", "2.6.23", "--arch", "i686",
                             env={"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": ""}).stdout)
    assert english["headline"].startswith("lguest is recommended")
    assert [c["id"] for c in english["checks"]] == [c["id"] for c in doc["checks"]]
    assert [c["value"] for c in english["checks"]] == [c["value"] for c in doc["checks"]]


@needs_qt  # pyside6-lupdate and pyside6-lrelease come with PySide6
def test_the_catalogues_are_complete_and_current():
    out = run(str(Path(__file__).parent.parent / "tools" / "i18n.py"), "check", env={})
    assert out.returncode == 0, out.stderr


def _i18n_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "i18n_tool", Path(__file__).parent.parent / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_partly_translated_catalogue_passes_and_a_broken_entry_fails(tmp_path):
    pytest.importorskip("babel")
    from babel.messages.catalog import Catalog

    tool = _i18n_tool()
    po = Catalog(locale="de")
    po.add("Open {path}", "Öffne {path}")
    po.add("Not yet translated {count}")  # falls back to English: fine
    po.add(("{count} file", "{count} files"), ("eine Datei", "{count} Dateien"))
    assert tool.broken(po) == []
    assert tool.untranslated(po) == ["Not yet translated {count}"]
    po.add("Save {name} to {path}", "Speichere {name} nach {pfad}")  # a renamed field
    po.add(("{count} host", "{count} hosts"), ("ein {host}", "{count} Hosts"))  # an added one
    assert tool.broken(po) == ["Save {name} to {path}", "{count} host"]
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0"?><TS><context><name>c</name>'
                  '<message><source>Step %1 of %2</source><translation>Schritt %1 von %2'
                  '</translation></message>'
                  '<message><source>Open %1</source><translation type="unfinished"/></message>'
                  '<message><source>%1 of %2</source><translation>%1 von</translation>'
                  '</message></context></TS>', encoding="utf-8")
    assert tool.qt_broken(ts) == ["%1 of %2"]


def test_the_data_files_sentences_are_german_too():
    """distros.json's and vendors.json's sentences reach the German user in German: every one has
    a translation, and an Alpine what-if shows its note and its phases translated."""
    read_po = pytest.importorskip("babel.messages.pofile").read_po

    from kernel_advisor import distro, lifecycle

    po = read_po((Path(__file__).parent.parent / "po" / "de.po").open("rb"), locale="de")
    missing = [m for m in distro.messages() + lifecycle.messages()
               if not (po.get(m) and po.get(m).string and not po.get(m).fuzzy)]
    assert missing == []
    out = cli("check", "--offline", "--snapshot", str(FIRECRACKER), "--kernel", "6.6.58-0-lts",
              "--distro", "alpine")
    assert "Alpine nutzt OpenRC" in out.stdout and "Alpine uses OpenRC" not in out.stdout
    ubuntu = cli("check", "--offline", "--snapshot", str(FIRECRACKER), "--kernel",
                 "6.8.0-45-generic", "--distro", "ubuntu:24.04")
    assert "Hardware- und Wartungsupdates" in ubuntu.stdout
    assert "hardware and maintenance updates" not in ubuntu.stdout


@pytest.mark.skipif(not (Path(__file__).parent.parent / "po").is_dir(), reason="no po/ here")
def test_placeholders_are_named_for_what_they_hold():
    """A translator sees ``{release}``, never a name made from the code that filled it
    (``{get_value}``, ``{value2}``, ``{len_data}``, ``{split_0}``)."""
    import re

    pot = (Path(__file__).parent.parent / "po" / "kernel-advisor.pot").read_text()
    made_up = re.compile(r"\{((get_)?value\d*|len_\w+|join_\w+|\w+_\d+|st_\w+|row_\w+|"
                         r"basename_\w+|get_\w+)(![rsa])?\}")
    assert sorted(set(m.group(0) for m in made_up.finditer(pot))) == []

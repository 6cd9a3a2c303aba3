"""Issue 29, class 5: what we write is never code in another program. CSV cells that a
spreadsheet would run as a formula get OWASP's leading ``'`` (JSON keeps the values); a file
name with an escape sequence is echoed printable, never raw to the terminal."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

from conftest import FIRECRACKER, VIRT_WHAT

from kernel_advisor.report.fleet import FORMULA_START, csv_cell

NAMES = ["=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=120)


def test_fleet_csv_cells_are_never_formulas_and_json_keeps_the_names(tmp_path):
    folder = tmp_path / "fleet"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(FIRECRACKER, folder / f"{name}.tar.gz")
    out_csv = tmp_path / "fleet.csv"
    assert cli("fleet", str(folder), "-f", "csv", "-o", str(out_csv), "--offline").returncode == 0
    rows = list(csv.reader(io.StringIO(out_csv.read_text())))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c.startswith(FORMULA_START)]
    hosts = {row[0] for row in rows[1:]}
    assert {"'=HYPERLINK(\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "plain"} <= hosts
    doc = json.loads(cli("fleet", str(folder), "--json", "--offline").stdout)
    assert {h["host"] for h in doc["hosts"]} == set(NAMES)  # JSON: the values as they are


def test_a_cell_that_only_looks_like_one_is_left_alone():
    assert csv_cell("KVM") == "KVM" and csv_cell("a=b") == "a=b" and csv_cell("") == ""
    assert csv_cell("=1") == "'=1" and csv_cell("\tx") == "'\\x09x"


def test_a_file_name_with_an_escape_sequence_is_echoed_printable(tmp_path):
    name = tmp_path / "r\x1b]0;pwned\x07.json"
    out = cli("report", "-f", "json", "-o", str(name), "--root",
              str(VIRT_WHAT / "baremetal" / "root"), "--kernel", "6.1.0", "--offline")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr
    assert "\\x1b]0;pwned\\x07" in out.stderr and name.exists()
    bad = cli("report", "-f", "json", "-o", str(tmp_path / "nope\x1b[2J" / "r.json"), "--root",
              str(VIRT_WHAT / "baremetal" / "root"), "--offline")
    assert bad.returncode == 2 and "\x1b" not in bad.stderr

"""The bundled data files: each validates against its full JSON Schema (``docs/schema/data``), and a
broken copy is refused as it is loaded with one line naming the file and the field — exit 2 from
the real command line, never a broken command or a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_source_tree

from kernel_advisor import data, datacheck

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schema" / "data"
FILES = ("distros.json", "vendors.json", "kb.json", "releases.json")


@needs_source_tree
@pytest.mark.parametrize("name", FILES)
def test_every_bundled_file_validates_against_its_schema(name):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / name.replace(".json", ".schema.json")).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in
              validator.iter_errors(json.loads(data.path(name).read_text(encoding="utf-8")))]
    assert errors == []


@needs_source_tree
@pytest.mark.parametrize("name", FILES)
def test_the_schema_refuses_what_the_load_check_refuses(name):
    """The schema is not looser than the code's own check: a document with a renamed top-level
    key fails both."""
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(data.path(name).read_text(encoding="utf-8"))
    key = next(k for k in doc if k not in ("about", "schema", "sources"))
    doc[key + "_renamed"] = doc.pop(key)
    schema = json.loads((SCHEMAS / name.replace(".json", ".schema.json")).read_text())
    assert not jsonschema.Draft202012Validator(schema).is_valid(doc)
    with pytest.raises(datacheck.Problem):
        datacheck.CHECKS[name](doc)


def _broken_copy(tmp_path, name, edit):
    """This package copied to ``tmp_path`` with ``edit`` applied to one of its data files."""
    package = Path(data.__file__).parent
    copy = tmp_path / "kernel_advisor"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "gui", "locale",
                                                                 "i18n"))
    target = copy / "data" / name
    doc = json.loads(target.read_text(encoding="utf-8"))
    edit(doc)
    target.write_text(json.dumps(doc), encoding="utf-8")
    return tmp_path


def _rename(table, old, new):
    table[new] = table.pop(old)


@pytest.mark.parametrize("name, edit, field", [
    ("distros.json", lambda d: _rename(d["families"]["debian"], "manager", "package_manager"),
     "families.debian.manager: missing"),
    ("kb.json", lambda d: d["facts"]["lguest.range"].update(kernels=">=2.6.23rc1"),
     "facts.lguest.range.kernels"),
    ("vendors.json", lambda d: d["shapes"][0].update(pattern="(unclosed"), "shapes[0].pattern"),
    ("releases.json", lambda d: d["series"]["6.1"].update(lts="yes"), "series.6.1.lts"),
    ("vendors.json", lambda d: d["products"]["rhel"]["phases"][0].pop(), "products.rhel.phases[0]"),
])
def test_a_broken_data_file_is_one_line_and_exit_2(tmp_path, name, edit, field):
    site = _broken_copy(tmp_path, name, edit)
    env = {**os.environ, "PYTHONPATH": str(site), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    env.pop("LANGUAGE", None)
    out = subprocess.run([sys.executable, "-m", "kernel_advisor", "check", "--offline",
                          "--kernel", "6.8.0-45-generic", "--distro", "debian:12"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith(f"kernel-advisor: kernel_advisor/data/{name}: {field}"), lines[0]


def test_the_bundled_files_pass_the_load_check():
    for name in FILES:
        datacheck.CHECKS[name](json.loads(data.path(name).read_text(encoding="utf-8")))

"""Every ``--json`` output against the JSON Schema files in docs/schema (the contract's machine
form): the real captures, what-if kernels across the history, and the commands themselves."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import (
    FIRECRACKER,
    LSCPU,
    SCHEMAS,
    VIRT_WHAT,
    lscpu_names,
    schema_errors,
    virt_what_names,
)

from kernel_advisor.analysis import analyse
from kernel_advisor.report import jsondoc

WHAT_IF = ["2.6.18-8.el5xen", "2.6.20", "2.6.23", "2.6.37", "3.0.0", "4.13.16", "4.14.0",
           "5.14.0-427.el9.x86_64", "6.8.0-45-generic", "6.13.0-rc3",
           "5.15.153.1-microsoft-standard-WSL2", "4.4.0-19041-Microsoft"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_the_schema_files_are_valid_draft_2020_12(path):
    jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))


@pytest.mark.parametrize("name", lscpu_names())
def test_every_lscpu_capture(name):
    a = analyse(snapshot=str(LSCPU / f"{name}.tar.gz"))
    assert schema_errors(json.loads(jsondoc.render(a))) == []


@pytest.mark.parametrize("name", virt_what_names())
def test_every_virt_what_tree(name):
    a = analyse(root_dir=str(VIRT_WHAT / name / "root"), kernel_release="3.10.0-1160.el7.x86_64")
    assert schema_errors(json.loads(jsondoc.render(a))) == []


@pytest.mark.parametrize("release", WHAT_IF)
@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
def test_what_if_kernels(release, arch):
    a = analyse(snapshot=str(FIRECRACKER), kernel_release=release, arch=arch)
    assert schema_errors(json.loads(jsondoc.render(a))) == []


def test_the_commands_json(tmp_path):
    docs = [json.loads(cli("check", "--json", "--offline").stdout)]
    out = tmp_path / "r.json"
    assert cli("report", "-f", "json", "-o", str(out), "--offline").returncode == 0
    docs.append(json.loads(out.read_text()))
    fleet = cli("fleet", str(LSCPU), "--json", "--offline", "-j", "2")
    docs.append(json.loads(fleet.stdout))
    assert docs[-1]["summary"]["hosts"] == len(lscpu_names())
    for doc in docs:
        assert schema_errors(doc) == [], doc["schema"]


def test_a_fleet_with_a_refused_file(tmp_path):
    (tmp_path / "broken.tar.gz").write_bytes(b"not a tarball")
    (tmp_path / "fc.tar.gz").write_bytes(FIRECRACKER.read_bytes())
    doc = json.loads(cli("fleet", str(tmp_path), "--json", "--offline").stdout)
    assert [h["error"] is None for h in doc["hosts"]] == [False, True]
    assert schema_errors(doc) == []


def test_the_schema_is_not_vacuous():
    doc = json.loads(jsondoc.render(analyse(snapshot=str(FIRECRACKER))))
    broken = {**doc, "recommendations": doc["recommendations"][:2]}
    assert schema_errors(broken)
    del doc["headline"]
    doc["stability"]["channel"] = "odd"
    errors = schema_errors(doc)
    assert any("headline" in e for e in errors) and any("'odd'" in e for e in errors)

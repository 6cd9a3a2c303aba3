"""The command line contract (cli-contract.md): commands, exit codes, JSON keys, imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIRECRACKER, LSCPU, VIRT_WHAT, core_modules, schema_errors


def run(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True, text=True,
                          timeout=timeout)


def validate_contract(doc):
    """Every key and enum the contract fixes, and the JSON Schema (docs/schema/)."""
    assert doc["schema"] == "kernel-advisor/1"
    assert schema_errors(doc) == []
    k = doc["host"]["kernel"]
    assert set(k) >= {"release", "version", "rc"}
    c = doc["host"]["cpu"]
    assert set(c) >= {"arch", "vendor", "virtualization", "flags"}
    assert c["virtualization"] in ("VT-x", "AMD-V", None) and isinstance(c["flags"], list)
    hv = doc["host"]["hypervisor"]
    assert hv["type"] in ("full", "para", "container", None)
    assert hv["xen_role"] in ("dom0", "domU", None)
    kvm = doc["host"]["kvm"]
    assert kvm["device"] in ("present", "absent", "unknown") and kvm["usable"] in (True, False, None)
    st = doc["stability"]
    assert st["channel"] in ("development", "rc", "mainline", "stable", "longterm", "eol", "unknown")
    assert isinstance(st["notes"], list) and st["source"] in ("online", "cache", "bundled")
    assert len(st["data_as_of"]) == 10
    recs = doc["recommendations"]
    assert sorted(r["framework"] for r in recs) == ["kvm", "lguest", "xen"]
    assert [r["verdict"] for r in recs].count("recommended") <= 1
    for r in recs:
        assert r["verdict"] in ("recommended", "possible", "unavailable")
        assert isinstance(r["reasons"], list) and isinstance(r["next_steps"], list)


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("kernel-advisor ")


def test_check_live_json_is_the_contract():
    out = run("check", "--json", "--offline")
    assert out.returncode in (0, 1)
    validate_contract(json.loads(out.stdout))


def test_check_firecracker_snapshot():
    out = run("check", "--json", "--snapshot", str(FIRECRACKER))
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    validate_contract(doc)
    assert doc["host"]["cpu"]["virtualization"] is None
    assert doc["host"]["kvm"] == {**doc["host"]["kvm"], "device": "present", "usable": True}
    assert doc["host"]["hypervisor"]["vendor"] == "KVM"
    assert doc["recommendations"][0]["framework"] == "kvm"


@pytest.mark.parametrize("args, code", [
    # 0 only when a framework works now for whoever took the evidence; what-ifs never do
    (["--snapshot", str(FIRECRACKER)], 0),  # KVM_CREATE_VM succeeded for who took it
    (["--kernel", "2.6.23", "--arch", "i686"], 1),  # lguest recommended, but imagined
    (["--kernel", "4.4.0-19041-Microsoft"], 1),  # WSL1: nothing
    (["--snapshot", str(LSCPU / "sparc64.tar.gz"), "--kernel", "6.1.0"], 1),
    (["--root", str(VIRT_WHAT / "rhel5-xen-dom0" / "root"), "--kernel", "2.6.18-8.el5xen"], 1),
])
def test_exit_codes(args, code):
    out = run("check", "--json", *args)
    assert out.returncode == code, out.stderr
    validate_contract(json.loads(out.stdout))


def test_version_rule_in_json():
    doc = json.loads(run("check", "--json", "--kernel", "6.13.0-rc3").stdout)
    assert doc["host"]["kernel"] == {**doc["host"]["kernel"], "release": "6.13.0-rc3",
                                     "version": "6.13", "rc": 3}
    doc = json.loads(run("check", "--json", "--kernel", "5.15.153.1-microsoft-standard-WSL2").stdout)
    assert doc["host"]["kernel"]["version"] == "5.15.153"


def test_text_output_one_line_per_check_no_colour_when_piped():
    out = run("check", "--snapshot", str(FIRECRACKER))
    assert "\033[" not in out.stdout
    lines = out.stdout.splitlines()
    assert any(line.strip().startswith("OK") and "KVM_CREATE_VM works: yes" in line for line in lines)
    assert any("RECOMMENDED  KVM" in line for line in lines)
    colour = run("check", "--snapshot", str(FIRECRACKER), "--color", "always")
    assert "\033[32m" in colour.stdout


def test_check_imports_neither_qt_nor_requests():
    code = ("import sys; from kernel_advisor.cli import main; rc = main(['check', '--offline', '--json']);"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'requests', 'urllib3'))];"
            "print('BAD', bad, file=sys.stderr); sys.exit(3 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_core_never_imports_qt():
    mods = sorted(core_modules())
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {mods!r}];"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]; sys.exit(bool(bad))")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_snapshot_command_round_trip(tmp_path):
    target = tmp_path / "me.tar.gz"
    out = run("snapshot", "-o", str(target))
    assert out.returncode == 0 and target.exists()
    live = json.loads(run("check", "--json").stdout)["host"]
    snap = json.loads(run("check", "--json", "--snapshot", str(target)).stdout)["host"]
    assert live == snap


def test_snapshot_to_missing_directory_is_one_line(tmp_path):
    out = run("snapshot", "-o", str(tmp_path / "no" / "x.tar.gz"))
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1


# -- the option parser: argparse, with one-line usage errors ----------------------------------
from kernel_advisor import cli  # noqa: E402


def parse(argv):
    return cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [
    ["check", "--guests", "any", "--prefer", "features"],
    ["check", "--guests=any", "--prefer=features"],
    ["check", "--gue", "any", "--pref=features"],  # unique prefixes, as argparse allows
    ["check", "--guests", "linux", "--prefer", "features", "--guests", "any"],  # last one wins
])
def test_option_spellings(argv):
    args = parse(argv)
    assert (args.command, args.guests, args.prefer, args.purpose, args.offline) == (
        "check", "any", "features", "desktop", False)


@pytest.mark.parametrize("argv", [["report", "-fmd", "-o", "x"], ["report", "-f", "md", "-ox"],
                                  ["report", "--format=md", "--output", "x"],
                                  ["report", "-f=md", "--out=x"]])
def test_short_options(argv):
    args = parse(argv)
    assert (args.format, args.output, args.hostname) == ("md", "x", False)


def test_no_arguments_opens_the_wizard_and_flags_default_off():
    assert parse([]).command is None
    args = parse(["check", "--offline", "--json"])
    assert args.offline and args.json and not args.online and args.root is None


@pytest.mark.parametrize("argv, words", [
    (["frob"], "invalid choice: 'frob'"),
    (["check", "--root", "/", "--snapshot", "x"], "not allowed with argument --root"),
    (["check", "--kernel", "banana"], "'banana' is not a kernel release"),
    (["check", "--arch", "vax11"], "'vax11': unknown architecture"),
    (["--frob"], "unrecognized arguments: --frob"),
    (["check", "extra"], "unrecognized arguments: extra"),
    (["check", "--bogus"], "unrecognized arguments: --bogus"),
    (["check", "--guests", "bsd"], "invalid choice: 'bsd'"),
    (["check", "--root"], "--root: expected one argument"),
    (["check", "--root", "--offline"], "--root: expected one argument"),
    (["check", "--o"], "ambiguous option: --o could match --offline, --online"),
    (["check", "--json=yes"], "ignored explicit argument 'yes'"),
    (["report", "-f", "html"], "required: -o/--output"),
    (["report"], "required: -f/--format, -o/--output"),
    (["snapshot", "--kernel", "6.8.0", "-o", "x"], "unrecognized arguments: --kernel"),
    (["check", "-f", "html"], "unrecognized arguments: -f"),
])
def test_usage_errors_are_one_line_and_exit_2(argv, words, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err


def test_help_names_the_contract(capsys):
    assert cli.main(["--help"]) == 0
    top = capsys.readouterr().out
    assert all(c in top for c in ("gui", "check", "report", "snapshot", "--version"))
    assert cli.main(["check", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--root DIR", "--snapshot FILE", "--kernel RELEASE", "--arch ARCH",
                   "--offline", "--releases-url URL", "--guests {linux,any}",
                   "--prefer {stability,features}", "--json", "--color {auto,always,never}"):
        assert option in text
    assert cli.main(["report", "-f", "md", "--help"]) == 0  # help wins over missing options
    assert "-o FILE, --output FILE" in capsys.readouterr().out


def test_no_evidence_no_verdict(tmp_path):
    """Issue 18 class 5 / issue 16 item 3: an empty root or an unrelated tarball is refused
    (exit 2, one line); a capture of another tool that has a cpuinfo keeps working."""
    import io
    import tarfile

    empty = tmp_path / "empty"
    empty.mkdir()
    photos = tmp_path / "photos.tar.gz"
    with tarfile.open(photos, "w:gz") as tf:
        info = tarfile.TarInfo("holiday/beach.jpg")
        info.size = 4
        tf.addfile(info, io.BytesIO(b"\xff\xd8\xff\xe0"))
    for args in (("--root", str(empty)), ("--snapshot", str(photos))):
        out = run("check", *args, "--offline")
        assert out.returncode == 2 and "RECOMMENDED" not in out.stdout
        assert out.stderr.count("\n") == 1 and "no kernel release" in out.stderr
        assert "does not exist" in out.stderr  # missing, said as missing
    assert run("check", "--snapshot", str(LSCPU / "x86_64-64cpu.tar.gz"),
               "--offline").returncode in (0, 1)
    assert run("check", "--root", str(empty), "--kernel", "2.6.23", "--arch", "i686",
               "--offline").returncode in (0, 1)


def test_no_option_of_gui_or_check_is_forgotten_by_the_input_model():
    """An input option added to the parser must be read by Inputs.from_args."""
    not_inputs = {"help", "command", "quiet", "verbose", "json", "color", "output", "force",
                  "hostname", "format", "offline", "online", "releases_url"}
    from kernel_advisor.cli import build_parser
    from kernel_advisor.inputs import Inputs

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("gui", "check"):
        dests = {a.dest for a in sub.choices[name]._actions} - not_inputs
        assert dests <= Inputs.option_fields(), (name, dests - Inputs.option_fields())
    online = Inputs.from_args(parser.parse_args(["check", "--releases-url", "http://x/"]))
    assert online.online and online.releases_url == "http://x/"
    offline = Inputs.from_args(parser.parse_args(["check", "--online", "--offline"]))
    assert not offline.online

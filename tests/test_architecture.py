"""The house rules (README "Layout"): imports run one way, no circles, the core never touches Qt
or the GUI, modules stay small, ids are spelled once, data files match their schema, and the
capture path stays runnable on Python 3.8 with nothing but the standard library.

The capture path is the fleet collector's code (``collector.CAPTURE_FILES``). By design it records
raw evidence only — the files as read and the live record — and everything that interprets it
(``packaging``'s version ranges, the distribution data, the rules) runs where the snapshot is
analysed, so the zipapp carries no third-party code and runs on the oldest Python of a fleet."""

from __future__ import annotations

import ast
import json
import sys

import pytest
from conftest import PACKAGE, all_modules, needs_source_tree

from kernel_advisor import data, knowledge
from kernel_advisor.collector import CAPTURE_FILES
from kernel_advisor.knowledge import K
from kernel_advisor.model import FACT_IDS, F

MODULES = all_modules()
#: the faces may import the GUI (the wizard, and Qt's PDF for ``report -f pdf``)
FACES = {"kernel_advisor.cli", "kernel_advisor.commands", "kernel_advisor.__main__"}
#: what the fleet collector ships: it must run on Python 3.8 targets
CAPTURE_PATH = {m for m in MODULES if m == "kernel_advisor" or any(
    m == "kernel_advisor." + name.removesuffix(".py") or m.startswith(f"kernel_advisor.{name}.")
    for name in CAPTURE_FILES)}
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 200


def imports_of(name: str) -> set[str]:
    """The kernel_advisor modules ``name`` imports (anywhere in the file), as dotted names."""
    tree = ast.parse(MODULES[name].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in found if m in MODULES and m != name}


def top_level_packages(name: str) -> set[str]:
    tree = ast.parse(MODULES[name].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_core_module_imports_the_gui_or_qt():
    for name in MODULES:
        if name.startswith("kernel_advisor.gui") or name in FACES:
            continue
        assert not any(m.startswith("kernel_advisor.gui") for m in imports_of(name)), name
        assert "PySide6" not in top_level_packages(name), name


def test_no_import_circles():
    graph = {name: imports_of(name) for name in MODULES}
    # a package's __init__ imported for a submodule is not an edge back to it
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not name.startswith(d + ".")}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in graph[node]:
            if state.get(dep) == 1:
                pytest.fail("import circle: " + " → ".join(path[path.index(dep):] + [dep]))
            if dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])


def test_modules_and_classes_stay_small():
    for name, path in MODULES.items():
        source = path.read_text()
        assert source.count("\n") <= MAX_MODULE_LINES, f"{name} has grown past the limit"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno <= MAX_CLASS_LINES, f"{name}.{node.name}"


@pytest.mark.parametrize("name", sorted(CAPTURE_PATH))
def test_capture_path_runs_on_python_38_with_the_standard_library_alone(name):
    source = MODULES[name].read_text()
    ast.parse(source, feature_version=(3, 8))  # no syntax newer than 3.8
    for banned in (".removeprefix(", ".removesuffix(", "functools.cache\n",
                   "from functools import cache\n", "slots=True", "kw_only="):
        assert banned not in source, f"{name}: {banned.strip()} needs a newer Python"
    third_party = top_level_packages(name) - set(sys.stdlib_module_names) - {"kernel_advisor"}
    assert third_party == set(), f"{name} imports {third_party}"
    assert imports_of(name) <= CAPTURE_PATH, f"{name} leaves the capture path"


def test_fact_ids_are_constants_and_typos_are_errors():
    from kernel_advisor.model import Fact, HostFacts

    assert len(FACT_IDS) == len([k for k in vars(F) if k.isupper()])
    host = HostFacts()
    host.add(Fact(id=F.KERNEL_RELEASE, label="Kernel release", value="6.8.0"))
    assert host.value(F.KERNEL_RELEASE) == "6.8.0"
    with pytest.raises(KeyError):
        host.value("kernel.relase")
    with pytest.raises(KeyError):
        Fact(id="kvm.useable", label="typo")


def test_facts_are_built_with_keyword_arguments():
    """Eight fields, five of them strings: a positional Fact call is one swapped pair away from
    a summary shown as a source. (``kw_only`` needs Python 3.10; the capture path runs on 3.8.)"""
    positional = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Fact" \
                    and node.args:
                positional.append(f"{path.name}:{node.lineno}")
    assert positional == []


def test_knowledge_ids_exist_in_the_knowledge_base():
    facts = knowledge.load()["facts"]
    for name, fid in vars(K).items():
        if name.isupper():
            assert fid in facts, f"K.{name} = {fid!r} is not in kb.json"


def test_every_kb_fact_can_be_followed():
    """Beyond its JSON Schema (tests/test_data.py): a URL (tests cannot fetch it, so its shape), a
    citation that names no file the user does not have, and ranges the code can read."""
    kb = data.load("kb.json")
    for fid, fact in kb["facts"].items():
        assert fact["url"].startswith(("https://", "http://")), fid
        assert ".md" not in fact["source"] or "MicrosoftDocs" in fact["source"], fid
        if "kernels" in fact:
            knowledge.bounds(fid)  # a valid specifier with a lower bound
    for bar in kb["timeline"]["bars"]:
        assert bar["fact"] in kb["facts"] and "kernels" in kb["facts"][bar["fact"]]


def test_data_files_are_json_in_the_package_folder():
    assert (PACKAGE / "data" / "kb.json").is_file()
    json.loads((PACKAGE / "data" / "releases.json").read_text())
    assert not (PACKAGE / "_bundled.py").exists() and not (PACKAGE / "textmatch.py").exists()


@needs_source_tree
def test_every_data_file_is_package_data():
    """What the app reads at run time from kernel_advisor/data goes into the wheel too (a file left out
    works from a checkout and fails once installed)."""
    import tomllib

    patterns = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"][
        "setuptools"]["package-data"]["kernel_advisor"]
    covered = {path for pattern in patterns for path in PACKAGE.glob(pattern)}  # ** as setuptools
    for path in (PACKAGE / "data").rglob("*"):
        if path.is_file() and path.suffix not in (".po", ".pot", ".ts"):  # translation sources
            assert path in covered, f"{path} is not in [tool.setuptools.package-data]"


@needs_source_tree
def test_the_version_is_one_in_every_place():
    """``__version__``, the AppStream metainfo's newest ``<release>``, NEWS.md's newest entry
    and debian/changelog's newest upstream version agree (a release bumps them all; the sdist
    carries no debian/, which the packaging adds beside it); in a git checkout whose HEAD is
    tagged, the tag is v<version>."""
    import re
    import xml.etree.ElementTree as ET

    from kernel_advisor import __version__

    root = PACKAGE.parent
    metainfo = next((root / "resources").glob("*.metainfo.xml"))
    newest = ET.parse(metainfo).getroot().find("releases/release")
    news = re.search(r"^## (\S+) — (\d{4}-\d\d-\d\d)", (root / "NEWS.md").read_text(), re.M)
    assert newest.get("version") == news.group(1) == __version__
    assert newest.get("date") == news.group(2)
    if (root / ".git").exists() or (root / "debian").is_dir():
        debian = re.match(r"kernel-advisor \(([^)-]+)-\d+\)",
                          (root / "debian" / "changelog").read_text())
        assert debian.group(1) == __version__
    if (root / ".git").exists():
        import subprocess

        tags = subprocess.run(["git", "tag", "--points-at", "HEAD", "--list", "v*"], cwd=root,
                              capture_output=True, text=True).stdout.split()
        assert all(tag == f"v{__version__}" for tag in tags), tags
    assert (root / "LICENSE").read_text().startswith(" " * 20 + "GNU GENERAL PUBLIC LICENSE")


def test_a_live_offline_check_loads_no_more_than_it_uses():
    """``check --offline`` on this machine reads no tarball, asks no server and logs nothing
    without -v: ``tarfile``, ``requests``, ``socket`` and ``logging`` stay unloaded (imported
    late by the code that needs them)."""
    import subprocess

    # older packaging releases (Debian 12's 23.0) import logging themselves (packaging.tags)
    theirs = subprocess.run([sys.executable, "-c", "import sys, packaging.specifiers; "
                             "print('logging' in sys.modules)"], capture_output=True, text=True,
                            timeout=60).stdout.strip() == "True"
    watched = ("tarfile", "requests", "socket", "kernel_advisor.download",
               "kernel_advisor.hostfs.tarroot") + (() if theirs else ("logging",))
    code = ("import sys; from kernel_advisor import cli; rc = cli.main(['check', '--offline', '-q']); "
            f"print(sorted(m for m in {watched!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
    code = code.replace("'-q'", "'-q', '-v'").replace(repr(watched), repr(watched + ("logging",)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert "'logging'" in out.stdout.strip().splitlines()[-1]  # -v does log

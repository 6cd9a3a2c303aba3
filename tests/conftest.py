"""Shared test helpers. Tests never reach outside the repository: fixtures live in tests/fixtures."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import pathlib
import threading
from http.server import ThreadingHTTPServer

import pytest

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
HOSTS = FIXTURES / "hosts"
LSCPU = HOSTS / "lscpu"
VIRT_WHAT = HOSTS / "virt-what"
FIRECRACKER = HOSTS / "firecracker-pvm.tar.gz"

#: The core runs without the [gui] extra (a headless install); tools/check-packaging.sh runs this
#: suite in a venv without PySide6, where the GUI tests are not collected and Qt's are skipped.
HAVE_QT = importlib.util.find_spec("PySide6") is not None
needs_qt = pytest.mark.skipif(not HAVE_QT, reason="the [gui] extra (PySide6) is not installed")
collect_ignore_glob = [] if HAVE_QT else ["gui/*"]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own XDG cache and HOME, so nothing leaks between tests or to ~."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    os.makedirs(tmp_path / "home", exist_ok=True)


@pytest.fixture
def wizard(qtbot):
    """A factory of shown wizards (``wizard(snapshot=…)``), closed after the test; the GUI
    tests' one way to make one. Qt is imported only by the tests that ask for it."""
    from kernel_advisor.gui.wizard import AdvisorWizard, Inputs

    def make(**kw):
        w = AdvisorWizard(Inputs(**kw))
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w
    return make


def lscpu_expected(name: str) -> dict[str, str]:
    """The peer's verdict lines from NAME.lscpu."""
    out = {}
    for line in (LSCPU / f"{name}.lscpu").read_text().splitlines():
        key, sep, val = line.partition(":")
        if sep and key in ("Virtualization", "Hypervisor vendor", "Virtualization type",
                           "Hypervisor", "Vendor ID"):
            out[key] = val.strip()
    return out


def lscpu_names() -> list[str]:
    return sorted(p.name[:-len(".tar.gz")] for p in LSCPU.glob("*.tar.gz"))


def virt_what_names() -> list[str]:
    return sorted(p.name for p in VIRT_WHAT.iterdir() if p.is_dir())


PACKAGE = pathlib.Path(__file__).parent.parent / "kernel_advisor"
#: tests about the source tree's own files (pyproject.toml, installer/, debian/) skip where the
#: suite runs beside an installed copy instead (dh_auto_test's build directory)
needs_source_tree = pytest.mark.skipif(
    not (PACKAGE.parent / "pyproject.toml").exists(),
    reason="reads the source tree's files; this is an installed copy (the Debian build's test)")


def module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def all_modules() -> dict[str, pathlib.Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def core_modules() -> set[str]:
    """The Qt-free core: everything outside kernel_advisor.gui."""
    return {m for m in all_modules()
            if not m.startswith("kernel_advisor.gui") and m != "kernel_advisor.__main__"}


SCHEMAS = pathlib.Path(__file__).parent.parent / "docs" / "schema"


@functools.lru_cache(maxsize=None)
def _validators() -> dict:
    """A validator per schema file (docs/schema/), read once per test session."""
    import json

    import jsonschema

    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")}
    # the fleet schema refers to the single-host one by file name, relative to its $id
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema < 4.18 (Debian 12 has 4.10): its RefResolver and store
        store = {s["$id"]: s for s in schemas.values()}

        def refs(schema):
            return {"resolver": jsonschema.RefResolver.from_schema(schema, store=store)}
    else:
        registry = Registry().with_resources((s["$id"], Resource.from_contents(s))
                                             for s in schemas.values())

        def refs(schema):
            return {"registry": registry}
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return {name: jsonschema.Draft202012Validator(s, format_checker=checker, **refs(s))
            for name, s in schemas.items()}


def schema_errors(doc: dict) -> list[str]:
    """Every way ``doc`` breaks its JSON Schema (docs/schema/, chosen by its ``schema`` key)."""
    validator = _validators()[doc["schema"].replace("/", "-") + ".schema.json"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


@contextlib.contextmanager
def http_server(handler):
    """A real HTTP server on 127.0.0.1 answering with ``handler``: its base URL while open."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()

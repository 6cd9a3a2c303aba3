"""The fields the code reads from each bundled data file, with their types, checked at load.

A schema library costs tens of milliseconds at start-up, so :func:`check` walks only what the
code uses, and a broken copy of a file (a renamed key, a range without its bound) is one line
naming the file and the field — :class:`kernel_advisor.data.DataError`, exit 2 — never a broken
command or a traceback later. The full JSON Schemas are ``docs/schema/data/*.schema.json``, which
the tests validate every bundled file against.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, Tuple, Type, Union

Kinds = Union[Type[Any], Tuple[Type[Any], ...]]
_MISSING = object()
DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
STATUSES = ("VERIFIED", "SECONDARY", "UNVERIFIED")
COMMANDS = ("kvm", "xen", "dom0_kernel")


class Problem(Exception):
    """What is wrong, and where (``families.debian.manager``); data.load names the file."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def _kind_name(kinds: Kinds) -> str:
    names = {str: "a string", bool: "true or false", int: "a number", dict: "an object",
             list: "a list", type(None): "null"}
    seq = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join(names.get(k, k.__name__) for k in seq)


def need(doc: Dict[str, Any], key: str, kinds: Kinds, where: str,
         optional: bool = False) -> Any:
    """``doc[key]``, which must be of ``kinds`` (bool is not a number here)."""
    value = doc.get(key, _MISSING) if isinstance(doc, dict) else _MISSING
    path = f"{where}.{key}" if where else key
    if value is _MISSING:
        if optional:
            return None
        raise Problem(path, "missing")
    seq = kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(value, seq) or (isinstance(value, bool) and bool not in seq):
        raise Problem(path, f"expected {_kind_name(kinds)}, found {type(value).__name__}")
    return value


def strings(values: Iterable[Any], where: str) -> None:
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise Problem(f"{where}[{i}]", "expected a string")


def string_map(doc: Dict[str, Any], key: str, where: str, optional: bool = True) -> None:
    table = need(doc, key, dict, where, optional)
    for k, v in (table or {}).items():
        if not isinstance(v, str):
            raise Problem(f"{where}.{key}.{k}", "expected a string")


def thresholds(doc: Dict[str, Any], key: str, where: str) -> None:
    """``{"22": "yum"}``: a release number and what applies before it."""
    string_map(doc, key, where)
    for k in need(doc, key, dict, where, optional=True) or {}:
        if not k.isdigit():
            raise Problem(f"{where}.{key}.{k}", "expected a release number as the key")


def pattern(doc: Dict[str, Any], key: str, where: str, optional: bool = False) -> None:
    text = need(doc, key, str, where, optional)
    if text is not None:
        try:
            re.compile(text)
        except re.error as exc:
            raise Problem(f"{where}.{key}", f"not a regular expression ({exc})") from None


def _schema(doc: Dict[str, Any], number: int) -> None:
    if need(doc, "schema", int, "") != number:
        raise Problem("schema", f"expected {number}, found {doc['schema']}")


def distros(doc: Dict[str, Any]) -> None:
    _schema(doc, 2)
    for name, fam in need(doc, "families", dict, "").items():
        where = f"families.{name}"
        need(fam, "name", str, where)
        strings(need(fam, "ids", list, where), f"{where}.ids")
        need(fam, "manager", str, where)
        _commands(fam, where)
        strings(need(fam, "no_xen_ids", list, where, optional=True) or (), f"{where}.no_xen_ids")
        secure = need(fam, "secure_boot", dict, where, optional=True)
        if secure is not None:
            string_map(secure, "enroll", f"{where}.secure_boot", optional=False)
            need(secure, "xen", str, f"{where}.secure_boot")
        ended = need(fam, "ended", dict, where, optional=True)
        if ended is not None:
            for key in ("date", "note", "source", "source_url"):
                need(ended, key, str, f"{where}.ended")
    for kind in COMMANDS + ("secure_boot_enroll", "secure_boot_xen"):
        need(need(doc, "unknown", dict, ""), kind, str, "unknown")
    for name, mode in need(doc, "install_modes", dict, "").items():
        where = f"install_modes.{name}"
        need(mode, "name", str, where)
        strings(need(mode, "families", list, where), f"{where}.families")
        for key in ("ids", "variant_ids"):
            strings(need(mode, key, list, where, optional=True) or (), f"{where}.{key}")
        need(mode, "marker", str, where, optional=True)
        need(mode, "root_read_only", bool, where, optional=True)
        _commands(mode, where)


def _commands(entry: Dict[str, Any], where: str) -> None:
    for kind in COMMANDS:
        string_map(entry, kind, where, optional=kind == "dom0_kernel")
        thresholds(entry, f"{kind}_before", where)
    thresholds(entry, "manager_before", where)
    need(entry, "note", str, where, optional=True)


def vendors(doc: Dict[str, Any]) -> None:
    _schema(doc, 1)
    products = need(doc, "products", dict, "")
    for i, shape in enumerate(need(doc, "shapes", list, "")):
        where = f"shapes[{i}]"
        pattern(shape, "pattern", where)
        need(shape, "vendor", (str, type(None)), where)
        need(shape, "flavour", str, where)
        _product_ref(shape, where, products)
        pattern(shape, "cycle", where, optional=True)
        if need(shape, "os_cycle", str, where, optional=True) not in (None, "major", "version"):
            raise Problem(f"{where}.os_cycle", "expected \"major\" or \"version\"")
        need(shape, "by_series", bool, where, optional=True)
        need(shape, "by_base", str, where, optional=True)
        for key in ("os_products", "claimed_by"):
            for j, entry in enumerate(need(shape, key, list, where, optional=True) or ()):
                strings(need(entry, "ids", list, f"{where}.{key}[{j}]"), f"{where}.{key}[{j}]")
                need(entry, "from_cycle", int, f"{where}.{key}[{j}]", optional=True)
                if key == "claimed_by":
                    need(entry, "vendor", str, f"{where}.{key}[{j}]")
                    need(entry, "flavour", str, f"{where}.{key}[{j}]")
                _product_ref(entry, f"{where}.{key}[{j}]", products)
    for name, spec in products.items():
        where = f"products.{name}"
        for key in ("name", "vendor", "update", "url", "data_url"):
            need(spec, key, str, where)
        for j, phase in enumerate(need(spec, "phases", list, where)):
            if not (isinstance(phase, list) and len(phase) == 3 and isinstance(phase[0], str)
                    and isinstance(phase[1], str) and phase[2] in (True, False, None)):
                raise Problem(f"{where}.phases[{j}]",
                              "expected [endoflife.date field, phase name, paid: true/false/null]")
        thresholds(spec, "update_before", where)
        need(spec, "after", str, where, optional=True)
        for cycle, row in (need(spec, "cycles", dict, where, optional=True) or {}).items():
            _dates(row, f"{where}.cycles.{cycle}")
    for name, table in need(doc, "kernels", dict, "").items():
        for series, releases in need(table, "series", dict, f"kernels.{name}").items():
            strings(releases if isinstance(releases, list) else [None],
                    f"kernels.{name}.series.{series}")


def _product_ref(entry: Dict[str, Any], where: str, products: Dict[str, Any]) -> None:
    product = need(entry, "product", (str, type(None)), where, optional=True)
    if product is not None and product not in products:
        raise Problem(f"{where}.product", f"{product!r} is not one of the products")


#: endoflife.date's fields that end a phase: a date, or true/false (ended / not announced)
PHASE_ENDS = ("eol", "eoas", "eoes")


def _dates(row: Any, where: str) -> None:
    if not isinstance(row, dict):
        raise Problem(where, "expected an object")
    for field in PHASE_ENDS:
        value = row.get(field)
        if value is None or isinstance(value, bool):
            continue
        if not (isinstance(value, str) and DATE.fullmatch(value)):
            raise Problem(f"{where}.{field}", "expected a YYYY-MM-DD date, true or false")


def releases(doc: Dict[str, Any]) -> None:
    need(doc, "data_as_of", str, "")
    for series, row in need(doc, "series", dict, "").items():
        where = f"series.{series}"
        need(row, "latest", str, where)
        need(row, "latest_date", (str, type(None)), where)
        need(row, "first", (str, type(None)), where)
        need(row, "lts", bool, where)
        need(row, "eol", (str, bool), where)
    for product, cycles in need(doc, "distros", dict, "").items():
        for cycle, row in cycles.items():
            _dates(row, f"distros.{product}.{cycle}")


def kb(doc: Dict[str, Any]) -> None:
    _schema(doc, 1)
    for fid, fact in need(doc, "facts", dict, "").items():
        where = f"facts.{fid}"
        for key in ("text", "source"):
            need(fact, key, str, where)
        if need(fact, "status", str, where) not in STATUSES:
            raise Problem(f"{where}.status", f"expected one of {', '.join(STATUSES)}")
        need(fact, "url", str, where, optional=True)
        spec = need(fact, "kernels", str, where, optional=True)
        if spec is not None and not re.fullmatch(r"(>=|<)\d+(\.\d+)*(rc\d+)?"
                                                 r"(,(>=|<)\d+(\.\d+)*(rc\d+)?)*", spec):
            raise Problem(f"{where}.kernels", "expected '>=X.Y[rcN]' and an optional ',<X.Y'")
        if spec is not None and ">=" not in spec:
            raise Problem(f"{where}.kernels", "a range needs its lower bound ('>=')")
        if fact.get("ended") and (spec is None or "<" not in spec):
            raise Problem(f"{where}.kernels", "a feature that ended needs its upper bound ('<')")
    bars = need(need(doc, "timeline", dict, ""), "bars", list, "timeline")
    for i, bar in enumerate(bars):
        if need(bar, "fact", str, f"timeline.bars[{i}]") not in doc["facts"]:
            raise Problem(f"timeline.bars[{i}].fact", f"{bar['fact']!r} is not a fact")


#: the check of each bundled file, by name
CHECKS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "distros.json": distros, "vendors.json": vendors, "releases.json": releases, "kb.json": kb}

"""The probe's output: facts that carry their evidence, or say why they are unknown."""

from __future__ import annotations

#: statuses, as shown beside each check (never by colour alone)
OK, WARN, FAIL, INFO, UNKNOWN = "ok", "warn", "fail", "info", "unknown"
STATUS_WORDS = {OK: "OK", WARN: "WARN", FAIL: "FAIL", INFO: "INFO", UNKNOWN: "UNKNOWN"}

RAW_LIMIT = 600  # characters of raw evidence kept per fact


class Fact:
    """One host fact: a value with the path and raw text it came from, or an unknown with a reason.

    The core's records are plain classes with ``__slots__``, not dataclasses: ``dataclasses``
    (and the ``inspect`` it pulls in) costs more start-up time than the whole probe takes.
    """

    __slots__ = ("id", "label", "value", "status", "summary", "source", "raw", "reason")

    def __init__(self, id: str, label: str, value: object = None, status: str = INFO,
                 summary: str = "", source: str | None = None, raw: str | None = None,
                 reason: str | None = None) -> None:
        if raw is not None and len(raw) > RAW_LIMIT:
            raw = raw[:RAW_LIMIT] + " …"
        self.id, self.label, self.value, self.status = id, label, value, status
        self.summary, self.source, self.raw, self.reason = summary, source, raw, reason

    def __repr__(self) -> str:
        return f"Fact({self.id!r}, {self.status}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fact) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  (mutable, like the dataclass it replaced)

    @property
    def known(self) -> bool:
        return self.status != UNKNOWN

    def to_json(self) -> dict:
        return {
            "id": self.id, "label": self.label, "value": self.value, "status": self.status,
            "summary": self.summary, "source": self.source, "raw": self.raw,
            "reason": self.reason,
        }


def unknown(id: str, label: str, reason: str, source: str | None = None) -> Fact:
    return Fact(id, label, None, UNKNOWN, f"unknown: {reason}", source, None, reason)


class HostFacts:
    """Everything the probe found, in display order, plus where it looked."""

    __slots__ = ("facts", "origin", "what_if", "timings_ms", "extra")

    def __init__(self, origin: str = "this computer") -> None:
        self.facts: dict[str, Fact] = {}
        self.origin = origin  # this computer | snapshot NAME | directory DIR
        self.what_if: dict[str, str] = {}
        self.timings_ms: dict[str, float] = {}
        self.extra: dict[str, object] = {}  # e.g. os-release fields

    def add(self, fact: Fact) -> Fact:
        self.facts[fact.id] = fact
        return fact

    def get(self, id: str) -> Fact | None:
        return self.facts.get(id)

    def value(self, id: str, default: object = None) -> object:
        fact = self.facts.get(id)
        if fact is None or fact.value is None:
            return default
        return fact.value

    def __iter__(self):
        return iter(self.facts.values())

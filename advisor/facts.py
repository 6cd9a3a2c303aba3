"""The probe's output: facts that carry their evidence, or say why they are unknown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: statuses, as shown beside each check (never by colour alone)
OK, WARN, FAIL, INFO, UNKNOWN = "ok", "warn", "fail", "info", "unknown"
STATUS_WORDS = {OK: "OK", WARN: "WARN", FAIL: "FAIL", INFO: "INFO", UNKNOWN: "UNKNOWN"}

RAW_LIMIT = 600  # characters of raw evidence kept per fact


@dataclass
class Fact:
    """One host fact: a value with the path and raw text it came from, or an unknown with a reason."""

    id: str
    label: str
    value: Any = None
    status: str = INFO
    summary: str = ""
    source: str | None = None
    raw: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.raw is not None and len(self.raw) > RAW_LIMIT:
            self.raw = self.raw[:RAW_LIMIT] + " …"

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


@dataclass
class HostFacts:
    """Everything the probe found, in display order, plus where it looked."""

    facts: dict[str, Fact] = field(default_factory=dict)
    origin: str = "this computer"  # this computer | snapshot NAME | directory DIR
    what_if: dict[str, str] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. os-release fields

    def add(self, fact: Fact) -> Fact:
        self.facts[fact.id] = fact
        return fact

    def get(self, id: str) -> Fact | None:
        return self.facts.get(id)

    def value(self, id: str, default: Any = None) -> Any:
        fact = self.facts.get(id)
        if fact is None or fact.value is None:
            return default
        return fact.value

    def __iter__(self):
        return iter(self.facts.values())

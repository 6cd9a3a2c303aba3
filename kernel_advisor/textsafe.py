"""Host strings made safe to show anywhere: a terminal, a report, a Qt label.

A string read from a host (an os-release name, a CPU model, a snapshot's live record) may carry
control characters — an escape sequence that retitles the terminal or clears the screen, an OSC 8
link — bidirectional overrides that reorder what is shown, or unpaired surrogates that no UTF-8
output can encode. :func:`printable` replaces each with a visible escape (``\\x1b``, ``\\u202e``),
so the evidence stays readable and exact, and nothing acts on the reader's terminal or display.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab and newline, DEL and C1, the bidi embedding/override/isolate marks,
# and the surrogate range (only unpaired surrogates can occur in a Python str)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, one_line: bool = False) -> str:
    """``text`` with every control character, bidi control and lone surrogate shown as an escape
    (tabs and newlines kept, unless ``one_line``)."""
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


def clean(value: Any) -> Any:
    """:func:`printable` through the strings of a value (str, or lists/tuples/dicts of them)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return type(value)(clean(v) for v in value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value

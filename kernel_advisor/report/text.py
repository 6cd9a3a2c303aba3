"""Plain text: what ``kernel-advisor check`` prints, and the short summary the wizard copies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, Iterable, List

from kernel_advisor import APP_NAME, __version__
from kernel_advisor.i18n import _
from kernel_advisor.model import (
    SOURCE_WORDS,
    STATE_WORDS,
    VERDICT_WORDS,
    F,
    State,
    Step,
    Verdict,
)
from kernel_advisor.report.common import (
    analysed,
    checklist,
    extra_command,
    fact_status,
    fact_summary,
    fact_word,
    who_label,
)
from kernel_advisor.stability import status_words

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

ANSI = {"ok": "32", "warn": "33", "fail": "31", "info": "36", "unknown": "35",
        "recommended": "32;1", "possible": "34", "unavailable": "31"}
#: a requirement's state painted as the check status it resembles
STATE_PAINT = {State.MET: "ok", State.FIXABLE: "warn", State.IMPOSSIBLE: "fail",
               State.UNKNOWN: "unknown"}


def _words() -> Dict[str, str]:
    """The report's fixed words, translated (outside f-strings, so the extractor finds them)."""
    return {
            "NOTE": _("NOTE"),
            "Stability:": _("Stability:"),
    }


def render(a: Analysis, colour: bool = False) -> str:
    """Every check with its source, the ranked verdicts with reasons and steps, the stability."""
    words = _words()

    def paint(text: str, key: str) -> str:
        return f"\033[{ANSI[key]}m{text}\033[0m" if colour else text

    out = [f"{APP_NAME} — {analysed(a)}"]
    for f in a.host:
        word = fact_word(a.host.what_if, f)
        out.append(f"{paint(f'{word:>7}', fact_status(a.host.what_if, f))}  {f.label}: "
                   f"{fact_summary(a.host.what_if, f, a.host.captured is not None)}"
                   + (f"  [{f.source}]" if f.source else ""))
    out.append("")
    width = max(len(_(w)) for w in STATE_WORDS.values())
    for v in a.verdicts:
        out.append(f"{paint(_(VERDICT_WORDS[v.verdict]).upper(), v.verdict)}  {v.name}")
        out += verdict_lines(v, width, paint)
    out += [f"{words['NOTE']}  {note}" for note in a.notes]
    out += ["", stability_line(a)]
    out += [f"    - {n}" for n in a.stability.notes]
    out += ["", headline_line(a)]
    return "\n".join(out) + "\n"


def verdict_lines(v: Verdict, width: int, paint: Callable[[str, str], str]) -> List[str]:
    """A verdict as a checklist: each requirement's state and sentence, under a to-do the
    steps for it (with who does them, and the command to copy), then the other reasons and
    the steps that follow."""
    items = checklist(v)
    out = []
    indent = " " * (width + 6)
    for item in items.items:
        word = _(STATE_WORDS[item.state])
        out.append(f"    {paint(f'{word:>{width}}', STATE_PAINT[item.state])}  {item.text}")
        out += step_lines(item.steps, indent)
    out += [f"    - {note}" for note in items.notes]
    out += step_lines(items.after, "    ")
    return out


def verdict_text(v: Verdict) -> str:
    """One verdict as ``check`` prints it, without colour: what the wizard's Copy copies."""
    width = max(len(_(w)) for w in STATE_WORDS.values())
    return "\n".join([f"{_(VERDICT_WORDS[v.verdict]).upper()}  {v.name}",
                      *verdict_lines(v, width, lambda text, _key: text)]) + "\n"


def step_lines(steps: Iterable[Step], indent: str) -> List[str]:
    out = []
    for s in steps:
        who = who_label(s)
        out.append(f"{indent}> {s.text}" + (f"  [{who}]" if who else ""))
        command = extra_command(s)
        if command:
            out.append(f"{indent}  $ {command}")
    return out


def headline_line(a: Analysis) -> str:
    return _("In short: {headline}").format(headline=a.headline)


def stability_line(a: Analysis) -> str:
    words = _words()
    st = a.stability
    return (f"{words['Stability:']} {status_words(st)}"
            + _(" — release data {as_of}, {source}").format(
                as_of=st.data_as_of, source=_(SOURCE_WORDS[st.source])))


def summary(a: Analysis) -> str:
    """A few lines to paste into a ticket or a chat."""
    h = a.host
    lines = [f"{APP_NAME} {__version__} — {analysed(a)}", a.headline,
             _("Kernel {release} on {arch}: {channel}").format(
                 release=h.value(F.KERNEL_RELEASE) or _("unknown"),
                 arch=h.value(F.KERNEL_ARCH) or _("unknown arch"),
                 channel=status_words(a.stability))]
    for v in a.verdicts:
        lines.append(f"{v.name}: {_(VERDICT_WORDS[v.verdict])} — "
                     f"{v.why}")
    lines.extend(a.notes)
    return "\n".join(lines)

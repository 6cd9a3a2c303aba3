"""What each ``kernel-advisor`` command does, once :mod:`kernel_advisor.cli` has parsed its options:
one ``cmd_<command>(args) -> exit status`` each, and :data:`COMMANDS` mapping names to them.

Exit codes (:data:`EXIT_STATUS`, shown in every ``--help`` and the man page): 0 success (for
``check``: a framework works now for the user the evidence is about), 1 ``check`` found none
that does (what-ifs and roots without live evidence never do), 2 bad usage or input (one line
on stderr, never a traceback). Each command imports what only it needs when it runs (the report
renderers, the atomic writer, the snapshot writer; Qt for the wizard and PDF reports;
``requests`` when kernel.org is really asked), so ``check`` loads none of them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Callable, Optional

from kernel_advisor.analysis import Analysis
from kernel_advisor.i18n import _
from kernel_advisor.inputs import Inputs
from kernel_advisor.output import emit, for_terminal, writable, write
from kernel_advisor.report import jsondoc, text
from kernel_advisor.textsafe import printable

EXIT_USABLE, EXIT_NONE, EXIT_BAD_INPUT = 0, 1, 2
PROG = "kernel-advisor"
#: Each command's exit statuses, shown at the end of its --help (and in the man page). English,
#: as the rest of --help is: the man page is generated from it and must not depend on the locale
#: of whoever builds it.
EXIT_STATUS = {
    None: "0 the wizard closed normally; 2 bad usage, or the GUI extra is not installed.",
    "gui": "0 the wizard closed normally; 2 bad usage, or the GUI extra is not installed.",
    "check": "0 a framework works now for the user the evidence is about (live: who ran "
             "check; a snapshot: who took it); 1 none does (what-ifs never do; the verdicts "
             "say what would make one work); 2 bad usage or unreadable input.",
    "report": "0 the report was written; 2 bad usage, unreadable input or an output that "
              "cannot be written.",
    "snapshot": "0 the snapshot was written; 2 bad usage or an output that cannot be written.",
    "collector": "0 the collector (and playbook) were written; 2 bad usage or an output that "
                 "cannot be written.",
    "fleet": "0 every snapshot was analysed; 2 bad usage, no snapshots, or any file refused "
             "(each listed with its reason).",
    "install-desktop": "0 the menu entry was installed; 2 the GUI extra is missing or a file "
                       "cannot be written.",
    "uninstall-desktop": "0 removed (or nothing was installed); 2 a file cannot be removed.",
}


class UsageError(Exception):
    """Bad usage found after parsing: one line on stderr, exit 2."""

def fail(message: str) -> int:
    if sys.stderr is not None:  # print(file=None) would write to stdout
        print(f"{PROG}: {printable(message, one_line=True)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _note(args: argparse.Namespace, message: str) -> None:
    """An informational line on stderr ("wrote …"), unless --quiet; the names in it made
    printable (a file name can carry an escape sequence that retitles the terminal)."""
    if not args.quiet and sys.stderr is not None:
        print(printable(message, one_line=True), file=sys.stderr)


def _needs_gui(what: str) -> Optional[str]:
    """None when PySide6 is importable, else the one line that says what to install."""
    if importlib.util.find_spec("PySide6") is None:
        from kernel_advisor.install_kind import gui_hint

        return (_("{what} needs Qt, which is not installed here: {hint}. '{PROG} check' and "
                  "the html, md and json reports work without it").format(
                      what=what, hint=gui_hint(), PROG=PROG))
    return None


def run_analysis(args: argparse.Namespace) -> Analysis:
    """Analyse per the input options; raises InputError for unusable input."""
    return Inputs.from_args(args).analyse()


def wants_colour(stream: object) -> bool:
    """``--color auto``: a terminal that shows colour, and a user who has not said no —
    ``NO_COLOR`` set to anything (no-color.org), or ``TERM=dumb`` (a terminal without escape
    sequences: Emacs' shell, a serial console)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty() and not os.environ.get("NO_COLOR")
                and os.environ.get("TERM") != "dumb")


def cmd_check(args: argparse.Namespace) -> int:
    a = run_analysis(args)
    if args.quiet:  # like systemd-detect-virt -q: the exit status is the answer
        pass
    elif args.json:  # JSON is UTF-8 whatever the locale (RFC 8259)
        emit(jsondoc.render(a).encode("utf-8"))
    else:
        colour = args.color == "always" or (args.color == "auto" and wants_colour(sys.stdout))
        emit(for_terminal(text.render(a, colour)))
    return EXIT_USABLE if a.works_now else EXIT_NONE


def render(a: Analysis, fmt: str) -> bytes:
    """Any report format; PDF is drawn by Qt, imported only for it."""
    if fmt == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from kernel_advisor.gui.pdf import render_pdf

        return _interruptible(render_pdf, a)
    from kernel_advisor import report

    return report.render(a, fmt)


def _interruptible(fn: Callable[[Analysis], bytes], a: Analysis) -> bytes:
    """``fn(a)`` with Ctrl-C ending the process at once. Qt lays the PDF out in C++, where
    Python's SIGINT handler cannot run until it returns; the default action can. Nothing is
    written yet (the output is written atomically after), so nothing is left half-done."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return fn(a)
    old = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        return fn(a)
    finally:
        signal.signal(signal.SIGINT, old)


def cmd_report(args: argparse.Namespace) -> int:
    problem = (_needs_gui(_("the PDF report")) if args.format == "pdf" else None) \
        or writable(args.output, args.force)
    if problem:
        return fail(problem)
    a = run_analysis(args)
    if args.hostname:
        a.hostname = a.machine_name()
    data = render(a, args.format)
    problem = write(args.output, data, args.force)
    if problem:
        return fail(problem)
    where = _("standard output") if args.output == "-" else args.output
    _note(args, _("wrote {where} ({size} bytes, {format})").format(
                  where=where,
                  size=len(data),
                  format=args.format))
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from kernel_advisor.snapshot import capture

    problem = writable(args.output, args.force)
    if problem:
        return fail(problem)
    data, _unused = capture(hostname=args.hostname)
    problem = write(args.output, data, args.force)
    if problem:
        return fail(problem)
    if args.output == "-":
        _note(args, _("wrote standard output ({size} bytes)").format(size=len(data)))
    else:
        _note(args, _("wrote {output} ({size} bytes); analyse it anywhere with '{PROG} "
                      "check --snapshot {output}'").format(
                      output=args.output,
                      size=len(data),
                      PROG=PROG))
    return 0


def cmd_gui(args: Optional[argparse.Namespace]) -> int:
    missing = _needs_gui(_("the wizard"))
    if missing:
        return fail(missing)
    try:
        from kernel_advisor.gui.app import main as gui_main
    except ImportError as exc:  # PySide6 is there but broken (a missing system library)
        return fail(_("the wizard cannot load Qt ({exc}); '{PROG} check' works without it").format(
                      exc=exc,
                      PROG=PROG))
    return gui_main(args)


def cmd_collector(args: argparse.Namespace) -> int:
    from kernel_advisor import collector

    if args.playbook:  # the folder the playbook and (usually) the zipapp go into
        try:
            os.makedirs(args.playbook, exist_ok=True)
        except OSError as exc:
            return fail(f"--playbook {args.playbook}: {exc.strerror or exc}")
    problem = writable(args.output, args.force)
    if problem or args.output == "-":
        return fail(problem or _("-o -: the collector is a file; give a file name"))
    from kernel_advisor.atomic import TargetError

    try:
        collector.build(args.output, args.force)
        playbook = None
        if args.playbook:
            from kernel_advisor.atomic import write_output

            for src, rel in collector.playbook_files():
                target = os.path.join(args.playbook, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(src, "rb") as fh:
                    write_output(target, fh.read(), args.force)
            playbook = os.path.join(args.playbook, collector.PLAYBOOK)
    except TargetError as exc:
        return fail(f"-o {exc}")
    except OSError as exc:
        return fail(_("cannot write ({reason}); nothing was changed").format(
                      reason=exc.strerror or exc))
    _note(args, _("wrote {output}; on a machine with python3 (>= 3.8): 'python3 "
                  "{name} -o host.tar.gz'").format(
                  output=args.output,
                  name=os.path.basename(args.output)))
    if playbook:
        _note(args, _("wrote {playbook}; collect with 'ansible-playbook -i INVENTORY "
                      "{playbook}', then '{PROG} fleet {files}'").format(
                      playbook=playbook,
                      PROG=PROG,
                      files=os.path.join(args.playbook, 'snapshots')))
    return 0


def cmd_fleet(args: argparse.Namespace) -> int:
    from kernel_advisor import fleet
    from kernel_advisor.report import fleet as fleet_report

    if not os.path.isdir(args.directory):
        return fail(_("{directory}: not a folder").format(directory=args.directory))
    if args.format and not args.output:
        return fail(_("-f needs -o FILE (or -o - for standard output)"))
    fmt = "json" if args.json else args.format or "text"
    if args.output:
        problem = writable(args.output, args.force)
        if problem:
            return fail(problem)
    inputs = Inputs.from_args(args)
    summary = fleet.Summary()
    entries = fleet.analyse_fleet(args.directory, inputs.answers, inputs.release_data(),
                                  documents=fmt == "json", jobs=args.jobs)
    # the table is for a terminal (its encoding); files and JSON are UTF-8
    encode = for_terminal if fmt == "text" else (lambda text_: text_.encode("utf-8"))
    chunks = map(encode, fleet_report.RENDERERS[fmt](entries, summary))
    if args.output in (None, "-"):
        if args.quiet:
            for _chunk in chunks:  # analyse all the same: the exit status says whether all read
                pass
        else:
            emit(chunks)
    else:
        problem = write(args.output, chunks, args.force)
        if problem:
            return fail(problem)
        _note(args, _("wrote {output} ({fmt}): {summary}").format(
                      output=args.output,
                      fmt=fmt,
                      summary=fleet_report.summary_sentence(summary)))
    if summary.hosts == 0:
        return fail(_("{directory}: no snapshots (*.tar.gz) in it").format(
            directory=args.directory))
    return EXIT_BAD_INPUT if summary.refused else 0


def cmd_install_desktop(args: argparse.Namespace) -> int:
    from kernel_advisor import desktop

    missing = _needs_gui(_("the menu entry (it starts the wizard)"))
    if missing:
        return fail(missing)
    launcher = args.launcher or desktop.launcher_path(sys.argv[0])
    if not launcher:
        return fail(_("cannot tell where the kernel-advisor command is; give it with --exec PATH"))
    try:
        placed = desktop.install(os.path.abspath(launcher))
    except OSError as exc:
        return fail(_("cannot install the menu entry ({reason}: {path})").format(
                      reason=exc.strerror or exc,
                      path=exc.filename or ''))
    _note(args, _("installed the menu entry for {launcher} ({count} files under "
                  "{data_home})").format(
                  launcher=launcher,
                  count=len(placed),
                  data_home=desktop.data_home()))
    return 0


def cmd_uninstall_desktop(args: argparse.Namespace) -> int:
    from kernel_advisor import desktop

    try:
        removed = desktop.uninstall()
    except OSError as exc:
        return fail(_("cannot remove {path} ({reason})").format(
                      path=exc.filename or '',
                      reason=exc.strerror or exc))
    _note(args, _("removed the menu entry ({count} files)").format(
        count=len(removed)) if removed
          else _("nothing to remove: no menu entry was installed"))
    return 0


COMMANDS = {"check": cmd_check, "report": cmd_report, "snapshot": cmd_snapshot, "gui": cmd_gui,
            "collector": cmd_collector, "fleet": cmd_fleet,
            "install-desktop": cmd_install_desktop, "uninstall-desktop": cmd_uninstall_desktop}

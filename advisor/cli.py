"""The ``kernel-advisor`` command (``docs/cli-contract.md``): ``argparse`` with one sub-command
per face of the core, laid out as pipx's ``main.py`` is: one ``_add_<command>()`` each, shared
option groups, and ``main()`` dispatching.

Exit codes of ``check``: 0 a framework is usable, 1 none is, 2 bad usage or unusable input (one
line on stderr, never a traceback). Each command imports what only it needs when it runs (the
report renderers, the atomic writer, the snapshot writer; Qt for the wizard and PDF reports;
``requests`` when kernel.org is really asked), so ``check`` loads none of them.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from advisor import __version__, kernel, releases
from advisor.analysis import analyse
from advisor.hostfs import InputError
from advisor.model import GUESTS, PREFER, PURPOSES, Answers
from advisor.output import OutputError, emit, for_terminal, silence_stdout, writable, write
from advisor.report import FORMATS, jsondoc, text
from advisor.textsafe import printable

EXIT_USABLE, EXIT_NONE, EXIT_BAD_INPUT = 0, 1, 2
PROG = "kernel-advisor"
DESCRIPTION = ("Which virtualization framework should this machine use — lguest, KVM or Xen — "
               "and is this kernel a stable one to build on?")


class UsageError(Exception):
    """Bad usage found after parsing: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse's messages, on one line, with a pointer to --help (exit 2 as argparse does)."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


# -- option groups shared by several commands ----------------------------------------------------
def _release(text: str) -> str:
    if not kernel.is_release(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a kernel release (e.g. 6.8.0-45-generic)")
    return text.strip()


def _arch(text: str) -> str:
    if kernel.arch_family(text) is None:
        raise argparse.ArgumentTypeError(
            f"{text!r}: unknown architecture (e.g. i686, x86_64, aarch64, s390x, ppc64le, "
            "riscv64)")
    return text


def _distro(text: str) -> str:
    from advisor import distro
    try:
        distro.parse_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip().lower()


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    _add_source_options(parser)
    _add_needs_and_data_options(parser)


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("what to analyse (default: this computer)")
    source = where.add_mutually_exclusive_group()
    source.add_argument("--root", metavar="DIR", help="read every host file under DIR instead of /")
    source.add_argument("--snapshot", metavar="FILE", help="read host files from a snapshot tarball")
    where.add_argument("--kernel", metavar="RELEASE", type=_release,
                       help="what-if: as if uname -r printed RELEASE")
    where.add_argument("--arch", metavar="ARCH", type=_arch,
                       help="what-if: as if uname -m printed ARCH")
    where.add_argument("--distro", metavar="ID[:VERSION]", type=_distro,
                       help="the distribution whose commands the next steps use (e.g. "
                            "debian:12, rhel:5; default: the analysed host's, or for a what-if "
                            "kernel the one its release names)")


def _add_needs_and_data_options(parser: argparse.ArgumentParser) -> None:
    needs = parser.add_argument_group("your needs (the wizard's questions)")
    needs.add_argument("--guests", choices=GUESTS, default="linux",
                       help="guests will be Linux only, or any OS (Windows, BSD…) "
                            "(default: %(default)s)")
    needs.add_argument("--prefer", choices=PREFER, default="stability",
                       help="a stable base, or the newest features (default: %(default)s)")
    needs.add_argument("--purpose", choices=PURPOSES, default="desktop",
                       help="what the virtual machines are for (default: %(default)s)")
    data = parser.add_argument_group("release data")
    data.add_argument("--offline", action="store_true",
                      help="no network: use the cached, else the bundled, kernel.org data")
    data.add_argument("--online", action="store_true",
                      help="ask kernel.org for current release data (check and report default "
                           "to offline data; the wizard has a button)")
    data.add_argument("--releases-url", metavar="URL",
                      help="where releases.json is fetched from (implies --online)")


def _add_output(parser: argparse.ArgumentParser, what: str, metavar: str = "FILE") -> None:
    parser.add_argument("-o", "--output", metavar=metavar, required=True, help=what)


# -- one function per command ----------------------------------------------------------------------
def _add_gui(sub) -> None:
    p = sub.add_parser("gui", help="open the wizard (the default)",
                       description="Open the wizard on this computer, a root, a snapshot, a "
                                   "what-if kernel or a folder of snapshots.")
    _add_input_options(p)
    p.add_argument("--fleet", metavar="DIR", help="open on the fleet page for DIR's snapshots")


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="analyse and print the verdict; no Qt",
                       description="Analyse and print the verdict. Exit status: 0 a framework "
                                   "is usable, 1 none is, 2 bad usage or input.")
    _add_input_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the kernel-advisor/1 JSON")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="print nothing; answer by the exit status only")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output (default: %(default)s; NO_COLOR is honoured)")


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="write a report",
                       description="Write a report of the analysis as HTML, PDF, Markdown or "
                                   "JSON.")
    _add_input_options(p)
    p.add_argument("-f", "--format", choices=FORMATS, required=True, help="the report's format")
    _add_output(p, "where to write it")
    p.add_argument("--hostname", action="store_true",
                   help="include this machine's host name (left out by default)")


def _add_snapshot(sub) -> None:
    p = sub.add_parser("snapshot", help="capture the evidence this host's analysis reads",
                       description="Capture the files and live facts the analysis reads, to "
                                   "analyse them elsewhere with 'check --snapshot'.")
    _add_output(p, "where to write the tarball", "FILE.tar.gz")
    p.add_argument("--hostname", action="store_true",
                   help="record this machine's host name (left out by default: it can be "
                        "private; 'fleet' shows it)")


def _add_collector(sub) -> None:
    p = sub.add_parser("collector", help="write the snapshot collector for other machines",
                       description="Write the snapshot capture as one zipapp that runs with "
                                   "python3 (>= 3.8) alone: 'python3 FILE.pyz -o host.tar.gz'. "
                                   "With --playbook, also write the Ansible playbook that "
                                   "collects snapshots from an inventory.")
    _add_output(p, "where to write the zipapp", "FILE.pyz")
    p.add_argument("--playbook", metavar="DIR",
                   help="also write collect.yml into DIR (put the zipapp there too: the "
                        "playbook looks for kernel-advisor-collect.pyz beside itself)")


def _add_fleet(sub) -> None:
    p = sub.add_parser("fleet", help="analyse a folder of snapshots as one table",
                       description="Analyse every snapshot (*.tar.gz) in DIR, in parallel, and "
                                   "print one row per host. Exit status: 0 every file was "
                                   "analysed, 2 any was refused (each listed with its reason).")
    p.add_argument("directory", metavar="DIR", help="the folder of snapshots")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the kernel-advisor-fleet/1 JSON")
    out.add_argument("-f", "--format", choices=("html", "csv", "md", "json"),
                     help="write the fleet report in this format (with -o)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the report ('-' for standard output)")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="analyse N snapshots at a time (default: one per CPU core)")
    _add_needs_and_data_options(p)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=DESCRIPTION,
                     epilog=f"'{PROG} COMMAND --help' shows a command's options. With no "
                            "command, the wizard opens.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (_add_gui, _add_check, _add_report, _add_snapshot, _add_collector, _add_fleet):
        add(sub)
    return parser


# -- the commands ------------------------------------------------------------------------------------
def _fail(message: str) -> int:
    if sys.stderr is not None:  # print(file=None) would write to stdout
        print(f"{PROG}: {printable(message, one_line=True)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_analysis(args: argparse.Namespace):
    """Analyse per the input options; raises InputError for unusable input."""
    online = bool(args.online or args.releases_url) and not args.offline
    data = releases.load(offline=not online, url=args.releases_url or releases.DEFAULT_URL)
    return analyse(root_dir=args.root, snapshot=args.snapshot, kernel_release=args.kernel,
                   arch=args.arch, distro=args.distro, releases=data,
                   answers=Answers(args.guests, args.prefer, args.purpose))


def cmd_check(args: argparse.Namespace) -> int:
    a = run_analysis(args)
    if args.json:  # JSON is UTF-8 whatever the locale (RFC 8259)
        emit(jsondoc.render(a).encode("utf-8"))
    elif not args.quiet:
        colour = args.color == "always" or (args.color == "auto" and sys.stdout is not None
                                             and sys.stdout.isatty()
                                             and not os.environ.get("NO_COLOR"))
        emit(for_terminal(text.render(a, colour)))
    return EXIT_USABLE if a.usable else EXIT_NONE


def render(a, fmt: str) -> bytes:
    """Any report format; PDF is drawn by Qt, imported only for it."""
    if fmt == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from advisor.gui.pdf import render_pdf

        return render_pdf(a)
    from advisor import report

    return report.render(a, fmt)


def cmd_report(args: argparse.Namespace) -> int:
    problem = writable(args.output)
    if problem:
        return _fail(problem)
    a = run_analysis(args)
    if args.hostname:
        a.hostname = os.uname().nodename
    data = render(a, args.format)
    problem = write(args.output, data)
    if problem:
        return _fail(problem)
    where = "standard output" if args.output == "-" else args.output
    print(f"wrote {where} ({len(data)} bytes, {args.format})", file=sys.stderr)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from advisor.snapshot import capture

    problem = writable(args.output)
    if problem:
        return _fail(problem)
    data, _ = capture(hostname=args.hostname)
    problem = write(args.output, data)
    if problem:
        return _fail(problem)
    if args.output == "-":
        print(f"wrote standard output ({len(data)} bytes)", file=sys.stderr)
    else:
        print(f"wrote {args.output} ({len(data)} bytes); analyse it anywhere with "
              f"'{PROG} check --snapshot {args.output}'", file=sys.stderr)
    return 0


def cmd_gui(args: Optional[argparse.Namespace]) -> int:
    try:
        from advisor.gui.app import main as gui_main
    except ImportError as exc:
        return _fail(f"the wizard needs PySide6 ({exc}); '{PROG} check' works without it")
    return gui_main(args)


def cmd_collector(args: argparse.Namespace) -> int:
    from advisor import collector

    if args.playbook:  # the folder the playbook and (usually) the zipapp go into
        try:
            os.makedirs(args.playbook, exist_ok=True)
        except OSError as exc:
            return _fail(f"--playbook {args.playbook}: {exc.strerror or exc}")
    problem = writable(args.output)
    if problem or args.output == "-":
        return _fail(problem or "-o -: the collector is a file; give a file name")
    from advisor.atomic import TargetError

    try:
        collector.build(args.output)
        playbook = None
        if args.playbook:
            from advisor import data
            from advisor.atomic import write_output

            os.makedirs(args.playbook, exist_ok=True)
            playbook = os.path.join(args.playbook, collector.PLAYBOOK)
            write_output(playbook, data.path(f"ansible/{collector.PLAYBOOK}").read_bytes())
    except TargetError as exc:
        return _fail(f"-o {exc}")
    except OSError as exc:
        return _fail(f"cannot write ({exc.strerror or exc}); nothing was changed")
    print(f"wrote {args.output}; on a machine with python3 (>= 3.8): "
          f"'python3 {os.path.basename(args.output)} -o host.tar.gz'", file=sys.stderr)
    if playbook:
        print(f"wrote {playbook}; collect with 'ansible-playbook -i INVENTORY {playbook}', "
              f"then '{PROG} fleet {os.path.join(args.playbook, 'snapshots')}'", file=sys.stderr)
    return 0


def cmd_fleet(args: argparse.Namespace) -> int:
    from advisor import fleet
    from advisor.report import fleet as fleet_report

    if not os.path.isdir(args.directory):
        return _fail(f"{args.directory}: not a folder")
    if args.format and not args.output:
        return _fail("-f needs -o FILE (or -o - for standard output)")
    fmt = "json" if args.json else args.format or "text"
    if args.output:
        problem = writable(args.output)
        if problem:
            return _fail(problem)
    online = bool(args.online or args.releases_url) and not args.offline
    data = releases.load(offline=not online, url=args.releases_url or releases.DEFAULT_URL)
    summary = fleet.Summary()
    entries = fleet.analyse_fleet(args.directory, Answers(args.guests, args.prefer, args.purpose),
                                  data, documents=fmt == "json", jobs=args.jobs)
    # the table is for a terminal (its encoding); files and JSON are UTF-8
    encode = for_terminal if fmt == "text" else (lambda text_: text_.encode("utf-8"))
    chunks = map(encode, fleet_report.RENDERERS[fmt](entries, summary))
    if args.output in (None, "-"):
        emit(chunks)
    else:
        problem = write(args.output, chunks)
        if problem:
            return _fail(problem)
        print(f"wrote {args.output} ({fmt}): {fleet_report.summary_sentence(summary)}",
              file=sys.stderr)
    if summary.hosts == 0:
        return _fail(f"{args.directory}: no snapshots (*.tar.gz) in it")
    return EXIT_BAD_INPUT if summary.refused else 0


COMMANDS = {"check": cmd_check, "report": cmd_report, "snapshot": cmd_snapshot, "gui": cmd_gui,
            "collector": cmd_collector, "fleet": cmd_fleet}


def main(argv: Optional[List[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Latin-1 or ASCII locale: "?", not a traceback
        if stream is not None and hasattr(stream, "reconfigure") and stream.errors == "strict":
            stream.reconfigure(errors="replace")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has said why
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.command is None:
        return cmd_gui(None)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        return _fail(str(exc))
    except OutputError as exc:
        return _fail(f"cannot write the output ({exc})")
    except BrokenPipeError:  # the reader stopped early (| head): fine; nothing more to say
        silence_stdout()
        return EXIT_USABLE
    except KeyboardInterrupt:
        return 130



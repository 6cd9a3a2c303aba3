"""The ``kernel-advisor`` command line (``docs/cli-contract.md``): ``argparse`` with one
sub-command per face of the core, laid out as pipx's ``main.py`` is: one ``_add_<command>()``
each, shared option groups, and :func:`main` dispatching to :mod:`kernel_advisor.commands`, which
does
the work. ``-q`` and ``-v`` work before or after the command; ``--`` ends the options as usual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, List, NoReturn, Optional

from kernel_advisor import __version__, kernel, verbose
from kernel_advisor.commands import (
    COMMANDS,
    EXIT_BAD_INPUT,
    EXIT_STATUS,
    EXIT_USABLE,
    PROG,
    UsageError,
    cmd_gui,
    fail,
)
from kernel_advisor.data import DataError
from kernel_advisor.hostfs import InputError
from kernel_advisor.model import GUESTS, PREFER, PURPOSES
from kernel_advisor.output import OutputError, silence_stdout
from kernel_advisor.report import FORMATS

#: the man page's NAME line and the Debian package's synopsis: what it does, in a few words
SUMMARY = "choose KVM, Xen or lguest for a machine and judge its kernel"
DESCRIPTION = ("Which virtualization framework should this machine use — lguest, KVM or Xen — "
               "and is this kernel a stable one to build on?")


class _Parser(argparse.ArgumentParser):
    """argparse's messages, on one line, with a pointer to --help (exit 2 as argparse does)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[_Parser]


# -- option groups shared by several commands ----------------------------------------------------
def _release(text: str) -> str:
    if not kernel.is_release(text):
        shown = repr(text) if len(text) <= 40 else repr(text[:40]) + f"… ({len(text):,} characters)"
        meant = kernel.suggestion(text)
        raise argparse.ArgumentTypeError(
            f"{shown} is not a kernel release" + (f"; did you mean {meant}?" if meant else
                                                  f" (e.g. 6.8.0-45-generic; at most "
                                                  f"{kernel.MAX_RELEASE} characters, no spaces)"))
    return text


def _arch(text: str) -> str:
    if kernel.arch_family(text) is None:
        raise argparse.ArgumentTypeError(
            f"{text!r}: unknown architecture (e.g. i686, x86_64, aarch64, s390x, ppc64le, "
            "riscv64)")
    return text


def _distro(text: str) -> str:
    from kernel_advisor import distro
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
    source.add_argument("--snapshot", metavar="FILE",
                        help="read host files from a snapshot tarball")
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
    _add_force(parser)


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace the output file even if it is write-protected")


def _add_verbosity(parser: argparse.ArgumentParser, on_command: bool) -> None:
    """-q/-v on the top level and on every command. On a command they set nothing unless given
    (``default=SUPPRESS``), so ``kernel-advisor -v check`` keeps the top level's value."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        default=argparse.SUPPRESS if on_command else False,
                        help="print nothing but errors; answer by the exit status only")
    parser.add_argument("-v", "--verbose", action="count",
                        default=argparse.SUPPRESS if on_command else 0,
                        help="say what was read and why on standard error (-vv: every file)")


def _command(sub: Subparsers, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name, epilog=f"Exit status: {EXIT_STATUS[name]}", **kwargs)
    _add_verbosity(p, on_command=True)
    return p


# -- one function per command ----------------------------------------------------------------------
def _add_gui(sub: Subparsers) -> None:
    p = _command(sub, "gui", help="open the wizard (the default)",
                 description="Open the wizard on this computer, a root, a snapshot, a "
                             "what-if kernel or a folder of snapshots.")
    _add_input_options(p)
    p.add_argument("--fleet", metavar="DIR", help="open on the fleet page for DIR's snapshots")


def _add_check(sub: Subparsers) -> None:
    p = _command(sub, "check", help="analyse and print the verdict; no Qt",
                 description="Analyse this computer (or a root, snapshot or what-if kernel) "
                             "and print the verdict: the frameworks ranked, with reasons and "
                             "next steps, and the kernel's stability.")
    _add_input_options(p)
    p.add_argument("--json", action="store_true", help="print the kernel-advisor/1 JSON")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output (default: %(default)s; NO_COLOR is honoured)")


def _add_report(sub: Subparsers) -> None:
    p = _command(sub, "report", help="write a report",
                 description="Write a report of the analysis as HTML, PDF, Markdown or "
                             "JSON.")
    _add_input_options(p)
    p.add_argument("-f", "--format", choices=FORMATS, required=True, help="the report's format")
    _add_output(p, "where to write it")
    p.add_argument("--hostname", action="store_true",
                   help="include the analysed machine's host name: this computer's, or the "
                        "one a snapshot recorded (left out by default)")


def _add_snapshot(sub: Subparsers) -> None:
    p = _command(sub, "snapshot", help="capture the evidence this host's analysis reads",
                 description="Capture the files and live facts the analysis reads, to "
                             "analyse them elsewhere with 'check --snapshot'.")
    _add_output(p, "where to write the tarball", "FILE.tar.gz")
    p.add_argument("--hostname", action="store_true",
                   help="record this machine's host name (left out by default: it can be "
                        "private; the fleet table shows it)")


def _add_collector(sub: Subparsers) -> None:
    p = _command(sub, "collector", help="write the snapshot collector for other machines",
                 description="Write the snapshot capture as one zipapp that runs with "
                             "python3 (>= 3.8) alone: 'python3 FILE.pyz -o host.tar.gz'. "
                             "With --playbook, also write the Ansible playbook that "
                             "collects snapshots from an inventory.")
    _add_output(p, "where to write the zipapp", "FILE.pyz")
    p.add_argument("--playbook", metavar="DIR",
                   help="also write collect.yml and the Ansible collection kernel_advisor.fleet "
                        "into DIR (put the zipapp there too: the "
                        "playbook looks for kernel-advisor-collect.pyz beside itself)")


def _jobs(value: str) -> int:
    """``-j N``: a whole number of worker processes, 1 to 256."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= n <= 256:
        raise argparse.ArgumentTypeError(f"{n} is not between 1 and 256")
    return n


def _add_fleet(sub: Subparsers) -> None:
    p = _command(sub, "fleet", help="analyse a folder of snapshots as one table",
                 description="Analyse every snapshot (*.tar.gz) in DIR, in parallel, and "
                             "print one row per host.")
    p.add_argument("directory", metavar="DIR", help="the folder of snapshots")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the kernel-advisor-fleet/1 JSON")
    out.add_argument("-f", "--format", choices=("html", "csv", "md", "json"),
                     help="write the fleet report in this format (with -o)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the report ('-' for standard output)")
    _add_force(p)
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                   help="analyse N snapshots at a time, 1 to 256 (default: one per CPU core)")
    _add_needs_and_data_options(p)


def _add_desktop(sub: Subparsers) -> None:
    p = _command(sub, "install-desktop", help="put the wizard in this user's menu",
                 description="Install the menu entry, icons and AppStream metainfo, the man "
                             "page and bash, zsh and fish completion under $XDG_DATA_HOME "
                             "(default ~/.local/share), listed for uninstall-desktop. Needs the "
                             "GUI extra (Qt); without it, it says what adds Qt to this "
                             "install.")
    p.add_argument("--exec", metavar="PATH", dest="launcher",
                   help="the command the menu entry runs (default: this kernel-advisor)")
    _command(sub, "uninstall-desktop", help="take the menu entry out again",
             description="Remove exactly what install-desktop placed.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=DESCRIPTION,
                     epilog=f"Run {PROG} COMMAND --help for a command's options and exit "
                            f"status. With no command, the wizard opens. Exit status: "
                            f"{EXIT_STATUS[None]}")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_verbosity(parser, on_command=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (_add_gui, _add_check, _add_report, _add_snapshot, _add_collector, _add_fleet,
                _add_desktop):
        add(sub)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Latin-1 or ASCII locale: "?", not a traceback
        if stream is not None and hasattr(stream, "reconfigure") and stream.errors == "strict":
            stream.reconfigure(errors="replace")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has said why
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except DataError as exc:  # --distro reads distros.json
        return fail(str(exc))
    if args.verbose:
        verbose.enable(args.verbose, PROG)
    if args.command is None:
        return cmd_gui(None)
    try:
        return COMMANDS[args.command](args)
    except (InputError, UsageError, DataError) as exc:
        return fail(str(exc))
    except OutputError as exc:
        return fail(f"cannot write the output ({exc})")
    except BrokenPipeError:  # the reader stopped early (| head): fine; nothing more to say
        silence_stdout()
        return EXIT_USABLE
    except KeyboardInterrupt:
        return 130



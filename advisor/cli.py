"""The ``kernel-advisor`` command (see ``cli-contract.md``).

Start-up time is a feature: this module imports only the standard library at import time; the
core is imported when a command needs it, ``requests`` only when kernel.org is really asked, and
Qt only for the GUI and PDF reports.
"""

from __future__ import annotations

import argparse
import os
import sys

from advisor import __version__

EXIT_USABLE, EXIT_NONE, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Bad usage is one line on stderr and exit 2, never a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def _input_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("input")
    g.add_argument("--root", metavar="DIR", help="read every host file under DIR instead of /")
    g.add_argument("--snapshot", metavar="FILE", help="read host files from a snapshot tarball")
    g.add_argument("--kernel", metavar="RELEASE", help="what-if: as if uname -r printed RELEASE")
    g.add_argument("--arch", metavar="ARCH", help="what-if: as if uname -m printed ARCH")
    g.add_argument("--offline", action="store_true",
                   help="no network: use the cached, else the bundled, kernel.org data")
    g.add_argument("--online", action="store_true",
                   help="ask kernel.org for current release data (check and report default "
                        "to offline data; the wizard has a button)")
    g.add_argument("--releases-url", metavar="URL",
                   help="where releases.json is fetched from (implies --online)")
    g.add_argument("--guests", choices=("linux", "any"), default="linux",
                   help="guests will be Linux only, or any OS (Windows, BSD…)")
    g.add_argument("--prefer", choices=("stability", "features"), default="stability")
    g.add_argument("--purpose", choices=("learning", "desktop", "servers", "kernel-dev"),
                   default="desktop")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kernel-advisor",
                description="Which virtualization framework should this machine use — lguest, "
                            "KVM or Xen — and is this kernel a stable one to build on?")
    p.add_argument("--version", action="version", version=f"kernel-advisor {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    gui = sub.add_parser("gui", help="open the wizard (the default)")
    _input_options(gui)
    check = sub.add_parser("check", help="analyse and print the verdict; no Qt")
    _input_options(check)
    check.add_argument("--json", action="store_true", help="print the kernel-advisor/1 JSON")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    rep = sub.add_parser("report", help="write a report")
    _input_options(rep)
    rep.add_argument("-f", "--format", required=True, choices=("html", "pdf", "md", "json"))
    rep.add_argument("-o", "--output", required=True, metavar="FILE")
    rep.add_argument("--hostname", action="store_true",
                     help="include this machine's host name (left out by default)")
    snap = sub.add_parser("snapshot", help="capture the evidence this host's analysis reads")
    snap.add_argument("-o", "--output", required=True, metavar="FILE.tar.gz")
    return p


def _fail(message: str) -> int:
    print(f"kernel-advisor: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _validate_what_if(args: argparse.Namespace) -> str | None:
    if args.kernel is not None:
        from advisor import kernel

        parsed = kernel.parse(args.kernel)
        if not args.kernel.strip() or len(args.kernel) > 200 or \
                not (parsed.understood or parsed.linux_next):
            return f"--kernel {args.kernel!r}: not a kernel release (e.g. 6.8.0-45-generic)"
    if args.arch is not None:
        from advisor.probe import ARCH_FAMILY

        if args.arch not in ARCH_FAMILY:
            return (f"--arch {args.arch!r}: unknown architecture (e.g. i686, x86_64, aarch64, "
                    "s390x, ppc64le, riscv64)")
    return None


def run_analysis(args: argparse.Namespace):
    """Analyse per the input options; raises InputError for unusable input."""
    from advisor import releases as rel
    from advisor.analysis import analyse
    from advisor.rules import Answers

    online = bool(args.online or args.releases_url) and not args.offline
    releases = rel.load(offline=not online, url=args.releases_url or rel.DEFAULT_URL)
    return analyse(root_dir=args.root, snapshot=args.snapshot, kernel_release=args.kernel,
                   arch=args.arch, releases=releases,
                   answers=Answers(args.guests, args.prefer, args.purpose))


def cmd_check(args: argparse.Namespace) -> int:
    a = run_analysis(args)
    if args.json:
        from advisor.report import to_json

        sys.stdout.write(to_json(a))
    else:
        colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                             and not os.environ.get("NO_COLOR"))
        sys.stdout.write(format_text(a, colour))
    return EXIT_USABLE if a.usable else EXIT_NONE


def format_text(a, colour: bool) -> str:
    from advisor.facts import STATUS_WORDS
    from advisor.rules import VERDICT_WORDS
    from advisor.stability import CHANNEL_WORDS

    codes = {"ok": "32", "warn": "33", "fail": "31", "info": "36", "unknown": "35",
             "recommended": "32;1", "possible": "34", "unavailable": "31"}

    def paint(text: str, key: str) -> str:
        return f"\033[{codes[key]}m{text}\033[0m" if colour else text

    h = a.host
    out = [f"Kernel Advisor {a.host.origin}"
           + (" — what if " + ", ".join(f"{k}={v}" for k, v in h.what_if.items())
              if h.what_if else "")]
    for f in h:
        word = STATUS_WORDS[f.status]
        out.append(f"{paint(f'{word:>7}', f.status)}  {f.label}: {f.summary}"
                   + (f"  [{f.source}]" if f.source else ""))
    out.append("")
    for v in a.verdicts:
        out.append(f"{paint(VERDICT_WORDS[v.verdict].upper(), v.verdict)}  {v.name}")
        for r in v.reasons:
            out.append(f"    - {r}")
        for s in v.next_steps:
            out.append(f"    > {s}")
    for note in a.notes:
        out.append(f"NOTE  {note}")
    st = a.stability
    out.append("")
    out.append(f"Stability: {CHANNEL_WORDS[st.channel]}"
               + (f" (vendor kernel: {st.vendor})" if st.vendor else "")
               + f" — release data {st.data_as_of}, {st.source}")
    out.extend(f"    - {n}" for n in st.notes)
    return "\n".join(out) + "\n"


def cmd_report(args: argparse.Namespace) -> int:
    from advisor.atomic import write_atomic
    from advisor.report import render

    a = run_analysis(args)
    if args.hostname:
        a.hostname = os.uname().nodename
    target = args.output
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        return _fail(f"-o {target}: directory {directory} does not exist")
    if os.path.isdir(target):
        return _fail(f"-o {target}: is a directory")
    if args.format == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data = render(a, args.format)
    try:
        write_atomic(target, data)
    except OSError as exc:
        return _fail(f"-o {target}: cannot write ({exc.strerror or exc}); nothing was changed")
    print(f"wrote {target} ({len(data)} bytes, {args.format})", file=sys.stderr)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from advisor.atomic import write_atomic
    from advisor.snapshot import capture

    target = args.output
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        return _fail(f"-o {target}: directory {directory} does not exist")
    data, _ = capture()
    try:
        write_atomic(target, data)
    except OSError as exc:
        return _fail(f"-o {target}: cannot write ({exc.strerror or exc}); nothing was changed")
    print(f"wrote {target} ({len(data)} bytes); analyse it anywhere with "
          f"'kernel-advisor check --snapshot {target}'", file=sys.stderr)
    return 0


def cmd_gui(args: argparse.Namespace | None) -> int:
    try:
        from advisor.gui.app import main as gui_main
    except ImportError as exc:
        return _fail(f"the wizard needs PySide6 ({exc}); 'kernel-advisor check' works without it")
    return gui_main(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return cmd_gui(None)
    if args.command in ("gui", "check", "report"):
        problem = _validate_what_if(args)
        if problem:
            return _fail(problem)
        if args.root and args.snapshot:
            return _fail("--root and --snapshot cannot be used together")
    from advisor.hostfs import InputError

    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "snapshot":
            return cmd_snapshot(args)
        return cmd_gui(args)
    except InputError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130

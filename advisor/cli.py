"""The ``kernel-advisor`` command (see ``cli-contract.md``).

Start-up time is a feature (``bench/RESULTS.md``): ``check`` runs in the time a C peer takes to
start twice, so this module imports nothing beyond ``os`` and ``sys``. The core is imported when a
command needs it, ``requests`` only when kernel.org is really asked, Qt only for the GUI and PDF
reports. Options are parsed by the small table-driven parser below, not ``argparse``: importing
``argparse`` (which pulls in ``re`` and ``gettext``) and building its parsers took a third of a
whole ``check`` run. It keeps ``argparse``'s conventions — ``--opt VALUE`` and ``--opt=VALUE``,
``-fVALUE``, unique prefixes of long options, the last repetition wins — and its usage errors
are one line on stderr with exit status 2.
"""

from __future__ import annotations

import os
import sys

from advisor import __version__

EXIT_USABLE, EXIT_NONE, EXIT_BAD_INPUT = 0, 1, 2
PROG = "kernel-advisor"
DESCRIPTION = ("Which virtualization framework should this machine use — lguest, KVM or Xen — "
               "and is this kernel a stable one to build on?")


class Option:
    """One command-line option. ``flag`` options take no value and are False unless given."""

    __slots__ = ("names", "dest", "metavar", "help", "choices", "default", "flag", "required")

    def __init__(self, names: tuple[str, ...], help: str, metavar: str | None = None,
                 choices: tuple[str, ...] | None = None, default: object = None,
                 flag: bool = False, required: bool = False) -> None:
        self.names, self.help, self.choices, self.flag, self.required = (
            names, help, choices, flag, required)
        self.dest = names[-1].lstrip("-").replace("-", "_")
        self.metavar = metavar or (names[-1].lstrip("-").upper() if not choices else
                                   "{" + ",".join(choices) + "}")
        self.default = False if flag else default

    @property
    def spelled(self) -> str:
        return "/".join(self.names)


INPUT_OPTIONS = (
    Option(("--root",), "read every host file under DIR instead of /", "DIR"),
    Option(("--snapshot",), "read host files from a snapshot tarball", "FILE"),
    Option(("--kernel",), "what-if: as if uname -r printed RELEASE", "RELEASE"),
    Option(("--arch",), "what-if: as if uname -m printed ARCH", "ARCH"),
    Option(("--offline",), "no network: use the cached, else the bundled, kernel.org data",
           flag=True),
    Option(("--online",), "ask kernel.org for current release data (check and report default "
                          "to offline data; the wizard has a button)", flag=True),
    Option(("--releases-url",), "where releases.json is fetched from (implies --online)", "URL"),
    Option(("--guests",), "guests will be Linux only, or any OS (Windows, BSD…)",
           choices=("linux", "any"), default="linux"),
    Option(("--prefer",), "a stable base, or the newest features",
           choices=("stability", "features"), default="stability"),
    Option(("--purpose",), "what the virtual machines are for",
           choices=("learning", "desktop", "servers", "kernel-dev"), default="desktop"),
)
#: command -> (one-line help, its options)
COMMANDS: dict[str, tuple[str, tuple[Option, ...]]] = {
    "gui": ("open the wizard (the default)", INPUT_OPTIONS),
    "check": ("analyse and print the verdict; no Qt", INPUT_OPTIONS + (
        Option(("--json",), "print the kernel-advisor/1 JSON", flag=True),
        Option(("--color",), "colour the text output", choices=("auto", "always", "never"),
               default="auto"),
    )),
    "report": ("write a report", INPUT_OPTIONS + (
        Option(("-f", "--format"), "the report's format", choices=("html", "pdf", "md", "json"),
               required=True),
        Option(("-o", "--output"), "where to write it", "FILE", required=True),
        Option(("--hostname",), "include this machine's host name (left out by default)",
               flag=True),
    )),
    "snapshot": ("capture the evidence this host's analysis reads", (
        Option(("-o", "--output"), "where to write the tarball", "FILE.tar.gz", required=True),
    )),
}


class UsageError(Exception):
    """Bad usage: one line on stderr, exit 2."""


class Args:
    """The parsed command line: ``command`` plus one attribute per option of that command."""

    def __init__(self, command: str | None, options: tuple[Option, ...] = ()) -> None:
        self.command = command
        for opt in options:
            setattr(self, opt.dest, opt.default)

    def __repr__(self) -> str:
        return f"Args({vars(self)})"


def parse_args(argv: list[str]) -> Args | str:
    """The parsed command line, or the text to print for ``--help`` / ``--version``.

    Raises :class:`UsageError` with a one-line message for anything else it cannot take.
    """
    if not argv:
        return Args(None)
    head = argv[0]
    if head in ("-h", "--help"):
        return _main_help()
    if head == "--version":
        return f"{PROG} {__version__}\n"
    if head not in COMMANDS:
        if head.startswith("-"):
            raise UsageError(f"unrecognized arguments: {head}")
        raise UsageError(f"argument command: invalid choice: {head!r} "
                         f"(choose from {', '.join(map(repr, COMMANDS))})")
    options = COMMANDS[head][1]
    args = Args(head, options)
    given: set[str] = set()
    rest = list(argv[1:])
    while rest:
        word = rest.pop(0)
        if word in ("-h", "--help"):
            return _command_help(head)
        opt, value = _match(word, options)
        if opt.flag:
            if value is not None:
                raise UsageError(f"argument {opt.spelled}: ignored explicit argument {value!r}")
            setattr(args, opt.dest, True)
            continue
        if value is None:
            if not rest or (rest[0].startswith("-") and len(rest[0]) > 1):
                raise UsageError(f"argument {opt.spelled}: expected one argument")
            value = rest.pop(0)
        if opt.choices and value not in opt.choices:
            raise UsageError(f"argument {opt.spelled}: invalid choice: {value!r} "
                             f"(choose from {', '.join(map(repr, opt.choices))})")
        setattr(args, opt.dest, value)
        given.add(opt.dest)
    missing = [o.spelled for o in options if o.required and o.dest not in given]
    if missing:
        raise UsageError(f"the following arguments are required: {', '.join(missing)}")
    return args


def _match(word: str, options: tuple[Option, ...]) -> tuple[Option, str | None]:
    """The option ``word`` names, and its attached value (``--x=V``, ``-fV``) if any."""
    if word.startswith("--") and len(word) > 2:
        name, eq, value = word.partition("=")
        found = [o for o in options if name in o.names] or [
            o for o in options if o.names[-1].startswith(name)]  # a unique prefix, as argparse
        if len(found) > 1:
            raise UsageError(f"ambiguous option: {name} could match "
                             f"{', '.join(o.names[-1] for o in found)}")
        if found:
            return found[0], value if eq else None
    elif word.startswith("-") and not word.startswith("--") and len(word) > 1:
        for o in options:
            if word[:2] in o.names:
                return o, (word[2:].removeprefix("=") or None) if len(word) > 2 else None
    raise UsageError(f"unrecognized arguments: {word}")


def _fill(text: str, indent: str = "") -> str:
    import textwrap  # only for --help

    return textwrap.fill(text, 96, initial_indent=indent, subsequent_indent=indent)


def _main_help() -> str:
    lines = [f"usage: {PROG} [-h] [--version] [COMMAND] [OPTIONS]", "", _fill(DESCRIPTION), "",
             "commands:"]
    lines += [f"  {name:<10}{text}" for name, (text, _) in COMMANDS.items()]
    lines += ["", _fill(f"'{PROG} COMMAND --help' shows a command's options. With no command, "
                        "the wizard opens."),
              "", "options:", "  -h, --help  show this help and exit",
              "  --version   show the version and exit"]
    return "\n".join(lines) + "\n"


def _command_help(command: str) -> str:
    text, options = COMMANDS[command]
    lines = [f"usage: {PROG} {command} [OPTIONS]", "", text[:1].upper() + text[1:] + ".", "",
             "options:", "  -h, --help", "        show this help and exit"]
    for o in options:
        value = "" if o.flag else f" {o.metavar}"
        lines.append("  " + ", ".join(n + value for n in o.names))
        extra = " (required)" if o.required else (
            f" (default: {o.default})" if o.default not in (None, False) else "")
        lines.append(_fill(f"{o.help}{extra}", " " * 8))
    return "\n".join(lines) + "\n"


def _fail(message: str) -> int:
    print(f"kernel-advisor: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _validate_what_if(args: Args) -> str | None:
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


def run_analysis(args: Args):
    """Analyse per the input options; raises InputError for unusable input."""
    from advisor import releases as rel
    from advisor.analysis import analyse
    from advisor.rules import Answers

    online = bool(args.online or args.releases_url) and not args.offline
    releases = rel.load(offline=not online, url=args.releases_url or rel.DEFAULT_URL)
    return analyse(root_dir=args.root, snapshot=args.snapshot, kernel_release=args.kernel,
                   arch=args.arch, releases=releases,
                   answers=Answers(args.guests, args.prefer, args.purpose))


def cmd_check(args: Args) -> int:
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


def cmd_report(args: Args) -> int:
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


def cmd_snapshot(args: Args) -> int:
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


def cmd_gui(args: Args | None) -> int:
    try:
        from advisor.gui.app import main as gui_main
    except ImportError as exc:
        return _fail(f"the wizard needs PySide6 ({exc}); 'kernel-advisor check' works without it")
    return gui_main(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
    except UsageError as exc:
        command = argv[0] if argv and argv[0] in COMMANDS else None
        print(f"{PROG}{' ' + command if command else ''}: {exc} (see --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(args, str):
        sys.stdout.write(args)
        return 0
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

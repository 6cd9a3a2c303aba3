"""Standard output and output files for the command line: write, or say in one line why not.

:func:`emit` writes to standard output (a closed or full one is :class:`OutputError`; a reader
that stops early raises BrokenPipeError, the normal end of ``| head``); :func:`write` writes a
file by :func:`kernel_advisor.atomic.write_output`'s rules, or standard output for ``-``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from kernel_advisor.atomic import Data


class OutputError(Exception):
    """Standard output cannot be written (closed, a full disk): one line, exit 2."""


def emit(data: Data) -> None:
    """Write ``data`` (bytes, or byte chunks written as they come) to standard output and
    flush; OutputError if it cannot be written. A reader that stops early (``| head``) raises
    BrokenPipeError, which :func:`main` takes as the normal end it is."""
    from kernel_advisor.atomic import chunks_of

    if sys.stdout is None:
        raise OutputError("standard output is closed")
    _flush_out(b"")
    for chunk in chunks_of(data):  # what making a chunk raises is not an output error
        _flush_out(chunk)


def _flush_out(chunk: bytes) -> None:
    try:
        if chunk:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc)) from None


def for_terminal(text_: str) -> bytes:
    """Text in standard output's encoding; what it cannot show becomes ``?`` (a Latin-1
    terminal gets ``?`` for a dash, not a traceback)."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return text_.encode(encoding, "replace")


def writable(target: str, force: bool = False) -> Optional[str]:
    """Why ``target`` cannot be written, or None (``-`` is standard output): asked before the
    work, so that a refusal comes at once; :func:`write` asks again on the file it opens."""
    if target == "-":
        return None
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        return f"-o {target}: directory {directory} does not exist"
    if os.path.isdir(target):
        return f"-o {target}: is a directory"
    from kernel_advisor.atomic import TargetError, refuse_protected

    try:
        refuse_protected(target, os.stat(target), force)
    except OSError:
        return None
    except TargetError as exc:
        return f"-o {exc}"
    return None


def write(target: str, data: Data, force: bool = False) -> Optional[str]:
    """Write by the rule for what ``target`` is (:func:`kernel_advisor.atomic.write_output`);
    ``force`` replaces a write-protected file."""
    if target == "-":
        try:
            emit(data)
        except OutputError as exc:
            return f"-o -: cannot write the output ({exc})"
        return None
    from kernel_advisor.atomic import TargetError, write_output

    try:
        write_output(target, data, force)
    except TargetError as exc:
        return f"-o {exc}"
    except OSError as exc:
        return f"-o {target}: cannot write ({exc.strerror or exc}); nothing was changed"
    return None


def silence_stdout() -> None:
    """After a broken pipe, point standard output at /dev/null, so Python's final flush does
    not complain (the ``signal`` documentation's recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass

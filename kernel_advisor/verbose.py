"""The ``-v`` lines: standard ``logging`` records, with ``logging`` imported only once ``-v``
turned them on (:func:`enable`), so a plain ``check`` does not load it. Library code calls
:func:`info` and :func:`debug` with its module's ``__name__``, as it would a module logger."""

from __future__ import annotations

import sys

_enabled = False


def enable(level: int, prog: str) -> None:
    """``-v`` (1: what was found) or ``-vv`` (2: every file read), on standard error."""
    global _enabled
    import logging

    logging.basicConfig(stream=sys.stderr, format=f"{prog}: %(message)s",
                        level=logging.DEBUG if level > 1 else logging.INFO)
    _enabled = True


def info(name: str, msg: str, *args: object) -> None:
    if _enabled:
        import logging

        logging.getLogger(name).info(msg, *args)


def debug(name: str, msg: str, *args: object) -> None:
    if _enabled:
        import logging

        logging.getLogger(name).debug(msg, *args)

"""The collector zipapp's entry point: ``python3 kernel-advisor-collect.pyz -o host.tar.gz``.

Kept to syntax that every Python 3 parses (as is ``kernel_advisor/__init__.py``, which is imported
first), so an interpreter older than the capture code needs gets one line saying so, not a
``SyntaxError`` from deep inside it. RHEL 8's and Ubuntu 18.04's ``python3`` are 3.6.
"""

import sys

#: the oldest Python the capture code runs on (tests/test_architecture.py and tests/test_fleet.py)
OLDEST = (3, 8)


def run() -> None:
    if sys.version_info < OLDEST:
        sys.stderr.write("kernel-advisor-collect: needs Python %d.%d or newer; %s is Python %s\n"
                         % (OLDEST[0], OLDEST[1], sys.executable or "python3",
                            sys.version.split()[0]))
        sys.exit(2)
    from kernel_advisor.collector import run as collect

    collect()

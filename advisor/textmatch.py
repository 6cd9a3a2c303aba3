r"""Small string matchers that stand in for regular expressions on the start-up path.

``re`` costs more to import than the whole probe takes, and compiling the ~50 patterns the core
once used cost as much again (``bench/RESULTS.md``). The matchers in :mod:`advisor.kernel`,
:mod:`advisor.probe` and :mod:`advisor.stability` are built from these pieces, and
``tests/regex_oracle.py`` keeps the patterns they replaced, which the tests check them against.
``\d`` there is any Unicode decimal digit (:meth:`str.isdecimal`), ``\w`` a letter, digit or
underscore (:meth:`str.isalnum` or ``_``), as in Python's ``re``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing / collections.abc cost start-up time; annotations need neither
if TYPE_CHECKING:
    from collections.abc import Iterator

_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def find_all(text: str, needle: str, start: int = 0) -> Iterator[int]:
    """Every index where ``needle`` starts in ``text``, overlapping ones included."""
    i = text.find(needle, start)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)


def lower_ascii(text: str) -> str:
    """ASCII-only lower-casing (``re.IGNORECASE`` on ASCII): same length, positions stay valid."""
    return text.translate(_LOWER)


def digits_at(text: str, i: int) -> str:
    r"""``\d*`` at ``text[i]``: the run of decimal digits starting there ('' if none)."""
    j = i
    while j < len(text) and text[j].isdecimal():
        j += 1
    return text[i:j]


def digit_tail_start(text: str) -> int:
    r"""Where ``\d*$`` starts: the run of digits that ends ``text`` (``len(text)`` if none)."""
    j = len(text)
    while j and text[j - 1].isdecimal():
        j -= 1
    return j


def ends_dash_digits(text: str) -> bool:
    r"""``-\d+$``"""
    j = digit_tail_start(text)
    return 0 < j < len(text) and text[j - 1] == "-"


def marker_then_digit(text: str, marker: str) -> bool:
    r"""``MARKER\d``: the marker somewhere, followed by a digit."""
    n = len(marker)
    return any(text[i + n:i + n + 1].isdecimal() for i in find_all(text, marker))


def is_word(text: str) -> bool:
    r"""``\w+``: letters, digits and underscores only, at least one."""
    return text.replace("_", "a").isalnum()


def word_starts_at(text: str, i: int) -> bool:
    r"""``\b`` before ``text[i]``: no word character just before it."""
    return i == 0 or not is_word(text[i - 1])


def has_word(text: str, word: str) -> bool:
    r"""``\bWORD\b``: ``word`` with no word character either side."""
    n = len(word)
    return any(word_starts_at(text, i) and not is_word(text[i + n:i + n + 1])
               for i in find_all(text, word))

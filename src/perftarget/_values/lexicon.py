"""The words and symbols of target values, and the scanner primitives the grammars share.

:class:`Comparator` (the symbols ``≥ > ≤ < = ~``); the fold table (full-width and variant
characters to ASCII, one character for one, so error columns are columns of the input); the
words after a number (以上, 以内, 之间...); and the functions over a folded text and a
position that read a number, a unit and a trailing word. The grammar of an amount
(:func:`scan_quantity`, used by :func:`perftarget.parse_quantity`) is here; the grammar of a
target (:meth:`perftarget.Threshold.parse`) builds on the same primitives.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import enum
from decimal import Decimal
from functools import lru_cache
from typing import Final

from perftarget._limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT, check_number
from perftarget._values.dimensions import TRADITIONAL_FOLD, normalize_unit
from perftarget.exceptions import LimitExceededError

__all__ = ["FOLD", "Comparator", "NotATargetError", "scan_quantity"]


class Comparator(enum.Enum):
    """计算符号: how the actual value is compared with the target value.

    The value of each member is its canonical symbol; ``BETWEEN`` (``~``) is a range
    (区间) such as ``90%~100%``.

    .. versionadded:: 0.1.0
    """

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    BETWEEN = "~"

    @property
    def higher_is_better(self) -> bool | None:
        """``True`` for ≥ and > (正向), ``False`` for ≤ and < (反向), ``None`` otherwise."""
        if self in (Comparator.GE, Comparator.GT):
            return True
        if self in (Comparator.LE, Comparator.LT):
            return False
        return None


# --- the lexicon -------------------------------------------------------------------------

_WHITESPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ZERO_WIDTH: Final = "\u200b\u200c\u200d\u2060\ufeff"


def _fold_table() -> dict[int, str]:
    table = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}  # full-width ASCII: ０-９ ％ ＞ ［ ～ ...
    table.update(dict.fromkeys(map(ord, _WHITESPACE + _ZERO_WIDTH), " "))
    variants = {
        "≧": "≥", "⩾": "≥", "≮": "≥", "≦": "≤", "⩽": "≤", "≯": "≤", "﹥": ">", "﹤": "<", "﹦": "=",
        "〜": "~", "∼": "~", "–": "-", "−": "-", "﹣": "-", "‐": "-", "‑": "-", "―": "—", "﹪": "%",
        "【": "[", "】": "]",
    }
    table.update({ord(key): value for key, value in variants.items()})
    table.update(TRADITIONAL_FOLD)  # 萬元, 個, 以內, 之間, 不低於: the grammar's words in traditional characters
    return table


# One character in, one character out, so columns in the folded text are columns in the input.
FOLD: Final = _fold_table()

# Words after the number, longest first; 之间 closes a range.
_SUFFIXES: Final[tuple[tuple[str, Comparator], ...]] = tuple(
    sorted(
        {
            "及以上": Comparator.GE, "或以上": Comparator.GE, "以上": Comparator.GE,
            "及以下": Comparator.LE, "或以下": Comparator.LE, "以下": Comparator.LE,
            "以内": Comparator.LE, "之内": Comparator.LE, "内": Comparator.LE,
            "之前": Comparator.LE, "以前": Comparator.LE, "前": Comparator.LE,
            "之间": Comparator.BETWEEN,
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
_SUFFIX_WORDS: Final = dict(_SUFFIXES)
_SUFFIX_LAST: Final = frozenset(word[-1] for word, _ in _SUFFIXES)
_INCLUSIVE: Final = "(含)"

_NOT_IN_UNITS: Final = frozenset("至到")
_UNIT_SYMBOLS: Final = frozenset("%‰℃°²³·")
_TRAILING: Final = frozenset("。.,;! ")
_MAX_UNIT_PART: Final = 8
_CACHE_MAX_LENGTH: Final = 256

_UNIT_EXAMPLES: Final = "a unit such as %, 个, 万元 or 小时/天"
class NotATargetError(Exception):
    """Internal: the text is not a complete target; ``expected`` at 0-based ``pos``."""

    def __init__(self, expected: str, pos: int) -> None:
        super().__init__(expected)
        self.expected = expected
        self.pos = pos


def _is_unit_char(c: str) -> bool:
    return c in _UNIT_SYMBOLS or (c.isalpha() and c not in _NOT_IN_UNITS)


@lru_cache(maxsize=4096)
def _unit_shape_ok(unit: str) -> bool:
    """Whether ``unit`` reads back as exactly this unit after a comparator symbol."""
    if unit != normalize_unit(unit) or unit.translate(FOLD) != unit:
        return False
    parts = unit.split("/")
    if len(parts) > 2 or any(word and unit.endswith(word) for word, _ in _SUFFIXES):  # noqa: PLR2004 - A/B
        return False
    for part in parts:
        if not part or len(part) > _MAX_UNIT_PART or not all(_is_unit_char(c) for c in part):
            return False
        if ("%" in part or "‰" in part) and part not in ("%", "‰"):
            return False
    return True


# --- the scanner: functions over the folded text and a position --------------------------


def _skip(s: str, p: int) -> int:
    n = len(s)
    while p < n and s[p] == " ":
        p += 1
    return p


def _at_number(s: str, p: int) -> bool:
    n = len(s)
    if p < n and s[p] in "+-":
        p += 1
    return p < n and "0" <= s[p] <= "9"


def _number(s: str, p: int, *, groups: bool = True) -> tuple[Decimal, int]:
    """An ASCII number at ``p`` (which :func:`_at_number` accepted): sign, digits, ``,ddd`` groups, fraction.

    Inside ``[a,b]`` the comma separates the bounds, so ``groups`` is off there.
    """
    n = len(s)
    start = p
    if s[p] in "+-":
        p += 1
    digits = p
    while p < n and "0" <= s[p] <= "9":
        p += 1
    grouped = False
    if groups and p - digits <= 3:  # noqa: PLR2004 - thousands groups follow 1 to 3 digits
        while p + 3 < n + 1 and s[p] == "," and _three_digits(s, p + 1) and not (p + 4 < n and "0" <= s[p + 4] <= "9"):
            p += 4
            grouped = True
    if p + 1 < n and s[p] == "." and "0" <= s[p + 1] <= "9":
        p += 2
        while p < n and "0" <= s[p] <= "9":
            p += 1
    text = s[start:p].replace(",", "") if grouped else s[start:p]
    if len(text) > _LONGEST_NUMBER:
        raise NotATargetError(_IN_RANGE, start)
    value = Decimal(text)
    try:
        check_number(value)
    except LimitExceededError:
        raise NotATargetError(_IN_RANGE, start) from None
    return value, p


_LONGEST_NUMBER: Final = MAX_NUMBER_DIGITS + MAX_NUMBER_EXPONENT + 3  # digits, leading zeros, sign and point
_IN_RANGE: Final = (
    f"a number of at most {MAX_NUMBER_DIGITS} significant digits between 10^-{MAX_NUMBER_EXPONENT} "
    f"and 10^{MAX_NUMBER_EXPONENT} (limits number_digits, number_exponent)"
)


def _three_digits(s: str, p: int) -> bool:
    return p + 3 <= len(s) and "0" <= s[p] <= "9" and "0" <= s[p + 1] <= "9" and "0" <= s[p + 2] <= "9"


def _run(s: str, p: int) -> int:
    """The end of the unit characters (letters, % ‰ ℃ ° ² ³ ·) starting at ``p``."""
    n = len(s)
    while p < n:
        c = s[p]
        if c in _UNIT_SYMBOLS or (c.isalpha() and c not in _NOT_IN_UNITS):
            p += 1
        else:
            break
    return p


def _unit(s: str, p: int) -> tuple[str, Comparator | None, int, int, int]:
    """The unit after a number and a trailing word (以上, 以内, 之间...).

    Returns the normalised unit, the comparator of the trailing word (``BETWEEN`` for 之间)
    or ``None``, where the unit starts, where the word starts, and where reading stopped.
    """
    n = len(s)
    start = _skip(s, p)
    end = _run(s, start)
    raw = s[start:end]
    q = _skip(s, end)
    if q < n and s[q] == "/":
        q = _skip(s, q + 1)
        end = _run(s, q)
        raw = f"{raw}/{s[q:end]}"
    if raw and raw[-1] in _SUFFIX_LAST:
        for word, comparator in _SUFFIXES:
            if raw.endswith(word):
                unit = normalize_unit(raw[: -len(word)])
                return unit, comparator, start, end - len(word), _after_word(s, end, comparator)
    suffix, suffix_at, end = _separate_word(s, end)
    return (normalize_unit(raw) if raw else ""), suffix, start, suffix_at, end


def _separate_word(s: str, p: int) -> tuple[Comparator | None, int, int]:
    """A trailing word set apart from the unit (``95% 以上``, ``90%(含)以上``): comparator, start, end."""
    q = _skip(s, p)
    included = s.startswith(_INCLUSIVE, q)
    if included:
        q = _skip(s, q + len(_INCLUSIVE))
    word_end = _run(s, q)
    found = _SUFFIX_WORDS.get(s[q:word_end])
    if found is not None:
        return found, q, _after_word(s, word_end, found)
    if included:
        raise NotATargetError("以上 or 以下 after (含)", q)
    return None, p, p


def _after_word(s: str, p: int, word: Comparator) -> int:
    """Past an optional ``(含)`` after 以上/以下 (``95%以上(含)``)."""
    if word is Comparator.BETWEEN:
        return p
    q = _skip(s, p)
    return q + len(_INCLUSIVE) if s.startswith(_INCLUSIVE, q) else p


def _end(s: str, p: int, what: str = "the end of the target") -> None:
    """Only spaces and closing punctuation (。 , ; !) may follow ``p``."""
    n = len(s)
    p = _skip(s, p)
    q = p
    while q < n and s[q] in _TRAILING:
        q += 1
    if q < n:
        raise NotATargetError(what, p)


def scan_quantity(s: str) -> tuple[Decimal, str]:
    """The number and normalised unit of a folded amount text; raises :class:`NotATargetError`."""
    p = _skip(s, 0)
    if not _at_number(s, p):
        raise NotATargetError("a number", p)
    value, p = _number(s, p)
    unit, suffix, unit_at, suffix_at, p = _unit(s, p)
    if suffix is not None:
        raise NotATargetError("the end of the amount", suffix_at)
    _end(s, p, "the end of the amount")
    if unit and not _unit_shape_ok(unit):
        raise NotATargetError(_UNIT_EXAMPLES, unit_at)
    return value, unit




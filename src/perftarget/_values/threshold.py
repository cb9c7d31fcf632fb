"""The target value of an indicator (指标值): :class:`Threshold`, its grammar and its checks.

The grammar is read by a hand-written scanner (no regular expression at all): it looks
at each character a bounded number of times, so any text is read or rejected in time
linear in its length. Every notation in ``docs/guide/thresholds.md`` is covered there
with examples; the rules in brief:

* the text is first *folded* one character for one character (full-width digits and
  signs, ``≧ ≦ ⩾ ⩽ ≮ ≯``, every kind of space), so error columns are columns of the
  input;
* ``无``, ``/``, ``—``, ``-`` and 不适用 are *not applicable* (the row does not apply);
  the empty text (or spaces) is *blank*: no target is printed, but the row counts;
* a comparator symbol (``≥ > ≤ < =``, ``>= <= == => =<``) commits the text: what follows
  must be a number, a unit and an optional agreeing word, or
  :class:`~perftarget.exceptions.ThresholdSyntaxError` is raised, as it is for a text
  opening ``[`` and a number (an interval);
* anything else (a comparator word such as 不低于, a bare number, a range) reads as a
  target when it is one completely, and otherwise as a qualitative statement kept
  verbatim.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import operator
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Final

import attrs

from perftarget._values.lexicon import (
    _CACHE_MAX_LENGTH,
    _UNIT_EXAMPLES,
    FOLD,
    Comparator,
    NotATargetError,
    _at_number,
    _end,
    _number,
    _skip,
    _unit,
    _unit_shape_ok,
)
from perftarget._values.numbers import format_number, to_decimal
from perftarget._values.units import Quantity, convert, dimension_of, is_known_unit, normalize_unit, parse_quantity
from perftarget.exceptions import InvalidActualError, InvalidValueError, ThresholdSyntaxError, shown

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Achievement",
    "Comparator",
    "Deadline",
    "Threshold",
    "ThresholdKind",
    "parse_quantity",
    "parse_statement",
]



class ThresholdKind(enum.Enum):
    """定量 (quantitative), 定性 (qualitative), 不适用 (not applicable) or blank (no target printed).

    ``NOT_APPLICABLE`` is a row written 无 (or ``/``, ``—``, 不适用): it does not apply, has no
    weight and scores nothing. ``BLANK`` is a row whose target cell is empty: the table prints
    no target, but the row still counts (it keeps its weight, and a self-evaluation takes the
    score printed for it).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``BLANK``: the empty text was read as ``NOT_APPLICABLE`` before.
    """

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    NOT_APPLICABLE = "not_applicable"
    BLANK = "blank"


class Achievement(enum.Enum):
    """The three achievement bands of a qualitative indicator (10号): 达成 / 部分达成 / 未达成.

    .. versionadded:: 0.1.0
    """

    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"

    @property
    def english(self) -> str:
        """The English name of the band."""
        return _ACHIEVEMENT_EN[self]

    @classmethod
    def from_text(cls, text: str) -> Achievement | None:
        """The band named by ``text`` (Chinese or English, several spellings), or ``None``."""
        return _ACHIEVEMENT_WORDS.get(text.strip().lower())


_ACHIEVEMENT_EN: Final = {
    Achievement.ACHIEVED: "achieved",
    Achievement.PARTIAL: "partially achieved",
    Achievement.NOT_ACHIEVED: "not achieved",
}
_ACHIEVEMENT_WORDS: Final[dict[str, Achievement]] = {
    **dict.fromkeys(
        (
            "达成", "已达成", "完成", "已完成", "达成预期指标", "达成年度指标", "达到预期", "达成目标",
            "按时", "按时完成", "按期完成", "如期完成", "按时办结", "on time",
            "achieved", "met", "done", "full",
        ),
        Achievement.ACHIEVED,
    ),
    **dict.fromkeys(
        (
            "部分达成", "基本达成", "基本完成", "部分完成", "部分达成年度指标并具有一定效果",
            "partially achieved", "partial", "partly achieved", "partially met",
        ),
        Achievement.PARTIAL,
    ),
    **dict.fromkeys(
        ("未达成", "未完成", "没有达成", "未达成年度指标且效果较差", "未按时完成", "未按期完成", "逾期", "逾期完成",
         "延期完成", "not achieved", "not met", "missed", "failed", "late"),
        Achievement.NOT_ACHIEVED,
    ),
}

# Ordinal scales, best first; a label names (scale, rank).
_SCALES: Final[tuple[tuple[str, ...], ...]] = (
    ("优", "良", "中", "差"),
    ("优秀", "良好", "合格", "不合格"),
    ("好", "较好", "一般", "差"),
    ("显著", "明显", "一般", "不明显"),
    ("高", "较高", "一般", "低"),
)
_SCALE_RANK: Final[dict[str, list[tuple[int, int]]]] = {}
for _scale_index, _scale in enumerate(_SCALES):
    for _rank, _label in enumerate(_scale):
        _SCALE_RANK.setdefault(_label, []).append((_scale_index, _rank))
_SCALE_ALIASES: Final = {"效果显著": "显著", "效果明显": "明显", "效果一般": "一般", "较差": "差"}

_NOT_APPLICABLE_TEXTS: Final = frozenset(
    {"无", "/", "//", "—", "——", "-", "--", "不适用", "n/a", "na", "none", "null", "…", "……", "..."}
)

_SYMBOLS_2: Final = {">=": Comparator.GE, "=>": Comparator.GE, "<=": Comparator.LE, "=<": Comparator.LE,
                     "==": Comparator.EQ}
_SYMBOLS_1: Final = {"≥": Comparator.GE, ">": Comparator.GT, "≤": Comparator.LE, "<": Comparator.LT,
                     "=": Comparator.EQ}
_SYMBOL_FIRST: Final = frozenset(_SYMBOLS_1)

# Comparator words before the number. 以上/以下/以内 after it include the number itself.
_PREFIX_WORDS: Final[dict[str, Comparator]] = {
    **dict.fromkeys(
        ("大于或等于", "大于等于", "高于或等于", "高于等于", "不低于", "不少于", "不小于", "至少", "最少", "最低",
         "达到", "不得低于", "不得少于", "不得小于", "不应低于", "应不低于"),
        Comparator.GE,
    ),
    **dict.fromkeys(("大于", "高于", "超过", "多于", "超出"), Comparator.GT),
    **dict.fromkeys(
        ("小于或等于", "小于等于", "低于或等于", "低于等于", "不高于", "不超过", "不大于", "不多于", "不超出",
         "至多", "最多", "最高", "未超过", "不得高于", "不得超过", "不得大于", "不得多于", "不应高于",
         "不应超过", "应不高于", "应不超过"),
        Comparator.LE,
    ),
    **dict.fromkeys(("小于", "低于", "少于", "不足", "不到"), Comparator.LT),
    "等于": Comparator.EQ,
}
# Lead words that say nothing by themselves: a range or a trailing word must follow
# (在3个工作日内, 介于90%至100%之间); 控制在 alone means ≤ (控制在90万元).
_LEAD_WORDS: Final[dict[str, Comparator | None]] = {"控制在": Comparator.LE, "介于": None, "在": None}

_WORDS_BY_FIRST: Final[dict[str, tuple[tuple[str, Comparator | None, bool], ...]]] = {}
for _word, _comparator, _is_lead in sorted(
    [(w, c, False) for w, c in _PREFIX_WORDS.items()] + [(w, c, True) for w, c in _LEAD_WORDS.items()],
    key=lambda item: -len(item[0]),
):
    _WORDS_BY_FIRST[_word[0]] = (*_WORDS_BY_FIRST.get(_word[0], ()), (_word, _comparator, _is_lead))

_RANGE_SEPARATORS: Final = frozenset("-~至到—")
_KNOWN_UNIT_EXAMPLES: Final = "a known unit such as %, 个, 人次, 天, 万元 or 小时/天"


def _unit_ok(unit: str, *, known: bool) -> bool:
    if not unit:
        return True
    return _unit_shape_ok(unit) and (not known or is_known_unit(unit))


def _number_text(value: Decimal) -> str:
    """Canonical digits: positional, no exponent, no trailing fractional zeros."""
    text = format_number(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@attrs.frozen(kw_only=True)
class Threshold:
    """A target value (指标值): ``≥95%``, ``≤90万元``, ``90%~100%``, ``按时发放``, ``无`` or blank.

    Build one with :meth:`parse` or the named constructors :meth:`at_least`,
    :meth:`at_most`, :meth:`exactly`, :meth:`between`, :meth:`qualitative`,
    :meth:`not_applicable` and :meth:`blank`. ``str(threshold)`` is the canonical text (symbol, number,
    unit, no spaces) and ``Threshold.parse(str(t)) == t``; :attr:`source` keeps the text
    it was read from (it takes no part in equality) and :attr:`display` shows it.

    Attributes:
        kind: quantitative, qualitative, not applicable (无) or blank (no target printed;
            ``str()`` is ``""``).
        comparator: for a quantitative target, how the actual compares (≥ > ≤ < = or a range).
        value: the number (the lower bound of a range).
        upper: the upper bound of a range, else ``None``.
        unit: the normalised unit (``"%"``, ``"万元"``, ``"小时/天"``), or ``""``.
        statement: the text of a qualitative target, verbatim.
        inferred: the comparator was not written (a bare value such as ``100%``);
            ``str()`` writes the value back bare.
        source: the text the threshold was read from, if any.

    .. versionadded:: 0.1.0
    """

    kind: ThresholdKind
    comparator: Comparator | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str = ""
    statement: str = ""
    inferred: bool = False
    source: str | None = attrs.field(default=None, eq=False, repr=False)

    NOT_APPLICABLE_TEXT: ClassVar[str] = "无"

    def __attrs_post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not isinstance(self.inferred, bool):
            raise InvalidValueError(f"'inferred' must be a bool (got {self.inferred!r})", field="inferred")
        if self.source is not None and not isinstance(self.source, str):
            raise InvalidValueError(f"'source' must be a str or None (got {self.source!r})", field="source")
        if not isinstance(self.unit, str) or not isinstance(self.statement, str):
            raise InvalidValueError("'unit' and 'statement' must be str", field="unit")
        if self.kind is ThresholdKind.QUANTITATIVE:
            self._check_quantitative()
            return
        if not isinstance(self.kind, ThresholdKind):
            raise InvalidValueError(f"'kind' must be a ThresholdKind (got {self.kind!r})", field="kind")
        if self.comparator is not None or self.value is not None or self.upper is not None or self.unit:
            msg = f"a {self.kind.value} threshold has no comparator, value or unit"
            raise InvalidValueError(msg, field="comparator")
        if self.inferred:
            raise InvalidValueError(f"a {self.kind.value} threshold cannot be inferred", field="inferred")
        if self.kind is ThresholdKind.NOT_APPLICABLE or self.kind is ThresholdKind.BLANK:
            if self.statement:
                raise InvalidValueError(f"a {self.kind.value} threshold has no statement", field="statement")
            return
        self._check_statement()

    def _check_quantitative(self) -> None:
        comparator = self.comparator
        if not isinstance(comparator, Comparator):
            msg = f"a quantitative threshold needs a Comparator (got {comparator!r})"
            raise InvalidValueError(msg, field="comparator")
        if not isinstance(self.value, Decimal) or not self.value.is_finite():
            raise InvalidValueError(f"'value' must be a finite Decimal (got {self.value!r})", field="value")
        ranged = comparator is Comparator.BETWEEN
        if ranged:
            if not isinstance(self.upper, Decimal) or not self.upper.is_finite():
                msg = f"a range needs a finite Decimal 'upper' (got {self.upper!r})"
                raise InvalidValueError(msg, field="upper")
            if self.upper < self.value:
                msg = f"a range must run from low to high (got {self.value} to {self.upper})"
                raise InvalidValueError(msg, field="upper")
            if self.inferred:
                raise InvalidValueError("a range cannot have an inferred comparator", field="inferred")
        elif self.upper is not None:
            raise InvalidValueError("'upper' is only for ranges", field="upper")
        if not _unit_ok(self.unit, known=self.inferred or ranged):
            what = "a known unit" if self.inferred or ranged else "a unit"
            msg = (
                f"'unit' must be {what}, normalised, without 以上/以下/以内 (got {self.unit!r}); "
                "bare values and ranges need a known unit such as %, 个, 人次, 天, 万元 or 小时/天"
            )
            raise InvalidValueError(msg, field="unit", value=self.unit)
        if self.statement:
            raise InvalidValueError("a quantitative threshold has no statement", field="statement")

    def _check_statement(self) -> None:
        statement = self.statement
        if not statement or statement != statement.strip():
            msg = f"a qualitative statement must be non-empty without surrounding spaces (got {statement!r})"
            raise InvalidValueError(msg, field="statement")
        try:
            reread = _parse_any(statement, Comparator.GE)
        except ThresholdSyntaxError as exc:
            msg = f"{statement!r} is not a statement but a malformed target ({exc.expected} at column {exc.column})"
            raise InvalidValueError(msg, field="statement", value=statement) from None
        if reread.kind is not ThresholdKind.QUALITATIVE:
            msg = f"{statement!r} reads as {reread.kind.value}, not as a statement; use Threshold.parse"
            raise InvalidValueError(msg, field="statement", value=statement)

    # --- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, *, bare: Comparator = Comparator.GE) -> Threshold:
        """Read a target value as written in a table cell.

        Args:
            text: ``"≥95%"``, ``"≥8 小时/天"``, ``"不低于90%"``, ``"95%以上"``, ``"90%~100%"``,
                ``"[90%,100%]"``, ``"按时发放"``, ``"无"``...
            bare: the comparator given to a bare value such as ``"100%"`` (policy: ≥ by
                default). The result is marked :attr:`inferred` and is written back bare.

        Raises:
            ThresholdSyntaxError: the text opens with a comparator symbol (or ``[`` and a
                number) but does not go on as a target; the error carries the text, the
                1-based column and what was expected there.

        >>> str(Threshold.parse("≥ 8 小时／天"))
        '≥8小时/天'
        >>> Threshold.parse("100%").inferred
        True

        .. versionadded:: 0.1.0
        """
        if not isinstance(text, str):
            msg = f"Threshold.parse() takes a str (got {type(text).__name__})"
            raise TypeError(msg)
        if bare is not Comparator.GE and (not isinstance(bare, Comparator) or bare is Comparator.BETWEEN):
            msg = f"'bare' must be one of ≥ > ≤ < = (got {bare!r})"
            raise InvalidValueError(msg, field="bare", value=bare)
        return _parse_any(text, bare)

    @classmethod
    def at_least(cls, value: object, unit: str = "") -> Threshold:
        """``≥ value unit`` (正向).

        >>> str(Threshold.at_least(95, "%"))
        '≥95%'
        """
        return cls._quantity(Comparator.GE, value, unit)

    @classmethod
    def at_most(cls, value: object, unit: str = "") -> Threshold:
        """``≤ value unit`` (反向).

        >>> str(Threshold.at_most("90", "万元"))
        '≤90万元'
        """
        return cls._quantity(Comparator.LE, value, unit)

    @classmethod
    def exactly(cls, value: object, unit: str = "") -> Threshold:
        """``= value unit``."""
        return cls._quantity(Comparator.EQ, value, unit)

    @classmethod
    def between(cls, low: object, high: object, unit: str = "") -> Threshold:
        """``low~high unit``: met inside the range (区间), bounds included.

        >>> str(Threshold.between(90, 100, "%"))
        '90%~100%'
        """
        return cls(
            kind=ThresholdKind.QUANTITATIVE,
            comparator=Comparator.BETWEEN,
            value=to_decimal(low, field="low"),
            upper=to_decimal(high, field="high"),
            unit=normalize_unit(unit),
        )

    @classmethod
    def _quantity(cls, comparator: Comparator, value: object, unit: str) -> Threshold:
        return cls(
            kind=ThresholdKind.QUANTITATIVE,
            comparator=comparator,
            value=to_decimal(value),
            unit=normalize_unit(unit),
        )

    @classmethod
    def qualitative(cls, statement: str) -> Threshold:
        """A 定性 target kept verbatim, e.g. ``按时发放`` or ``良好``.

        Raises:
            InvalidValueError: ``statement`` is empty, has surrounding spaces, or reads as
                a number or as 无 (use :meth:`parse` for those).
        """
        return cls(kind=ThresholdKind.QUALITATIVE, statement=statement)

    @classmethod
    def not_applicable(cls) -> Threshold:
        """The 无 of a row that does not apply."""
        return cls(kind=ThresholdKind.NOT_APPLICABLE)

    @classmethod
    def blank(cls) -> Threshold:
        """The empty target of a row that prints none but still counts (``Threshold.parse("")``).

        >>> Threshold.blank() == Threshold.parse(""), str(Threshold.blank())
        (True, '')

        .. versionadded:: 0.2.0
        """
        return cls(kind=ThresholdKind.BLANK)

    # --- reading ------------------------------------------------------------------------

    @property
    def is_quantitative(self) -> bool:
        """Whether the target is quantitative (定量): a comparator and a number."""
        return self.kind is ThresholdKind.QUANTITATIVE

    @property
    def is_qualitative(self) -> bool:
        """Whether the target is qualitative (定性): a statement kept verbatim."""
        return self.kind is ThresholdKind.QUALITATIVE

    @property
    def is_applicable(self) -> bool:
        """Whether the row applies (``False`` for 无 / ``/`` rows; a blank target applies)."""
        return self.kind is not ThresholdKind.NOT_APPLICABLE

    @property
    def is_blank(self) -> bool:
        """Whether no target is printed (an empty cell): the row counts, but has nothing to compare with.

        .. versionadded:: 0.2.0
        """
        return self.kind is ThresholdKind.BLANK

    @property
    def display(self) -> str:
        """The text as it was read, while it still reads as this threshold; else the canonical text.

        A threshold changed with ``attrs.evolve`` keeps its old ``source``; ``display``
        then shows the new value, not the stale text.
        """
        source = self.source
        if source is not None:
            bare = self.comparator if self.inferred and self.comparator is not None else Comparator.GE
            try:
                if _parse_any(source, bare) == self:
                    return source
            except ThresholdSyntaxError:
                pass
        return str(self)

    def __str__(self) -> str:
        if self.kind is ThresholdKind.NOT_APPLICABLE or self.kind is ThresholdKind.BLANK:
            return self.NOT_APPLICABLE_TEXT if self.kind is ThresholdKind.NOT_APPLICABLE else ""
        if self.kind is ThresholdKind.QUALITATIVE:
            return self.statement
        value, comparator = self.value, self.comparator
        if value is None or comparator is None:  # pragma: no cover - excluded by _check
            return self.NOT_APPLICABLE_TEXT
        number = f"{_number_text(value)}{self.unit}"
        if comparator is Comparator.BETWEEN and self.upper is not None:
            return f"{number}~{_number_text(self.upper)}{self.unit}"
        if self.inferred:
            return number
        return f"{comparator.value}{number}"

    # --- checking actual values ---------------------------------------------------------

    def actual_in_unit(self, actual: object) -> Decimal:
        """``actual`` expressed in this target's unit (``"95000元"`` against ``≤10万元`` gives 9.5).

        ``actual`` may be a number (``int``, ``Decimal``, numeric ``str`` without a unit, or a
        ``float`` taken by its shortest repr), taken to be in the target's unit; a
        :class:`Quantity`; or text with a unit such as ``"96%"``, ``"7.5小时/天"``, ``"1,200人次"``.

        Raises:
            InvalidActualError: the target is not quantitative, or ``actual`` is not a number.
            UnitMismatchError: ``actual`` is in a unit of another dimension (``"3天"``
                against ``≥95%``; ``"96%"`` against a target written without a unit).

        >>> Threshold.parse("≤10万元").actual_in_unit("95000元")
        Decimal('9.5')
        """
        if self.kind is ThresholdKind.BLANK:
            raise InvalidActualError("no target is printed (blank): no actual can be compared with it")
        if self.kind is not ThresholdKind.QUANTITATIVE:
            raise InvalidActualError(f"target {self.display!r} is not quantitative; no number applies")
        if isinstance(actual, Quantity):
            quantity = actual
        elif isinstance(actual, str):
            try:
                quantity = parse_quantity(actual)
            except ThresholdSyntaxError as exc:
                msg = f"actual {shown(actual)} is not a number with a unit ({exc.expected} at column {exc.column})"
                raise InvalidActualError(msg) from None
        else:
            try:
                return to_decimal(actual, field="actual")
            except InvalidValueError as exc:
                raise InvalidActualError(str(exc)) from None
        if not quantity.unit:
            return quantity.value
        return convert(quantity.value, quantity.unit, self.unit)

    def is_met(self, actual: object) -> bool:
        """Whether ``actual`` meets the target, direction-aware and unit-aware.

        ≥ > ≤ < = compare as written; a range is met inside, bounds included. For
        qualitative targets ``actual`` is an :class:`Achievement` or its text
        (达成/部分达成/未达成, or English), a grade on the target's ordinal scale
        (优/良/中/差, 好/较好/一般/差, 显著/明显/一般...), or the statement itself; met means
        the band 达成 (see :meth:`achievement`). How much a missed target scores is the
        scoring rulebook's (``ScoringPolicy.attainment``), not the threshold's.

        >>> Threshold.parse("≤10万元").is_met("95000元")
        True

        Raises:
            InvalidActualError: ``actual`` cannot be compared with this target (or the
                target is 无 or blank).
            UnitMismatchError: ``actual`` is in a unit of another dimension.
        """
        if self.judged_by_band(actual):
            return self.achievement(actual) is Achievement.ACHIEVED
        b = self.actual_in_unit(actual)
        a, comparator = self.value, self.comparator
        if a is None or comparator is None:  # pragma: no cover - excluded by _check
            return False
        if comparator is Comparator.BETWEEN:
            return self.upper is not None and a <= b <= self.upper
        return _TESTS[comparator](b, a)

    def achievement(self, actual: object) -> Achievement:
        """The band (达成 / 部分达成 / 未达成) a qualitative actual reaches against this target.

        ``actual`` is an :class:`Achievement` or its text (Chinese or English), the statement
        itself (达成), or a grade on the target's ordinal scale (优/良/中/差, 好/较好/一般/差,
        显著/明显/一般...): at or above the target 达成, one step below 部分达成, further below
        未达成. What each band scores is the scoring policy's (see ``ScoringPolicy``).

        >>> Threshold.parse("良好").achievement("合格")
        <Achievement.PARTIAL: '部分达成'>

        Raises:
            InvalidActualError: the target is not qualitative, or ``actual`` names no band.

        .. versionadded:: 0.2.0
        """
        if self.kind is not ThresholdKind.QUALITATIVE and not self.judged_by_band(actual):
            msg = (
                "no target is printed (blank): no achievement band can be judged" if self.kind is ThresholdKind.BLANK
                else f"target {self.display!r} is not qualitative: it has no achievement bands"
            )
            raise InvalidActualError(msg)
        if isinstance(actual, Achievement):
            return actual
        deadline = self.deadline
        day = _actual_date(actual)
        if deadline is not None and day is not None:
            return Achievement.ACHIEVED if deadline.met_on(day) else Achievement.NOT_ACHIEVED
        if not isinstance(actual, str):
            msg = f"target {self.statement!r} is qualitative: give 达成/部分达成/未达成, not {shown(actual)}"
            raise InvalidActualError(msg)
        band = Achievement.from_text(actual)
        if band is not None:
            return band
        text = actual.strip()
        if text == self.statement:
            return Achievement.ACHIEVED
        band = _on_scale(self.statement, text)
        if band is not None:
            return band
        if day is not None:
            msg = f"target {self.statement!r} names no date to compare {shown(actual)} with: give 达成 or 未达成"
            raise InvalidActualError(msg)
        msg = (
            f"cannot compare {shown(actual)} with qualitative target {self.statement!r}: "
            "give 达成/部分达成/未达成 (achieved/partially achieved/not achieved)"
        )
        raise InvalidActualError(msg)

    # --- deadlines ----------------------------------------------------------------------

    @property
    def deadline(self) -> Deadline | None:
        """The date a calendar deadline names (``10月底前``, ``12月底前完成``, ``≤10月底``), else ``None``.

        >>> print(Threshold.parse("12月底前完成").deadline)
        12月底

        .. versionadded:: 0.2.0
        """
        if self.kind is not ThresholdKind.QUALITATIVE:
            return None
        return _deadline_in(self.statement.translate(FOLD))

    @property
    def is_deadline(self) -> bool:
        """Whether the target is a deadline: a date, a time limit or on time.

        A date to meet (``10月底前``), a time limit (``3个工作日内``, ``≤24小时``), or on time
        (``按时发放``, ``及时拨付``: a deadline set elsewhere, met or not).

        .. versionadded:: 0.2.0
        """
        if self.kind is ThresholdKind.QUALITATIVE:
            return self.statement.startswith(_ON_TIME_WORDS) or self.deadline is not None
        return (
            self.kind is ThresholdKind.QUANTITATIVE
            and self.comparator in (Comparator.LE, Comparator.LT)
            and _is_duration(self.unit)
        )

    def judged_by_band(self, actual: object) -> bool:
        """Whether ``actual`` is judged as a band (达成/未达成) against this target, not as a number.

        Always for a qualitative target; for a time limit (``3个工作日内``) when ``actual`` is a
        met/not-met statement (达成, 按时完成, 未按时完成, an :class:`Achievement`). The one rule
        of :meth:`is_met`, :meth:`achievement` and the scoring of such actuals.

        .. versionadded:: 0.2.0
        """
        if self.kind is ThresholdKind.QUALITATIVE:
            return True
        if not self.is_deadline:
            return False
        if isinstance(actual, Achievement):
            return True
        return isinstance(actual, str) and Achievement.from_text(actual) is not None


_TESTS: Final[dict[Comparator, Callable[[Decimal, Decimal], bool]]] = {
    Comparator.GE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.eq,
}


def _on_scale(target: str, actual: str) -> Achievement | None:
    """The band of a grade against a target on the same ordinal scale (良好 against 合格: 部分达成), or ``None``."""
    target_label = _SCALE_ALIASES.get(target, target)
    actual_label = _SCALE_ALIASES.get(actual, actual)
    for scale, target_rank in _SCALE_RANK.get(target_label, ()):
        for actual_scale, actual_rank in _SCALE_RANK.get(actual_label, ()):
            if actual_scale == scale:
                gap = actual_rank - target_rank
                if gap <= 0:
                    return Achievement.ACHIEVED
                return Achievement.PARTIAL if gap == 1 else Achievement.NOT_ACHIEVED
    return None


# --- deadlines -----------------------------------------------------------------------------------


@attrs.frozen
class Deadline:
    """The date a deadline target names: a month's end (``10月底``) or a day (``6月30日``), maybe of a year.

    Attributes:
        month: 1-12.
        day: the day of the month, or ``None`` for its last day (月底, 月末, 年底).
        year: the year when the target names one (``2022年10月底前``), else ``None``: the
            deadline then falls in the year of the actual date it is judged against.

    .. versionadded:: 0.2.0
    """

    month: int
    day: int | None = None
    year: int | None = None

    def date_in(self, year: int) -> dt.date:
        """The deadline's date in ``year`` (its own year when it names one)."""
        year = self.year if self.year is not None else year
        last = calendar.monthrange(year, self.month)[1]
        return dt.date(year, self.month, last if self.day is None else min(self.day, last))

    def met_on(self, day: dt.date) -> bool:
        """Whether something done on ``day`` meets the deadline: on or before its date."""
        return day <= self.date_in(day.year)

    def __str__(self) -> str:
        year = "" if self.year is None else f"{self.year}年"
        return f"{year}{self.month}月{'底' if self.day is None else f'{self.day}日'}"


_CHINESE_DIGITS: Final = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_BEFORE_WORDS: Final = ("之前", "以前", "前")
_DEADLINE_SYMBOLS: Final = ("<=", "≤", "<")
_DEADLINE_TAIL_MAX: Final = 24
_ON_TIME_WORDS: Final = ("按时", "按期", "如期", "及时")
_DURATION_DIMENSIONS: Final = frozenset({"days", "minutes", "months", "个工作日", "工作日", "秒"})


def _is_duration(unit: str) -> bool:
    """Whether ``unit`` measures a length of time (天, 个工作日, 小时, 月...), not a rate (小时/天)."""
    if not unit or "/" in unit:
        return False
    try:
        return dimension_of(unit)[0] in _DURATION_DIMENSIONS
    except (InvalidValueError, KeyError):  # pragma: no cover - dimension_of answers every unit
        return False


def _digits(s: str, p: int, most: int) -> tuple[int, int] | None:
    """An unsigned number of at most ``most`` ASCII digits at ``p``: (value, position after), or ``None``."""
    q = p
    while q < len(s) and q - p < most + 1 and "0" <= s[q] <= "9":
        q += 1
    if q == p or q - p > most:
        return None
    return int(s[p:q]), q


def _month(s: str, p: int) -> tuple[int, int] | None:
    """A month number in ASCII (10) or Chinese (十, 十二) digits at ``p``."""
    found = _digits(s, p, 2)
    if found is not None:
        return found
    if p < len(s) and s[p] in _CHINESE_DIGITS:
        value, q = _CHINESE_DIGITS[s[p]], p + 1
        if value == 10 and q < len(s) and s[q] in "一二":  # noqa: PLR2004 - 十一, 十二
            value, q = 10 + _CHINESE_DIGITS[s[q]], q + 1
        return value, q
    return None


def _calendar_date(s: str, p: int) -> tuple[Deadline, int] | None:
    """``[YYYY年](年底|年末|M月(底|末|D日|D号))`` at ``p``: the deadline and the position after it."""
    year = None
    found = _digits(s, p, 4)
    if found is not None and found[1] - p == 4 and found[1] < len(s) and s[found[1]] == "年":  # noqa: PLR2004
        year, p = found[0], found[1] + 1
    if s.startswith(("年底", "年末"), p):
        return Deadline(12, None, year), p + 2
    month = _month(s, p)
    if month is None or not 1 <= month[0] <= 12 or not s.startswith("月", month[1]):  # noqa: PLR2004
        return None
    p = month[1] + 1
    if p < len(s) and s[p] in "底末":
        return Deadline(month[0], None, year), p + 1
    day = _digits(s, p, 2)
    if day is None or day[1] >= len(s) or s[day[1]] not in "日号":
        return None
    if not 1 <= day[0] <= calendar.monthrange(2000, month[0])[1]:  # 2000: 2月29日 exists
        return None
    return Deadline(month[0], day[0], year), day[1] + 1


def _deadline_in(s: str) -> Deadline | None:
    """The calendar deadline a folded target names, or ``None``: linear, no regular expression.

    ``[于|在]DATE(前|之前|以前)[task]`` (``10月底前``, ``12月底前完成``, ``2022年6月30日前``) or
    ``≤DATE`` (``≤10月底``); the task is words without digits (完成, 完成验收).
    """
    p = _skip(s, 0)
    symbol = next((sym for sym in _DEADLINE_SYMBOLS if s.startswith(sym, p)), None)
    if symbol is not None:
        p = _skip(s, p + len(symbol))
    elif p < len(s) and s[p] in "于在":
        p += 1
    found = _calendar_date(s, p)
    if found is None:
        return None
    deadline, p = found
    p = _skip(s, p)
    if symbol is None:
        word = next((w for w in _BEFORE_WORDS if s.startswith(w, p)), None)
        if word is None:
            return None
        p += len(word)
    tail = s[p:].strip().rstrip("。.")
    if len(tail) > _DEADLINE_TAIL_MAX or (symbol is not None and tail):
        return None
    if any(not "\u4e00" <= c <= "\u9fff" for c in tail):
        return None
    return deadline


def _actual_date(actual: object) -> dt.date | None:
    """The date an actual gives: a ``date``, or text ``2024-09-15``, ``2024/9/15``, ``2024年9月15日``."""
    if isinstance(actual, dt.datetime):
        return actual.date()
    if isinstance(actual, dt.date):
        return actual
    return _date_text(actual.translate(FOLD).strip()) if isinstance(actual, str) else None


def _date_text(s: str) -> dt.date | None:
    """``YYYY-M-D``, ``YYYY/M/D``, ``YYYY.M.D`` or ``YYYY年M月D日`` (folded): the date, or ``None``."""
    parts: list[int] = []
    p = 0
    for most, separators in ((4, "-/.年"), (2, "-/.月"), (2, "日号")):
        found = _digits(s, p, most)
        if found is None:
            return None
        parts.append(found[0])
        p = found[1] + (p < len(s) and found[1] < len(s) and s[found[1]] in separators)
        if len(parts) < 3 and p == found[1]:  # noqa: PLR2004 - a separator after the year and the month
            return None
    try:
        return dt.date(*parts) if p == len(s) and parts[0] >= 1000 else None  # noqa: PLR2004
    except ValueError:
        return None


# --- building without re-checking (the grammar only builds valid thresholds) ------------------

_new = object.__new__
_set = object.__setattr__


def _make(
    kind: ThresholdKind,
    source: str,
    *,
    comparator: Comparator | None = None,
    value: Decimal | None = None,
    upper: Decimal | None = None,
    unit: str = "",
    statement: str = "",
    inferred: bool = False,
) -> Threshold:
    threshold: Threshold = _new(Threshold)
    _set(threshold, "kind", kind)
    _set(threshold, "comparator", comparator)
    _set(threshold, "value", value)
    _set(threshold, "upper", upper)
    _set(threshold, "unit", unit)
    _set(threshold, "statement", statement)
    _set(threshold, "inferred", inferred)
    _set(threshold, "source", source)
    return threshold


def _not_applicable_or_statement(text: str, folded: str) -> Threshold:
    stripped = folded.strip()
    if not stripped:
        return _make(ThresholdKind.BLANK, text)
    if stripped in _NOT_APPLICABLE_TEXTS or stripped.lower() in _NOT_APPLICABLE_TEXTS:
        return _make(ThresholdKind.NOT_APPLICABLE, text)
    return _make(ThresholdKind.QUALITATIVE, text, statement=text.strip())


def _parse_any(text: str, bare: Comparator) -> Threshold:
    if len(text) <= _CACHE_MAX_LENGTH:
        return _parse_cached(text, bare)
    return _parse(text, bare)


def _parse(text: str, bare: Comparator) -> Threshold:
    s = text.translate(FOLD)
    if ("月" in s or "年" in s) and _deadline_in(s) is not None:  # 10月底前, 年底前完成: a date, not a number
        return _make(ThresholdKind.QUALITATIVE, text, statement=text.strip())
    p = _skip(s, 0)
    opening = _opening(s, p)
    if opening is None:
        return _not_applicable_or_statement(text, s)
    comparator, lead, strong, p = opening
    try:
        if comparator is None and not lead and s[p] == "[":  # p is where the text opened
            return _interval(text, s, p)
        return _target(text, s, p, comparator, lead=lead, bare=bare)
    except NotATargetError as failure:
        if strong:
            raise ThresholdSyntaxError(text, failure.pos + 1, failure.expected) from None
        return _not_applicable_or_statement(text, s)


def _opening(s: str, p: int) -> tuple[Comparator | None, bool, bool, int] | None:
    """How a target opens at ``p``: (comparator, lead word?, committed?, position after it).

    ``None`` when the text cannot be a target at all (it opens with a letter that starts no
    comparator word, or is empty): a statement or 无.
    """
    if p >= len(s):
        return None
    c = s[p]
    if c in _SYMBOL_FIRST:
        double = _SYMBOLS_2.get(s[p : p + 2])
        return (double, False, True, p + 2) if double is not None else (_SYMBOLS_1[c], False, True, p + 1)
    if c in _WORDS_BY_FIRST:
        words = _WORDS_BY_FIRST[c]
        return next(((found, lead, False, p + len(word)) for word, found, lead in words if s.startswith(word, p)), None)
    if c == "[":
        return (None, False, True, p) if _at_number(s, _skip(s, p + 1)) else None
    if "0" <= c <= "9" or c in "+-":
        return None, False, False, p
    return None


_parse_cached: Final = lru_cache(maxsize=65536)(_parse)


def _target(text: str, s: str, p: int, comparator: Comparator | None, *, lead: bool, bare: Comparator) -> Threshold:
    """A single value or a range after an optional comparator (``lead``: 控制在, 介于, 在)."""
    n = len(s)
    p = _skip(s, p)
    if not _at_number(s, p):
        raise NotATargetError("a number after the comparator" if comparator or lead else "a number", p)
    value, p = _number(s, p)
    unit, suffix, unit_at, suffix_at, p = _unit(s, p)
    q = _skip(s, p)
    if suffix is None and q < n and s[q] in _RANGE_SEPARATORS:
        if comparator is not None and not lead:
            raise NotATargetError("a single value after the comparator, not a range", q)
        return _range(text, s, q, (value, unit, unit_at))
    if suffix is Comparator.BETWEEN:
        raise NotATargetError("a range before 之间", suffix_at)
    _end(s, p)
    inferred = comparator is None and suffix is None and not lead
    if inferred:
        comparator = bare
    elif lead or comparator is None:
        comparator = suffix or comparator
        if comparator is None:
            raise NotATargetError("以上, 以下 or 以内 after the number", q)
    elif suffix is not None and suffix.higher_is_better != comparator.higher_is_better:
        raise NotATargetError(f"no word contradicting {comparator.value}", suffix_at)
    if unit and not _unit_ok(unit, known=inferred):
        raise NotATargetError(_KNOWN_UNIT_EXAMPLES if inferred else _UNIT_EXAMPLES, unit_at)
    return _make(ThresholdKind.QUANTITATIVE, text, comparator=comparator, value=value, unit=unit, inferred=inferred)


def _range(text: str, s: str, p: int, low_bound: tuple[Decimal, str, int]) -> Threshold:
    """``low unit <sep> high unit [之间]`` with the separator at ``p``."""
    n = len(s)
    separator = s[p]
    p += 1
    if separator == "—" and p < n and s[p] == "—":
        p += 1
    p = _skip(s, p)
    if not _at_number(s, p):
        raise NotATargetError("a number after the range separator", p)
    high_at = p
    high, p = _number(s, p)
    high_unit, suffix, high_unit_at, suffix_at, p = _unit(s, p)
    if suffix is not None and suffix is not Comparator.BETWEEN:
        raise NotATargetError("the end of the range", suffix_at)
    _end(s, p)
    return _build_range(text, low_bound, (high, high_unit, high_unit_at), high_at)


def _interval(text: str, s: str, p: int) -> Threshold:
    """``[low, high]`` with an optional unit after each bound or after the bracket."""
    n = len(s)
    p = _skip(s, p + 1)
    low, p = _number(s, p, groups=False)
    low_unit, suffix, low_at, suffix_at, p = _unit(s, p)
    if suffix is not None:
        raise NotATargetError("a comma between the bounds", suffix_at)
    p = _skip(s, p)
    if p >= n or s[p] != ",":
        raise NotATargetError("a comma between the bounds", p)
    p = _skip(s, p + 1)
    if not _at_number(s, p):
        raise NotATargetError("the upper bound", p)
    high_at = p
    high, p = _number(s, p, groups=False)
    high_unit, suffix, high_unit_at, suffix_at, p = _unit(s, p)
    if suffix is not None:
        raise NotATargetError("] to close the range", suffix_at)
    p = _skip(s, p)
    if p >= n or s[p] != "]":
        raise NotATargetError("] to close the range", p)
    tail_unit, suffix, tail_at, suffix_at, p = _unit(s, p + 1)
    if suffix is not None and suffix is not Comparator.BETWEEN:
        raise NotATargetError("the end of the target", suffix_at)
    _end(s, p)
    if tail_unit:
        if low_unit and low_unit != tail_unit:
            raise NotATargetError(f"the unit used inside the brackets ({low_unit})", tail_at)
        low_unit, low_at = low_unit or tail_unit, low_at if low_unit else tail_at
    return _build_range(text, (low, low_unit, low_at), (high, high_unit, high_unit_at), high_at)


def _build_range(
    text: str, low_bound: tuple[Decimal, str, int], high_bound: tuple[Decimal, str, int], high_at: int
) -> Threshold:
    """A range from its bounds, each (number, unit, where the unit starts)."""
    (low, unit, unit_at), (high, other, other_at) = low_bound, high_bound
    if unit and other and unit != other:
        raise NotATargetError(f"the same unit as the lower bound ({unit})", other_at)
    if not unit:
        unit, unit_at = other, other_at
    if unit and not _unit_ok(unit, known=True):
        raise NotATargetError(_KNOWN_UNIT_EXAMPLES, unit_at)
    if high < low:
        raise NotATargetError(f"an upper bound of at least {_number_text(low)}", high_at)
    return _make(ThresholdKind.QUANTITATIVE, text, comparator=Comparator.BETWEEN, value=low, upper=high, unit=unit)


# --- amounts and sentences ---------------------------------------------------------------


# Every comparator that can open a target inside a sentence, longest first.
_SENTENCE_TOKENS: Final = tuple(
    sorted([*_SYMBOLS_2, *_SYMBOLS_1, *_PREFIX_WORDS, "控制在", "介于"], key=lambda token: -len(token))
)
_LABELS: Final = ("绩效指标", "绩效目标", "指标值", "指标")
_NAME_TAIL: Final = " :,;、-"
_NAME_MODALS: Final = ("应当", "必须", "应", "须")
_SENTENCE_END: Final = "。.;!,、 "


def parse_statement(text: str) -> tuple[str, Threshold]:
    """Split a sentence such as ``"群众来访劝返率大于 95%"`` into its name and its target.

    The target is the end of the sentence: a comparator (symbol, or word such as 大于,
    不低于, 达到) with its number and unit, a number with a trailing word (``95%以上``),
    a range, or a bare number with a known unit (``完成率100%``). What comes before it,
    without a leading ``绩效指标：`` label, closing punctuation or a modal verb (应, 须,
    必须, 应当), is the name. A sentence without such a target comes back whole as a
    qualitative threshold (or 无). Work is linear in the length of the sentence.

    >>> name, target = parse_statement("群众来访劝返率大于 95%。")
    >>> name, str(target)
    ('群众来访劝返率', '>95%')
    >>> parse_statement("根据发放期限按时间进度及时发放")[1].is_qualitative
    True

    Raises:
        ThresholdSyntaxError: the sentence itself opens like a target (``≥…``) and is
            not one; the column counts in ``text``.

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        msg = f"parse_statement() takes a str (got {type(text).__name__})"
        raise TypeError(msg)
    body = text.strip()
    folded = body.translate(FOLD)
    end = len(folded)
    while end and folded[end - 1] in _SENTENCE_END:
        end -= 1
    body, folded = body[:end], folded[:end]
    label_end = _label_end(folded)
    for start in _target_starts(folded, label_end):
        try:
            threshold = Threshold.parse(body[start:])
        except ThresholdSyntaxError:
            continue
        if threshold.is_quantitative:
            return _clean_name(body[label_end:start]), threshold
    rest = body[label_end:]
    body = rest.strip()
    try:
        return body, Threshold.parse(body)
    except ThresholdSyntaxError as exc:
        offset = len(text) - len(text.lstrip()) + label_end + len(rest) - len(rest.lstrip())
        raise ThresholdSyntaxError(text, exc.column + offset, exc.expected) from None


def _label_end(folded: str) -> int:
    for label in _LABELS:
        if folded.startswith(label):
            p = _skip(folded, len(label))
            if p < len(folded) and folded[p] == ":":
                return _skip(folded, p + 1)
    return 0


def _target_starts(folded: str, floor: int) -> list[int]:
    """Where a target may start: before the last two numbers (a range has two), in order."""
    runs: list[int] = []
    p = len(folded)
    while len(runs) < 2 and p > floor:  # noqa: PLR2004 - the two numbers of a range
        p -= 1
        if "0" <= folded[p] <= "9":
            while p > floor and ("0" <= folded[p - 1] <= "9" or (
                folded[p - 1] in ",." and p - 2 >= floor and "0" <= folded[p - 2] <= "9"
            )):
                p -= 1
            runs.append(p)
    starts: list[int] = []
    for run in reversed(runs):
        number_start = run - 1 if run > floor and folded[run - 1] in "+-" else run
        q = number_start
        while q > floor and folded[q - 1] == " ":
            q -= 1
        if q > floor and folded[q - 1] == "[":
            starts.append(q - 1)
        for token in _SENTENCE_TOKENS:
            if q - len(token) >= floor and folded.startswith(token, q - len(token)):
                starts.append(q - len(token))
                break
        starts.append(number_start)
        if number_start != run:
            starts.append(run)
    return starts


def _clean_name(name: str) -> str:
    """The name before a target, without closing punctuation or a modal verb (应, 须...)."""
    name = _strip_name_tail(name)
    for modal in _NAME_MODALS:
        if name.endswith(modal) and len(name) > len(modal):
            return _strip_name_tail(name[: -len(modal)])
    return name


def _strip_name_tail(name: str) -> str:
    kept = len(name.translate(FOLD).rstrip(_NAME_TAIL))
    return name[:kept].strip()

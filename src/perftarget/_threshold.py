"""The target value of an indicator (指标值): :class:`Threshold`, its grammar and its checks.

The grammar is a hand-written scanner over the text (no backtracking regular
expression), so any text is read or rejected in time linear in its length.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar, Final

import attrs

from perftarget._numbers import format_number, to_decimal
from perftarget._units import Quantity, convert, normalize_unit
from perftarget.exceptions import InvalidActualError, InvalidValueError, ThresholdSyntaxError

__all__ = [
    "Achievement",
    "Comparator",
    "Threshold",
    "ThresholdKind",
    "parse_quantity",
    "parse_statement",
]

_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


class Comparator(enum.Enum):
    """计算符号: how the actual value is compared with the target value."""

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


class ThresholdKind(enum.Enum):
    """定量 (quantitative), 定性 (qualitative) or 不适用 (not applicable)."""

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    NOT_APPLICABLE = "not_applicable"


class Achievement(enum.Enum):
    """The three achievement bands of a qualitative indicator (10号): 达成 / 部分达成 / 未达成."""

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
    **{w: Achievement.ACHIEVED for w in (
        "达成", "已达成", "完成", "已完成", "达成预期指标", "达成年度指标", "达到预期", "达成目标",
        "achieved", "met", "done", "full",
    )},
    **{w: Achievement.PARTIAL for w in (
        "部分达成", "基本达成", "基本完成", "部分完成", "部分达成年度指标并具有一定效果",
        "partially achieved", "partial", "partly achieved", "partially met",
    )},
    **{w: Achievement.NOT_ACHIEVED for w in (
        "未达成", "未完成", "没有达成", "未达成年度指标且效果较差",
        "not achieved", "not met", "missed", "failed",
    )},
}

# Attainment of a qualitative band when no explicit score is given.
_BAND_ATTAINMENT: Final = {
    Achievement.ACHIEVED: _ONE,
    Achievement.PARTIAL: Decimal("0.7"),
    Achievement.NOT_ACHIEVED: Decimal("0.3"),
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
_SCALE_ALIASES: Final = {"效果显著": "显著", "效果明显": "明显", "较差": "差", "良好": "良好"}

# --- the scanner -------------------------------------------------------------------------

# One character in, one character out, so columns in the normalised text are columns in the input.
_FOLD: Final = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "＞": ">", "＜": "<", "＝": "=", "％": "%", "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤",
        "～": "~", "〜": "~", "．": ".", "－": "-", "–": "-", "﹣": "-", "＋": "+", "［": "[", "］": "]",
        "（": "(", "）": ")", "，": ",", "\u3000": " ", "／": "/", "：": ":", "\t": " ",
        "\u00a0": " ",
    }
)

_NOT_APPLICABLE_TEXTS: Final = frozenset(
    {"", "无", "/", "—", "——", "-", "--", "不适用", "n/a", "N/A", "NA", "na", "／", "none", "None"}
)

_SYMBOLS: Final = (
    (">=", Comparator.GE), ("<=", Comparator.LE), ("==", Comparator.EQ),
    ("≥", Comparator.GE), ("≤", Comparator.LE), (">", Comparator.GT), ("<", Comparator.LT),
    ("=", Comparator.EQ),
)
_PREFIX_WORDS: Final = tuple(
    sorted(
        {
            "大于或等于": Comparator.GE, "大于等于": Comparator.GE, "不低于": Comparator.GE,
            "不少于": Comparator.GE, "不小于": Comparator.GE, "至少": Comparator.GE,
            "达到": Comparator.GE, "高于或等于": Comparator.GE,
            "大于": Comparator.GT, "高于": Comparator.GT, "超过": Comparator.GT, "多于": Comparator.GT,
            "小于或等于": Comparator.LE, "小于等于": Comparator.LE, "不高于": Comparator.LE,
            "不超过": Comparator.LE, "不大于": Comparator.LE, "不多于": Comparator.LE,
            "至多": Comparator.LE, "低于或等于": Comparator.LE,
            "小于": Comparator.LT, "低于": Comparator.LT, "少于": Comparator.LT,
            "等于": Comparator.EQ,
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
_SUFFIX_WORDS: Final = (
    ("及以上", Comparator.GE), ("以上", Comparator.GE),
    ("及以下", Comparator.LE), ("以下", Comparator.LE), ("以内", Comparator.LE),
    ("之内", Comparator.LE), ("内", Comparator.LE),
)
_RANGE_SEPARATORS: Final = frozenset("-~至到—")
_UNIT_STOP: Final = frozenset(" -~至到—,[]()<>=≥≤")
_PUNCTUATION: Final = frozenset("，,。.;；:：、!！?？\"'“”‘’()（）[]【】<>《》=+*&^$#@")

# Units accepted after a number even when they are longer than three characters.
_UNITS: Final = frozenset(
    {
        "%", "‰", "个", "次", "人", "人次", "户", "项", "件", "起", "天", "日", "个工作日", "工作日", "月",
        "个月", "年", "周", "季度", "小时", "分钟", "元", "千元", "万元", "百万元", "亿元", "篇", "套", "台",
        "辆", "所", "家", "场", "期", "批", "册", "份", "张", "条", "处", "座", "名", "位", "只", "头",
        "公里", "千米", "米", "平方米", "平方公里", "立方米", "亩", "万亩", "公顷", "吨", "万吨", "千克",
        "公斤", "个百分点", "百分点", "人/天", "万人次", "万人", "万户", "分", "学时", "课时",
    }
)
_MAX_FREE_UNIT: Final = 3


def _is_unit_part(part: str) -> bool:
    if part in _UNITS:
        return True
    if not part or len(part) > _MAX_FREE_UNIT:
        return False
    return all((c.isalpha() and not c.isdigit()) or c in "²³" for c in part) and not any(
        c in _PUNCTUATION for c in part
    )


def _is_unit(unit: str) -> bool:
    if unit in _UNITS:
        return True
    parts = unit.split("/")
    return len(parts) <= 2 and all(_is_unit_part(p) for p in parts)  # noqa: PLR2004 - A/B


class _Scanner:
    """Reads one target text; positions index the folded text, which aligns with the input."""

    __slots__ = ("pos", "s", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.s = text.translate(_FOLD)
        self.pos = 0

    def fail(self, expected: str, pos: int | None = None) -> ThresholdSyntaxError:
        return ThresholdSyntaxError(self.text, (self.pos if pos is None else pos) + 1, expected)

    def skip_spaces(self) -> None:
        s, n = self.s, len(self.s)
        while self.pos < n and s[self.pos] == " ":
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_spaces()
        return self.pos >= len(self.s)

    def symbol(self) -> Comparator | None:
        for token, comparator in _SYMBOLS:
            if self.s.startswith(token, self.pos):
                self.pos += len(token)
                return comparator
        return None

    def word(self) -> Comparator | None:
        for token, comparator in _PREFIX_WORDS:
            if self.s.startswith(token, self.pos):
                self.pos += len(token)
                return comparator
        return None

    def at_number(self) -> bool:
        s, p, n = self.s, self.pos, len(self.s)
        if p < n and s[p] in "+-":
            p += 1
        return p < n and s[p].isascii() and s[p].isdigit()

    def number(self) -> Decimal:
        s, n = self.s, len(self.s)
        start = self.pos
        p = start
        if p < n and s[p] in "+-":
            p += 1
        digits_start = p
        while p < n and s[p].isascii() and s[p].isdigit():
            p += 1
        if p == digits_start:
            raise self.fail("a number", p)
        # thousands separators: ",ddd" groups after 1-3 leading digits
        group_ok = p - digits_start <= 3  # noqa: PLR2004
        while group_ok and p + 3 < n + 1 and s.startswith(",", p) and s[p + 1 : p + 4].isdigit() and (
            p + 4 >= n or not s[p + 4].isdigit()
        ) and s[p + 1 : p + 4].isascii():
            p += 4
        if p < n and s[p] == ".":
            q = p + 1
            while q < n and s[q].isascii() and s[q].isdigit():
                q += 1
            if q == p + 1:
                raise self.fail("digits after the decimal point", q)
            p = q
        self.pos = p
        return Decimal(s[start:p].replace(",", ""))

    def unit_and_suffix(self) -> tuple[str, Comparator | None, int]:
        """The unit (possibly empty) and a trailing 以上/以下/以内 word; stops at range separators."""
        s, n = self.s, len(self.s)
        self.skip_spaces()
        start = self.pos
        p = start
        while p < n and s[p] not in _UNIT_STOP and not (s[p].isascii() and s[p].isdigit()):
            p += 1
        raw = s[start:p]
        # allow "小时 / 天" with spaces inside a compound unit
        q = p
        while q < n and s[q] == " ":
            q += 1
        if raw.endswith("/") or (q < n and s[q] == "/"):
            r = q + 1 if q < n and s[q] == "/" else q
            while r < n and s[r] == " ":
                r += 1
            e = r
            while e < n and s[e] not in _UNIT_STOP and not (s[e].isascii() and s[e].isdigit()):
                e += 1
            raw = s[start:e]
            p = e
        self.pos = p
        unit = raw.replace(" ", "")
        suffix: Comparator | None = None
        for token, comparator in _SUFFIX_WORDS:
            if unit.endswith(token):
                unit = unit[: -len(token)]
                suffix = comparator
                break
        if suffix is None:
            q = self.pos
            while q < n and s[q] == " ":
                q += 1
            for token, comparator in _SUFFIX_WORDS:
                if s.startswith(token, q):
                    suffix = comparator
                    self.pos = q + len(token)
                    break
        return normalize_unit(unit), suffix, start


@attrs.frozen(kw_only=True)
class Threshold:
    """A target value (指标值): ``≥95%``, ``≤90万元``, ``按时发放`` or ``无``.

    Build one with :meth:`parse` or the named constructors :meth:`at_least`,
    :meth:`at_most`, :meth:`exactly`, :meth:`between`, :meth:`qualitative` and
    :meth:`not_applicable`. ``str(threshold)`` is the canonical text and
    ``Threshold.parse(str(t)) == t``; :attr:`source` keeps the text it was read from.

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

    def _check(self) -> None:  # noqa: C901 - one place for the shape rules
        kind = self.kind
        if kind is ThresholdKind.QUANTITATIVE:
            if self.comparator is None or self.value is None:
                msg = "a quantitative threshold needs a comparator and a value"
                raise InvalidValueError(msg, field="comparator")
            if not isinstance(self.value, Decimal) or not self.value.is_finite():
                raise InvalidValueError(f"'value' must be a finite Decimal (got {self.value!r})", field="value")
            if self.comparator is Comparator.BETWEEN:
                if not isinstance(self.upper, Decimal) or not self.upper.is_finite():
                    msg = f"a range needs a finite Decimal 'upper' (got {self.upper!r})"
                    raise InvalidValueError(msg, field="upper")
                if self.upper < self.value:
                    msg = f"a range must run from low to high (got {self.value} to {self.upper})"
                    raise InvalidValueError(msg, field="upper")
            elif self.upper is not None:
                raise InvalidValueError("'upper' is only for ranges", field="upper")
            if self.unit != normalize_unit(self.unit) or (self.unit and not _is_unit(self.unit)):
                raise InvalidValueError(f"'unit' is not a unit (got {self.unit!r})", field="unit")
            if self.statement:
                raise InvalidValueError("a quantitative threshold has no statement", field="statement")
            if self.inferred and self.comparator is Comparator.BETWEEN:
                raise InvalidValueError("a range cannot have an inferred comparator", field="inferred")
            return
        if self.comparator is not None or self.value is not None or self.upper is not None or self.unit:
            msg = f"a {kind.value} threshold has no comparator, value or unit"
            raise InvalidValueError(msg, field="comparator")
        if self.inferred:
            raise InvalidValueError(f"a {kind.value} threshold cannot be inferred", field="inferred")
        if kind is ThresholdKind.NOT_APPLICABLE:
            if self.statement:
                raise InvalidValueError("a not-applicable threshold has no statement", field="statement")
            return
        statement = self.statement
        if not statement or statement != statement.strip():
            msg = f"a qualitative statement must be non-empty without surrounding spaces (got {statement!r})"
            raise InvalidValueError(msg, field="statement")
        if self.source is None and _parse(statement, Comparator.GE).kind is not ThresholdKind.QUALITATIVE:
            msg = f"{statement!r} reads as a number or as 无; use Threshold.parse"
            raise InvalidValueError(msg, field="statement")

    # --- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, *, bare: Comparator = Comparator.GE) -> Threshold:
        """Read a target value as written in a table or a sentence.

        Args:
            text: ``"≥95%"``, ``"≥8 小时/天"``, ``"不低于90%"``, ``"90%~100%"``, ``"按时发放"``, ``"无"``...
            bare: the comparator given to a bare value such as ``"100%"`` (policy; ≥ by
                default). The result is marked :attr:`inferred` and is written back bare.

        Raises:
            ThresholdSyntaxError: the text starts like a number or comparator but does not
                finish like one; the error names the column and what was expected.

        >>> str(Threshold.parse("≥ 8 小时／天"))
        '≥8小时/天'
        """
        if not isinstance(text, str):
            raise TypeError(f"Threshold.parse() takes a str (got {type(text).__name__})")
        return _parse(text, bare)

    @classmethod
    def at_least(cls, value: object, unit: str = "") -> Threshold:
        """``≥ value unit`` (正向)."""
        return cls._quantity(Comparator.GE, value, unit)

    @classmethod
    def at_most(cls, value: object, unit: str = "") -> Threshold:
        """``≤ value unit`` (反向)."""
        return cls._quantity(Comparator.LE, value, unit)

    @classmethod
    def exactly(cls, value: object, unit: str = "") -> Threshold:
        """``= value unit``."""
        return cls._quantity(Comparator.EQ, value, unit)

    @classmethod
    def between(cls, low: object, high: object, unit: str = "") -> Threshold:
        """``low~high unit``: met inside the range (区间)."""
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
        """A 定性 target kept verbatim, e.g. ``按时发放`` or ``良好``."""
        return cls(kind=ThresholdKind.QUALITATIVE, statement=statement)

    @classmethod
    def not_applicable(cls) -> Threshold:
        """The 无 of a row that does not apply."""
        return cls(kind=ThresholdKind.NOT_APPLICABLE)

    # --- reading ------------------------------------------------------------------------

    @property
    def is_quantitative(self) -> bool:
        """定量: a comparator and a number."""
        return self.kind is ThresholdKind.QUANTITATIVE

    @property
    def is_qualitative(self) -> bool:
        """定性: a statement kept verbatim."""
        return self.kind is ThresholdKind.QUALITATIVE

    @property
    def is_applicable(self) -> bool:
        """``False`` for 无 / ``/`` rows."""
        return self.kind is not ThresholdKind.NOT_APPLICABLE

    @property
    def display(self) -> str:
        """The text as it was read (or the canonical text when built in code)."""
        return self.source if self.source is not None else str(self)

    def __str__(self) -> str:
        if self.kind is ThresholdKind.NOT_APPLICABLE:
            return self.NOT_APPLICABLE_TEXT
        if self.kind is ThresholdKind.QUALITATIVE:
            return self.statement
        assert self.value is not None  # noqa: S101 - guaranteed by _check
        number = f"{format_number(self.value)}{self.unit}"
        if self.comparator is Comparator.BETWEEN:
            assert self.upper is not None  # noqa: S101
            return f"{number}~{format_number(self.upper)}{self.unit}"
        if self.inferred:
            return number
        assert self.comparator is not None  # noqa: S101
        return f"{self.comparator.value}{number}"

    # --- checking actual values ---------------------------------------------------------

    def actual_in_unit(self, actual: object) -> Decimal:
        """``actual`` expressed in this target's unit (``"95000元"`` against ``≤10万元`` gives 9.5).

        ``actual`` may be a number (taken to be in the target's unit), a :class:`Quantity`
        or text such as ``"96%"`` or ``"7.5小时/天"``.

        Raises:
            InvalidActualError: the target is not quantitative, or ``actual`` is not a number.
            UnitMismatchError: ``actual`` is in a unit of another dimension.
        """
        if self.kind is not ThresholdKind.QUANTITATIVE:
            raise InvalidActualError(f"target {self.display!r} is not quantitative; no number applies")
        if isinstance(actual, Quantity):
            quantity = actual
        elif isinstance(actual, str):
            try:
                quantity = parse_quantity(actual)
            except ThresholdSyntaxError as exc:
                msg = f"actual {actual!r} is not a number with a unit ({exc.expected} at column {exc.column})"
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

        For qualitative targets ``actual`` is an achievement band (达成/部分达成/未达成,
        or English), a grade on the same ordinal scale (优/良/中/差...), or the same text.
        """
        if self.kind is ThresholdKind.QUALITATIVE:
            return self._qualitative_attainment(actual) == _ONE
        value = self.actual_in_unit(actual)
        target = self.value
        assert target is not None  # noqa: S101
        comparator = self.comparator
        if comparator is Comparator.GE:
            return value >= target
        if comparator is Comparator.GT:
            return value > target
        if comparator is Comparator.LE:
            return value <= target
        if comparator is Comparator.LT:
            return value < target
        if comparator is Comparator.EQ:
            return value == target
        assert self.upper is not None  # noqa: S101
        return target <= value <= self.upper

    def attainment(self, actual: object) -> Decimal:
        """The share of the target attained, in [0, 1], by the 10号 rules.

        ≥ and > (and = with a positive target): ``min(B/A, 1)``; ≤ and <: ``1`` when
        ``B ≤ A`` else ``A/B``; = with a zero target: ``1`` only at zero; ranges: ``1``
        inside, else the ratio to the nearer bound. Negative actuals count as 0.
        Qualitative: 达成 1, 部分达成 0.7, 未达成 0.3.
        """
        if self.kind is ThresholdKind.QUALITATIVE:
            return self._qualitative_attainment(actual)
        value = max(self.actual_in_unit(actual), _ZERO)
        target = self.value
        assert target is not None  # noqa: S101
        comparator = self.comparator
        if comparator is Comparator.BETWEEN:
            assert self.upper is not None  # noqa: S101
            if value < target:
                return _ratio(value, target)
            if value > self.upper:
                return _ratio(self.upper, value)
            return _ONE
        if comparator in (Comparator.LE, Comparator.LT):
            return _ONE if value <= target else _ratio(target, value)
        if comparator is Comparator.EQ and target == _ZERO:
            return _ONE if value == _ZERO else _ZERO
        return _ONE if value >= target else _ratio(value, target)

    def _qualitative_attainment(self, actual: object) -> Decimal:
        if isinstance(actual, Achievement):
            return _BAND_ATTAINMENT[actual]
        if not isinstance(actual, str):
            msg = f"target {self.statement!r} is qualitative: give 达成/部分达成/未达成, not {actual!r}"
            raise InvalidActualError(msg)
        band = Achievement.from_text(actual)
        if band is not None:
            return _BAND_ATTAINMENT[band]
        text = actual.strip()
        if text == self.statement:
            return _ONE
        target_label = _SCALE_ALIASES.get(self.statement, self.statement)
        actual_label = _SCALE_ALIASES.get(text, text)
        for scale, target_rank in _SCALE_RANK.get(target_label, ()):
            for actual_scale, actual_rank in _SCALE_RANK.get(actual_label, ()):
                if actual_scale == scale:
                    gap = actual_rank - target_rank
                    if gap <= 0:
                        return _ONE
                    return _BAND_ATTAINMENT[Achievement.PARTIAL if gap == 1 else Achievement.NOT_ACHIEVED]
        msg = (
            f"cannot compare {actual!r} with qualitative target {self.statement!r}: "
            "give 达成/部分达成/未达成 (achieved/partially achieved/not achieved)"
        )
        raise InvalidActualError(msg)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator <= _ZERO:
        return _ZERO
    return min(numerator / denominator, _ONE)


@lru_cache(maxsize=65536)
def _parse(text: str, bare: Comparator) -> Threshold:  # noqa: C901, PLR0912 - a scanner reads best in one piece
    scanner = _Scanner(text)
    stripped = scanner.s.strip()
    if stripped in _NOT_APPLICABLE_TEXTS:
        return Threshold(kind=ThresholdKind.NOT_APPLICABLE, source=text)
    scanner.skip_spaces()
    comparator = scanner.symbol()
    committed = comparator is not None
    if comparator is None:
        comparator = scanner.word()
        if comparator is not None:
            scanner.skip_spaces()
            if not scanner.at_number():
                return _qualitative(text)
    scanner.skip_spaces()
    if scanner.pos < len(scanner.s) and scanner.s[scanner.pos] == "[":
        if comparator is not None:
            raise scanner.fail("a number after the comparator")
        return _bracket_range(scanner)
    if not scanner.at_number():
        if committed:
            raise scanner.fail("a number after the comparator")
        return _qualitative(text)
    value = scanner.number()
    unit, suffix, unit_start = scanner.unit_and_suffix()
    upper: Decimal | None = None
    scanner.skip_spaces()
    if (
        suffix is None
        and scanner.pos < len(scanner.s)
        and scanner.s[scanner.pos] in _RANGE_SEPARATORS
    ):
        separator_pos = scanner.pos
        scanner.pos += 1
        scanner.skip_spaces()
        if not scanner.at_number():
            if committed or comparator is not None:
                raise scanner.fail("a number after the range separator")
            return _qualitative(text)
        if comparator is not None:
            raise scanner.fail("a single value after a comparator, not a range", separator_pos)
        upper = scanner.number()
        upper_unit, suffix, unit_start = scanner.unit_and_suffix()
        if suffix is not None:
            raise scanner.fail("the end of the range", unit_start)
        if unit and upper_unit and unit != upper_unit:
            raise scanner.fail(f"the same unit as the lower bound ({unit})", unit_start)
        unit = unit or upper_unit
    if not scanner.at_end() or (unit and not _is_unit(unit)):
        if committed:
            expected = "a unit such as %, 个, 万元 or 小时/天" if unit else "the end of the target"
            raise scanner.fail(expected, unit_start if unit and not _is_unit(unit) else None)
        return _qualitative(text)
    if upper is not None:
        if upper < value:
            raise scanner.fail("a range from low to high", unit_start)
        return Threshold(
            kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.BETWEEN, value=value, upper=upper,
            unit=unit, source=text,
        )
    if comparator is not None and suffix is not None and comparator is not suffix and not (
        comparator.higher_is_better is not None and comparator.higher_is_better == suffix.higher_is_better
    ):
        raise scanner.fail(f"a suffix agreeing with {comparator.value}", unit_start)
    inferred = comparator is None and suffix is None
    return Threshold(
        kind=ThresholdKind.QUANTITATIVE,
        comparator=comparator or suffix or bare,
        value=value,
        unit=unit,
        inferred=inferred,
        source=text,
    )


def _bracket_range(scanner: _Scanner) -> Threshold:
    scanner.pos += 1
    scanner.skip_spaces()
    if not scanner.at_number():
        raise scanner.fail("a number after [")
    low = scanner.number()
    low_unit, suffix, unit_start = scanner.unit_and_suffix()
    if suffix is not None:
        raise scanner.fail("a unit or a comma", unit_start)
    scanner.skip_spaces()
    if not scanner.s.startswith(",", scanner.pos):
        raise scanner.fail("a comma between the bounds")
    scanner.pos += 1
    scanner.skip_spaces()
    if not scanner.at_number():
        raise scanner.fail("the upper bound")
    high = scanner.number()
    high_unit, suffix, unit_start = scanner.unit_and_suffix()
    if suffix is not None:
        raise scanner.fail("a unit or ]", unit_start)
    scanner.skip_spaces()
    if not scanner.s.startswith("]", scanner.pos):
        raise scanner.fail("] to close the range")
    scanner.pos += 1
    tail_unit, suffix, tail_start = scanner.unit_and_suffix()
    if suffix is not None or not scanner.at_end():
        raise scanner.fail("the end of the target", tail_start)
    units = {u for u in (low_unit, high_unit, tail_unit) if u}
    if len(units) > 1:
        raise scanner.fail("one unit for both bounds", tail_start)
    unit = units.pop() if units else ""
    if unit and not _is_unit(unit):
        raise scanner.fail("a unit such as %, 个, 万元 or 小时/天", tail_start)
    if high < low:
        raise scanner.fail("a range from low to high", tail_start)
    return Threshold(
        kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.BETWEEN, value=low, upper=high, unit=unit,
        source=scanner.text,
    )


def _qualitative(text: str) -> Threshold:
    return Threshold(kind=ThresholdKind.QUALITATIVE, statement=text.strip(), source=text)


@lru_cache(maxsize=16384)
def parse_quantity(text: str) -> Quantity:
    """Read an amount as people write it: ``"95000元"``, ``"96%"``, ``"7.5 小时/天"``, ``"1,200"``.

    Raises:
        ThresholdSyntaxError: the text is not one number with an optional unit.
    """
    scanner = _Scanner(text)
    scanner.skip_spaces()
    if not scanner.at_number():
        raise scanner.fail("a number")
    value = scanner.number()
    unit, suffix, unit_start = scanner.unit_and_suffix()
    if suffix is not None or not scanner.at_end():
        raise scanner.fail("the end of the amount")
    if unit and not _is_unit(unit):
        raise scanner.fail("a unit such as %, 个, 万元 or 小时/天", unit_start)
    return Quantity(value, unit)


def parse_statement(text: str) -> tuple[str, Threshold]:
    """Split a sentence such as ``"群众来访劝返率大于 95%"`` into its name and its target.

    The target starts at the first comparator (symbol or word such as 大于, 不低于,
    达到) that is followed by a number; a trailing full stop is ignored. A sentence
    without such a target comes back whole as a qualitative threshold.

    >>> name, target = parse_statement("群众来访劝返率大于 95%。")
    >>> name, str(target)
    ('群众来访劝返率', '>95%')
    """
    body = text.strip().rstrip("。.;；")
    folded = body.translate(_FOLD)
    n = len(folded)
    for start in range(n):
        scanner = _Scanner(body)
        scanner.pos = start
        comparator = scanner.symbol() or scanner.word()
        if comparator is None:
            continue
        scanner.skip_spaces()
        if not scanner.at_number():
            continue
        name = body[:start].strip().rstrip("，,:：")
        try:
            threshold = _parse(body[start:], Comparator.GE)
        except ThresholdSyntaxError:
            continue
        if threshold.is_quantitative and name:
            return name, threshold
    return body, _qualitative(body) if body else Threshold.not_applicable()

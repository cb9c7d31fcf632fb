"""Units of measure (计量单位): their names, dimensions and exact conversion (no grammar, no quantity).

A unit is kept as its normalised text (``"%"``, ``"万元"``, ``"小时/天"``). Units with a
known dimension convert exactly: money (元/千元/万元/百万元/亿元), ratios (%/‰), clock time
(分钟/小时), days (天/日/周), months (月/个月/季度/年), mass, length, area and volume.
The prefixes 万 and 亿 scale any known unit (万人次 = 10,000 人次, 万 alone = 10,000).
A compound unit ``A/B`` is a rate whose dimension is ``dim(A)/dim(B)``: 小时/天 is a
rate, not a time. Any other unit (个, 次, 人次, 户...) is its own dimension and compares
only with itself. 天 and 小时 are deliberately different dimensions (a 天 in these tables
is often a working day), and so are 天 and 月, 亩 and 平方米 (no exact ratio), and 秒 and
分钟 (a second is not a finite decimal of the base unit, the minute).
"""

from __future__ import annotations

from decimal import Context, Decimal
from functools import lru_cache
from typing import Final

from perftarget.exceptions import UnitMismatchError

__all__ = ["convert", "convertible", "dimension_of", "is_known_unit", "normalize_unit"]

# Conversions run in their own context, independent of the caller's decimal context:
# scaling by powers of ten is exact for any amount written with up to 50 digits.
_CONTEXT: Final = Context(prec=50)

_ONE: Final = Decimal(1)

# unit -> (dimension, factor to the dimension's base unit)
_CONVERTIBLE: Final[dict[str, tuple[str, Decimal]]] = {
    "%": ("ratio", _ONE),
    "‰": ("ratio", Decimal("0.1")),
    "元": ("money", _ONE),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "百万元": ("money", Decimal(1000000)),
    "千万元": ("money", Decimal(10000000)),
    "亿元": ("money", Decimal(100000000)),
    "分钟": ("minutes", _ONE),
    "小时": ("minutes", Decimal(60)),
    "天": ("days", _ONE),
    "日": ("days", _ONE),
    "周": ("days", Decimal(7)),
    "月": ("months", _ONE),
    "个月": ("months", _ONE),
    "季度": ("months", Decimal(3)),
    "年": ("months", Decimal(12)),
    "克": ("mass", _ONE),
    "千克": ("mass", Decimal(1000)),
    "公斤": ("mass", Decimal(1000)),
    "吨": ("mass", Decimal(1000000)),
    "米": ("length", _ONE),
    "千米": ("length", Decimal(1000)),
    "公里": ("length", Decimal(1000)),
    "平方米": ("area", _ONE),
    "公顷": ("area", Decimal(10000)),
    "平方公里": ("area", Decimal(1000000)),
    "亩": ("亩", _ONE),
    "立方米": ("volume", _ONE),
}

# Counting and other units that are known (so a bare number followed by one reads as a
# target) but convert to nothing else: each is its own dimension.
_COUNTING: Final = frozenset(
    {
        "个", "次", "人", "人次", "户", "项", "件", "起", "篇", "套", "台", "辆", "所", "家", "场", "期",
        "批", "册", "份", "张", "条", "处", "座", "名", "位", "只", "头", "株", "棵", "本", "部", "间",
        "栋", "幢", "口", "宗", "例", "类", "门", "盏", "块", "批次", "场次", "架次", "车次", "户次",
        "个工作日", "工作日", "个百分点", "百分点", "分", "学时", "课时", "人日", "人月", "秒",
    }
)

# Prefixes that multiply a known unit (万人次, 亿元, 万亩) or stand alone (1.2万).
_PREFIXES: Final = {"万": Decimal(10000), "亿": Decimal(100000000)}

# spelling variants -> canonical unit
_ALIASES: Final = {
    "百分比": "%",
    "百分率": "%",
    "％": "%",
    "﹪": "%",
    "千分比": "‰",
    "千分率": "‰",
    "圆": "元",
    "㎡": "平方米",
    "m²": "平方米",
    "㎞": "公里",
    "㎏": "千克",
    "m³": "立方米",
}

# The traditional forms of the characters that units and the target grammar's words use (萬元, 個,
# 小時/週, 以內, 之間, 不低於...), one character for one; each pair agrees with opencc's t2s
# (tests/test_traditional.py). Units are normalised through it, and the target grammar folds with it.
TRADITIONAL_FOLD: Final[dict[int, str]] = {
    ord(traditional): simple
    for traditional, simple in zip(
        "萬個於畝億優內冊臺噸圓場塊處頭學並應張當戶無時顯條標棟沒點盞類績課車較輛達過適裏裡鍾鐘門間頃項須預週",
        "万个于亩亿优内册台吨圆场块处头学并应张当户无时显条标栋没点盏类绩课车较辆达过适里里钟钟门间顷项须预周",
        strict=True,
    )
}
_TRANSLATE: Final[dict[int, str]] = {ord("／"): "/", ord("％"): "%", **TRADITIONAL_FOLD}


def normalize_unit(unit: str) -> str:
    """The canonical spelling of a unit: spaces removed, ``百分比``/``％`` -> ``%``.

    >>> normalize_unit(" 小时 ／ 天 ")
    '小时/天'
    >>> normalize_unit("百分比")
    '%'

    .. versionadded:: 0.1.0
    """
    if not isinstance(unit, str):
        msg = f"'unit' must be a str (got {type(unit).__name__} {unit!r})"
        raise TypeError(msg)
    return _normalize_unit(unit)


@lru_cache(maxsize=4096)
def _normalize_unit(unit: str) -> str:
    text = "".join(unit.translate(_TRANSLATE).split())
    if "/" in text:
        return "/".join(_ALIASES.get(part, part) for part in text.split("/"))
    return _ALIASES.get(text, text)


@lru_cache(maxsize=4096)
def dimension_of(unit: str) -> tuple[str, Decimal]:
    """The dimension of ``unit`` and its factor to that dimension's base unit.

    Units of one dimension convert into each other exactly; an unknown unit is its own
    dimension with factor 1; the empty unit (a plain number) has the dimension ``""``.

    >>> dimension_of("万元")
    ('money', Decimal('10000'))
    >>> dimension_of("万人次")
    ('人次', Decimal('10000'))
    >>> dimension_of("个")
    ('个', Decimal('1'))

    .. versionadded:: 0.1.0
    """
    unit = normalize_unit(unit)
    known = _CONVERTIBLE.get(unit)
    if known is not None:
        return known
    if "/" in unit:
        top, _, bottom = unit.partition("/")
        top_dim, top_factor = dimension_of(top)
        bottom_dim, bottom_factor = dimension_of(bottom)
        return f"{top_dim}/{bottom_dim}", _CONTEXT.divide(top_factor, bottom_factor)
    prefix = _PREFIXES.get(unit[:1])
    if prefix is not None and _prefixable(unit[1:]):
        rest_dim, rest_factor = dimension_of(unit[1:])
        return rest_dim, _CONTEXT.multiply(prefix, rest_factor)
    return unit, _ONE


def _prefixable(rest: str) -> bool:
    """Whether 万/亿 before ``rest`` is a multiplier (万人次, 亿元, 万) rather than a word."""
    if rest in ("%", "‰"):
        return False
    return rest == "" or rest in _CONVERTIBLE or rest in _COUNTING or (
        rest[:1] in _PREFIXES and _prefixable(rest[1:])
    )


@lru_cache(maxsize=4096)
def is_known_unit(unit: str) -> bool:
    """Whether ``unit`` is in perftarget's vocabulary of units.

    Known: the convertible units (元, 万元, %, ‰, 天, 月, 小时...), the common counting
    units (个, 次, 人, 人次, 户, 项, 件, 个工作日...), any of these after 万 or 亿, ``万`` and
    ``亿`` alone, and ``A/B`` of two known units. A bare number (``"28.8万元"``) reads as a
    target only with a known unit (or none); after a comparator any word is a unit.

    >>> is_known_unit("万人次"), is_known_unit("小时/天"), is_known_unit("天完成")
    (True, True, False)

    .. versionadded:: 0.1.0
    """
    unit = normalize_unit(unit)
    if "/" in unit:
        top, _, bottom = unit.partition("/")
        return bool(top) and bool(bottom) and "/" not in bottom and is_known_unit(top) and is_known_unit(bottom)
    if unit in _CONVERTIBLE or unit in _COUNTING:
        return True
    return unit[:1] in _PREFIXES and _prefixable(unit[1:])


def convertible(from_unit: str, to_unit: str) -> bool:
    """Whether a value in ``from_unit`` can be expressed in ``to_unit``.

    .. versionadded:: 0.1.0
    """
    return dimension_of(from_unit)[0] == dimension_of(to_unit)[0]


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Express ``value`` given in ``from_unit`` in ``to_unit``, exactly.

    Scaling by powers of ten (元/万元, %/‰) is exact; other factors (天/周) keep 50
    significant digits, whatever the caller's decimal context.

    Raises:
        UnitMismatchError: the units measure different things (万元 and 小时, % and 个).

    >>> convert(Decimal("95000"), "元", "万元")
    Decimal('9.5')

    .. versionadded:: 0.1.0
    """
    if from_unit == to_unit:
        return value
    from_dim, from_factor = dimension_of(from_unit)
    to_dim, to_factor = dimension_of(to_unit)
    if from_dim != to_dim:
        raise UnitMismatchError(from_unit, to_unit)
    if from_factor == to_factor:
        return value
    return _CONTEXT.divide(_CONTEXT.multiply(value, from_factor), to_factor)

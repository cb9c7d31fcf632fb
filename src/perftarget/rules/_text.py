"""Reading indicator names: rates, directions, spending words, placeholders, similarity.

Every helper is a pure function of a string, cached, because the same names recur
across a province's tables.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from functools import lru_cache
from typing import Final

__all__ = [
    "RATE_UNITS",
    "bigrams",
    "dice",
    "direction_of",
    "is_growth",
    "is_not_applicable_text",
    "is_placeholder",
    "normalize_name",
    "rate_kind",
    "restates_spending",
    "serves_people",
]

_NOT_APPLICABLE: Final = frozenset(
    {"", "无", "/", "／", "—", "——", "-", "--", "不适用", "n/a", "na", "none", "……", "..."}
)

_LONGEST_NOT_APPLICABLE: Final = max(map(len, _NOT_APPLICABLE))

RATE_UNITS: Final = frozenset({"%", "‰", "个百分点", "百分点"})

# 率 that is not a share: 频率 (times per period), 效率, 功率, 速率.
_NOT_RATES: Final = ("频率", "效率", "功率", "速率")
_SHARE_WORDS: Final = ("占比", "百分比", "比率", "比例")

# Direction words. Lower-is-better words are read first and taken out of the text,
# so that 不满意率 and 不合格率 are not read as 满意率 and 合格率.
_LOWER_BETTER: Final = (
    "不满意",
    "不合格",
    "不达标",
    "投诉",
    "差错",
    "失误",
    "事故",
    "违规",
    "违纪",
    "违法",
    "超标",
    "死亡",
    "损失",
    "误差",
    "偏差",
    "逾期",
    "空置",
    "退回",
    "返工",
    "发生率",
    "流失",
    "漏报",
    "错报",
    "积压",
)
_HIGHER_BETTER: Final = (
    "满意度",
    "满意率",
    "合格率",
    "达标率",
    "覆盖率",
    "完成率",
    "出勤率",
    "准确率",
    "正确率",
    "知晓率",
    "到位率",
    "完好率",
    "及时率",
    "通过率",
    "参与率",
    "入学率",
    "就业率",
    "保障率",
    "办结率",
    "好评率",
)

_GROWTH: Final = ("增长", "增幅", "增速", "提高", "提升", "上升", "下降", "降低", "减少", "增加", "比上年", "同比")

_MONEY: Final = ("资金", "经费", "预算", "款项", "拨款")
_SPENDING: Final = ("执行", "支付", "拨付", "到位", "使用", "支出", "足额", "结转", "报销")
_SPENDING_PHRASES: Final = ("足额保障率", "支出进度", "执行进度", "支付进度")

_RECIPIENTS: Final = (
    "群众",
    "居民",
    "村民",
    "市民",
    "公众",
    "农户",
    "农民",
    "学生",
    "患者",
    "病人",
    "老人",
    "老年",
    "儿童",
    "残疾",
    "困难",
    "救助",
    "服务对象",
    "来访",
    "上访",
    "信访",
    "游客",
    "旅客",
    "读者",
    "用户",
    "家庭",
    "妇女",
    "优抚",
    "退役",
    "受益",
    "企业",
    "参保",
    "就业",
)

_PLACEHOLDER: Final = re.compile(
    r"\A(?:目标内容|目标|内容|绩效目标|年度目标|总体目标|分项目标|指标)\s*[0-9一二三四五六七八九十]*\s*[:：]?\Z"
)


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """``text`` for comparison: NFKC, letters and digits only, lower case."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum()).lower()


@lru_cache(maxsize=1 << 17)
def is_not_applicable_text(text: str) -> bool:
    """Whether a cell reads as 无, ``/``, a dash or nothing."""
    stripped = text.strip()
    return (
        len(stripped) <= _LONGEST_NOT_APPLICABLE
        and unicodedata.normalize("NFKC", stripped).strip().lower() in _NOT_APPLICABLE
    )


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    """Whether goal content is a template's placeholder (``目标内容 1``, ``目标1：``)."""
    return bool(_PLACEHOLDER.match(unicodedata.normalize("NFKC", text).strip()))


@lru_cache(maxsize=65536)
def rate_kind(text: str) -> str | None:
    """``"rate"`` for a name that reads as a share (…率, 占比, 比例), ``"satisfaction"`` for 满意度, else ``None``.

    >>> rate_kind("在岗人员出勤率"), rate_kind("巡查频率"), rate_kind("上访人员满意度")
    ('rate', None, 'satisfaction')
    """
    if "满意" in text:
        return "satisfaction"
    stripped = text
    for word in _NOT_RATES:
        stripped = stripped.replace(word, "")
    if "率" in stripped or any(word in stripped for word in _SHARE_WORDS):
        return "rate"
    return None


@lru_cache(maxsize=65536)
def direction_of(text: str) -> bool | None:
    """Which way the name says is better: ``True`` higher, ``False`` lower, ``None`` unknown.

    Higher: 满意度, 合格率, 覆盖率...; lower: 投诉, 差错, 事故, 不合格率...; a name that says
    both (投诉处理满意度) or neither gives ``None``.

    >>> direction_of("上访人员满意度"), direction_of("不合格率"), direction_of("投诉处理满意度")
    (True, False, None)
    """
    rest = text
    lower = False
    for word in _LOWER_BETTER:
        if word in rest:
            lower = True
            rest = rest.replace(word, "")
    higher = any(word in rest for word in _HIGHER_BETTER)
    if lower == higher:
        return None
    return higher


@lru_cache(maxsize=65536)
def is_growth(text: str) -> bool:
    """Whether the name measures a change (增长率, 提高, 同比...), which may exceed 100 %."""
    return any(word in text for word in _GROWTH)


@lru_cache(maxsize=65536)
def restates_spending(text: str) -> bool:
    """Whether the name restates spending the money (资金执行率, 支付使用资金, 足额保障率).

    >>> restates_spending("按时间进度要求支付使用资金"), restates_spending("驻京值班天数")
    (True, False)
    """
    if any(phrase in text for phrase in _SPENDING_PHRASES):
        return True
    return any(word in text for word in _MONEY) and any(word in text for word in _SPENDING)


def serves_people(text: str) -> str | None:
    """The first word in ``text`` that names people served (群众, 学生, 来访...), or ``None``."""
    for word in _RECIPIENTS:
        if word in text:
            return word
    return None


@lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of the normalised name (the name itself when one character long)."""
    name = normalize_name(text)
    if len(name) < 2:  # noqa: PLR2004 - a pair needs two
        return frozenset((name,)) if name else frozenset()
    return frozenset(name[i : i + 2] for i in range(len(name) - 1))


def dice(shared: int, left: int, right: int) -> Fraction:
    """Dice's coefficient 2·|A∩B| / (|A|+|B|), exact, from the sizes of two bigram sets."""
    if not left or not right:
        return Fraction(0)
    return Fraction(2 * shared, left + right)

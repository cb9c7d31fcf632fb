"""Every target notation met in real tables reads as the right threshold and writes back canonically.

Sources: the seed (../shared/seed/petition-bureau-targets.txt, project table and department
sentences), ../shared/domain.md §2, the published 天长 self-evaluation table in
../shared/fixtures/, and notations common in other published 绩效目标表 (word comparators,
以上/以内 suffixes, full-width forms, ranges, thousands separators).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perftarget import Threshold
from perftarget.exceptions import ThresholdSyntaxError
from perftarget.values import Comparator, ThresholdKind

Q = ThresholdKind.QUANTITATIVE
S = ThresholdKind.QUALITATIVE
NA = ThresholdKind.NOT_APPLICABLE
BLANK = ThresholdKind.BLANK

# (text as written, canonical str(), kind)
NOTATIONS: list[tuple[str, str, ThresholdKind]] = [
    # the seed's project table and department sentence
    ("≥8 小时/天", "≥8小时/天", Q),
    ("≥95%", "≥95%", Q),
    ("按时发放", "按时发放", S),
    ("≥98%", "≥98%", Q),
    ("良好", "良好", S),
    ("无", "无", NA),
    ("大于 95%", ">95%", Q),
    # domain.md §2
    ("≥50个", "≥50个", Q),
    ("≥100百分比", "≥100%", Q),
    ("=100%", "=100%", Q),
    ("≤10次", "≤10次", Q),
    ("≤5%", "≤5%", Q),
    ("≤90万元", "≤90万元", Q),
    (">92%", ">92%", Q),
    ("100", "100", Q),
    ("28.8万元", "28.8万元", Q),
    (">=95%", "≥95%", Q),
    ("<=5%", "≤5%", Q),
    ("＞92%", ">92%", Q),
    ("＜5%", "<5%", Q),
    ("≧95%", "≥95%", Q),
    ("≦10次", "≤10次", Q),
    ("＝100%", "=100%", Q),
    ("90%-100%", "90%~100%", Q),
    ("90%～100%", "90%~100%", Q),
    ("[90%,100%]", "90%~100%", Q),
    ("应保尽保", "应保尽保", S),
    ("效果明显", "效果明显", S),
    ("严格执行相关制度规定", "严格执行相关制度规定", S),
    ("符合相关规定", "符合相关规定", S),
    ("在项目计划完成时间内完成", "在项目计划完成时间内完成", S),
    ("按月安排", "按月安排", S),
    ("/", "无", NA),
    ("", "", BLANK),  # no target printed: not 无, the row still counts
    # the 天长 self-evaluation table (2022)
    ("1", "1", Q),
    ("90%", "90%", Q),
    ("100%", "100%", Q),
    ("工程质量合格", "工程质量合格", S),
    ("资金执行在预算范围内", "资金执行在预算范围内", S),
    ("已建工程良性运行", "已建工程良性运行", S),
    ("达成预期指标", "达成预期指标", S),
    ("完成年度目标。", "完成年度目标。", S),
    ("……", "无", NA),
    # other published notations
    ("不低于90%", "≥90%", Q),
    ("95%以上", "≥95%", Q),
    ("3个工作日内", "≤3个工作日", Q),
    ("≤12月底", "≤12月底", S),  # a deadline (a date to meet), read like 12月底前
    ("1,200人次", "1200人次", Q),
    ("９５％", "95%", Q),
    ("90%至100%", "90%~100%", Q),
    ("90%~100%", "90%~100%", Q),
    ("大于90%", ">90%", Q),
    ("高于85%", ">85%", Q),
    ("超过3次", ">3次", Q),
    ("不少于50人次", "≥50人次", Q),
    ("不小于1000万元", "≥1000万元", Q),
    ("至少2次", "≥2次", Q),
    ("达到100%", "≥100%", Q),
    ("小于5%", "<5%", Q),
    ("低于3%", "<3%", Q),
    ("少于10起", "<10起", Q),
    ("不高于2%", "≤2%", Q),
    ("不超过90万元", "≤90万元", Q),
    ("不大于5%", "≤5%", Q),
    ("至多3次", "≤3次", Q),
    ("30日以内", "≤30日", Q),
    ("5%以下", "≤5%", Q),
    ("等于100%", "=100%", Q),
    ("98%及以上", "≥98%", Q),
    ("90%（含）以上", "≥90%", Q),
    ("95%以上（含）", "≥95%", Q),
    ("控制在5%以内", "≤5%", Q),
    ("控制在90万元", "≤90万元", Q),
    ("在3个工作日内", "≤3个工作日", Q),
    ("10月底前", "10月底前", S),  # a deadline: was ≤10月底 with the unit 月底 (issue 18)
    ("12月底前完成", "12月底前完成", S),
    ("达到95%以上", "≥95%", Q),
    ("≥1,000,000元", "≥1000000元", Q),
    ("≥９８．５％", "≥98.5%", Q),
    ("≤-5%", "≤-5%", Q),
    ("=0", "=0", Q),
    ("=0起", "=0起", Q),
    ("≥99.50%", "≥99.5%", Q),
    ("≥0.5‰", "≥0.5‰", Q),
    ("≥10万人次", "≥10万人次", Q),
    ("≤2亿元", "≤2亿元", Q),
    ("≥300元/人", "≥300元/人", Q),
    ("≥4 次 / 年", "≥4次/年", Q),
    ("≥10个行政村", "≥10个行政村", Q),
    ("≤24小时", "≤24小时", Q),
    ("≤2个百分点", "≤2个百分点", Q),
    ("≥5000亩", "≥5000亩", Q),
    ("≤3 个月", "≤3个月", Q),
    ("≥25℃", "≥25℃", Q),
    ("80%—90%", "80%~90%", Q),
    ("[85，95]%", "85%~95%", Q),
    ("【90%，100%】", "90%~100%", Q),
    ("3-5天", "3天~5天", Q),
    ("介于90%至100%之间", "90%~100%", Q),
    ("在90%-100%之间", "90%~100%", Q),
    ("60~80分", "60分~80分", Q),
    ("优", "优", S),
    ("较好", "较好", S),
    ("显著", "显著", S),
    ("达成", "达成", S),
    ("—", "无", NA),
    ("——", "无", NA),
    ("-", "无", NA),
    ("不适用", "无", NA),
    ("N/A", "无", NA),
    ("  ≥ 95 %  ", "≥95%", Q),
    ("≥95%。", "≥95%", Q),
    ("≥8\n小时/天", "≥8小时/天", Q),
    ("≯5%", "≤5%", Q),
    ("≮90%", "≥90%", Q),
    ("≥95.0%", "≥95%", Q),
    ("1.2万人次", "1.2万人次", Q),
    ("3天完成", "3天完成", S),
    ("100%完成", "100%完成", S),
    ("不低于上年水平", "不低于上年水平", S),
]


def test_the_table_is_large_enough() -> None:
    """At least 80 distinct real notations are checked."""
    assert len({text for text, _, _ in NOTATIONS}) >= 80


@pytest.mark.parametrize(("text", "canonical", "kind"), NOTATIONS, ids=[repr(n[0]) for n in NOTATIONS])
def test_notation(text: str, canonical: str, kind: ThresholdKind) -> None:
    """The notation reads as the expected kind, writes back canonically, and keeps its source."""
    threshold = Threshold.parse(text)
    assert threshold.kind is kind
    assert str(threshold) == canonical
    assert threshold.display == text
    assert Threshold.parse(canonical) == threshold
    assert Threshold.parse(str(threshold)) == threshold


@pytest.mark.parametrize(("text", "canonical", "kind"), NOTATIONS, ids=[repr(n[0]) for n in NOTATIONS])
def test_notation_comparator_is_written_or_inferred(text: str, canonical: str, kind: ThresholdKind) -> None:
    """A canonical text without a symbol is a bare value (inferred ≥) or a range; nothing else is inferred."""
    threshold = Threshold.parse(text)
    if kind is not Q:
        assert threshold.comparator is None
        assert not threshold.inferred
        return
    if "~" in canonical:
        assert threshold.comparator is Comparator.BETWEEN
        assert not threshold.inferred
    elif canonical[0] in "≥>≤<=":
        assert threshold.comparator is Comparator(canonical[0])
        assert not threshold.inferred
    else:
        assert threshold.comparator is Comparator.GE
        assert threshold.inferred


def test_words_map_to_the_comparators_of_the_issue() -> None:
    """大于/高于/超过 >, 不低于/不少于/不小于/至少/达到/以上 ≥, 小于/低于/少于 <, 不高于/不超过/不大于/至多/以内/以下 ≤, 等于 =."""
    expected = {
        "大于5": Comparator.GT, "高于5": Comparator.GT, "超过5": Comparator.GT,
        "不低于5": Comparator.GE, "不少于5": Comparator.GE, "不小于5": Comparator.GE, "至少5": Comparator.GE,
        "达到5": Comparator.GE, "5以上": Comparator.GE,
        "小于5": Comparator.LT, "低于5": Comparator.LT, "少于5": Comparator.LT,
        "不高于5": Comparator.LE, "不超过5": Comparator.LE, "不大于5": Comparator.LE, "至多5": Comparator.LE,
        "5以内": Comparator.LE, "5以下": Comparator.LE,
        "等于5": Comparator.EQ,
    }
    for text, comparator in expected.items():
        threshold = Threshold.parse(text)
        assert (text, threshold.comparator, threshold.value) == (text, comparator, Decimal(5))


def test_suffix_words_include_the_number() -> None:
    """In Chinese usage 以上/以下/以内 include the number itself."""
    assert Threshold.parse("95%以上").is_met("95%")
    assert Threshold.parse("5%以下").is_met("5%")
    assert Threshold.parse("3个工作日以内").is_met("3个工作日")


# (text, 1-based column, expected): texts that open with a comparator symbol or "[" + number.
MALFORMED: list[tuple[str, int, str]] = [
    ("≥", 2, "a number after the comparator"),
    ("≥abc", 2, "a number after the comparator"),
    (">=", 3, "a number after the comparator"),
    ("≥95%以下", 5, "no word contradicting ≥"),
    ("=5以上", 3, "no word contradicting ="),
    ("≥95%的群众", 4, "a unit such as %, 个, 万元 or 小时/天"),
    ("≥90%且≤100%", 6, "the end of the target"),
    ("≥90%~100%", 5, "a single value after the comparator, not a range"),
    ("≥1,2", 3, "the end of the target"),
    ("[100%,90%]", 7, "an upper bound of at least 100"),
    ("[90%,100%", 10, "] to close the range"),
    ("[90%;100%]", 5, "a comma between the bounds"),
    ("[90%,5个]", 7, "the same unit as the lower bound (%)"),
    ("[90,100]天完成", 9, "a known unit such as %, 个, 人次, 天, 万元 or 小时/天"),
    ("≥95%(含)", 8, "以上 or 以下 after (含)"),
]


@pytest.mark.parametrize(("text", "column", "expected"), MALFORMED, ids=[repr(m[0]) for m in MALFORMED])
def test_malformed_notation(text: str, column: int, expected: str) -> None:
    """A committed text that does not finish as a target raises with its text, column and expectation."""
    with pytest.raises(ThresholdSyntaxError) as info:
        Threshold.parse(text)
    error = info.value
    assert (error.text, error.column, error.expected) == (text, column, expected)
    assert isinstance(error, ValueError)
    assert f"column {column}" in str(error)

"""Threshold: grammar properties, evaluation rules (10号), units, errors and sentences."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import TypeVar

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import perftarget._values.threshold as threshold_module
from perftarget import Indicator, InvalidValueError, Threshold
from perftarget._codec.convert import from_dict, to_dict
from perftarget._rulebook.scoring import attainment
from perftarget._values.threshold import parse_quantity
from perftarget.exceptions import InvalidActualError, ThresholdSyntaxError, UnitMismatchError
from perftarget.testing import amounts, thresholds, units_of_measure
from perftarget.values import Achievement, Comparator, Quantity, ThresholdKind, parse_statement

T = TypeVar("T")
QUANTITATIVE = (ThresholdKind.QUANTITATIVE,)
HIGHER = (Comparator.GE, Comparator.GT)
LOWER = (Comparator.LE, Comparator.LT)

# Characters the grammar cares about, mixed into fuzzed text so that it reaches deep states.
GRAMMAR = [
    *"≥≤<>=＞＜＝≧≦≮≯%％‰0123456789０１２３.．,，~～-－—至到[]［］【】()（）含以上下内前之间个天万元小时/／ 　\t\n\x00\u200b",
    *("大于", "不低于", "达到", "控制在", "介于", "在", "以上", "以内", "(含)", "1,200", "人次", "百分比", "个工作日"),
]
grammar_text = st.lists(st.one_of(st.sampled_from(GRAMMAR), st.characters()), max_size=24).map("".join)
any_text = st.one_of(st.text(), grammar_text, st.text(st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF)))

signed = st.decimals(min_value=-2000, max_value=2 * 10**6, places=3, allow_nan=False, allow_infinity=False)


# --- the grammar -------------------------------------------------------------------------


def outcome(read: Callable[[str], T], text: str) -> T | ThresholdSyntaxError:
    """What reading ``text`` gives: the result, or the ThresholdSyntaxError it raised."""
    try:
        return read(text)
    except ThresholdSyntaxError as error:
        return error


def check_error(error: ThresholdSyntaxError, text: str) -> None:
    """The error names the text, a column inside it (or just past it) and what was expected."""
    assert error.text == text
    assert 1 <= error.column <= len(text) + 1
    assert error.expected


@given(thresholds())
def test_round_trip(threshold: Threshold) -> None:
    """Threshold.parse(str(t)) == t for every threshold the strategy builds, and str() is stable."""
    again = Threshold.parse(str(threshold))
    assert again == threshold
    assert str(again) == str(threshold)


@given(thresholds())
def test_round_trip_through_the_converter(threshold: Threshold) -> None:
    """A target round-trips through to_dict/from_dict as part of an indicator."""
    indicator = Indicator(name="指标", target=threshold)
    assert from_dict(to_dict(indicator), Indicator) == indicator


@given(any_text)
def test_any_text_parses_or_raises_syntax_error(text: str) -> None:
    """Any text whatsoever gives a valid threshold or a ThresholdSyntaxError, and nothing else."""
    threshold = outcome(Threshold.parse, text)
    if isinstance(threshold, ThresholdSyntaxError):
        check_error(threshold, text)
        return
    assert threshold.source == text
    attrs.evolve(threshold, source=None)  # re-runs every shape check
    assert Threshold.parse(str(threshold)) == threshold


@given(any_text)
def test_any_text_as_amount_or_sentence_parses_or_raises(text: str) -> None:
    """parse_quantity and parse_statement also either answer or raise ThresholdSyntaxError."""
    quantity = outcome(parse_quantity, text)
    if isinstance(quantity, ThresholdSyntaxError):
        check_error(quantity, text)
    else:
        assert isinstance(quantity.value, Decimal)
    split = outcome(parse_statement, text)
    if isinstance(split, ThresholdSyntaxError):
        check_error(split, text)
        return
    name, threshold = split
    assert isinstance(name, str)
    assert Threshold.parse(str(threshold)) == threshold


ADVERSARIAL = {
    "digits after a symbol": "≥" + "1" * 50_000,
    "thousands groups": "1" + ",000" * 12_500,
    "spaces then a symbol": " " * 50_000 + "≥",
    "a symbol then spaces": "≥" + " " * 50_000 + "5",
    "repeated words": "大于" * 25_000,
    "repeated symbols": "≥" * 50_000,
    "a long unit": "≥5" + "个" * 50_000,
    "a long compound unit": "≥5" + "个/" * 25_000,
    "repeated ranges": "1-" * 25_000,
    "an open bracket": "[" + "1," * 25_000,
    "repeated suffixes": "5" + "以上" * 25_000,
    "repeated (含)": "5%" + "(含)" * 16_000,
    "repeated targets": "≥95%，" * 10_000,
    "a sentence of targets": "劝返率大于95%" * 6_000,
    "repeated comparators and digits": "大于1" * 16_000,
    "repeated lead words": "在" * 50_000,
    "signs": "-" * 50_000 + "5",
    "digits and commas": "1," * 25_000,
    "modal verbs": "应" * 50_000 + "大于5",
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_50000_characters(text: str) -> None:
    """Each 50,000-character adversarial text is read or rejected (the scanner never backtracks)."""
    assert len(text) >= 48_000
    for read in (Threshold.parse, parse_quantity, parse_statement):
        result = outcome(read, text)  # type: ignore[arg-type]
        if isinstance(result, ThresholdSyntaxError):
            assert 1 <= result.column <= len(text) + 1
        else:
            assert isinstance(result, (Threshold, Quantity, tuple))


def test_the_grammar_uses_no_regular_expression() -> None:
    """The scanner is hand-written: the module neither imports nor compiles a regular expression."""
    source = inspect.getsource(threshold_module)
    assert "import re" not in source
    assert "re.compile" not in source
    assert not hasattr(threshold_module, "re")


def test_errors_carry_text_column_and_expected() -> None:
    """A ThresholdSyntaxError is a PerftargetError and a ValueError with its text, column and expectation."""
    with pytest.raises(ThresholdSyntaxError) as info:
        Threshold.parse("≥ 95个%")
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.text, error.column) == ("≥ 95个%", 5)
    assert error.expected == "a unit such as %, 个, 万元 or 小时/天"
    assert str(error) == "cannot read target '≥ 95个%' at column 5: expected a unit such as %, 个, 万元 or 小时/天"


def test_columns_count_characters_of_the_input() -> None:
    """Full-width characters are folded one for one, so the column points into the original text."""
    with pytest.raises(ThresholdSyntaxError) as info:
        Threshold.parse("＞＝９５％ＸＸ！好")
    assert info.value.column == 8  # the ！ that starts the trailing text


def test_only_symbol_led_text_is_held_to_the_grammar() -> None:
    """Word-led or bare text that is not a complete target stays a statement, kept verbatim."""
    for text in ("不低于上年水平", "3天完成", "100%~90%", "大于95%以下", "1-2月完成", "[注]按时完成"):
        threshold = Threshold.parse(text)
        assert threshold.kind is ThresholdKind.QUALITATIVE
        assert threshold.statement == text


def test_bare_value_policy() -> None:
    """A bare value gets the `bare` comparator (≥ by default), is marked inferred, and is written back bare."""
    default = Threshold.parse("100%")
    assert (default.comparator, default.inferred, str(default)) == (Comparator.GE, True, "100%")
    lower = Threshold.parse("30天", bare=Comparator.LE)
    assert (lower.comparator, lower.inferred, str(lower)) == (Comparator.LE, True, "30天")
    assert Threshold.parse(str(lower), bare=Comparator.LE) == lower
    assert Threshold.parse("≥100%") != default  # written and inferred differ


def test_bare_value_needs_a_known_unit() -> None:
    """A bare number reads as a target only with a known unit; after a comparator any word is a unit."""
    assert Threshold.parse("3座").is_quantitative
    assert Threshold.parse("3天完成").is_qualitative
    assert str(Threshold.parse("≥3天完成")) == "≥3天完成"


def test_bare_must_be_a_single_comparator() -> None:
    """A range cannot be the bare-value policy; a non-str text is a TypeError."""
    with pytest.raises(InvalidValueError):
        Threshold.parse("100%", bare=Comparator.BETWEEN)
    with pytest.raises(TypeError):
        Threshold.parse(95)  # type: ignore[arg-type]


def test_canonical_text() -> None:
    """str() is symbol, number, unit, no spaces; equal thresholds print the same."""
    cases = {
        "≥ 95 %": "≥95%", "≥ 8 小时 ／ 天": "≥8小时/天", "≤90 万元": "≤90万元", "大于 92%": ">92%",
        "90% ～ 100%": "90%~100%", "无": "无", "按时发放": "按时发放", "≥95.00%": "≥95%", "≥-0.0": "≥0",
    }
    for text, canonical in cases.items():
        assert str(Threshold.parse(text)) == canonical
    assert str(Threshold.at_least("1E+2", "%")) == "≥100%"
    assert str(Threshold.at_least(Decimal("95.50"), "%")) == "≥95.5%"


def test_source_is_kept_but_not_compared() -> None:
    """display shows the text as read; equality and hashing ignore it."""
    written = Threshold.parse("不低于 95 ％")
    built = Threshold.at_least(95, "%")
    assert written == built
    assert hash(written) == hash(built)
    assert written.display == "不低于 95 ％"
    assert built.display == "≥95%"


# --- the seed's sentence and other sentences ---------------------------------------------------


def test_the_seed_department_sentence() -> None:
    """群众来访劝返率大于 95% splits into its name and >95%."""
    name, target = parse_statement("群众来访劝返率大于 95%")
    assert (name, target) == ("群众来访劝返率", Threshold.parse(">95%"))
    assert target.comparator is Comparator.GT
    assert parse_statement("绩效指标：群众来访劝返率大于 95%。")[0] == "群众来访劝返率"


@pytest.mark.parametrize(
    ("sentence", "name", "canonical"),
    [
        ("服务对象满意度达到95%以上", "服务对象满意度", "≥95%"),
        ("投诉办结率应不低于98%。", "投诉办结率", "≥98%"),
        ("经费支出控制在90万元以内", "经费支出", "≤90万元"),
        ("年度资金支付完成率100%", "年度资金支付完成率", "100%"),
        ("增长率≥-5%", "增长率", "≥-5%"),
        ("满意度90%~100%", "满意度", "90%~100%"),
        ("受益人口1,200人次", "受益人口", "1200人次"),
        ("安全事故发生次数=0", "安全事故发生次数", "=0"),
        ("大于95%", "", ">95%"),
    ],
)
def test_sentences(sentence: str, name: str, canonical: str) -> None:
    """The target ends the sentence; the name is what comes before it."""
    got_name, target = parse_statement(sentence)
    assert (got_name, str(target)) == (name, canonical)


def test_sentence_without_a_target() -> None:
    """A sentence without a target comes back whole (without its full stop) as a statement; empty is blank."""
    name, target = parse_statement("根据发放期限按时间进度及时发放。")
    assert name == "根据发放期限按时间进度及时发放"
    assert target == Threshold.qualitative("根据发放期限按时间进度及时发放")
    assert parse_statement("  ") == ("", Threshold.blank())


def test_sentence_that_is_a_malformed_target() -> None:
    """A sentence that opens with a symbol and is no target raises, with the column in the sentence."""
    with pytest.raises(ThresholdSyntaxError) as info:
        parse_statement("  绩效指标： ≥好")
    assert (info.value.text, info.value.column) == ("  绩效指标： ≥好", 10)


# --- evaluation -----------------------------------------------------------------------------


@given(thresholds(kinds=QUANTITATIVE), signed)
def test_is_met_implies_full_attainment(threshold: Threshold, actual: Decimal) -> None:
    """is_met ⇒ attainment == 1; attainment < 1 ⇒ not is_met; attainment is in [0, 1]."""
    share = attainment(threshold, actual)
    assert Decimal(0) <= share <= Decimal(1)
    if threshold.is_met(actual):
        assert share == 1
    if share < 1:
        assert not threshold.is_met(actual)


@given(thresholds(kinds=(ThresholdKind.QUALITATIVE,)), st.sampled_from([*Achievement, "达成", "部分达成", "未达成"]))
def test_qualitative_is_met_implies_full_attainment(threshold: Threshold, actual: Achievement | str) -> None:
    """The same implication holds for qualitative targets and bands."""
    share = attainment(threshold, actual)
    assert Decimal(0) <= share <= Decimal(1)
    assert threshold.is_met(actual) == (share == 1)
    assert threshold.is_met(actual) == (threshold.achievement(actual) is Achievement.ACHIEVED)


@given(thresholds(kinds=QUANTITATIVE), signed, signed)
def test_attainment_is_monotonic_in_the_actual(threshold: Threshold, first: Decimal, second: Decimal) -> None:
    """Non-decreasing in the actual for ≥ and >, non-increasing for ≤ and <."""
    low, high = sorted((first, second))
    if threshold.comparator in HIGHER:
        assert attainment(threshold, low) <= attainment(threshold, high)
    elif threshold.comparator in LOWER:
        assert attainment(threshold, low) >= attainment(threshold, high)


# unit -> (another unit of its dimension, how many of those make one of it)
SCALED = {"元": ("万元", Decimal("0.0001")), "万元": ("元", Decimal(10000)), "亿元": ("万元", Decimal(10000)),
          "%": ("‰", Decimal(10)), "‰": ("%", Decimal("0.1"))}


@given(thresholds(kinds=QUANTITATIVE), amounts(max_value=10**7, places=3))
def test_scaling_units_changes_nothing(threshold: Threshold, actual: Decimal) -> None:
    """The same target and actual written in 元 or 万元 (% or ‰) give the same is_met and attainment."""
    assume(threshold.unit in SCALED)
    other, factor = SCALED[threshold.unit]
    twin = attrs.evolve(
        threshold,
        value=threshold.value * factor if threshold.value is not None else None,
        upper=threshold.upper * factor if threshold.upper is not None else None,
        unit=other,
        source=None,
    )
    original = Quantity(actual, threshold.unit)
    rewritten = Quantity(actual * factor, other)
    expected = (threshold.is_met(original), attainment(threshold, original))
    for target in (threshold, twin):
        for value in (original, rewritten, str(original), str(rewritten)):
            assert (target.is_met(value), attainment(target, value)) == expected


DIMENSIONS = {"%": "ratio", "万元": "money", "天": "days", "小时/天": "rate", "个": "个", "人次": "人次", "月": "months"}


@given(thresholds(kinds=QUANTITATIVE), st.sampled_from(sorted(DIMENSIONS)), amounts(max_value=1000))
def test_comparing_across_dimensions_raises(threshold: Threshold, unit: str, actual: Decimal) -> None:
    """An actual in a unit of another dimension is an error, never a silent answer."""
    assume(threshold.unit in DIMENSIONS and DIMENSIONS[threshold.unit] != DIMENSIONS[unit])
    with pytest.raises(UnitMismatchError):
        threshold.is_met(Quantity(actual, unit))
    with pytest.raises(UnitMismatchError):
        attainment(threshold, f"{actual}{unit}")


@given(units_of_measure(), amounts(max_value=1000))
def test_a_number_is_in_the_targets_unit(unit: str, actual: Decimal) -> None:
    """A plain number (or text without a unit) is taken to be in the target's unit."""
    target = Threshold.at_least(50, unit)
    assert target.actual_in_unit(actual) == actual
    assert target.actual_in_unit(str(actual)) == actual


def test_the_rules_of_caiyu_2020_10() -> None:
    """正向 B/A, 反向 A/B, = 0 at zero, ranges against the nearer bound, negatives below a positive target 0."""
    assert attainment(Threshold.parse("≥95%"), "76%") == Decimal("0.8")
    assert attainment(Threshold.parse("≥95%"), "120%") == 1
    assert attainment(Threshold.parse("≤10万元"), "12.5万元") == Decimal("0.8")
    assert attainment(Threshold.parse("≤10次"), 0) == 1
    assert attainment(Threshold.parse("=0"), 0) == 1
    assert attainment(Threshold.parse("=0"), -1) == 0  # changed in 0.2.0: signed values compare as written
    assert attainment(Threshold.parse("=0"), 1) == 0
    assert attainment(Threshold.parse("=100%"), "80%") == Decimal("0.8")
    assert attainment(Threshold.parse("90%~100%"), "72%") == Decimal("0.8")
    assert attainment(Threshold.parse("90%~100%"), "125%") == Decimal("0.8")
    assert attainment(Threshold.parse("90%~100%"), "95%") == 1
    assert attainment(Threshold.parse("≥95%"), "-5%") == 0


def test_strict_comparators_at_the_boundary() -> None:
    """> and < are not met at equality, yet 10号 gives full marks there (B ≥ A / B ≤ A)."""
    above = Threshold.parse(">95%")
    below = Threshold.parse("<5%")
    assert not above.is_met("95%")
    assert attainment(above, "95%") == 1
    assert not below.is_met("5%")
    assert attainment(below, "5%") == 1
    assert not Threshold.parse("=100%").is_met("101%")


def test_negative_targets() -> None:
    """Where a ratio means nothing (targets of 0 or below) attainment is 1 when met, else 0."""
    growth = Threshold.parse("≥-5%")
    assert (growth.is_met("-3%"), attainment(growth, "-3%")) == (True, 1)
    assert (growth.is_met("-8%"), attainment(growth, "-8%")) == (False, 0)
    decline = Threshold.parse("≤-5%")
    assert (decline.is_met("-8%"), attainment(decline, "-8%")) == (True, 1)
    assert (decline.is_met("-3%"), attainment(decline, "-3%")) == (False, 0)


def test_unit_aware_actuals() -> None:
    """Actuals in other units of the same dimension are converted exactly; text and numbers both work."""
    cap = Threshold.parse("≤10万元")
    assert cap.is_met("95000元")
    assert cap.actual_in_unit("95000元") == Decimal("9.5")
    assert cap.actual_in_unit(Quantity("0.001", "亿元")) == 10
    hours = Threshold.parse("≥8 小时/天")
    assert attainment(hours, "7.5小时/天") == Decimal("0.9375")
    assert hours.is_met("480分钟/天")
    assert Threshold.parse("≥1000人次").is_met("1.2万人次")
    assert Threshold.parse("≥95%").is_met(96.5)
    assert Threshold.parse("≥95%").is_met("９６％")
    assert Threshold.parse("≤5‰").is_met("0.4%")


def test_mismatched_units_name_both() -> None:
    """The error says which units could not be compared."""
    with pytest.raises(UnitMismatchError, match="'个' with '%'"):
        Threshold.parse("≥95%").is_met("5个")
    with pytest.raises(UnitMismatchError, match="'%' with '\\(no unit\\)'"):
        Threshold.parse("100").is_met("96%")


def test_invalid_actuals() -> None:
    """Text that is not an amount, bools, None and 无 targets raise InvalidActualError."""
    target = Threshold.parse("≥95%")
    for actual in ("很好", True, None, "≥96%", object()):
        with pytest.raises(InvalidActualError):
            target.is_met(actual)
    with pytest.raises(InvalidActualError):
        attainment(Threshold.not_applicable(), "1")
    with pytest.raises(InvalidActualError):
        Threshold.parse("按时发放").is_met(Decimal(1))


def test_qualitative_actuals() -> None:
    """Bands, grades on the target's scale, and the statement itself."""
    good = Threshold.parse("良好")
    assert good.is_met("优秀")
    assert attainment(good, "合格") == Decimal("0.7")
    assert attainment(good, "不合格") == Decimal("0.3")
    assert attainment(Threshold.parse("显著"), "明显") == Decimal("0.7")
    assert Threshold.parse("较好").is_met("好")
    assert Threshold.parse("按时发放").is_met("按时发放")
    assert attainment(Threshold.parse("按时发放"), Achievement.PARTIAL) == Decimal("0.7")
    assert attainment(Threshold.parse("按时发放"), "not achieved") == Decimal("0.3")
    with pytest.raises(InvalidActualError):
        Threshold.parse("按时发放").is_met("大概吧")


def test_ratios_ignore_the_callers_decimal_context() -> None:
    """Attainment keeps 28 significant digits even under a low-precision context."""
    with localcontext() as context:
        context.prec = 3
        assert attainment(Threshold.parse("≥95%"), "90%") == Decimal("0.9473684210526315789473684211")


# --- construction ----------------------------------------------------------------------------


def test_named_constructors() -> None:
    """at_least, at_most, exactly, between, qualitative and not_applicable build what parse reads."""
    assert Threshold.at_least(95, "%") == Threshold.parse("≥95%")
    assert Threshold.at_most("90", "万元") == Threshold.parse("≤90万元")
    assert Threshold.exactly(0, "起") == Threshold.parse("=0起")
    assert Threshold.between(90, 100, "百分比") == Threshold.parse("90%~100%")
    assert Threshold.qualitative("按时发放") == Threshold.parse("按时发放")
    assert Threshold.not_applicable() == Threshold.parse("/")
    assert Threshold.blank() == Threshold.parse("")


def test_blank_is_not_not_applicable() -> None:
    """An empty target (no target printed) is blank: it applies, writes back empty; 无, /, —, 不适用 stay 无."""
    for text in ("", " ", "\u3000", "\t"):
        blank = Threshold.parse(text)
        assert (blank.kind, blank.is_blank, blank.is_applicable, str(blank)) == (ThresholdKind.BLANK, True, True, "")
        assert blank.display == text
    for text in ("无", "/", "—", "不适用", "n/a"):
        not_applicable = Threshold.parse(text)
        assert (not_applicable.kind, not_applicable.is_blank, not_applicable.is_applicable) == (
            ThresholdKind.NOT_APPLICABLE, False, False)
    assert Threshold.blank() != Threshold.not_applicable()
    assert not Threshold.parse("≥95%").is_blank
    with pytest.raises(InvalidActualError, match=r"no target is printed \(blank\)"):
        Threshold.blank().is_met("96%")
    with pytest.raises(InvalidActualError, match=r"no target is printed \(blank\)"):
        Threshold.blank().achievement("达成")
    with pytest.raises(InvalidValueError, match="a blank threshold has no statement"):
        Threshold(kind=ThresholdKind.BLANK, statement="x")
    with pytest.raises(InvalidValueError, match="a blank threshold has no comparator"):
        Threshold(kind=ThresholdKind.BLANK, comparator=Comparator.GE)


def test_blank_in_files() -> None:
    """A blank target is stored as ``target = ""`` and read back blank; 无 is stored as 无."""
    row = {"name": "指标", "target": ""}
    indicator = from_dict(row, Indicator)
    assert indicator.target.is_blank
    assert to_dict(indicator)["target"] == ""
    assert from_dict({"name": "无", "target": "无"}, Indicator).target == Threshold.not_applicable()


@pytest.mark.parametrize(
    "build",
    [
        lambda: Threshold.qualitative("≥95%"),
        lambda: Threshold.qualitative("无"),
        lambda: Threshold.qualitative(" 按时 "),
        lambda: Threshold.qualitative("≥95%的群众"),
        lambda: Threshold.at_least(95, "%以上"),
        lambda: Threshold.at_least(95, "%的"),
        lambda: Threshold.between(100, 90, "%"),
        lambda: Threshold.between(1, 2, "座桥"),
        lambda: Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.GE, value=Decimal(3), unit="座桥",
                          inferred=True),
        lambda: Threshold(kind=ThresholdKind.QUANTITATIVE, comparator="≥", value=Decimal(1)),
        lambda: Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.GE, value=1),
        lambda: Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.GE, value=Decimal("NaN")),
        lambda: Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=Comparator.GE, value=Decimal(1),
                          upper=Decimal(2)),
        lambda: Threshold(kind="quantitative"),
        lambda: Threshold(kind=ThresholdKind.NOT_APPLICABLE, statement="无"),
        lambda: Threshold(kind=ThresholdKind.QUALITATIVE, statement="好", inferred=True),
    ],
)
def test_invalid_shapes_are_refused(build: object) -> None:
    """Every threshold that would not read back as itself is refused with InvalidValueError."""
    assert callable(build)
    with pytest.raises(InvalidValueError):
        build()

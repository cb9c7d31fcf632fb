"""The built-in review rules: their examples, their edge cases, and the name-reading helpers."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget._rulebook.progress import time_progress
from perftarget.rules import BUILTIN_RULES, DEFAULT_RULES, GROUPS, Finding, ReviewConfig, RuleExample, Severity, review
from perftarget.rules import _text as text
from perftarget.rules.consistency import same_target

DATA = Path(__file__).resolve().parent / "data"

BASE = RuleExample("", "indicators").document()


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def _with_rows(*rows: dict[str, object], **project: object) -> pt.ProjectTargets:
    """The base project with its goal's indicators replaced by ``rows`` (and other fields changed)."""
    base = BASE.projects[0]
    goal = attrs.evolve(base.goals[0], indicators=tuple(pt.Indicator(**row) for row in rows))  # type: ignore[arg-type]
    return attrs.evolve(base, goals=(goal,), **project)  # type: ignore[arg-type]


def _row(name: str, target: str, levels: str = "产出指标/质量指标", **extra: object) -> dict[str, object]:
    level1, _, level2 = levels.partition("/")
    row: dict[str, object] = {
        "level1": level1,
        "level2": level2,
        "name": name,
        "description": extra.pop("description", f"{name}的说明"),
        "target": target,
        "basis": "工作要求",
    }
    row.update(extra)
    return row


def _standard(*rows: dict[str, object]) -> tuple[dict[str, object], ...]:
    """``rows`` plus one benefit and one satisfaction row, so the table is otherwise complete."""
    return (
        *rows,
        _row("矛盾纠纷化解率", "≥90%", "效益指标/社会效益指标"),
        _row("上访人员满意度", "≥90%", "满意度指标/服务对象满意度指标"),
    )


def _review_rows(*rows: dict[str, object], select: str | None = None, **project: object) -> list[str]:
    table = _with_rows(*_standard(*rows), **project)
    return _codes(review(table, select=select))


# --- the catalogue -------------------------------------------------------------------------


def test_codes_are_unique_sorted_and_grouped():
    """Codes are PT + three digits, unique, in order, and every hundred is a documented group."""
    codes = [rule.code for rule in BUILTIN_RULES]
    assert codes == sorted(set(codes))
    for code in codes:
        assert re.fullmatch(r"PT[1-6][0-9]{2}", code)
        assert code[2] in GROUPS


def test_every_rule_is_documented():
    """Each rule has a title, both messages, help, and a failing and a passing example."""
    for rule in BUILTIN_RULES:
        assert rule.title, rule.code
        assert rule.message, rule.code
        assert rule.message_en, rule.code
        assert len(rule.help) > 40, rule.code
        assert rule.fail_example is not None, rule.code
        assert rule.pass_example is not None, rule.code


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,;:'’()-]+[A-Za-z]+){3,}")  # four Latin words in a row


def _is_chinese(text: str) -> bool:
    """Chinese text: CJK characters, and no English sentence (codes, file keys and policy names may stay)."""
    return bool(_CJK.search(text)) and _LATIN_SENTENCE.search(text) is None


def test_latin_sentence_check_can_fail():
    """The check below tells an English sentence from Chinese with a few Latin names in it."""
    assert _is_chinese("按自评表审核方案（self-evaluation）审核，不运行本规则；评分办法见 scoring-policy。")
    assert not _is_chinese("A plan must reach 100 % by the end of the year（跨年度项目除外）")
    assert not _is_chinese("Only English here.")


@pytest.mark.parametrize("item", [*BUILTIN_RULES, *DEFAULT_RULES.profiles], ids=lambda r: getattr(r, "code", None) or r.name)
def test_every_rule_speaks_chinese(item):
    """Each built-in rule and profile has a Chinese title and help (title_zh, help_zh), written in Chinese,
    as long as the English (the same content: a Chinese sentence holds about a third of the characters)."""
    assert _is_chinese(item.title_zh), item.title_zh
    assert _is_chinese(item.help_zh), item.help_zh
    assert len(item.help_zh) > len(item.help) / 4
    assert item.title_in("zh") == item.title_zh
    assert item.help_in("zh") == item.help_zh
    assert item.help_in("en") == item.help
    assert item.title_in("en") == item.title


def test_base_table_is_clean():
    """The table every example builds on yields no finding at all."""
    assert review(BASE) == []


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_failing_example_fails(rule):
    """The failing example yields at least one finding of the rule, with the rule's severity and help."""
    assert rule.fail_example is not None
    findings = [f for f in review(rule.fail_example.document()) if f.code == rule.code]
    assert findings
    for finding in findings:
        assert finding.severity is rule.severity
        assert finding.help == rule.help
        assert finding.help_zh == rule.help_zh
        assert "{" not in finding.message
        assert "{" not in finding.message_en


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_passing_example_passes(rule):
    """The passing example yields no finding of the rule."""
    assert rule.pass_example is not None
    assert rule.code not in _codes(review(rule.pass_example.document()))


def test_rule_by_code():
    """Rules are found by code; an unknown code is a KeyError."""
    assert DEFAULT_RULES["PT302"].title.startswith("Rate-named")
    with pytest.raises(KeyError):
        DEFAULT_RULES["PT999"]


def test_helper_doctests(monkeypatch):
    """The examples in the docstrings of the engine and the helpers hold (run from the repository root)."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    import perftarget._judge.review as review_module

    for module in (text, review_module):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0


# --- completeness --------------------------------------------------------------------------


def test_not_applicable_rows_do_not_count_as_output():
    """A 产出 level filled only with 无 rows is still missing (PT101)."""
    codes = _review_rows(_row("无", "无", "产出指标/数量指标", description="无", basis="无"))
    assert "PT101" in codes
    assert "PT206" in codes


def test_satisfaction_marked_not_applicable_is_accepted():
    """A 满意度 row of 无 declares that nobody is served: no PT103."""
    table = _with_rows(
        _row("驻京值班天数", "≥250天", "产出指标/数量指标"),
        _row("群众来访劝返率", "≥95%", "效益指标/社会效益指标"),
        _row("无", "无", "满意度指标/服务对象满意度指标", description="无", basis="无"),
    )
    assert "PT103" not in _codes(review(table))


def test_no_satisfaction_without_recipients_is_fine():
    """A project whose text names nobody served is not asked for satisfaction."""
    table = _with_rows(
        _row("设备购置数量", "≥3台", "产出指标/数量指标"),
        _row("设备完好率", "≥95%", "效益指标/可持续影响指标"),
        name="办公设备购置",
        purpose="购置办公设备",
    )
    table = attrs.evolve(table, goals=(attrs.evolve(table.goals[0], content="更新办公设备"),))
    assert "PT103" not in _codes(review(table))


def test_department_indicators_need_no_basis_or_description():
    """Narrative indicators have no 指标值确定依据 or description columns: PT106/PT110 skip them."""
    department = pt.DepartmentTargets(
        unit=pt.Unit("230001", "某局"),
        year=2022,
        goals=(pt.Goal("经费支出准确", (pt.Indicator(name="经费支出准确", target="确保经费支出准确无误"),)),),
    )
    assert review(department) == []


def test_quantitative_target_without_unit_in_narrative():
    """PT105 applies to narrative indicators too."""
    department = pt.DepartmentTargets(
        unit=pt.Unit("230001", "某局"),
        year=2022,
        goals=(pt.Goal("接待群众来访", (pt.Indicator(name="接待来访", target="≥500"),)),),
    )
    assert _codes(review(department)) == ["PT105"]


# --- structure -----------------------------------------------------------------------------


def test_blank_level_counts_as_missing():
    """A blank level label is a missing level (PT203), not an unknown one (PT201)."""
    codes = _review_rows(_row("驻京值班天数", "≥250天", "/数量指标"))
    assert "PT203" in codes
    assert "PT201" not in codes


def test_core2021_table_alone_is_not_mixed():
    """A table wholly in the 2021 tree is fine; mixing it with the classic 成本 level-2 is PT204."""
    core = _row("值班费总额", "≤10万元", "成本指标/经济成本指标")
    assert "PT204" not in _review_rows(core, _row("驻京值班天数", "≥250天", "产出指标/数量指标"))
    classic = _row("人均值班费", "≤2万元/人", "产出指标/成本指标")
    assert "PT204" in _review_rows(classic, core)


def test_duplicate_keys_and_names():
    """Repeated keys and names (ignoring spaces and punctuation) are PT205, at the later row."""
    table = _with_rows(
        *_standard(
            _row("驻京值班天数", "≥250天", "产出指标/数量指标", key="days"),
            _row("驻京 值班天数。", "≥240天", "产出指标/数量指标", key="days"),
        )
    )
    findings = [f for f in review(table) if f.code == "PT205"]
    assert [f.path for f in findings] == ["goals[0].indicators[1].key", "goals[0].indicators[1].name"]
    assert "goals[0].indicators[0]" in findings[0].message


def test_duplicates_are_per_table():
    """The same indicator in two projects is not a duplicate."""
    document = pt.Document(projects=(BASE.projects[0], attrs.evolve(BASE.projects[0], code="other")))
    assert review(document) == []


# --- quality -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "target", "flagged"),
    [
        ("工作日保障单位运转", "在岗人员出勤率", "≥8小时/天", True),
        ("在岗人员出勤率", "", "≥8小时/天", True),
        ("来访人员占比", "", "≥50人", True),
        ("巡查频率", "每月巡查的次数", "≥4次/月", False),
        ("工作效率", "人均办件数", "≥10件", False),
        ("来访群众满意度", "问卷评分", "≥90分", False),
        ("来访群众满意度", "问卷", "≥90人", True),
        ("出勤率", "", "≥95%", False),
        ("出勤率", "", "≥950‰", False),
        ("出勤率", "", "≥95", False),
    ],
)
def test_rate_named_with_non_rate_unit(name, description, target, flagged):
    """PT302 reads the name, then the description; 频率/效率 and 满意度 in 分 are not rates."""
    row = _row(name, target, description=description or f"{name}说明")
    if not description:
        row["description"] = "说明"
    assert ("PT302" in _review_rows(row, select="PT302")) is flagged


@pytest.mark.parametrize(
    ("name", "target", "flagged"),
    [
        ("信访事项办结率", "≥105%", True),
        ("信访事项办结率", ">100%", True),
        ("信访事项办结率", "=100%", False),
        ("信访事项办结率", "≥100%", False),
        ("信访事项办结率", "≤120%", False),
        ("信访事项办结率", "95%~101%", False),
        ("信访事项办结率", "101%~105%", True),
        ("信访事项办结率", "≥1001‰", True),
        ("接访量增长率", "≥120%", False),
        ("办件量比上年提高", "≥110%", False),
    ],
)
def test_rate_above_hundred(name, target, flagged):
    """PT303: unreachable shares; growth rates may exceed 100 %."""
    assert ("PT303" in _review_rows(_row(name, target), select="PT303")) is flagged


@pytest.mark.parametrize(
    ("name", "target", "flagged"),
    [
        ("来访群众满意度", "≤90%", True),
        ("来访群众满意度", "<90%", True),
        ("来访群众满意度", "≥90%", False),
        ("来访群众满意度", "90%", False),
        ("群众投诉率", "≥5%", True),
        ("群众投诉率", "≤5%", False),
        ("不满意率", "≤5%", False),
        ("不合格率", "≥5%", True),
        ("投诉处理满意度", "≤90%", False),
        ("安全事故发生次数", "=0次", False),
    ],
)
def test_comparator_against_name(name, target, flagged):
    """PT304: direction words, with negated words (不满意, 不合格) read first."""
    assert ("PT304" in _review_rows(_row(name, target), select="PT304")) is flagged


def test_spending_restatement_only_in_project_tables():
    """PT305 flags 资金执行率 in a project table but not the department narrative."""
    assert "PT305" in _review_rows(_row("项目资金执行率", "=100%"), select="PT305")
    assert "PT305" in _review_rows(_row("足额保障率", "=100%"), select="PT305")
    department = pt.DepartmentTargets(
        unit=pt.Unit("1", "某局"),
        year=2022,
        goals=(pt.Goal("经费支出准确", (pt.Indicator(name="经费支出准确", target="确保经费支出准确无误"),)),),
    )
    assert review(department, select="PT305") == []


def test_cost_indicator_units():
    """PT306 accepts totals and unit costs in money, flags shares and statements."""
    assert "PT306" not in _review_rows(_row("人均值班费用", "≤2万元/人", "产出指标/成本指标"), select="PT306")
    assert "PT306" not in _review_rows(_row("值班费总额", "≤95000元", "成本指标/经济成本指标"), select="PT306")
    assert "PT306" in _review_rows(_row("成本控制", "严格控制", "产出指标/成本指标"), select="PT306")


def test_qualitative_for_rate_name():
    """PT301 also flags a qualitative target on an indicator named as a rate."""
    assert "PT301" in _review_rows(_row("来信办结率", "较高"), select="PT301")
    assert "PT301" not in _review_rows(_row("来信办理", "按时办结", "产出指标/时效指标"), select="PT301")


# --- money ---------------------------------------------------------------------------------


def test_cost_target_above_budget_converts_units():
    """PT403 compares in 万元: 900000元 is 90 万元, above a budget of 80; 万元/人 is not compared."""
    budget = pt.Budget(total=Decimal(80), fiscal=Decimal(80))
    assert "PT403" in _review_rows(_row("值班费总额", "≤900000元", "产出指标/成本指标"), budget=budget)
    assert "PT403" not in _review_rows(_row("值班费总额", "≤800000元", "产出指标/成本指标"), budget=budget)
    assert "PT403" not in _review_rows(_row("人均值班费", "≤90万元/人", "产出指标/成本指标"), budget=budget)


def test_other_part_above_total():
    """PT401 checks the 其他资金 part as well."""
    codes = _review_rows(budget=pt.Budget(total=Decimal(5), other=Decimal(6)))
    assert "PT401" in codes


def test_time_progress():
    """PT405 compares each checkpoint with the rulebook's 序时进度 (months / 12 by default)."""
    schedule = pt.SpendingSchedule.from_labels(2022, {"10月底": 80, "12月底": 100})
    assert time_progress(schedule.checkpoints[0].date, schedule.start) == Decimal(1000) / Decimal(12)
    mid = dt.date(2022, 6, 15)  # 5 whole months: 41.67 %, not 45.48 % (inclusive days) nor 45.33 % (days)
    assert time_progress(mid, schedule.start) == Decimal(500) / Decimal(12)
    shifted = pt.SpendingSchedule.from_labels(2022, {"3月底": 50, "9月底": 100}, start_month=10)
    assert time_progress(shifted.checkpoints[0].date, shifted.start) == Decimal(50)
    plan = pt.SpendingSchedule(
        fiscal_year=2022,
        checkpoints=(pt.Checkpoint(date=mid, percent=Decimal(41)), pt.Checkpoint(date=dt.date(2022, 12, 31),
                                                                              percent=Decimal(100))),
    )
    findings = [f for f in review(_with_rows(*_standard(), schedule=plan)) if f.code == "PT405"]
    assert [f.path for f in findings] == ["schedule.checkpoints[0]"]
    assert "41.67%" in findings[0].message


def test_plan_below_time_progress_each_checkpoint():
    """PT405 reports every checkpoint behind the time progress."""
    schedule = pt.SpendingSchedule.from_labels(2022, {"3月底": 10, "6月底": 40, "12月底": 100})
    findings = [f for f in review(_with_rows(*_standard(), schedule=schedule)) if f.code == "PT405"]
    assert [f.path for f in findings] == ["schedule.checkpoints[0]", "schedule.checkpoints[1]"]
    assert "25%" in findings[0].message


# --- consistency ---------------------------------------------------------------------------


def _document(claim: str, table_target: str = "≥95%", **claim_fields: object) -> pt.Document:
    project = _with_rows(*_standard(_row("群众来访接待劝返率", table_target)))
    name = claim_fields.pop("name", "群众来访劝返率")
    department = pt.DepartmentTargets(
        unit=pt.Unit("230001", "博野县信访局本级"),
        year=2022,
        goals=(pt.Goal("劝返", (pt.Indicator(name=name, target=claim, **claim_fields),)),),  # type: ignore[arg-type]
    )
    return pt.Document(department=department, projects=(project,))


@pytest.mark.parametrize(
    ("claim", "table", "flagged"),
    [
        ("大于 95%", "≥95%", True),
        ("不低于 95%", "≥95%", False),
        ("≥950‰", "≥95%", False),
        ("≥90%", "≥95%", True),
        ("≥95个", "≥95%", True),
        ("≥95%", "良好", True),
        ("按要求劝返", "≥95%", False),
    ],
)
def test_narrative_against_table(claim, table, flagged):
    """PT501 compares comparator, value and unit (after conversion); a narrative statement is not compared."""
    findings = [f for f in review(_document(claim, table)) if f.code == "PT501"]
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].path == "department.goals[0].indicators[0].target"
        assert "projects[0].goals[0].indicators[0].target" in findings[0].message


def test_narrative_matched_by_key_before_name():
    """With a key, the narrative is compared with the indicator of that key, whatever its name."""
    document = _document("大于 95%", name="某个完全不同的名称", key="return-rate")
    assert "PT501" not in _codes(review(document))
    project = document.projects[0]
    keyed = attrs.evolve(project.goals[0].indicators[0], key="return-rate")
    goal = attrs.evolve(project.goals[0], indicators=(keyed, *project.goals[0].indicators[1:]))
    document = attrs.evolve(document, projects=(attrs.evolve(project, goals=(goal,)),))
    assert "PT501" in _codes(review(document))


def test_narrative_name_similarity_threshold():
    """Dice's coefficient of bigrams: 0.71 for the seed's pair; a loosely related name does not match."""
    left, right = text.bigrams("群众来访劝返率"), text.bigrams("群众来访接待劝返率")
    assert text.dice(len(left & right), len(left), len(right)) == pytest.approx(5 / 7)
    assert "PT501" not in _codes(review(_document("大于 95%", name="劝返率")))


def test_same_target():
    """Ranges and conversions compare bound by bound."""
    assert same_target(pt.Threshold.parse("90%~95%"), pt.Threshold.parse("900‰~950‰"))
    assert not same_target(pt.Threshold.parse("90%~95%"), pt.Threshold.parse("90%~96%"))
    assert not same_target(pt.Threshold.parse("≥95%"), pt.Threshold.parse("≥95小时"))


def test_weights_under_other_policies():
    """PT502 uses the configured policy: hubei-2020 gives its 80 points per goal block, here one goal's 80."""
    rows = (
        _row("驻京值班天数", "≥250天", "产出指标/数量指标", weight=40),
        _row("群众来访劝返率", "≥95%", "效益指标/社会效益指标", weight=30),
        _row("上访人员满意度", "≥90%", "满意度指标/服务对象满意度指标", weight=10),
    )
    table = _with_rows(*rows)
    assert "PT502" in _codes(review(table))
    assert "PT502" not in _codes(review(table, config=ReviewConfig(scoring_policy="hubei-2020")))


def test_weights_per_goal_block():
    """Under hubei-2020 each goal's weights add up to its 40; a goal of 45 and one of 35 are both reported."""
    hubei = ReviewConfig(scoring_policy="hubei-2020")
    table = pt.load(DATA / "hubei-2020-selfeval.toml")
    assert "PT502" not in _codes(review(table, config=hubei))
    project = table.projects[0]
    first, second = project.goals
    first_rows, second_rows = list(first.indicators), list(second.indicators)
    first_rows[0] = attrs.evolve(first_rows[0], weight=Decimal(15))
    second_rows[0] = attrs.evolve(second_rows[0], weight=Decimal(15))
    uneven = attrs.evolve(project, goals=(attrs.evolve(first, indicators=tuple(first_rows)),
                                          attrs.evolve(second, indicators=tuple(second_rows))))
    findings = [f for f in review(attrs.evolve(table, projects=(uneven,)), config=hubei) if f.code == "PT502"]
    assert [f.message_en.split(";")[0] for f in findings] == [
        "the weights of 年度绩效目标1 add up to 45", "the weights of 年度绩效目标2 add up to 35"]


def test_weights_redistributed_when_a_level_is_missing():
    """Without satisfaction, only the total (90) is checked: 4 × 22.5 passes, 4 × 20 does not."""
    rows = [
        _row(f"指标{k}", "≥95%", "产出指标/质量指标" if k < 2 else "效益指标/社会效益指标", weight=w)
        for k, w in enumerate(["22.5"] * 4)
    ]
    assert "PT502" not in _codes(review(_with_rows(*rows), select="PT5"))
    for row in rows:
        row["weight"] = 20
    findings = [f for f in review(_with_rows(*rows)) if f.code == "PT502"]
    assert len(findings) == 1
    assert "80" in findings[0].message
    assert "90" in findings[0].message


def test_no_weights_no_weight_findings():
    """A table without weights (most target tables) is not checked."""
    assert not {"PT502", "PT503"} & set(_codes(review(BASE)))


def test_severity_is_the_rules_own():
    """Built-in severities are what the pages say (spot check)."""
    assert DEFAULT_RULES["PT303"].severity is Severity.ERROR
    assert DEFAULT_RULES["PT405"].severity is Severity.INFO


def test_huge_amounts_do_not_break_messages():
    """Amounts beyond the default decimal precision are shown in full, not refused."""
    row = _row("值班费总额", "≤123456789012345678901234567890.125万元", "产出指标/成本指标")
    findings = [f for f in review(_with_rows(*_standard(row))) if f.code == "PT403"]
    assert "123456789012345678901234567890.13 万元" in findings[0].message

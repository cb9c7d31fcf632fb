"""The 年度总体目标 row of the 10号 自评表 (预期目标, 实际完成情况) and its header (主管部门, 实施单位), kept as printed.

The published 天长 2022 table (tests/data/tianchang-water-2022*.toml) prints 实际完成情况 "完成年度目标。":
its actuals file gives it as ``outcome``, and every output of an evaluation shows it. The Excel round trips
are in tests/test_excel_selfeval.py and tests/test_layouts_provinces.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import perftarget
from perftarget import TableActuals, report
from perftarget._codec.actuals import actuals_from_dict, load_actuals
from perftarget._display import evaluation_form
from perftarget.cli import EXIT_OK, main
from perftarget.exceptions import DocumentError, WrongTypeError

DATA = Path(__file__).resolve().parent / "data"
TARGETS = DATA / "tianchang-water-2022.toml"
ACTUALS = DATA / "tianchang-water-2022-actuals.toml"
GOAL = "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。"
OUTCOME = "完成年度目标。"


@pytest.fixture(scope="module")
def evaluation() -> perftarget.ProjectEvaluation:
    return perftarget.evaluate_document(perftarget.load(TARGETS), ACTUALS).projects[0]


def test_the_actuals_file_gives_the_outcome() -> None:
    """``outcome`` of a project's actuals is read as written; a file without it reads as before (empty)."""
    assert load_actuals(ACTUALS).projects[0].outcome == OUTCOME
    assert load_actuals("examples/petition-bureau-actuals.toml").projects[0].outcome == ""
    document = actuals_from_dict({"schema_version": 1, "department": {"outcome": "部门目标完成。", "actuals": {}}})
    assert document.department == TableActuals(outcome="部门目标完成。")


def test_an_outcome_that_is_not_text_is_a_problem() -> None:
    with pytest.raises(DocumentError) as caught:
        actuals_from_dict({"schema_version": 1, "projects": [{"project": "x", "outcome": 1}]})
    assert [(p.location, p.message) for p in caught.value.problems] == [("projects[0].outcome", "expected text (got 1)")]
    with pytest.raises(WrongTypeError, match=r"TableActuals.outcome must be text"):
        TableActuals(outcome=None)  # type: ignore[arg-type]


def test_the_evaluation_carries_the_row(evaluation: perftarget.ProjectEvaluation) -> None:
    """预期目标 is the project's goal, 实际完成情况 the actuals' outcome, 实施单位 the unit; the scores are unchanged."""
    assert (evaluation.goal, evaluation.outcome, evaluation.unit, evaluation.department) == (
        GOAL, OUTCOME, "天长市水利局", "")
    assert (evaluation.initial_budget, evaluation.budget) == (880, 880)
    project = perftarget.load(TARGETS).projects[0]
    plain = perftarget.evaluate(project, load_actuals(ACTUALS).projects[0].actuals, spent=880)
    assert plain.outcome == ""
    assert perftarget.evaluate(project, TableActuals(actuals=plain_actuals(), spent=880, outcome=OUTCOME)) == evaluation
    assert (plain.total, plain.items) == (evaluation.total, evaluation.items)


def plain_actuals() -> dict[str, object]:
    return dict(load_actuals(ACTUALS).projects[0].actuals)


def test_department_evaluations_carry_it_too() -> None:
    seed = perftarget.load("examples/petition-bureau.toml")
    assert seed.department is not None
    given = {"单位正常运转": "达成", "群众来访劝返率": "96%", "工资、补贴发放": "达成", "经费支出准确": "达成"}
    overall = perftarget.evaluate_department(seed.department, TableActuals(actuals=given, outcome="目标全部完成。"))
    assert overall.outcome == "目标全部完成。"
    assert overall.goal == "\n".join(goal.content for goal in seed.department.goals)


@pytest.mark.parametrize(("lang", "labels"), [("zh", ("年度总体目标：预期目标", "年度总体目标：实际完成情况", "实施单位")),
                                              ("en", ("Overall goal: expected", "Overall goal: actual outcome",
                                                      "Implementing unit"))])
def test_the_form_shows_the_row(evaluation: perftarget.ProjectEvaluation, lang: str, labels: tuple[str, ...]) -> None:
    facts = dict(evaluation_form(evaluation, lang).facts)  # type: ignore[arg-type]
    assert [facts[label] for label in labels] == [GOAL, OUTCOME, "天长市水利局"]
    assert not {"主管部门", "Competent department"} & set(facts)  # empty: not shown
    text = report.to_markdown(TARGETS, actuals=ACTUALS, lang=lang)  # type: ignore[arg-type]
    assert f"- **{labels[1]}**: {OUTCOME}" in text


@pytest.mark.parametrize(("lang", "line"), [("zh", f"年度总体目标 实际完成情况: {OUTCOME}"),
                                            ("en", f"Overall goal, actual outcome: {OUTCOME}")])
def test_the_command_line_prints_the_row(capsys: pytest.CaptureFixture[str], lang: str, line: str) -> None:
    code = main(["evaluate", str(TARGETS), "--actuals", str(ACTUALS), "--lang", lang])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert line in out.splitlines()
    assert main(["evaluate", str(TARGETS), "--actuals", str(ACTUALS), "--format", "json"]) == EXIT_OK
    assert f'"outcome": "{OUTCOME}"' in capsys.readouterr().out

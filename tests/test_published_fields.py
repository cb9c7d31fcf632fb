"""The fields published provincial tables carry (计量单位, 指标值类型, 评(扣)分标准, 备注, 项目类别, 成本构成 ...)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget._model.targets import CostItem, Goal, Indicator, Measure, ProjectTargets, Unit

_fast = pytest.importorskip("perftarget._codec.fast")

PROJECT = ProjectTargets(
    unit=Unit("101001", "湖北省某单位"),
    code="42000022T000000000001",
    name="信息化运维",
    year=2023,
    budget=pt.Budget(total=Decimal("662.98")),
    department="湖北省某厅",
    category="专项业务类",
    nature="延续性项目",
    grounds="《某条例》",
    carryover=Decimal(0),
    costs=(
        CostItem("运维费", Decimal("600.00"), "按合同", (Decimal("580.5"), None)),
        CostItem("电费", Decimal("62.88")),
    ),
    cost_total=Decimal("662.98"),
    measures=(Measure("严格执行合同"),),
    goals=(
        Goal(
            "目标1",
            (
                Indicator(
                    level1="产出指标",
                    level2="数量指标",
                    name="资金支付",
                    target="28.8万元",
                    unit_text="%",
                    value_kind="定量",
                    scoring_rule="未完成不得分",
                    remarks="按季度",
                    last_year="27万元",
                ),
            ),
        ),
    ),
)


def test_new_fields_round_trip_in_every_format() -> None:
    document = pt.Document(projects=(PROJECT,))
    for fmt in ("json", "toml"):
        assert pt.loads(pt.dumps(document, fmt=fmt), fmt=fmt) == document
    text = pt.dumps(document, fmt="json")
    assert _fast.loads_json(text) == from_dict(json.loads(text), pt.Document) == document
    assert json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n" == text
    assert to_dict(PROJECT)["costs"][0]["prior"] == ["580.5", ""]


def test_defaults_are_left_out() -> None:
    """Files without the new fields are written as before."""
    plain = pt.Document(
        projects=(
            ProjectTargets(
                unit=PROJECT.unit,
                code="1",
                name="项目",
                year=2023,
                budget=pt.Budget(total=Decimal(1)),
                costs=(CostItem("电费"),),
            ),
        )
    )
    data = to_dict(plain)
    assert set(data["projects"][0]) == {"unit", "code", "name", "year", "budget", "costs"}
    assert data["projects"][0]["costs"] == [{"name": "电费"}]
    assert pt.dumps(plain, fmt="json") == (_fast.dumps_json(plain) or "")


def test_blank_prior_amounts_read_as_none() -> None:
    assert CostItem("a", prior=["1.5", None]).prior == (Decimal("1.5"), None)
    data = {"name": "a", "prior": ["", None, 3]}
    assert from_dict(data, CostItem).prior == (None, None, Decimal(3))
    with pytest.raises(pt.DocumentError):
        from_dict({"name": "a", "prior": "12"}, CostItem)

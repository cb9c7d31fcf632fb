"""PT6xx: what a bureau rejects at once about a document as a whole (issue 18)."""

from __future__ import annotations

import attrs
import pytest

import perftarget as pt
from perftarget.rules import review


@pytest.fixture
def seed(seed_path):
    return pt.load(seed_path)


def codes(document, prefix="PT6"):
    return [(f.code, f.path, f.severity.value) for f in review(document, select=[prefix])]


def test_the_seed_has_no_document_finding(seed):
    assert codes(seed) == []


def test_two_projects_with_the_same_code(seed):
    """A document with two projects of one code is refused (it was accepted, and review said nothing)."""
    project = seed.projects[0]
    twice = attrs.evolve(seed, projects=(project, attrs.evolve(project, name="信访接待场所运行维护")))
    (finding,) = review(twice, select=["PT601"])
    assert (finding.path, finding.severity.value) == ("projects[1].code", "error")
    assert "13063722P0041681003" in finding.message
    assert "projects[0]" in finding.message_en
    other = attrs.evolve(project, code="13063722P0041681004", name="信访接待场所运行维护")
    assert codes(attrs.evolve(seed, projects=(project, other))) == []


def test_projects_of_different_years(seed):
    """Without a department part, projects of one document are compared with the first (PT505 does the rest)."""
    project = attrs.evolve(seed.projects[0], year_assumed=False)
    later = attrs.evolve(project, code="X2", year=2023, schedule=None)
    document = pt.Document(projects=(project, later))
    assert codes(document, "PT602") == [("PT602", "projects[1].year", "warning")]
    assert codes(pt.Document(projects=(project, attrs.evolve(later, year=2022)))) == []
    with_department = attrs.evolve(seed, projects=(project, later))
    assert codes(with_department, "PT602") == []
    assert [f.code for f in review(with_department, select=["PT505"])] == ["PT505"]


def test_a_project_without_code_name_or_unit(seed):
    """An empty project code or name, or a budget unit without a name, is an error."""
    project = seed.projects[0]
    blank = attrs.evolve(project, code=" ", name="", unit=attrs.evolve(project.unit, name=""))
    assert codes(attrs.evolve(seed, projects=(blank,))) == [
        ("PT603", "projects[0].code", "error"),
        ("PT603", "projects[0].name", "error"),
        ("PT604", "projects[0].unit.name", "error"),
    ]
    (finding,) = review(attrs.evolve(seed, projects=(attrs.evolve(project, code=""),)), select=["PT603"])
    assert finding.message == "项目编码为空（项目：常年驻京值班工作队值班费）"


def test_a_zero_budget_with_indicators_is_already_reported(seed):
    """A budget of 0 with indicators: PT402 (kept where it is, not a second rule)."""
    project = attrs.evolve(seed.projects[0], budget=pt.Budget(total=0))
    assert [f.code for f in review(attrs.evolve(seed, projects=(project,)), select=["PT402"])] == ["PT402"]

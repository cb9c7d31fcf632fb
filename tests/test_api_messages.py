"""The API's messages: each names what is wrong and what to do instead (issue 18)."""

from __future__ import annotations

import subprocess
import sys

import attrs
import pytest

import perftarget as pt
from perftarget.exceptions import WrongTypeError


@pytest.fixture
def seed(seed_path):
    return pt.load(seed_path)


def test_load_of_a_workbook_points_to_the_excel_reader(tmp_path):
    """load("x.xlsx") says it is a workbook and how to read it, not only "expected .json or .toml"."""
    book = tmp_path / "x.xlsx"
    book.write_bytes(b"PK")
    with pytest.raises(pt.DocumentError) as caught:
        pt.load(book)
    message = str(caught.value)
    assert "expected .json or .toml" in message
    assert "perftarget.excel.read_workbook()" in message
    assert "perftarget convert" in message


def test_testing_without_hypothesis_names_the_extra():
    """import perftarget.testing without Hypothesis: an ImportError naming the extra to install."""
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import perftarget.testing\n"
        "except ImportError as exc:\n    print(type(exc).__name__, exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            encoding="utf-8")
    assert result.stdout.startswith("MissingDependencyError perftarget.testing needs hypothesis")
    assert 'pip install "perftarget[hypothesis]"' in result.stdout


def test_a_field_of_the_wrong_type_is_a_typed_error_naming_it(seed):
    """A wrong type is a WrongTypeError (a TypeError and a PerftargetError) naming class and field."""
    project = seed.projects[0]
    for field, value, words in (
        ("year", "2024", "ProjectTargets.year must be a whole number such as 2024 (got str '2024')"),
        ("code", 5, "ProjectTargets.code must be text (str) (got int 5)"),
        ("budget", 10, "ProjectTargets.budget must be a Budget (got int 10)"),
        ("goals", (project.goals[0], "x"), "ProjectTargets.goals[1] must be a Goal (got str 'x')"),
    ):
        with pytest.raises(WrongTypeError) as caught:
            attrs.evolve(project, **{field: value})
        assert str(caught.value) == words
        assert caught.value.field == field
        assert isinstance(caught.value, TypeError)
        assert isinstance(caught.value, pt.PerftargetError)


def test_a_schedule_from_a_dict_points_to_from_labels():
    """SpendingSchedule(checkpoints={...}) names the field and hints SpendingSchedule.from_labels."""
    with pytest.raises(WrongTypeError) as caught:
        pt.SpendingSchedule(fiscal_year=2022, checkpoints={"3月底": 25, "12月底": 100})
    message = str(caught.value)
    assert message.startswith("SpendingSchedule.checkpoints must be a sequence of Checkpoint (got dict)")
    assert "SpendingSchedule.from_labels" in message
    assert caught.value.field == "checkpoints"
    plan = pt.SpendingSchedule.from_labels(2022, {"3月底": 25, "12月底": 100})
    assert len(plan.checkpoints) == 2


def test_evaluate_takes_the_amount_from_table_actuals(seed):
    """evaluate(project, table_actuals) needs no spent=None: the file's amount is used."""
    project = seed.projects[0]
    actuals = pt.load_actuals("examples/petition-bureau-actuals.toml")
    entry = actuals.for_project(project.code)
    assert pt.evaluate(project, entry) == pt.evaluate(project, entry, spent=None)
    assert pt.evaluate(project, entry).display_total() == "94.23"


def test_for_project_takes_the_table_or_refuses_other_objects(seed):
    """for_project(project) finds the project's actuals; another object is refused, not None in silence."""
    project = seed.projects[0]
    actuals = pt.load_actuals("examples/petition-bureau-actuals.toml")
    assert actuals.for_project(project) is actuals.for_project(project.code) is not None
    with pytest.raises(WrongTypeError, match=r"takes a project's code \(text\) or its ProjectTargets \(got int 7\)"):
        actuals.for_project(7)  # type: ignore[arg-type]

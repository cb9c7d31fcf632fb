"""Serialization: lossless round trips, the pinned stored format, and every kind of bad input."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget.testing import documents
from perftarget.values import Comparator

GOLDEN = Path(__file__).parent / "golden"


@given(documents())
def test_json_round_trip(document):
    """load(dump(x)) == x through JSON."""
    assert pt.loads(pt.dumps(document, "json"), "json") == document


@given(documents())
def test_toml_round_trip(document):
    """load(dump(x)) == x through TOML."""
    assert pt.loads(pt.dumps(document, "toml"), "toml") == document


@given(documents())
def test_dict_round_trip(document):
    """The dict form round-trips too, and carries the schema version first."""
    data = to_dict(document)
    assert next(iter(data)) == "schema_version"
    assert from_dict(data) == document


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_golden_seed_payload(seed_path, fmt):
    """The seed is written exactly as the golden files pin it, and they read back to the seed."""
    golden = (GOLDEN / f"petition-bureau.{fmt}").read_text("utf-8")
    document = pt.load(seed_path)
    assert golden == pt.dumps(document, fmt)  # type: ignore[arg-type]
    assert pt.loads(golden, fmt) == document  # type: ignore[arg-type]


def test_golden_minimal_v1_payload():
    """A hand-written version-1 payload keeps reading as this object (format stability)."""
    payload = {
        "schema_version": 1,
        "projects": [
            {
                "unit": {"code": "1", "name": "单位"},
                "code": "P1",
                "name": "项目",
                "year": 2024,
                "budget": {"total": "90", "fiscal": "80", "other": "10"},
                "schedule": {
                    "fiscal_year": 2024,
                    "checkpoints": [{"date": "2024-06-30", "percent": "40"}, {"date": "2024-12-31", "percent": 100}],
                },
                "goals": [
                    {
                        "content": "目标",
                        "indicators": [
                            {
                                "level1": "产出指标",
                                "level2": "成本指标",
                                "name": "成本",
                                "target": "≤90万元",
                                "basis": {"text": "预算", "category": "计划标准"},
                                "weight": 10,
                                "suppressions": [{"code": "PT401", "reason": "已确认"}],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    document = from_dict(payload)
    indicator = document.projects[0].indicators[0]
    assert indicator.target == pt.Threshold.at_most(90, "万元")
    assert indicator.basis == pt.Basis("预算", pt.BasisCategory.PLAN)
    assert indicator.weight == Decimal(10)
    assert indicator.suppressions == (pt.Suppression("PT401", "已确认"),)
    assert document.projects[0].budget.other == Decimal(10)


def test_decimals_are_exact_strings_in_json(seed_path):
    """JSON keeps every digit of an amount as a string."""
    data = json.loads(pt.dumps(pt.load(seed_path), "json"))
    assert data["projects"][0]["budget"] == {"total": "10.00", "fiscal": "10.00"}


def test_target_source_text_is_kept(seed_path):
    """A target is written back as it was read ("≥8 小时/天" keeps its space)."""
    text = pt.dumps(pt.load(seed_path), "toml")
    assert 'target = "≥8 小时/天"' in text


def test_inferred_comparator_other_than_default_is_written_explicitly():
    """A bare value read with another policy is stored with its comparator, so it reads back the same."""
    threshold = pt.Threshold.parse("100%", bare=Comparator.EQ)
    indicator = pt.Indicator(name="x", target=threshold)
    goal = pt.Goal("g", [indicator])
    document = pt.Document(department=pt.DepartmentTargets(unit=pt.Unit("1", "u"), year=2024, goals=[goal]))
    back = pt.loads(pt.dumps(document))
    assert back.department is not None
    assert back.department.goals[0].indicators[0].target.comparator is Comparator.EQ


# --- bad input ------------------------------------------------------------------------------


def _problems(text: str, fmt: str = "toml") -> list[str]:
    with pytest.raises(pt.DocumentError) as caught:
        pt.loads(text, fmt)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    return [str(p) for p in caught.value.problems]


PROJECT = """schema_version = 1
[[projects]]
code = "P1"
name = "项目"
year = 2022
unit = {code = "1", name = "单位"}
budget = {total = 10}
"""


def test_bad_toml_syntax_names_line_and_column():
    """A syntax error gives its line and column."""
    assert _problems('schema_version = 1\nnotes = "unclosed\n') == [
        "line 2, column 18: invalid TOML: Illegal character '\\n'"
    ]


def test_bad_json_syntax_names_line_and_column():
    """A JSON syntax error gives its line and column."""
    (problem,) = _problems('{"schema_version": 1,\n  "projects": [}', "json")
    assert problem.startswith("line 2, column 16: invalid JSON")


def test_truncated_file(seed_path):
    """A file cut short is a syntax error, not a crash."""
    text = seed_path.read_text("utf-8")
    problems = _problems(text[: len(text) // 2])
    assert len(problems) == 1
    assert "invalid TOML" in problems[0]


def test_unknown_key_rejected_by_name():
    """Unknown keys are named, with the keys that are allowed."""
    (problem,) = _problems(PROJECT + "colour = 'red'\n")
    assert problem.startswith("projects[0]: unknown key 'colour'; expected one of: unit, code, name")


def test_every_problem_listed_with_paths():
    """Wrong type, unreadable target, non-numeric amount, missing key: all at once, each with its path."""
    text = PROJECT.replace("budget = {total = 10}", 'budget = {total = "ten"}').replace('code = "P1"', "code = 7")
    text += '[[projects.goals]]\ncontent = "g"\n[[projects.goals.indicators]]\nname = "a"\ntarget = "≥95%"\n'
    text += '[[projects.goals.indicators]]\nname = "b"\ntarget = "≥abc"\n'
    text += '[[projects.goals.indicators]]\ntarget = "≥1"\n'
    assert sorted(_problems(text)) == sorted(
        [
            "projects[0].code: expected text (got int 7)",
            "projects[0].budget.total: expected a number such as 10.00 (got 'ten')",
            (
                "projects[0].goals[0].indicators[1].target: cannot read target '≥abc' at column 2: "
                "expected a number after the comparator"
            ),
            "projects[0].goals[0].indicators[2].name: required key missing",
        ]
    )


def test_decreasing_schedule():
    """A plan that decreases is reported at the schedule's path."""
    text = PROJECT + (
        "[projects.schedule]\nfiscal_year = 2022\ncheckpoints = [\n"
        "  {date = 2022-03-31, percent = 50},\n  {date = 2022-12-31, percent = 40},\n]\n"
    )
    (problem,) = _problems(text)
    assert problem.startswith("projects[0].schedule: checkpoints[1] (2022-12-31) plans 40%, less than 50%")


def test_schema_version_required_and_not_newer():
    """schema_version is required and a newer format is refused with a clear message."""
    assert _problems("notes = 'x'\n") == ["schema_version: required key missing (this release writes 1)"]
    (problem,) = _problems("schema_version = 99\n")
    assert "newer perftarget" in problem


def test_wrong_top_level_shape():
    """A JSON array at the top is reported, not a crash."""
    assert _problems("[1, 2]", "json") == ["expected a table (mapping) at the top"]


def test_list_expected():
    """A scalar where a list belongs is reported at its path."""
    problems = _problems("schema_version = 1\nprojects = 5\n")
    assert problems == ["projects: expected a list"]


def test_load_reports_the_file(tmp_path):
    """load() names the file in the error, and unknown suffixes and missing files are errors too."""
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nfoo = 1\n", encoding="utf-8")
    with pytest.raises(pt.DocumentError, match=r"bad\.toml: unknown key 'foo'"):
        pt.load(bad)
    with pytest.raises(pt.DocumentError, match=r"expected \.json or \.toml"):
        pt.load(tmp_path / "x.yaml")
    with pytest.raises(pt.DocumentError, match="cannot read the file"):
        pt.load(tmp_path / "missing.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("notes = 'é'".encode("latin-1"))
    with pytest.raises(pt.DocumentError, match="not UTF-8"):
        pt.load(latin)


def test_utf8_bom_is_accepted(tmp_path, seed_path):
    """Files saved by Windows editors with a BOM still load."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + seed_path.read_bytes())
    assert pt.load(path) == pt.load(seed_path)


# --- writing --------------------------------------------------------------------------------


def test_dump_round_trip_by_suffix(tmp_path, seed_path):
    """dump() chooses the format by suffix and load() reads it back equal."""
    document = pt.load(seed_path)
    for name in ("out.json", "out.toml"):
        pt.dump(document, tmp_path / name)
        assert pt.load(tmp_path / name) == document


def test_dump_writes_the_bytes_of_dumps(tmp_path, seed_path):
    """The file dump() writes holds exactly dumps() in UTF-8, whichever path made it."""
    document = pt.load(seed_path)
    for name, fmt in (("out.json", "json"), ("out.toml", "toml")):
        pt.dump(document, tmp_path / name)
        assert (tmp_path / name).read_bytes() == pt.dumps(document, fmt).encode("utf-8")
        assert pt.dumps_bytes(document, fmt) == pt.dumps(document, fmt).encode("utf-8")


def test_dump_failure_leaves_old_file_and_no_temp(tmp_path, seed_path, monkeypatch):
    """A failure while writing leaves the existing file untouched and no partial file behind."""
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        pt.dump(pt.load(seed_path), target)
    assert target.read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_dump_of_unserializable_writes_nothing(tmp_path):
    """If the text cannot be produced, the file is not even created."""
    target = tmp_path / "out.json"
    with pytest.raises(TypeError):
        pt.dump(object(), target)
    assert not target.exists()


def test_option_values_are_named():
    """A bad option value in a policy file lists the accepted values."""
    with pytest.raises(pt.DocumentError) as caught:
        from_dict({"name": "x", "reverse_formula": "weird"}, pt.ScoringPolicy)
    assert [str(p) for p in caught.value.problems] == ["reverse_formula: expected one of 'ratio', 'linear' (got 'weird')"]


def test_evolved_threshold_is_not_shown_or_stored_with_stale_text():
    """A threshold changed with evolve shows and stores its new value, not the text it was read from."""
    import attrs

    threshold = pt.Threshold.parse("≥8 小时/天")
    changed = attrs.evolve(threshold, value=Decimal(9))
    assert threshold.display == "≥8 小时/天"
    assert changed.display == "≥9小时/天"
    indicator = pt.Indicator(name="出勤", target=changed)
    document = pt.Document(
        department=pt.DepartmentTargets(unit=pt.Unit("1", "u"), year=2024, goals=[pt.Goal("g", [indicator])])
    )
    assert "≥9小时/天" in pt.dumps(document, "toml")


def test_document_error_is_never_empty():
    """An error built without problems still says something (a bug, but never a silent error)."""
    error = pt.DocumentError([])
    assert len(error.problems) == 1
    assert "no reason was recorded" in str(error)


def test_write_atomic_of_unencodable_text_leaves_nothing(tmp_path):
    """Text that is not valid UTF-8 (a lone surrogate) fails before any file, temporary or not, exists."""
    from perftarget._codec.convert import write_atomic

    target = tmp_path / "out.json"
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "\ud800")
    assert list(tmp_path.iterdir()) == []

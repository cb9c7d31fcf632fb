"""Serialization: lossless round trips, the pinned stored format, and every kind of bad input.

The JSON tests run over both paths (the ``json_path`` fixture): the cattrs converter alone, and
the msgspec fast path, which must serve (not hand over) and give identical objects and bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import perftarget as pt
from perftarget._codec import convert
from perftarget._codec.convert import from_dict, to_dict
from perftarget._files import atomic_writer, write_atomic
from perftarget._model.targets import Document, ProjectTargets
from perftarget.testing import assert_identical, documents, project_targets
from perftarget.values import Comparator

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parent.parent


def _cattrs_loads(text: str, cls: type = Document) -> Any:
    return from_dict(json.loads(text, parse_float=Decimal), cls)


def _cattrs_dumps(obj: object) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, indent=2) + "\n"




@attrs.frozen
class JsonPath:
    """One way of reading and writing JSON: ``perftarget``'s functions with the fast path on or off."""

    name: str
    fast: Any

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Run perftarget.loads/dumps/load/dump on this path."""
        saved = convert.FAST
        convert.FAST = self.fast
        try:
            yield
        finally:
            convert.FAST = saved

    def read(self, text: str, cls: type = Document) -> Any:
        """The object read from valid ``text``; the msgspec path must read it itself, not hand it over."""
        if self.fast is not None:
            assert self.fast.loads_json(text, cls) is not None, "the fast path handed over valid input"
        with self.active():
            read = pt.loads(text, "json", cls)
        assert_identical(read, _cattrs_loads(text, cls))
        return read

    def write(self, obj: object) -> bytes:
        """The bytes written for ``obj``: those of the cattrs text, and the same from dumps and dumps_bytes."""
        if self.fast is not None:
            assert self.fast.dumps_json_bytes(obj) is not None, "the fast path handed over a writable object"
        with self.active():
            data, text = pt.dumps_bytes(obj), pt.dumps(obj)
        assert text == _cattrs_dumps(obj)
        assert data == text.encode("utf-8")
        return data


def _paths() -> list[Any]:
    fast = convert.FAST
    return [
        pytest.param(JsonPath("cattrs", None), id="cattrs"),
        pytest.param(JsonPath("msgspec", fast), id="msgspec",
                     marks=pytest.mark.skipif(fast is None, reason="the fast extra (msgspec) is not installed")),
    ]


@pytest.fixture(scope="session", params=_paths())
def json_path(request: pytest.FixtureRequest) -> JsonPath:
    """The cattrs path, then the msgspec fast path."""
    return request.param  # type: ignore[no-any-return]


@given(documents())
def test_json_round_trip(json_path, document):
    """load(dump(x)) == x through JSON, with identical objects and bytes on both paths."""
    data = json_path.write(document)
    assert json_path.read(data.decode("utf-8")) == document


@given(project_targets())
def test_project_table_round_trip(json_path, project):
    """A single project table reads and writes the same way too."""
    data = json_path.write(project)
    assert json_path.read(data.decode("utf-8"), ProjectTargets) == project


def test_generated_province_round_trip(json_path, load_script):
    """The benchmark's realistic tables (every notation, both trees) read and write identically."""
    generate = load_script("benchmarks/generate.py")
    text = json.dumps(generate.document(generate.generate_tables(300, seed=3)), ensure_ascii=False)
    document = json_path.read(text)
    assert json_path.read(json_path.write(document).decode("utf-8")) == document


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


def test_golden_seed_payload_toml(seed_path):
    """The seed is written exactly as the golden TOML file pins it, and it reads back to the seed."""
    golden = (GOLDEN / "petition-bureau.toml").read_text("utf-8")
    document = pt.load(seed_path)
    assert golden == pt.dumps(document, "toml")
    assert pt.loads(golden, "toml") == document


def test_golden_seed_payload_json(json_path, seed_path):
    """The seed is written exactly as the golden JSON file pins it, and it reads back to the seed."""
    golden = (GOLDEN / "petition-bureau.json").read_text("utf-8")
    document = pt.load(seed_path)
    assert json_path.write(document) == golden.encode("utf-8")
    assert_identical(json_path.read(golden), document)


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


def test_bad_json_syntax_names_line_and_column(json_path):
    """A JSON syntax error gives its line and column."""
    with json_path.active():
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


def test_wrong_top_level_shape(json_path):
    """A JSON array at the top is reported, not a crash."""
    with json_path.active():
        assert _problems("[1, 2]", "json") == ["expected a table (mapping) at the top (got list)"]


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


def test_dump_writes_the_bytes_of_dumps(json_path, tmp_path, seed_path):
    """The file dump() writes holds exactly dumps() in UTF-8, whichever path made it."""
    document = pt.load(seed_path)
    with json_path.active():
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


def test_dump_of_unencodable_text_leaves_nothing(json_path, tmp_path):
    """Text that is not valid UTF-8 (a lone surrogate) fails, typed, before any file, temporary or not, exists."""
    target = tmp_path / "out.json"
    with json_path.active(), pytest.raises(pt.InvalidValueError, match="lone surrogate"):
        pt.dump(pt.Document(notes="\ud800"), target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_atomic_write_keeps_the_mode(tmp_path):
    """A replaced file keeps its mode; a new file gets the umask's (mkstemp would give 0600)."""
    old_mask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.json"
        write_atomic(fresh, b"{}")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.json"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        write_atomic(kept, b"new")
        assert kept.read_bytes() == b"new"
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(old_mask)


def test_atomic_writer_removes_its_temporary_file_on_error(tmp_path):
    """An exception inside the block leaves the old file and no temporary file."""
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    def write_half() -> None:
        with atomic_writer(target) as stream:
            stream.write(b"partial")
            raise RuntimeError("half way")

    with pytest.raises(RuntimeError, match="half way"):
        write_half()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]

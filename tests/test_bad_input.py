"""Hostile and broken input: every case gives one typed error naming the place, within bounded memory and time.

Each case was found by probing the released library as a hostile user would (issue "Trust under bad
input"); the inputs are built here, small, never stored in the repository. Cases about memory run in a
child process with its address space capped, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget._limits import DEFAULT_LIMITS, MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT, Limits
from perftarget._values import toml as _toml
from perftarget.exceptions import InvalidValueError, LimitExceededError, WorkbookError

openpyxl = pytest.importorskip("openpyxl")
excel = pytest.importorskip("perftarget.excel")

ROOT = Path(__file__).resolve().parent.parent


def _workbook(tmp_path: Path, *, patch: dict[str, bytes] | None = None, name: str = "book.xlsx") -> Path:
    """A small valid workbook (the seed's project sheet), with some of its parts replaced."""
    document = pt.load(ROOT / "examples" / "petition-bureau.toml")
    plain = tmp_path / "plain.xlsx"
    excel.write_workbook(document, plain)
    path = tmp_path / name
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if patch and part.filename in patch:
                data = patch[part.filename]
            target.writestr(part, data)
    return path


def _sheet_xml(path: Path, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(sheet)


def _run_capped(code: str, megabytes: int = 1500) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python with its address space capped (Linux), returning what it printed."""
    prelude = textwrap.dedent(f"""
        import resource
        limit = {megabytes} * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    """)
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
        check=False,
    )


# --- limits --------------------------------------------------------------------------------------------


def test_limits_are_one_frozen_value_with_documented_defaults():
    limits = Limits()
    assert limits == DEFAULT_LIMITS
    assert Limits(sheet_cells=10).sheet_cells == 10
    with pytest.raises(AttributeError):
        limits.sheet_cells = 1  # type: ignore[misc]
    with pytest.raises(LimitExceededError, match="number_digits"):
        Limits(number_digits=MAX_NUMBER_DIGITS + 1)
    with pytest.raises(LimitExceededError, match="at least 1"):
        Limits(depth=0)


def test_limit_errors_are_value_errors_naming_the_limit():
    with pytest.raises(LimitExceededError) as caught:
        DEFAULT_LIMITS.check("items", DEFAULT_LIMITS.items + 1, "goals[0].indicators")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, pt.PerftargetError)
    assert caught.value.limit == "items"
    assert caught.value.where == "goals[0].indicators"
    assert "limit items" in str(caught.value)


# --- numbers: absurd exponents and digits ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "limit"),
    [
        ("1e999999999999", "number_exponent"),
        ("1e-999999999", "number_exponent"),
        ("9" * 5000, "number_digits"),
        (10**5000, "number_digits"),
        (Decimal("1e999999"), "number_exponent"),
        (1e300, "number_exponent"),
    ],
    ids=["1e999999999999", "1e-999999999", "5000 nines as text", "an int of 5001 digits", "Decimal 1e999999", "1e300"],
)
def test_numbers_out_of_range_are_refused_by_name(value, limit):
    with pytest.raises(LimitExceededError) as caught:
        pt.Budget(total=value)
    assert caught.value.limit == limit
    assert "total" in str(caught.value)


def test_numbers_at_the_edge_of_the_range_are_kept_exactly():
    largest = Decimal((0, (9,) * MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT - MAX_NUMBER_DIGITS + 1))
    assert pt.Budget(total=largest).total == largest
    assert pt.Budget(total=Decimal(1).scaleb(-MAX_NUMBER_EXPONENT)).total == Decimal("1E-30")


def test_budget_parts_add_up_exactly_beyond_28_digits():
    """The check of 财政资金 + 其他资金 = 合计 is exact, not in the default 28-digit context."""
    assert pt.Budget(total=10**28 + 1, fiscal=10**28, other=1).total == 10**28 + 1
    with pytest.raises(InvalidValueError, match="do not add up"):
        pt.Budget(total=1, fiscal=Decimal("1E-29"), other=1)


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_a_document_with_a_huge_amount_is_a_document_error_with_its_path(fmt):
    if fmt == "json":
        text = (ROOT / "tests" / "golden" / "petition-bureau.json").read_text("utf-8")
        broken = text.replace('"total": "10.00"', '"total": "1e999999999999"', 1)
    else:
        text = (ROOT / "examples" / "petition-bureau.toml").read_text("utf-8")
        broken = text.replace("budget = {total = 10.00,", 'budget = {total = "1e999999999999",', 1)
    assert broken != text
    with pytest.raises(pt.DocumentError) as caught:
        pt.loads(broken, fmt)
    (problem,) = caught.value.problems
    assert problem.location.endswith("budget.total")
    assert "number_exponent" in problem.message


# --- workbooks: bounded before openpyxl builds anything -------------------------------------------------


def test_a_stray_far_cell_costs_one_cell(tmp_path):
    """A cell at XFD1048576 used to make the reader build every cell of the rectangle up to it (24 GB)."""
    xml = _sheet_xml(_workbook(tmp_path))
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path = _workbook(tmp_path, patch={"xl/worksheets/sheet1.xml": xml.replace(b"</sheetData>", far)}, name="far.xlsx")
    result = _run_capped(f"""
        from perftarget.excel import read_workbook
        from perftarget.exceptions import WorkbookError
        try:
            document = read_workbook({str(path)!r})
            print("read", len(document.projects))
        except WorkbookError as exc:
            print("error", exc)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(("read", "error"))


def test_a_merged_range_to_the_sheets_end_is_refused_unbuilt(tmp_path):
    """One merged range H1:XFD1048576 (6 kB) used to exhaust memory inside openpyxl."""
    xml = _sheet_xml(_workbook(tmp_path))
    merge = b'<mergeCells count="1"><mergeCell ref="H1:XFD1048576"/></mergeCells>'
    patched = xml.replace(b"<mergeCells", merge + b"<mergeCells", 1) if b"<mergeCells" in xml else (
        xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    )
    path = _workbook(tmp_path, patch={"xl/worksheets/sheet1.xml": patched}, name="merged.xlsx")
    result = _run_capped(f"""
        from perftarget.excel import read_workbook
        from perftarget.exceptions import WorkbookError
        try:
            read_workbook({str(path)!r})
        except WorkbookError as exc:
            print(exc)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sheet_cells" in result.stdout
    assert "merged ranges" in result.stdout


def test_a_zip_bomb_is_refused_unread(tmp_path):
    """A part that unpacks far beyond its stored size is refused by its declared size, before it is read."""
    xml = _sheet_xml(_workbook(tmp_path))
    padding = b" " * (3 << 20)  # 3 MiB of white space compresses to a few kB
    bomb = xml.replace(b"</sheetData>", b"</sheetData>" + padding, 1)
    path = _workbook(tmp_path, patch={"xl/worksheets/sheet1.xml": bomb}, name="bomb.xlsx")
    assert path.stat().st_size < 200_000
    with pytest.raises(WorkbookError, match="unpacked_bytes") as caught:
        excel.read_workbook(path, limits=Limits(unpacked_bytes=1 << 20))
    assert str(path) in str(caught.value)


def test_too_many_cells_are_refused_before_loading(tmp_path):
    xml = _sheet_xml(_workbook(tmp_path))
    rows = b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c></row>' % (row, row) for row in range(5000, 7000))
    path = _workbook(tmp_path, patch={"xl/worksheets/sheet1.xml": xml.replace(b"</sheetData>", rows + b"</sheetData>")})
    with pytest.raises(WorkbookError, match="sheet_cells") as caught:
        excel.read_workbook(path, limits=Limits(sheet_cells=1000))
    assert "xl/worksheets/sheet1.xml" in caught.value.problems[0].location


def test_the_file_size_is_checked_first(tmp_path):
    path = _workbook(tmp_path)
    with pytest.raises(WorkbookError, match="workbook_bytes"):
        excel.read_workbook(path, limits=Limits(workbook_bytes=100))


def _flipped_deflate(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


_XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>')
_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&d;</t></is></c></row></sheetData></worksheet>')


_SHEET = "xl/worksheets/sheet1.xml"
_STYLES = "xl/styles.xml"
_BAD_NUMFMT = b'<numFmts count="1"><numFmt numFmtId="x"/></numFmts><cellXfs'


@pytest.mark.parametrize(
    ("part", "damage"),
    [
        pytest.param(_SHEET, lambda xml: xml[: len(xml) // 2], id="truncated sheet XML"),
        pytest.param(_SHEET, lambda _: _XXE, id="external entity (XXE)"),
        pytest.param(_SHEET, lambda _: _LAUGHS, id="billion laughs"),
        pytest.param(_STYLES, lambda xml: xml.replace(b"<cellXfs", _BAD_NUMFMT, 1), id="bad numFmt"),
    ],
)
def test_damaged_or_hostile_parts_are_workbook_errors(tmp_path, part, damage):
    plain = _workbook(tmp_path)
    with zipfile.ZipFile(plain) as archive:
        original = archive.read(part)
    path = _workbook(tmp_path, patch={part: damage(original)}, name="damaged.xlsx")
    with pytest.raises(WorkbookError) as caught:
        excel.read_any_workbook(path)
    assert str(path) in str(caught.value)
    assert "root:" not in str(caught.value)  # /etc/passwd was not read into a cell


def test_a_flipped_deflate_byte_is_a_workbook_error(tmp_path):
    plain = _workbook(tmp_path)
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(_flipped_deflate(plain))
    with pytest.raises(WorkbookError, match="not an Excel workbook"):
        excel.read_workbook(path)


def test_defusedxml_guards_openpyxl():
    """The excel extra brings defusedxml, and openpyxl then parses with it (not the system's expat alone)."""
    pytest.importorskip("defusedxml")
    assert openpyxl.DEFUSEDXML is True


def test_a_huge_count_in_the_perftarget_block_is_a_problem_at_its_cell(tmp_path):
    """``items | 1000000000`` in a self-evaluation sheet's block used to allocate a billion-entry list."""
    document = pt.load(ROOT / "examples" / "petition-bureau.toml")
    evaluation = pt.evaluate_document(document, ROOT / "examples" / "petition-bureau-actuals.toml").projects[0]
    path = tmp_path / "selfeval.xlsx"
    excel.write_evaluation_workbook([evaluation], path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    last = ws.max_row
    assert any(str(cell.value).startswith("items[") for cell in ws["A"]), "the sheet ends with its perftarget block"
    ws.cell(last + 1, 1, "items")
    ws.cell(last + 1, 2, 1_000_000_000)
    book.save(path)
    with pytest.raises(WorkbookError, match="above the limit items") as caught:
        excel.read_any_workbook(path)
    assert any(problem.location.startswith(f"{ws.title}!") for problem in caught.value.problems)


def test_review_config_is_frozen_all_the_way_down():
    """``ReviewConfig.severity`` was a dict inside a frozen class: unhashable and changeable after its checks."""
    from perftarget.rules import ReviewConfig

    config = ReviewConfig(severity={"PT3": "error"})
    assert hash(config) == hash(ReviewConfig(severity={"PT3": "error"}))
    assert config.severity == {"PT3": pt.Severity.ERROR}
    with pytest.raises(TypeError):
        config.severity["PT4"] = pt.Severity.INFO  # type: ignore[index]


# --- text files: encodings, special files, sizes, nesting, duplicates ----------------------------------

GOLDEN_JSON = (ROOT / "tests" / "golden" / "petition-bureau.json").read_text("utf-8")


@pytest.fixture(params=["fast", "cattrs"])
def json_reader(request, monkeypatch):
    """Each JSON case runs on the msgspec fast path (when installed) and on the cattrs path."""
    from perftarget._codec import convert

    if request.param == "cattrs":
        monkeypatch.setattr(convert, "FAST", None)
    elif convert.FAST is None:
        pytest.skip("the fast extra (msgspec) is not installed")
    return request.param


def test_a_gbk_file_says_which_encoding_it_looks_like(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(GOLDEN_JSON.encode("gb18030"))
    with pytest.raises(pt.DocumentError, match=r"looks like GB18030/GBK .* encoding='gb18030'") as caught:
        pt.load(path)
    assert str(path) in str(caught.value)
    assert pt.load(path, encoding="gb18030") == pt.loads(GOLDEN_JSON)


def test_utf16_is_named_too(tmp_path):
    path = tmp_path / "utf16.json"
    path.write_bytes(GOLDEN_JSON.encode("utf-16"))
    with pytest.raises(pt.DocumentError, match="looks like UTF-16"):
        pt.load(path)


def test_gbk_actuals_are_refused_the_same_way(tmp_path):
    path = tmp_path / "a.actuals.toml"
    path.write_bytes((ROOT / "examples" / "petition-bureau-actuals.toml").read_text("utf-8").encode("gb18030"))
    with pytest.raises(pt.DocumentError, match="GB18030"):
        pt.load_actuals(path)
    assert pt.load_actuals(path, encoding="gb18030") == pt.load_actuals(ROOT / "examples" / "petition-bureau-actuals.toml")


def test_special_files_are_refused_without_blocking(tmp_path):
    """A FIFO used to block ``load`` forever, and ``/dev/zero`` to exhaust memory."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(pt.DocumentError, match=r"it is a FIFO \(named pipe\), not a file"):
        pt.load(fifo)
    with pytest.raises(pt.DocumentError, match="it is a character device, not a file"):
        pt.load("/dev/zero", fmt="json")
    with pytest.raises(pt.DocumentError, match="it is a folder, not a file"):
        pt.load(tmp_path, fmt="json")


def test_a_file_above_text_bytes_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(GOLDEN_JSON, "utf-8")
    with pytest.raises(pt.DocumentError, match="text_bytes"):
        pt.load(path, limits=Limits(text_bytes=1000))
    assert pt.load(path).notes


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", '{"projects": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("json", '{"notes": ' + "[" * 70 + "]" * 70 + "}"),
        ("toml", "notes = " + "[" * 100_000 + "]" * 100_000),
    ],
    ids=["JSON 10^5 deep", "JSON 70 deep", "TOML 10^5 deep"],
)
def test_deep_nesting_is_a_limit_not_a_recursion_error(fmt, text, json_reader):
    with pytest.raises(pt.DocumentError, match="limit depth = 64"):
        pt.loads(text, fmt)


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_integers_too_long_to_convert_are_refused(fmt):
    """Integers of more than 4,300 digits raised the builtin ValueError from loads."""
    text = '{"schema_version": ' + "9" * 5000 + "}" if fmt == "json" else "schema_version = " + "9" * 5000
    with pytest.raises(pt.DocumentError):
        pt.loads(text, fmt)


def test_nan_is_not_json():
    with pytest.raises(pt.DocumentError, match="NaN is not a JSON number"):
        pt.loads(GOLDEN_JSON.replace('"schema_version": 1', '"schema_version": NaN', 1))


def test_duplicate_keys_are_refused(json_reader):
    """The last of two equal keys used to win silently (TOML refuses them by its specification).

    msgspec keeps the last value; the fast path checks that no key was dropped and otherwise hands
    the text to the cattrs path, which names the key.
    """
    with pytest.raises(pt.DocumentError, match="the key 'notes' is given twice"):
        pt.loads(GOLDEN_JSON.replace('"notes":', '"notes": "x", "notes":', 1))
    with pytest.raises(pt.DocumentError, match="the key 'year' is given twice"):
        pt.loads(GOLDEN_JSON.replace('"year":', '"year": 2000,"year":', 1).encode())


def test_text_where_a_list_belongs_is_not_split_into_characters(json_reader):
    text = re.sub(r'"duties": \[[^\]]*\]', '"duties": "研究提出工作思路"', GOLDEN_JSON, count=1)
    with pytest.raises(pt.DocumentError, match=r"department\.duties: expected a list \(got text"):
        pt.loads(text)


@pytest.mark.parametrize("key", ["target", "basis"])
def test_a_lone_surrogate_in_a_target_or_basis_is_refused_on_reading(key, json_reader):
    # read as text forms (Threshold.parse, Basis), not as plain text: the same check, on both JSON paths
    data = json.loads(GOLDEN_JSON)
    data["projects"][0]["goals"][0]["indicators"][0][key] = "达到\ud800"
    with pytest.raises(pt.DocumentError, match=rf"indicators\[0\]\.{key}: the text holds a lone surrogate \\ud800"):
        pt.loads(json.dumps(data, ensure_ascii=False))


def test_a_lone_surrogate_is_refused_on_reading_and_writing(tmp_path, json_reader):
    with pytest.raises(pt.DocumentError, match=r"notes: the text holds a lone surrogate \\ud800"):
        pt.loads(GOLDEN_JSON.replace('"notes": "', '"notes": "\\ud800', 1))
    document = attrs.evolve(pt.loads(GOLDEN_JSON), notes="x\ud800")
    with pytest.raises(InvalidValueError, match="lone surrogate"):
        pt.dumps_bytes(document)
    with pytest.raises(WorkbookError, match="lone surrogate"):
        excel.write_workbook(document, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("year", [0, 10_000, -5])
def test_a_year_outside_1900_to_2999_is_refused(year, json_reader):
    """A year of 0 or 10,000 used to load and make monitor raise a builtin error."""
    with pytest.raises(pt.DocumentError, match="budget year from 1900 to 2999"):
        pt.loads(GOLDEN_JSON.replace('"year": 2022', f'"year": {year}', 1))


# --- fuzz: a valid input mutated at a random place gives a result or a typed error, nothing else ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402 - the fuzz section's own imports
from hypothesis import strategies as st  # noqa: E402

_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False), st.text(max_size=30), st.sampled_from(["≥95%", "1e999999", "无", "-8%", "\ud800"]),
)
_JSON_VALUES = st.recursive(_JSON_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _places(data: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_places(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_places(value, (*path, index)))
    return found


def _mutated(data: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict):
        return {**data, head: _mutated(data[head], tuple(rest), value)}
    assert isinstance(data, list)
    copy = list(data)
    copy[head] = _mutated(copy[head], tuple(rest), value)  # type: ignore[index]
    return copy


_DOCUMENT_DATA = json.loads(GOLDEN_JSON)


def _json_key_places(text: str) -> list[int]:
    """The offset of each key's opening quote in ``text`` (a JSON text with no escaped quotes)."""
    return [match.start() for match in re.finditer(r'"[^"]*"(?=\s*:)', text)]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_fast_reader_never_keeps_a_duplicate_key(data):
    """Any key repeated (with any value, spaced or not, escaped or not) is refused on both paths.

    The fast path's guard (``_keys_unique``) must answer "hand over" for every such text; a text
    it accepts must read as the cattrs path reads it.
    """
    from perftarget._codec import convert, fast

    if convert.FAST is None:
        pytest.skip("the fast extra (msgspec) is not installed")
    text = GOLDEN_JSON
    start = data.draw(st.sampled_from(_json_key_places(text)))
    end = text.index(":", start) + 1
    key = text[start:end - 1].rstrip()
    value = data.draw(st.sampled_from(['"x"', "1", '"a\\":"', '"\\u0022:"', "null", "[]", "{}", '"\\u003a"', '"a:b"']))
    space = data.draw(st.sampled_from(["", " ", "\n  "]))
    mutated = text[:start] + key + space + ":" + value + ", " + text[start:]
    assert fast.loads_json(mutated) is None
    with pytest.raises(pt.DocumentError, match="is given twice"):
        pt.loads(mutated)


@pytest.mark.parametrize("as_bytes", [False, True])
@pytest.mark.parametrize("kept", ['"\\u003a"', '"\\u003A"', '"a\\nb\\u003ac"'])
def test_a_repeated_key_whose_kept_text_escapes_a_colon_is_refused(kept, as_bytes):
    """The one text the colon count alone would miss: the kept value escapes a colon, the dropped one has none.

    The second of two keys is kept; its ``\\u003a`` becomes a colon when written back, making up for the
    repeated key's own colon. Only the search for the escape (after the one for a backslash) catches it.
    """
    from perftarget._codec import convert, fast

    if convert.FAST is None:
        pytest.skip("the fast extra (msgspec) is not installed")
    start = GOLDEN_JSON.index('"purpose": ')
    text = GOLDEN_JSON[:start] + f'"purpose": "x", "purpose": {kept}, ' + GOLDEN_JSON[start:].split(",", 1)[1]
    data = text.encode("utf-8") if as_bytes else text
    assert fast.loads_json(data) is None
    with pytest.raises(pt.DocumentError, match="is given twice"):
        pt.loads(text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_documents_give_a_document_or_a_typed_error(data):
    places = _places(_DOCUMENT_DATA)
    path = data.draw(st.sampled_from(places))
    value = data.draw(_JSON_VALUES)
    text = json.dumps(_mutated(_DOCUMENT_DATA, path, value), ensure_ascii=False)
    try:
        document = pt.loads(text)
    except pt.PerftargetError:
        return
    pt.dumps_bytes(document)  # what was read can be written
    pt.review(document)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_mutated_actuals_give_an_evaluation_or_a_typed_error(data, tmp_path_factory):
    actuals = _toml.loads((ROOT / "examples" / "petition-bureau-actuals.toml").read_text("utf-8"))
    path = data.draw(st.sampled_from(_places(actuals)))
    value = data.draw(_JSON_VALUES)
    file = tmp_path_factory.mktemp("actuals") / "a.actuals.json"
    file.write_text(json.dumps(_mutated(actuals, path, value), default=str), "utf-8")  # \\ud800 escaped
    document = pt.load(ROOT / "examples" / "petition-bureau.toml")
    try:
        pt.evaluate_document(document, pt.load_actuals(file))
    except pt.PerftargetError:
        return


# --- huge numbers reaching the judgements (case 11) --------------------------------------------------

SEED_TOML = ROOT / "examples" / "petition-bureau.toml"


@pytest.mark.parametrize("actual", ["1e999999%", "9" * 100_000 + "亿元", "1e-999999"])
def test_a_huge_actual_is_a_typed_error_everywhere(actual):
    """Huge exponents raised decimal.Overflow or InvalidOperation from is_met, attainment, evaluate and monitor."""
    project = pt.load(SEED_TOML).projects[0]
    target = pt.Threshold.parse("≥95%")
    with pytest.raises(pt.PerftargetError) as caught:
        target.is_met(actual)
    assert len(str(caught.value)) < 400
    with pytest.raises(pt.PerftargetError):
        pt.ScoringPolicy.preset().attainment(target, actual)
    with pytest.raises(pt.PerftargetError):
        pt.evaluate(project, {project.indicators[1].name: actual}, spent=actual, strict=True)
    with pytest.raises(pt.PerftargetError):
        pt.monitor(project, spent=actual, as_of="2022-07-31")


def test_a_huge_quantity_is_refused_where_it_is_made():
    from perftarget.values import Quantity

    with pytest.raises(LimitExceededError):
        Quantity("1e999999", "元")


@pytest.mark.parametrize("field", ['budget_weight = "1e999999"', '[level1_weights]\n"产出指标" = "1e99999"'])
def test_a_policy_with_a_huge_number_names_the_field(tmp_path, field):
    """It was reported as ``unknown error ([<class 'decimal.Overflow'>])``."""
    path = tmp_path / "policy.toml"
    path.write_text(f'name = "某省"\n{field}\n', "utf-8")
    with pytest.raises(pt.DocumentError, match="limit number_exponent") as caught:
        pt.ScoringPolicy.load(path)
    assert "unknown error" not in str(caught.value)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_mutated_toml_documents_give_a_document_or_a_typed_error(data):
    places = _places(_DOCUMENT_DATA)
    path = data.draw(st.sampled_from(places))
    value = data.draw(_JSON_VALUES.filter(lambda v: "None" not in repr(v) and "\ud800" not in repr(v)))
    try:
        text = _toml.dumps(_mutated(_DOCUMENT_DATA, path, value))  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):
        return  # not representable in TOML (a float key, a mixed array...): nothing to read
    try:
        pt.loads(text, "toml")
    except pt.PerftargetError:
        return


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_mutated_payments_and_configs_give_a_result_or_a_typed_error(data, tmp_path_factory):
    from perftarget.rules import load_config

    payments = {"payments": [{"date": "2022-03-25", "amount": "2.5"}, {"date": "2022-06-30", "amount": "1.5"}]}
    config = {"tool": {"perftarget": {"select": ["PT3"], "ignore": ["PT302"], "severity": {"PT3": "error"}}}}
    folder = tmp_path_factory.mktemp("mutated")
    for name, source, read in (("p.json", payments, pt.load_payments), ("pyproject.toml", config, load_config)):
        mutated = _mutated(source, data.draw(st.sampled_from(_places(source))), data.draw(_JSON_VALUES))
        file = folder / name
        if name.endswith(".json"):
            file.write_text(json.dumps(mutated, default=str), "utf-8")
        else:
            try:
                file.write_text(_toml.dumps(mutated), "utf-8")  # type: ignore[arg-type]
            except (TypeError, ValueError, AttributeError, UnicodeEncodeError):  # not a TOML table: nothing to read
                continue
        try:
            read(file)
        except pt.PerftargetError:
            continue


def test_read_frame_reads_files_through_the_one_reader(tmp_path):
    """Dask's ``read_frame`` used ``Path.read_text``: a GBK file raised a bare UnicodeDecodeError."""
    pytest.importorskip("pandas")
    from perftarget.batch import read_frame

    path = tmp_path / "gbk.json"
    path.write_bytes(GOLDEN_JSON.encode("gb18030"))
    with pytest.raises(pt.DocumentError, match="looks like GB18030/GBK"):
        read_frame([path], "check")
    good = tmp_path / "good.json"
    good.write_text(GOLDEN_JSON, "utf-8")
    assert read_frame([good], "check")["targets"].tolist() == [GOLDEN_JSON]

"""Workbooks in .xls and .ods, read through python-calamine with the layouts of .xlsx, bounded before calamine runs."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

import perftarget
from perftarget import Limits
from perftarget.excel import read_any_workbook, read_workbook, write_workbook
from perftarget.exceptions import MissingDependencyError, WorkbookError

pytest.importorskip("python_calamine")

DATA = Path(__file__).resolve().parent / "data" / "calamine"
SEED = Path(__file__).resolve().parent.parent / "examples" / "petition-bureau.toml"

Listing = list[dict[str, object]]


def listing_of(path: Path) -> Listing:
    """Every non-blank cell of an .xlsx (coordinate, value, number format when not General) and its merged ranges."""
    book = openpyxl.load_workbook(path)
    listing: Listing = []
    for ws in book.worksheets:
        cells = [
            [cell.coordinate, cell.value]
            + ([cell.number_format] if not isinstance(cell.value, str) and cell.number_format != "General" else [])
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        listing.append({"title": ws.title, "merged": sorted(map(str, ws.merged_cells.ranges)), "cells": cells})
    return listing


def xlsx_of(listing: Listing, path: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in listing:
        ws = book.create_sheet(str(sheet["title"]))
        for coordinate, value, *shown in sheet["cells"]:  # type: ignore[attr-defined]
            ws[coordinate] = value
            if shown:
                ws[coordinate].number_format = shown[0]
        for merged in sheet["merged"]:  # type: ignore[attr-defined]
            ws.merge_cells(merged)
    book.save(path)
    return path


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(value: object, shown: str, span: str) -> str:
    if isinstance(value, bool):
        kind = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
        text = str(value).upper()
    elif isinstance(value, (int, float)):
        kind = f'office:value-type="{"percentage" if "%" in shown else "float"}" office:value="{value}"'
        text = str(value)
    else:
        kind, text = 'office:value-type="string"', str(value)
    return f"<table:table-cell {kind}{span}><text:p>{escape(text)}</text:p></table:table-cell>"


def ods_of(listing: Listing, path: Path, *, tail: str = "") -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one: merged ranges spanned and covered, repeated blanks."""
    tables = []
    for sheet in listing:
        values = {coordinate_to_tuple(cell[0]): cell[1:] for cell in sheet["cells"]}  # type: ignore[attr-defined]
        spans, covered = {}, set()
        for merged in sheet["merged"]:  # type: ignore[attr-defined]
            first_col, first_row, last_col, last_row = range_boundaries(merged)
            spans[(first_row, first_col)] = (
                f' table:number-rows-spanned="{last_row - first_row + 1}"'
                f' table:number-columns-spanned="{last_col - first_col + 1}"'
            )
            covered |= {(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
        last_row = max(row for row, _ in values | dict.fromkeys(covered))
        last_col = max(col for _, col in values | dict.fromkeys(covered))
        rows = []
        for row in range(1, last_row + 1):
            cells = []
            for col in range(1, last_col + 1):
                span = spans.get((row, col), "")
                if (row, col) in values:
                    value, *shown = values[(row, col)]
                    cells.append(_ods_cell(value, shown[0] if shown else "", span))
                elif span:
                    cells.append(f"<table:table-cell{span}/>")
                elif (row, col) in covered:
                    cells.append("<table:covered-table-cell/>")
                else:
                    cells.append("<table:table-cell/>")
            cells.append('<table:table-cell table:number-columns-repeated="1000"/>')
            rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        rows.append(
            '<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        )
        tables.append(f"<table:table table:name={quoteattr(str(sheet['title']))}>{''.join(rows)}{tail}</table:table>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def listing() -> Listing:
    """The seed's workbook as ``write_workbook`` wrote it when the .xls fixture was made (tests/data/calamine)."""
    loaded: Listing = json.loads((DATA / "seed.json").read_text(encoding="utf-8"))
    return loaded


def test_xls_reads_as_the_same_xlsx(listing: Listing, tmp_path: Path) -> None:
    from_xls = read_workbook(DATA / "seed.xls")
    assert from_xls == read_workbook(xlsx_of(listing, tmp_path / "seed.xlsx"))
    assert from_xls == perftarget.load(SEED)  # the percent-formatted schedule kept its percent (the XF records)
    assert read_any_workbook(DATA / "seed.xls").document == from_xls


def test_ods_reads_as_the_same_xlsx(listing: Listing, tmp_path: Path) -> None:
    assert read_workbook(ods_of(listing, tmp_path / "seed.ods")) == read_workbook(xlsx_of(listing, tmp_path / "a.xlsx"))


def test_ods_round_trip_of_what_write_workbook_writes(tmp_path: Path) -> None:
    seed = perftarget.load(SEED)
    write_workbook(seed, tmp_path / "seed.xlsx")
    ods = ods_of(listing_of(tmp_path / "seed.xlsx"), tmp_path / "seed.ods")
    assert read_workbook(ods) == seed
    assert read_workbook(ods, sheets=["部门整体绩效目标"]).department == seed.department


def test_far_cell_refused_before_calamine_reads() -> None:
    # 5 kB on disk, 16.7 million cells as calamine holds it (2 GB, 15 s when it was let through)
    with pytest.raises(WorkbookError, match=r"远处 \(its rectangle .*16,777,216 is above the limit sheet_cells"):
        read_workbook(DATA / "far-cell.xls")


def test_repeated_rows_counted_before_calamine_reads(listing: Listing, tmp_path: Path) -> None:
    bomb = (
        '<table:table-row table:number-rows-repeated="900000">'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    path = ods_of(listing[1:], tmp_path / "bomb.ods", tail=bomb)
    with pytest.raises(WorkbookError, match=r"1\.常年驻京值班工作队值班费: 9\d\d,\d\d\d is above the limit sheet_cells"):
        read_workbook(path)


def test_limits_apply_to_each_sheet(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="above the limit sheet_cells = 10"):
        read_workbook(DATA / "seed.xls", limits=Limits(sheet_cells=10))
    with pytest.raises(WorkbookError, match="above the limit workbook_bytes = 100"):
        read_workbook(DATA / "seed.xls", limits=Limits(workbook_bytes=100))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.xls", b"not a workbook at all" * 40, r"not an Excel 97-2003 workbook \(.xls\) that can be read"),
        ("bad.ods", b"PK\x03\x04 damaged", r"not an OpenDocument spreadsheet \(.ods\) that can be read"),
        ("short.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "not an Excel 97-2003 workbook"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=message) as caught:
        read_workbook(path)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="cannot read the file"):
        read_workbook(tmp_path / "absent.xls")


def test_unknown_sheet_named(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match=r"no sheet with this title; the workbook has 部门整体绩效目标, 1\.常年"):
        read_workbook(DATA / "seed.xls", sheets=["其他"])


def test_missing_calamine_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "perftarget\[xls\]"') as caught:
        read_workbook(DATA / "seed.xls")
    assert caught.value.package == "python-calamine"


def test_command_line_reads_xls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from perftarget.cli import main

    back = tmp_path / "back.toml"
    assert main(["convert", str(DATA / "seed.xls"), str(back)]) == 0
    assert perftarget.load(back) == perftarget.load(SEED)
    assert main(["show", str(DATA / "seed.xls")]) == 0
    assert "工作日保障单位运转" in capsys.readouterr().out
    assert main(["show", str(DATA)]) == 2  # a folder: its .xls files are read too, the far cell refused
    assert "far-cell.xls: 远处 (its rectangle" in capsys.readouterr().err


_SEED_XLS = (DATA / "seed.xls").read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SEED_XLS) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_xls_reads_or_is_a_workbook_error(tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]]) -> None:
    """Bytes flipped anywhere (the compound file, the BIFF records, the strings): read, or one WorkbookError.

    A flipped byte once made calamine panic (pyo3's PanicException, a BaseException), which escaped.
    """
    data = bytearray(_SEED_XLS)
    for at, byte in flips:
        data[at] = byte
    path = tmp_path_factory.mktemp("damaged") / "damaged.xls"
    path.write_bytes(bytes(data))
    try:
        read_workbook(path, limits=Limits(sheet_cells=20_000))
    except WorkbookError as exc:
        error = str(exc)
    else:
        return
    assert str(path) in error

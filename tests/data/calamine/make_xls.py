"""Write the checked-in .xls fixtures from their cell listings, with xlwt (the only .xls writer for Python).

Run from the repository root with xlwt on the path (it is not a dependency: the fixtures are checked in)::

    pip download xlwt==1.3.0 --no-deps -d /tmp/xlwt
    PYTHONPATH=/tmp/xlwt/xlwt-1.3.0-py2.py3-none-any.whl python tests/data/calamine/make_xls.py

``seed.json`` lists every non-blank cell of the seed's workbook as ``write_workbook`` wrote it
(coordinate, value, number format when not General) and its merged ranges; ``seed.xls`` holds the
same cells. ``far-cell.xls`` holds two values, at A1 and at IV65536 (the last cell an .xls can
have): a 5 kB file whose rectangle calamine would hold as 16.7 million cells.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

HERE = Path(__file__).resolve().parent


def write_listing(listing: list[dict[str, object]], path: Path) -> None:
    """One sheet per entry; merged ranges first (xlwt writes a merge with its top-left value)."""
    xlwt = importlib.import_module("xlwt")  # imported here: pytest imports this file, where xlwt is absent
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in listing:
        ws = book.add_sheet(str(sheet["title"]))
        values = {coordinate_to_tuple(cell[0]): cell[1:] for cell in sheet["cells"]}  # type: ignore[attr-defined]
        for merged in sheet["merged"]:  # type: ignore[attr-defined]
            first_col, first_row, last_col, last_row = range_boundaries(merged)
            value = values.pop((first_row, first_col), [""])
            style = xlwt.easyxf(num_format_str=value[1]) if len(value) > 1 else xlwt.Style.default_style
            ws.write_merge(first_row - 1, last_row - 1, first_col - 1, last_col - 1, value[0], style)
        for (row, column), value in values.items():
            style = xlwt.easyxf(num_format_str=value[1]) if len(value) > 1 else xlwt.Style.default_style
            ws.write(row - 1, column - 1, value[0], style)
    book.save(str(path))


def main() -> None:
    write_listing(json.loads((HERE / "seed.json").read_text(encoding="utf-8")), HERE / "seed.xls")
    far = [{"title": "远处", "merged": [], "cells": [["A1", "项目名称"], ["IV65536", "远"]]}]
    write_listing(far, HERE / "far-cell.xls")


if __name__ == "__main__":
    main()

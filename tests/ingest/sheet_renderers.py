"""Render a ``GridSpec`` (``grid_generator``) into the file kinds a finance office keeps:
.xlsx (openpyxl: merged cells, amounts as numbers with number formats), .xls (xlwt), .ods
(odfpy: spanned and covered cells) and CSV.

Rows in sheet order: the lines above the table (each merged across the table's width), the
table rows, the lines below — the order ``as_raw_table`` numbers them in. Each renderer returns
the bytes and the spec as a perfect reader sees it: in .xlsx an amount is a number, and a
``#,##0.00`` number reads as ``1714.44`` (readers give the value, not the display's separators).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from decimal import Decimal

import xlwt
from grid_generator import GridSpec, SpecCell
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

_AMOUNT = re.compile(r"^(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.(\d{1,2}))?$")


def _sheet_rows(spec: GridSpec) -> tuple[list[SpecCell], int]:
    """Every cell with its 0-based sheet row (lines above and below as spanning cells)."""
    width = spec.width
    top = len(spec.lines_before)
    cells = [SpecCell(i, 0, t, 1, width) for i, t in enumerate(spec.lines_before) if t.strip()]
    cells += [replace(c, row=c.row + top) for c in spec.cells]
    below = top + spec.height
    cells += [
        SpecCell(below + i, 0, t, 1, width) for i, t in enumerate(spec.lines_after) if t.strip()
    ]
    return cells, below + len(spec.lines_after)


def _amount(text: str) -> tuple[float, str] | None:
    """An amount cell's number and the number format that shows it as written."""
    found = _AMOUNT.match(text)
    if found is None:
        return None
    places = len(found[1] or "")
    thousands = "," in text
    code = ("#,##0" if thousands else "0") + ("." + "0" * places if places else "")
    return float(Decimal(text.replace(",", ""))), code


def render_xlsx(spec: GridSpec) -> tuple[bytes, GridSpec]:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = spec.sheet
    cells, _ = _sheet_rows(spec)
    for c in cells:
        target = ws.cell(c.row + 1, c.col + 1)
        amount = _amount(c.text)
        if amount is None:
            target.value = c.text
        else:
            target.value, target.number_format = amount
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(
                start_row=c.row + 1,
                start_column=c.col + 1,
                end_row=c.row + c.rowspan,
                end_column=c.col + c.colspan,
            )
    out = io.BytesIO()
    wb.save(out)
    seen = [replace(c, text=c.text.replace(",", "")) if _amount(c.text) else c for c in spec.cells]
    return out.getvalue(), replace(spec, cells=seen)


def render_xls(spec: GridSpec) -> tuple[bytes, GridSpec]:
    """Text cells (xls number formats are not read), whole numbers as numbers."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(spec.sheet)
    cells, _ = _sheet_rows(spec)
    for c in cells:
        value: object = int(c.text) if c.text.isdigit() and len(c.text) < 10 else c.text
        if c.rowspan > 1 or c.colspan > 1:
            sheet.write_merge(c.row, c.row + c.rowspan - 1, c.col, c.col + c.colspan - 1, value)
        else:
            sheet.write(c.row, c.col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), spec


def render_ods(spec: GridSpec) -> tuple[bytes, GridSpec]:
    doc = OpenDocumentSpreadsheet()
    table = Table(name=spec.sheet)
    cells, height = _sheet_rows(spec)
    width = spec.width
    at = {(c.row, c.col): c for c in cells}
    covered = {
        (r, k)
        for c in cells
        for r in range(c.row, c.row + c.rowspan)
        for k in range(c.col, c.col + c.colspan)
        if (r, k) != (c.row, c.col)
    }
    for r in range(height):
        row = TableRow()
        for k in range(width):
            if (r, k) in covered:
                row.addElement(CoveredTableCell())
                continue
            cell = at.get((r, k))
            if cell is None:
                row.addElement(TableCell())
                continue
            spans = {}
            if cell.rowspan > 1:
                spans["numberrowsspanned"] = cell.rowspan
            if cell.colspan > 1:
                spans["numbercolumnsspanned"] = cell.colspan
            if cell.text.isdigit() and len(cell.text) < 10:
                element = TableCell(valuetype="float", value=cell.text, **spans)
            else:
                element = TableCell(valuetype="string", **spans)
            for line in cell.text.split("\n"):
                element.addElement(P(text=line))
            row.addElement(element)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue(), spec


def render_csv(spec: GridSpec, encoding: str = "utf-8") -> tuple[bytes, GridSpec]:
    """Every position its own field; lines around the table in the first field."""
    cells, height = _sheet_rows(spec)
    grid = [[""] * spec.width for _ in range(height)]
    for c in cells:
        grid[c.row][c.col] = c.text
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode(encoding), spec


RENDERERS = {"xlsx": render_xlsx, "xls": render_xls, "ods": render_ods, "csv": render_csv}

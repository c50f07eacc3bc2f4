"""End to end: generated department tables written as real .xlsx workbooks (merged header and
project/level cells, amounts as numbers with number formats) parse back to their truth, and the
grid the workbook reader makes is the grid a perfect reader makes (``as_raw_table``)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from generator import document_view
from grid_generator import GridSpec, as_raw_table, grid_shape, grid_specs
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from jixiao.ingest import parse_bytes

_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _number_format(text: str) -> str | None:
    """Amounts go in as numbers, formatted the way the text shows them."""
    if not _NUMBER.match(text):
        return None
    grouping = "#,##0" if "," in text else "0"
    return grouping + (".00" if "." in text else "")


def render_xlsx(spec: GridSpec, numbers: bool = True) -> bytes:
    """``spec`` as a workbook: lines above/below as rows merged across the table."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.sheet
    width = spec.width
    row = 1

    def line(text: str) -> None:
        nonlocal row
        sheet.cell(row, 1, text)
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    for text in spec.lines_before:
        line(text)
    top = row
    for c in spec.cells:
        target = sheet.cell(top + c.row, c.col + 1)
        fmt = _number_format(c.text) if numbers else None
        if fmt is not None:
            target.value = Decimal(c.text.replace(",", ""))
            target.number_format = fmt
        else:
            target.value = c.text
            target.data_type = "s"
        if c.rowspan > 1 or c.colspan > 1:
            sheet.merge_cells(
                start_row=top + c.row,
                start_column=c.col + 1,
                end_row=top + c.row + c.rowspan - 1,
                end_column=c.col + c.colspan,
            )
    row = top + spec.height
    for text in spec.lines_after:
        line(text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@SETTINGS
@given(grid_specs())
def test_xlsx_parses_to_truth(spec: GridSpec) -> None:
    result = parse_bytes(render_xlsx(spec), "department.xlsx")
    assert document_view(result.document) == document_view(spec.document)
    assert result.document.source_kind == "xlsx"
    assert result.complete
    for project in result.document.projects:
        assert project.source.cells
        assert all(ref.startswith("Sheet1!") for ref in project.source.cells)


@SETTINGS
@given(grid_specs())
def test_xlsx_reader_grid_equals_the_perfect_grid(spec: GridSpec) -> None:
    (table,) = parse_bytes(render_xlsx(spec, numbers=False), "department.xlsx").parts[0:1]
    assert grid_shape(table.table) == grid_shape(as_raw_table(spec, "xlsx"))

"""The official tables as Excel workbooks (openpyxl).

Each ``Sheet`` becomes one worksheet: a merged bold title row, the blocks below it with thin
borders on bordered blocks, merged cells, wrapped text, column widths, 万元 amounts as numbers
formatted ``#,##0.00``, and a print setup of A4 landscape, fitted to the page width, with the
table's header rows repeated at the top of every printed page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, MergedCell
from openpyxl.cell.cell import Cell as WorksheetCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.header_footer import _HeaderFooterPart as _Footer
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.export.grid import MONEY_FORMAT, Block, Cell, Sheet, Style

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
NUMBER_FORMATS = {Style.MONEY: MONEY_FORMAT, Style.NUMBER: "0.00", Style.PERCENT: '0.00"%"'}
H_ALIGN = {
    Style.TEXT: "left",
    Style.CAPTION: "left",
    Style.CAPTION_RIGHT: "right",
    Style.MONEY: "right",
    Style.NUMBER: "right",
    Style.PERCENT: "right",
}
BOLD = (Style.LABEL, Style.HEADER)
CJK_WIDTH = 1.7
LINE_HEIGHT = 13.5  # points per line of 10-point text
MIN_HEIGHT = 18.0


# One look of a cell: its style, fill colour, border, and whether it shows a number format.
StyleKey = tuple[Style, str | None, bool, bool]
Styles = dict[StyleKey, StyleArray]


def _style_cell(target: object, cell: Cell, bordered: bool, styles: Styles) -> None:
    """Give ``target`` the look of ``cell``. openpyxl interns every style object it is given,
    hashing it each time, so each look is built once per workbook and then copied as its
    style indices (which made styling most of the export time of a long table)."""
    numeric = (
        cell.style in NUMBER_FORMATS and cell.value is not None and not isinstance(cell.value, str)
    )
    key = (cell.style, cell.fill, bordered, numeric)
    known = styles.get(key)
    if known is not None:
        target._style = copy(known)  # type: ignore[attr-defined]
        return
    target.font = Font(name=FONT_NAME, size=10, bold=cell.style in BOLD)  # type: ignore[attr-defined]
    target.alignment = Alignment(  # type: ignore[attr-defined]
        horizontal=H_ALIGN.get(cell.style, "center"), vertical="center", wrap_text=True
    )
    if bordered:
        target.border = BORDER  # type: ignore[attr-defined]
    if cell.style is Style.HEADER:
        target.fill = HEADER_FILL  # type: ignore[attr-defined]
    if cell.fill:
        target.fill = PatternFill("solid", fgColor=cell.fill)  # type: ignore[attr-defined]
    if numeric:
        target.number_format = NUMBER_FORMATS[cell.style]  # type: ignore[attr-defined]
    styles[key] = copy(target._style)  # type: ignore[attr-defined]


def _storable(value: str | Decimal | int) -> str | Decimal | int:
    """Text as a worksheet keeps it: line breaks as LF (XML turns CR into LF anyway), and
    control characters (OCR debris), which a worksheet cannot hold, dropped."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _put(target: WorksheetCell | MergedCell, value: str | Decimal | int) -> None:
    """Write a value; text is always stored as text. openpyxl would otherwise turn a string
    starting with ``=`` into a live formula (``=WEBSERVICE(…)`` in a note), so the string type
    is forced. Numbers stay numbers."""
    target.value = _storable(value)
    if isinstance(value, str):
        target.data_type = TYPE_STRING


def _write_title(ws: Worksheet, sheet: Sheet) -> int:
    _put(ws.cell(row=1, column=1), sheet.title)
    ws.cell(row=1, column=1).font = Font(name=FONT_NAME, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=sheet.ncols)
    ws.row_dimensions[1].height = 30
    return 2


def _units(text: str) -> float:
    """Width of a text in Excel character units (a CJK character is about 1.7 digits wide)."""
    return sum(CJK_WIDTH if ord(ch) >= 0x2E80 else 1.0 for ch in text)


def _lines(text: str, width: float) -> int:
    usable = max(width - 1, 1.0)
    return sum(max(1, math.ceil(_units(part) / usable)) for part in text.split("\n"))


def _row_heights(block: Block, widths: list[float]) -> list[float]:
    """Row heights (points) that show every wrapped line, since neither Excel nor LibreOffice
    fits the rows of a generated file by itself. Vertically merged cells are left out."""
    spans = {
        (m.row, m.col): sum(widths[m.col : m.last_col + 1])
        for m in block.merges
        if m.row == m.last_row
    }
    tall = {
        (r, m.col)
        for m in block.merges
        if m.row != m.last_row
        for r in range(m.row, m.last_row + 1)
    }
    heights = []
    for r, row in enumerate(block.rows):
        lines = [
            _lines(cell.text, spans.get((r, c), widths[c]))
            for c, cell in enumerate(row)
            if cell.text and (r, c) not in tall
        ]
        heights.append(max(LINE_HEIGHT * max(lines, default=1) + 5, MIN_HEIGHT))
    return heights


def _write_block(
    ws: Worksheet, block: Block, top: int, widths: list[float], styles: Styles
) -> None:
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            target = ws.cell(row=top + r, column=c + 1)
            if cell.value is not None:
                _put(target, cell.value)
            _style_cell(target, cell, block.bordered, styles)
    for r, height in enumerate(_row_heights(block, widths)):
        ws.row_dimensions[top + r].height = height
    for m in block.merges:
        ws.merge_cells(
            start_row=top + m.row,
            start_column=m.col + 1,
            end_row=top + m.last_row,
            end_column=m.last_col + 1,
        )


def _print_setup(ws: Worksheet, repeat: tuple[int, int] | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter = HeaderFooterItem(center=_Footer(text="第 &P 页，共 &N 页"))
    if repeat is not None:
        ws.print_title_rows = f"{repeat[0]}:{repeat[1]}"


def write_sheet(ws: Worksheet, sheet: Sheet, styles: Styles | None = None) -> None:
    """Fill a worksheet with one table; ``styles`` are the looks already built in its
    workbook."""
    styles = {} if styles is None else styles
    for i, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    top = _write_title(ws, sheet)
    repeat: tuple[int, int] | None = None
    for block in sheet.blocks:
        _write_block(ws, block, top, sheet.widths, styles)
        if block.repeat and repeat is None:
            repeat = (top, top + block.repeat - 1)
        top += len(block.rows)
    _print_setup(ws, repeat)
    if sheet.freeze and repeat is not None:
        ws.freeze_panes = f"A{repeat[1] + 1}"


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    if not sheets:
        raise ValueError("nothing to export")
    wb = Workbook()
    names: set[str] = set()
    styles: Styles = {}
    for i, sheet in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = _unique(sheet.name, names)
        write_sheet(ws, sheet, styles)
    return wb


def _unique(name: str, taken: set[str]) -> str:
    name = ILLEGAL_CHARACTERS_RE.sub("", name)  # a sheet name is an XML attribute
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in name) or "Sheet"
    base, n, candidate = name[:27], 2, name[:31]
    while candidate in taken:
        candidate, n = f"{base}({n})", n + 1
    taken.add(candidate)
    return candidate


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as bytes (for downloads)."""
    buffer = io.BytesIO()
    workbook(sheets).save(buffer)
    return buffer.getvalue()

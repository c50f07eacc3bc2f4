"""Excel workbooks (.xlsx) → RawTable, the same intermediate shape the OCR text reader makes.

Every non-blank row of the first worksheet becomes a row; its ``line`` is the sheet's 1-based
row number, and cells keep their column positions (empty cells included, so layouts that map
by header position see the columns where they are). A merged range keeps its text in its
top-left cell only. Line breaks inside a cell are wrapping, not content, and are removed.
Numbers are written out exactly as Excel stores them (``1714.44``, ``90``), never through a
rounded float format.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from jixiao.errors import UnreadableDocument
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.sniff import check_size

XLSX_MAGIC = b"PK\x03\x04"
_FIXED = re.compile(r"0\.(0+)(?![0#])")


def is_xlsx(data: bytes, name: str) -> bool:
    """An Office Open XML workbook by its signature and name."""
    return data.startswith(XLSX_MAGIC) and name.lower().endswith((".xlsx", ".xlsm"))


def _places(number_format: str) -> int | None:
    """Decimal places a number format shows (``#,##0.00`` → 2), None for General."""
    m = _FIXED.search(number_format or "")
    return len(m[1]) if m else None


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell value as text: numbers exactly, with the places their format shows; dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        places = _places(number_format)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        elif number == number.to_integral():
            number = number.quantize(Decimal(1))
        return format(number, "f")
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return "".join(str(value).replace("\r", "").split("\n"))


def read_excel(data: bytes, name: str) -> RawTable:
    """The first worksheet of an .xlsx file as a RawTable; UnreadableDocument if it is not one."""
    check_size(len(data), name)
    from openpyxl import load_workbook  # only for workbooks: it costs a text parse 27% CPU
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableDocument(
            f"{name}: 不是有效的 Excel（.xlsx）文件 (not a valid workbook)"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[RawRow] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = [cell_text(c.value, getattr(c, "number_format", "General")) for c in cells]
            while texts and not texts[-1].strip():
                texts.pop()
            if any(t.strip() for t in texts):
                rows.append(
                    RawRow(number, tuple(RawCell(t, col, number) for col, t in enumerate(texts)))
                )
        line_count = sheet.max_row or 0
        title = sheet.title
    finally:
        workbook.close()
    if not rows:
        raise UnreadableDocument(f"{name}: 工作表“{title}”没有内容 (empty worksheet)")
    return RawTable(tuple(rows), name, line_count, "excel", (f"sheet={title}",))

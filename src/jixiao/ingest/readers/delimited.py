"""CSV and TSV exports → one grid ``RawTable``.

Decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (which GBK and GB2312
files are); the delimiter (comma, tab, semicolon, ``|``) is sniffed from the first lines. Each
field keeps its position (``col``), ``line`` is the record's 1-based number and ``ref`` the cell
as a spreadsheet opening the file would name it (``C7``). Quoted fields may hold line breaks:
they are wrapped lines and are joined like a workbook cell's.
"""

from __future__ import annotations

import csv
import io

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import Budget, ReadLimits, check_extent
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.readers.cell_text import join_lines
from jixiao.ingest.readers.ocr_text import decode_text
from jixiao.ingest.readers.sheet_extent import column_letters
from jixiao.ingest.sniff import check_not_binary

_DELIMITERS = ",\t;|"


def delimiter(text: str, name: str) -> str:
    """The field separator of ``text``: sniffed, else tab (.tsv, tabs seen), else comma."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return "\t" if name.lower().endswith(".tsv") or "\t" in sample else ","


def read_delimited(data: bytes, name: str, limits: ReadLimits) -> tuple[RawTable, ...]:
    """The records of a CSV/TSV file as one grid RawTable."""
    check_not_binary(data, name)
    text, encoding = decode_text(data, name)
    sep = delimiter(text, name)
    budget = Budget(name, limits)
    rows: list[RawRow] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise UnreadableDocument(f"{name}: CSV 格式错误（{exc}）(malformed CSV)") from None
    check_extent(len(records), max(map(len, records), default=0), name, limits)
    for number, fields in enumerate(records, start=1):
        texts = [join_lines(f) for f in fields]
        while texts and not texts[-1].strip():
            texts.pop()
        if not any(t.strip() for t in texts):
            continue
        budget.cell(len(texts))
        rows.append(
            RawRow(
                number,
                tuple(
                    RawCell(t, col, number, ref=f"{column_letters(col + 1)}{number}")
                    for col, t in enumerate(texts)
                ),
            )
        )
    if not rows:
        raise UnreadableDocument(f"{name}: 文件只有空白，没有内容 (blank file)")
    notes = (f"encoding={encoding}", f"delimiter={sep!r}")
    return (RawTable(tuple(rows), name, len(records), "delimited", notes, "csv", True),)

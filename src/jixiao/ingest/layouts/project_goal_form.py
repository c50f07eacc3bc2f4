"""项目支出绩效目标表 as lines of text (OCR): one line per row, cells by tab or space.

Columns: 项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标. The last row
is checked for a cut (``truncation.line_table_cut``); the project it runs through is left out.
"""

from __future__ import annotations

import re

from jixiao.domain.document import Document
from jixiao.domain.framework import load_framework
from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.ingest.assemble import build_project
from jixiao.ingest.columns import (
    DEFAULT_COLUMNS,
    ColumnHeader,
    column_header,
    header_score,
    is_foreign_header,
    is_header_like,
)
from jixiao.ingest.header import DocumentHeader, read_header_line, unit_in_header
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.rawtable import RawRow, RawTable
from jixiao.ingest.result import TableParse
from jixiao.ingest.rows import RowPiece, looks_like_indicators, split_row
from jixiao.ingest.stitch import stitch
from jixiao.ingest.truncation import STUB, line_table_cut, mark_incomplete

MIN_HEADER_SCORE = 3
_PAGE_MARK = re.compile(
    r"^[-—\s]*(?:第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-)[-—\s]*$"
)


def _header_index(table: RawTable) -> int | None:
    for index, row in enumerate(table.rows):
        if header_score(row) >= MIN_HEADER_SCORE:
            return index
    return None


class ProjectGoalForm:
    name = "project_goal_form"

    def detect(self, table: RawTable) -> float:
        if table.grid:
            return 0.0  # grids go to the grid layout, which reads merged cells
        index = _header_index(table)
        if index is not None:
            row = table.rows[index]
            if is_foreign_header(row):
                return 0.0
            return min(1.0, 0.4 + 0.1 * header_score(row))
        hits = sum(1 for row in table.rows if "指标值" in "".join(row.texts))
        return 0.5 if hits and len(table.rows) > 1 else 0.0

    def extract(self, table: RawTable) -> TableParse:
        index = _header_index(table)
        header, start, furniture = _column_header(table, index)
        columns = header or ColumnHeader(0, DEFAULT_COLUMNS)
        doc_header = DocumentHeader()
        warnings: list[ParseWarning] = []
        for row in table.rows[:index] if index is not None else _leading_text(table):
            if read_header_line(" ".join(row.texts), doc_header):
                furniture.append(row.line)
            elif index is not None:
                furniture.append(row.line)
                warnings.append(_unplaced(row))
        if doc_header.unit is None and index is not None:
            doc_header.unit = unit_in_header(" ".join(table.rows[index].texts))
        pieces = self._pieces(table.rows[start:], columns, furniture, warnings)
        drafts = stitch(pieces)
        framework = load_framework()
        document = Document(
            projects=[build_project(d, framework, doc_header.unit) for d in drafts],
            title=doc_header.title,
            department=doc_header.department,
            unit=doc_header.unit,
            year=doc_header.year,
            warnings=warnings,
            source_name=table.source_name,
            source_kind=table.kind,
        )
        cut = line_table_cut(table, pieces, tuple(furniture))
        if cut is not None:
            dropped = None
            if cut.reason != STUB and document.projects:
                dropped = document.projects.pop()
            mark_incomplete(document, cut, dropped)
        return TableParse(
            document,
            table,
            self.name,
            self.detect(table),
            incomplete=cut,
            header=header,
            pieces=pieces,
            drafts=drafts,
            furniture_lines=tuple(furniture),
        )

    def _pieces(
        self,
        rows: tuple[RawRow, ...],
        columns: ColumnHeader,
        furniture: list[int],
        warnings: list[ParseWarning],
    ) -> list[RowPiece]:
        pieces: list[RowPiece] = []
        for row in rows:
            if row.line in furniture:
                continue
            if is_header_like(row) or _is_page_mark(row):
                furniture.append(row.line)
            elif (
                len(row.non_empty) == 1
                and len(row.cells) == 1
                and not looks_like_indicators(row.cells[0].text)
            ):
                warnings.append(_unplaced(row))
            else:
                pieces.append(split_row(row, columns))
        return pieces


def _column_header(
    table: RawTable, index: int | None
) -> tuple[ColumnHeader | None, int, list[int]]:
    """The column header (one or two rows), where data starts, and the header's lines."""
    if index is None:
        return None, 0, []
    row = table.rows[index]
    nxt = table.rows[index + 1] if index + 1 < len(table.rows) else None
    if nxt is not None and is_header_like(nxt):
        return column_header(row, nxt), index + 2, [row.line, nxt.line]
    return column_header(row), index + 1, [row.line]


def _leading_text(table: RawTable) -> list[RawRow]:
    rows: list[RawRow] = []
    for row in table.rows:
        if not row.is_single_text:
            break
        rows.append(row)
    return rows


def _is_page_mark(row: RawRow) -> bool:
    return len(row.non_empty) == 1 and bool(_PAGE_MARK.match(row.non_empty[0].text))


def _unplaced(row: RawRow) -> ParseWarning:
    raw = " ".join(c.text for c in row.non_empty)
    return ParseWarning(
        "unplaced_text",
        f"第{row.line}行的文字无法归入任何项目，未采用：“{clean_text(raw)[:60]}”",
        SourceRef(lines=(row.line,), raw_text=raw),
    )

"""A library workbook (指标库) read from its grid: the header found by its labels, one row per
indicator, and the rows that cannot be read, each with its reason.

The header is the first row (within :data:`HEADER_SEARCH` rows of the top) that names both the
二级指标 and the 三级指标 column, in any order and with any of the synonyms of
``jixiao.domain.library_book``; a two-row header (``绩效指标`` over ``一级/二级/三级``) is read
too. Below it, a merged cell counts for every row it covers, and an empty 一级/二级 cell repeats
the one above (as published tables leave them). Rows holding only a category or a note are
skipped, and so is a row without a 三级指标 that carries nothing to import (figures only);
every other row is read or refused, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.domain.library_book import (
    CURATED,
    LABELS,
    MAX_LEVEL,
    MAX_NAME,
    MAX_REFERENCE,
    MAX_SECTOR,
    MAX_SECTORS,
    MAX_TEXT,
    MAX_UNIT,
    SYNONYMS,
    BookColumn,
    BookRow,
    direction_of,
    split_sectors,
    yes_no,
)
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII
from jixiao.errors import UnreadableDocument
from jixiao.ingest.rawtable import RawRow, RawTable

HEADER_SEARCH = 20
_NOTE_PREFIXES = ("注", "说明", "备注", "填表说明", "合计")
_BRACKET_TAIL = re.compile(r"[(（][^()（）]*[)）]$")
_TEXT_LIMITS = {
    BookColumn.LEVEL1: MAX_LEVEL,
    BookColumn.LEVEL2: MAX_LEVEL,
    BookColumn.NAME: MAX_NAME,
    BookColumn.EXPLANATION: MAX_TEXT,
    BookColumn.SCORING: MAX_TEXT,
    BookColumn.REFERENCE: MAX_REFERENCE,
    BookColumn.UNIT: MAX_UNIT,
    BookColumn.BASIS: MAX_TEXT,
}
_FILLED_DOWN = (BookColumn.LEVEL1, BookColumn.LEVEL2)


def label_key(text: str) -> str:
    """A header label as compared: no spaces, width folded, ``*`` marks and a bracketed note
    (``（必填）``) dropped."""
    folded = "".join(text.translate(FULL_WIDTH_TO_ASCII).split()).strip("*")
    return _BRACKET_TAIL.sub("", folded) or folded


_BY_LABEL: dict[str, BookColumn] = {
    label_key(label): column
    for column in BookColumn
    for label in (LABELS[column], *SYNONYMS[column])
}


def column_of(label: str) -> BookColumn | None:
    return _BY_LABEL.get(label_key(label)) if label.strip() else None


@dataclass(frozen=True)
class BookLine:
    """One indicator read, where it was (``第5行``) and the columns its sheet has."""

    where: str
    row: BookRow
    columns: frozenset[BookColumn]


@dataclass(frozen=True)
class Refusal:
    where: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass(frozen=True)
class LibraryBook:
    lines: tuple[BookLine, ...]
    refused: tuple[Refusal, ...]


@dataclass(frozen=True)
class _Header:
    last_line: int  # sheet row of the header's last row
    columns: dict[BookColumn, list[int]]  # grid columns of each field, left to right


def read_library_book(tables: Sequence[RawTable], filename: str) -> LibraryBook:
    """Every indicator row of every sheet that has a library header."""
    lines: list[BookLine] = []
    refused: list[Refusal] = []
    found = False
    for table in tables:
        header = find_header(table)
        if header is None:
            continue
        found = True
        prefix = f"“{table.name}”" if len(tables) > 1 and table.name else ""
        _read_rows(table, header, prefix, lines, refused)
    if not found:
        raise UnreadableDocument(
            f"{filename}: 未找到指标库的表头（须有“二级指标”和“三级指标”两列）"
            " (no indicator library header)"
        )
    return LibraryBook(tuple(lines), tuple(refused))


def _labels(row: RawRow) -> dict[int, BookColumn]:
    out = {}
    for cell in row.cells:
        column = column_of(cell.text)
        if column is not None:
            out[cell.col] = column
    return out


def _complete(labels: dict[int, BookColumn]) -> bool:
    return {BookColumn.NAME, BookColumn.LEVEL2} <= set(labels.values())


def find_header(table: RawTable) -> _Header | None:
    """The header rows of ``table`` and the grid columns of each recognised field."""
    rows = table.rows[:HEADER_SEARCH]
    for i, row in enumerate(rows):
        labels = _labels(row)
        if _complete(labels):
            return _header(labels, row.line)
        spans = any(c.colspan > 1 for c in row.cells)
        if spans and i + 1 < len(rows):
            merged = {**labels, **_labels(rows[i + 1])}
            if _complete(merged):
                return _header(merged, rows[i + 1].line)
    return None


def _header(labels: dict[int, BookColumn], last_line: int) -> _Header:
    columns: dict[BookColumn, list[int]] = {}
    for col in sorted(labels):
        columns.setdefault(labels[col], []).append(col)
    return _Header(last_line, columns)


def _grid(table: RawTable, first_line: int) -> dict[tuple[int, int], str]:
    """Text by (sheet row, grid column) below the header; a merged cell fills its range."""
    out: dict[tuple[int, int], str] = {}
    for row in table.rows:
        if row.line < first_line:
            continue
        for cell in row.cells:
            for line in range(cell.line, cell.line + cell.rowspan):
                out[(line, cell.col)] = cell.text
    return out


def _read_rows(
    table: RawTable,
    header: _Header,
    prefix: str,
    lines: list[BookLine],
    refused: list[Refusal],
) -> None:
    grid = _grid(table, header.last_line + 1)
    above: dict[BookColumn, str] = {}
    present = frozenset(header.columns)
    for row in table.rows:
        if row.line <= header.last_line:
            continue
        values = {
            column: "\n".join(t for c in cols if (t := grid.get((row.line, c), "").strip()))
            for column, cols in header.columns.items()
        }
        for column in _FILLED_DOWN:
            if column in values:
                values[column] = values[column] or above.get(column, "")
                above[column] = values[column]
        where = f"{prefix}第{row.line}行"
        if not values.get(BookColumn.NAME):
            reason = _without_name(row, values)
            if reason is not None:
                refused.append(Refusal(where, reason))
            continue
        read = _row(values)
        if isinstance(read, str):
            refused.append(Refusal(where, read))
        else:
            lines.append(BookLine(where, read, present))


def _without_name(row: RawRow, values: dict[BookColumn, str]) -> str | None:
    """Why a row without a 三级指标 is refused: it has curated content that would be lost.
    None (skipped) for a category or note row, and for a row of figures only (an unnamed
    entry of the library as exported)."""
    texts = row.non_empty
    if len(texts) == 1 and (
        texts[0].colspan > 1 or texts[0].text.strip().startswith(_NOTE_PREFIXES)
    ):
        return None
    content = [values.get(c, "") for c in CURATED if c is not BookColumn.RECOMMENDED]
    recommended = yes_no(values.get(BookColumn.RECOMMENDED, ""))
    return "缺少三级指标名称" if any(content) or recommended is not False else None


def _row(values: dict[BookColumn, str]) -> BookRow | str:
    """The row's values, or the reason it is refused."""
    for column, limit in _TEXT_LIMITS.items():
        if len(values.get(column, "")) > limit:
            return f"“{LABELS[column]}”超过 {limit} 字"
    if not values.get(BookColumn.LEVEL2):
        return "缺少二级指标"
    recommended = yes_no(values.get(BookColumn.RECOMMENDED, ""))
    if recommended is None:
        return f"“推荐”应填“是”或“否”，而不是“{values[BookColumn.RECOMMENDED][:20]}”"
    direction = direction_of(values.get(BookColumn.DIRECTION, ""))
    if direction is None:
        shown = values[BookColumn.DIRECTION][:20]
        return f"“指标方向”应填“正向”“反向”或“定性”，而不是“{shown}”"
    sectors = split_sectors(values.get(BookColumn.SECTORS, ""))
    if len(sectors) > MAX_SECTORS or any(len(s) > MAX_SECTOR for s in sectors):
        return f"“行业/领域”最多 {MAX_SECTORS} 个，每个不超过 {MAX_SECTOR} 字"
    return BookRow(
        level2=values[BookColumn.LEVEL2],
        name=values[BookColumn.NAME],
        level1=values.get(BookColumn.LEVEL1) or None,
        explanation=values.get(BookColumn.EXPLANATION) or None,
        scoring=values.get(BookColumn.SCORING) or None,
        reference_value=values.get(BookColumn.REFERENCE) or None,
        unit=values.get(BookColumn.UNIT) or None,
        direction=direction,
        recommended=recommended,
        sectors=sectors,
        basis=values.get(BookColumn.BASIS) or None,
    )

"""部门项目支出绩效目标表 on a cell grid (workbook, Word, HTML, text-layer PDF).

The header is found and read by meaning (``grid_header``): 项目名称 / 总计 / 资金来源 (any of
财政拨款, 财政专户拨款, 其他资金, in any order) / 绩效目标, then the indicators either

- as one text cell per project, written the way the sample writes them
  (``1、1-产出指标,11-数量指标,…;实施周期指标值:…``): each row becomes a ``RowPiece`` and the
  rows are stitched and assembled exactly as the OCR text is; or
- as columns 一级指标 / 二级指标 / 三级指标 / 实施周期指标值 / 年度指标值, one indicator per
  row. A project's cells are merged down over its rows, repeated on each, or written on its
  first row only; a row starts a new project when its name is written there and differs from
  the project before (or its 序号 or 总计 does). Level cells merged down or left blank carry
  over to the rows below within the project.

Rows equal to the header (the header repeated on each page) are skipped; lines above the header
give title, department, year and unit (``单位：万元``); a 合计 row is a cross-check, never a
project: when the projects do not add up to it the document gets a ``total_mismatch`` warning.
Each project's ``source`` names the cells it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.framework import Framework, load_framework
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Project
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import TargetValue, parse_target
from jixiao.ingest.assemble import build_project
from jixiao.ingest.cellgrid import CellGrid
from jixiao.ingest.columns import Column
from jixiao.ingest.grid_header import (
    INDICATOR_FIELDS,
    LABELS,
    MONEY_FIELDS,
    Field,
    GridHeader,
    compact,
    find_header,
    is_foreign,
    is_label_row,
)
from jixiao.ingest.header import DocumentHeader, read_header_line, unit_in_header
from jixiao.ingest.indicator_anchors import ends_complete
from jixiao.ingest.normalize import clean_text, parse_amount
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable, page_boxes
from jixiao.ingest.result import Incomplete, TableParse
from jixiao.ingest.rows import AmountCell, RowPiece
from jixiao.ingest.stitch import ProjectDraft, stitch
from jixiao.ingest.truncation import MID_INDICATOR, NO_INDICATORS, mark_incomplete

WORKBOOK_KINDS = ("xlsx", "xlsm", "xls", "ods")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总合计|全部合计)$")
_LEVEL = re.compile(r"^\s*(\d{1,2})\s*[-—–.、．]\s*(\S.*?)\s*$")
_PAGE_MARK = re.compile(r"^[-—\s]*第\s*\d+\s*页.*$|^\s*\d+\s*/\s*\d+\s*$|^\s*-\s*\d+\s*-\s*$")
_NO_AMOUNT = ("-", "—", "/", "／", "－", "——")
_MONEY_COLUMN = {
    Field.TOTAL: Column.TOTAL,
    Field.FISCAL: Column.FISCAL,
    Field.SPECIAL: Column.SPECIAL,
    Field.OTHER: Column.OTHER,
}


@dataclass
class _Block:
    """The rows of one project (indicator-column tables)."""

    rows: list[RawRow] = field(default_factory=list)
    values: dict[Field, RawCell] = field(default_factory=dict)


class DepartmentGrid:
    name = "department_grid"

    def detect(self, table: RawTable) -> float:
        if not table.grid:
            return 0.0
        grid = CellGrid.of(table)
        header = find_header(grid)
        if header is None or is_foreign(grid):
            return 0.0
        fields = set(header.columns.values())
        money = len(fields & set(MONEY_FIELDS))
        content = Field.INDICATORS in fields or Field.INDICATOR_NAME in fields
        return min(1.0, 0.5 + 0.1 * money + (0.2 if content else 0.0))

    def extract(self, table: RawTable) -> TableParse:
        grid = CellGrid.of(table)
        header = find_header(grid)
        assert header is not None  # detect found it
        reading = _Reading(table, grid, header)
        return reading.run(self.name, self.detect(table))


class _Reading:
    def __init__(self, table: RawTable, grid: CellGrid, header: GridHeader) -> None:
        self.table = table
        self.grid = grid
        self.header = header
        self.framework = load_framework()
        self.doc_header = DocumentHeader()
        self.warnings: list[ParseWarning] = []
        self.furniture: list[int] = []
        self.total_rows: list[RawRow] = []
        self.rows_by_line = {r.line: r for r in table.rows}
        self.header_texts = {
            self._texts(r) for r in table.rows if header.first <= r.line <= header.last
        }

    # --- the whole table ---------------------------------------------------------------

    def run(self, layout: str, confidence: float) -> TableParse:
        rows = self.table.rows
        above = [r for r in rows if r.line < self.header.first]
        body = [r for r in rows if r.line > self.header.last]
        for row in above:
            self._header_line(row)
        self.furniture.extend(
            r.line for r in rows if self.header.first <= r.line <= self.header.last
        )
        unit = self.doc_header.unit or unit_in_header(" ".join(self.header.texts))
        data = self._data_rows(body)
        if self.header.by_indicator_columns:
            projects, pieces, drafts = self._column_projects(data, unit), [], []
        else:
            pieces = [self._piece(r) for r in data]
            drafts = stitch(pieces)
            projects = [self._assembled(d, unit) for d in drafts]
        document = Document(
            projects=projects,
            title=self.doc_header.title,
            department=self.doc_header.department,
            unit=unit,
            year=self.doc_header.year,
            warnings=self.warnings,
            source_name=self.table.source_name,
            source_kind=self.table.kind,
        )
        self._check_totals(document)
        cut = self._cut(document, pieces)
        if cut is not None:
            mark_incomplete(document, cut, document.projects.pop() if document.projects else None)
        return TableParse(
            document,
            self.table,
            layout,
            confidence,
            incomplete=cut,
            pieces=pieces,
            drafts=drafts,
            furniture_lines=tuple(sorted(self.furniture)),
            columns={c: LABELS[f] for c, f in sorted(self.header.columns.items())},
        )

    def _texts(self, row: RawRow) -> tuple[str, ...]:
        return tuple(compact(c.text) for c in row.cells if not c.is_empty)

    def _header_line(self, row: RawRow) -> None:
        text = " ".join(c.text for c in row.non_empty)
        if read_header_line(text, self.doc_header):
            self.furniture.append(row.line)
        elif text.strip():
            self.furniture.append(row.line)
            self.warnings.append(_unplaced(row))

    def _is_text_line(self, row: RawRow) -> bool:
        """A line of text around or inside the table (a note, a caption), not a data row."""
        cells = self.grid.row_cells(row)
        if len(cells) != 1:
            return False
        cell = cells[0]
        if _is_note(cell.text) or _PAGE_MARK.match(cell.text):
            return True
        fields = {self.header.columns.get(c) for c in range(cell.col, cell.col + cell.colspan)}
        return (cell.colspan > 1 and len(fields) > 1) or cell.col not in self.header.columns

    def _data_rows(self, body: list[RawRow]) -> list[RawRow]:
        data: list[RawRow] = []
        for row in body:
            if self._texts(row) in self.header_texts or is_label_row(self.grid, row):
                self.furniture.append(row.line)  # the header again, on a new page
            elif self._is_total_row(row):
                self.furniture.append(row.line)
                self.total_rows.append(row)
            elif self._is_text_line(row):
                self.furniture.append(row.line)
                text = " ".join(c.text for c in row.non_empty)
                quiet = _is_note(text) or _PAGE_MARK.match(text)
                if not read_header_line(text, self.doc_header) and not quiet:
                    self.warnings.append(_unplaced(row))
            else:
                data.append(row)
        return data

    def _is_total_row(self, row: RawRow) -> bool:
        lead = [
            self.grid.covering(row.line, c)
            for c, f in self.header.columns.items()
            if f in (Field.SERIAL, Field.NAME)
        ]
        first = next((c for c in self.grid.row_cells(row)), None)
        texts = {compact(c.text) for c in [*lead, first] if c is not None and c.line == row.line}
        return any(_TOTAL_ROW.match(t) for t in texts)

    def _cell(self, row: RawRow, f: Field, carried: bool = True) -> RawCell | None:
        """The non-empty cell of field ``f`` in ``row`` (also one merged down from above,
        unless ``carried`` is False)."""
        col = self.header.col(f)
        cell = self.grid.covering(row.line, col) if col is not None else None
        if cell is None or cell.is_empty or (not carried and cell.line != row.line):
            return None
        return cell

    # --- one text cell of indicators per project -----------------------------------------

    def _piece(self, row: RawRow) -> RowPiece:
        """A data row as the OCR path's RowPiece; merged cells count in their first row."""
        piece = RowPiece(row.line)
        name = self._cell(row, Field.NAME, carried=False)
        piece.name = name.text if name is not None else None
        for f in MONEY_FIELDS:
            amount = self._amount(row, f, carried=False)
            if amount is not None:
                piece.amounts.append(amount)
        goal = self._cell(row, Field.GOAL, carried=False)
        if goal is not None:
            piece.goal_texts.append(goal.text)
        indicators = self._cell(row, Field.INDICATORS, carried=False)
        piece.indicator = indicators.text if indicators is not None else None
        return piece

    def _amount(self, row: RawRow, f: Field, carried: bool = True) -> AmountCell | None:
        cell = self._cell(row, f, carried)
        if cell is None or compact(cell.text) in _NO_AMOUNT:
            return None
        parsed = parse_amount(cell.text)
        if parsed is None:
            self.warnings.append(
                ParseWarning(
                    "amount_unreadable",
                    f"{cell.where}的{LABELS[f]}“{cell.text}”不是金额，未采用",
                    _source_of([cell], self.table, texts=True),
                )
            )
            return None
        return AmountCell(_MONEY_COLUMN[f], cell.text, *parsed)

    def _assembled(self, draft: ProjectDraft, unit: MoneyUnit | None) -> Project:
        project = build_project(draft, self.framework, unit)
        rows = [self.rows_by_line[line] for line in draft.lines]
        cells = [c for r in rows for c in r.cells if not c.is_empty]
        project.source = _source_of(cells, self.table)
        return project

    # --- indicators as columns, one per row ------------------------------------------------

    def _column_projects(self, rows: list[RawRow], unit: MoneyUnit | None) -> list[Project]:
        blocks: list[_Block] = []
        for row in rows:
            if self._starts_project(row, blocks[-1] if blocks else None):
                blocks.append(_Block())
            if not blocks:
                self.warnings.append(_unplaced(row))
                continue
            block = blocks[-1]
            block.rows.append(row)
            for f in (Field.SERIAL, Field.NAME, *MONEY_FIELDS, Field.GOAL):
                cell = self._cell(row, f)
                if cell is not None and f not in block.values:
                    block.values[f] = cell
        return [self._column_project(b, unit) for b in blocks]

    def _starts_project(self, row: RawRow, current: _Block | None) -> bool:
        name = self._cell(row, Field.NAME, carried=False)
        if name is None:
            return False
        if current is None:
            return True
        for f in (Field.NAME, Field.SERIAL, Field.TOTAL):
            mine = self._cell(row, f)
            theirs = current.values.get(f)
            if mine is not None and theirs is not None and mine is not theirs:
                if compact(mine.text) != compact(theirs.text):
                    return True
        return False

    def _column_project(self, block: _Block, unit: MoneyUnit | None) -> Project:
        piece = RowPiece(block.rows[0].line)
        name = block.values.get(Field.NAME)
        piece.name = name.text if name is not None else None
        for f in MONEY_FIELDS:
            cell = block.values.get(f)
            parsed = parse_amount(cell.text) if cell is not None else None
            if cell is not None and parsed is not None:
                piece.amounts.append(AmountCell(_MONEY_COLUMN[f], cell.text, *parsed))
        goal = block.values.get(Field.GOAL)
        if goal is not None:
            piece.goal_texts.append(goal.text)
        project = build_project(ProjectDraft([piece]), self.framework, unit)
        project.indicators = self._indicators(block, project)
        cells = [self.grid.covering(r.line, c) for r in block.rows for c in range(self.grid.width)]
        project.source = _source_of([c for c in cells if c is not None], self.table)
        return project

    def _indicators(self, block: _Block, project: Project) -> list[Indicator]:
        indicators: list[Indicator] = []
        level1: LevelRef | None = None
        level2: LevelRef | None = None
        for row in block.rows:
            cells = {f: self._cell(row, f) for f in INDICATOR_FIELDS}
            written1, written2 = cells[Field.LEVEL1], cells[Field.LEVEL2]
            if written1 is not None:
                level1 = _level(written1.text, 1, self.framework)
            if written2 is not None:
                level2 = _level(written2.text, 2, self.framework)
            name = cells[Field.INDICATOR_NAME]
            period, annual = cells[Field.PERIOD], cells[Field.ANNUAL]
            if name is None and period is None and annual is None:
                continue
            label = f"indicators[{len(indicators)}]"
            first = level1
            if first is None and level2 is not None:
                first = self._inferred_level1(level2, label, project)
            used = [c for c in cells.values() if c is not None]
            indicators.append(
                Indicator(
                    name=clean_text(name.text) if name is not None else "",
                    level1=first,
                    level2=level2,
                    period=_target(period),
                    annual=_target(annual),
                    source=_source_of(used, self.table),
                )
            )
            if name is None:
                project.warnings.append(
                    ParseWarning(
                        "indicator_name_lost", f"{row_where(row)}的指标没有名称（{label}）"
                    )
                )
        return indicators

    def _inferred_level1(self, level2: LevelRef, label: str, project: Project) -> LevelRef | None:
        found = self.framework.find(level2.code, level2.name, 2)
        parent = self.framework.parent(found) if found is not None else None
        if parent is None:
            return None
        project.repairs.append(
            Repair(
                f"{label}.level1",
                None,
                f"{parent.code}-{parent.name}",
                f"缺失一级指标，按二级指标“{level2.format()}”推定",
            )
        )
        return LevelRef(parent.code, parent.name)

    # --- checks ------------------------------------------------------------------------

    def _check_totals(self, document: Document) -> None:
        """Each 合计 row against the sum of the projects, column by column."""
        for row in self.total_rows:
            for f in MONEY_FIELDS:
                amount = self._amount(row, f)
                if amount is None:
                    continue
                values = [getattr(p.amounts, f.value) for p in document.projects]
                total = sum((v for v in values if v is not None), Decimal(0))
                if total != amount.value:
                    cell = self._cell(row, f)
                    assert cell is not None
                    self.warnings.append(
                        ParseWarning(
                            "total_mismatch",
                            f"合计行（{cell.where}）的{LABELS[f]}为 {amount.value}，"
                            f"各项目之和为 {total}，请核对原表",
                            _source_of([cell], self.table, texts=True),
                        )
                    )

    def _cut(self, document: Document, pieces: list[RowPiece]) -> Incomplete | None:
        """Where the table stops mid-project: its last project has no indicators, or (one text
        cell per project) its indicator text ends mid-item."""
        if not document.projects:
            return None
        last = document.projects[-1]
        rows = last.source.rows or last.source.lines
        line = max(rows) if rows else self.table.rows[-1].line
        where = row_where(self.rows_by_line[line])
        if not last.indicators:
            return Incomplete(line, NO_INDICATORS, where)
        text = pieces[-1].clean_indicator if pieces else ""
        if pieces and text and not ends_complete(text):
            return Incomplete(line, MID_INDICATOR, where)
        return None


def row_where(row: RawRow) -> str:
    """A row as a person finds it: the ref of its first cell (``Sheet1!A9``), else 第N行."""
    first = next((c for c in row.cells if c.ref), None)
    return first.ref if first is not None else f"第{row.line}行"


def _level(text: str, level: int, framework: Framework) -> LevelRef:
    """``1-产出指标`` as written; a bare ``产出指标`` gets its code from the framework."""
    cleaned = clean_text(text).strip()
    m = _LEVEL.match(cleaned)
    if m:
        return LevelRef(m.group(1), m.group(2))
    found = framework.by_name(cleaned, level)
    return LevelRef(found.code if found is not None else None, cleaned)


def _target(cell: RawCell | None) -> TargetValue | None:
    if cell is None:
        return None
    raw = clean_text(cell.text).strip()
    return parse_target(raw) if raw else None


def _is_note(text: str) -> bool:
    return bool(re.search(r"[:：]", text))


def _source_of(cells: list[RawCell], table: RawTable, texts: bool = False) -> SourceRef:
    refs = tuple(dict.fromkeys(c.ref for c in cells if c.ref))
    lines = tuple(sorted({c.line for c in cells}))
    pages = tuple(sorted({c.page for c in cells if c.page is not None}))
    if table.kind in WORKBOOK_KINDS and table.name:
        return SourceRef(sheet=table.name or None, rows=lines, cells=refs, pages=pages)
    return SourceRef(lines=lines, pages=pages, cells=refs, boxes=page_boxes(cells, texts))


def _unplaced(row: RawRow) -> ParseWarning:
    raw = " ".join(c.text for c in row.non_empty)
    return ParseWarning(
        "unplaced_text",
        f"{row_where(row)}的文字无法归入任何项目，未采用：“{clean_text(raw)[:60]}”",
        SourceRef(lines=(row.line,), raw_text=raw),
    )

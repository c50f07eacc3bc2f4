"""Reading single-project forms on a cell grid by their labels.

Forms (项目支出绩效目标申报表, 项目支出绩效自评表 …) are key–value sheets: a label cell and the
value beside or under it, blocks with a labelled header row, and one form after another in a file.
``split_forms`` cuts a grid into forms at each 项目名称 label; ``Form`` answers the questions
every form layout asks (the value next to a label, the text under a header, which column a
header row gives each field, a printed figure) and records every doubt as a warning naming the
cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import LevelRef
from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.ingest.cellgrid import CellGrid
from jixiao.ingest.normalize import clean_text, parse_amount, to_halfwidth
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable

_SPACES = re.compile(r"\s+")
GROUP_WEIGHT = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_LEVEL = re.compile(r"^\s*(\d{1,2})\s*[-—–.、．]\s*(\S.*?)\s*$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_BARE_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
DASHES = frozenset({"", "-", "—", "——", "/", "／", "无", "不适用"})
# Labels that start a value cell's neighbour: never taken as a value themselves.
HEADER_LABELS = ("项目名称", "主管部门", "实施单位", "预算单位", "项目属性", "项目期", "实施期")


def compact(text: str) -> str:
    """A label's comparable form: half-width, no spaces, no leading 其中：."""
    text = _SPACES.sub("", to_halfwidth(text)).replace("其中:", "").replace("其中", "")
    return text.strip(":：")


def raw(cell: RawCell | None) -> str:
    """A value as written (glyphs such as ``≧`` kept), without wrap spaces."""
    return _SPACES.sub("", cell.text) if cell is not None else ""


def text_of(cell: RawCell | None) -> str:
    """A value's clean text (half-width, wrap spaces removed)."""
    return clean_text(cell.text).strip() if cell is not None else ""


def target_text(cells: dict[str, RawCell | None], column: str) -> str:
    """A target value as written; a bare number is joined with the row's 指标性质 (``op``) and
    度量单位 (``unit``) cells, for templates that print them in cells of their own."""
    value = raw(cells.get(column))
    if _BARE_NUMBER.match(value):
        value = f"{raw(cells.get('op'))}{value}{raw(cells.get('unit'))}"
    return value


def level(text: str) -> LevelRef | None:
    """``1-产出指标`` / ``产出指标（50分）`` as a level reference; the group weight is dropped."""
    text = clean_text(GROUP_WEIGHT.sub("", text)).strip()
    if not text:
        return None
    m = _LEVEL.match(text)
    return LevelRef(m[1], m[2]) if m else LevelRef(None, text)


@dataclass
class Form:
    """The rows of one form inside a grid, and the warnings of the whole grid."""

    grid: CellGrid
    rows: list[RawRow]
    year: int | None
    warnings: list[ParseWarning]
    labels: frozenset[str] = frozenset()

    def cells(self, row: RawRow) -> list[RawCell]:
        return self.grid.row_cells(row)

    def warn(self, code: str, message: str, cell: RawCell | None = None) -> None:
        where = f"（{cell.where}）" if cell is not None else ""
        source = SourceRef(lines=(cell.line,), raw_text=cell.text) if cell else SourceRef()
        self.warnings.append(ParseWarning(code, f"{message}{where}", source))

    def is_label(self, text: str) -> bool:
        key = compact(text)
        return key in self.labels or key.startswith(HEADER_LABELS)

    def value(self, label: str) -> str | None:
        """The text next to the first cell labelled ``label`` (or after ``label：`` in it)."""
        for row in self.rows:
            cells = self.cells(row)
            for i, cell in enumerate(cells):
                key = compact(cell.text)
                if not key.startswith(label):
                    continue
                written = to_halfwidth(cell.text)
                if ":" in written and written.split(":", 1)[1].strip():
                    return clean_text(written.split(":", 1)[1].strip())
                nxt = cells[i + 1] if i + 1 < len(cells) else None
                if nxt is not None and not self.is_label(nxt.text):
                    return clean_text(nxt.text)
                return None
        return None

    def under(self, label: str) -> str | None:
        """The text of the cell under the first cell labelled exactly ``label``."""
        for row in self.rows:
            for cell in self.cells(row):
                if compact(cell.text) == label:
                    below = self.grid.covering(cell.line + max(cell.rowspan, 1), cell.col)
                    return text_of(below) or None if below is not None else None
        return None

    def find_row(self, test: Callable[[set[str]], bool]) -> int | None:
        for i, row in enumerate(self.rows):
            if test({compact(c.text) for c in self.cells(row)}):
                return i
        return None

    def columns(self, row: RawRow, vocabulary: dict[str, str]) -> dict[str, int]:
        """Field → grid column, from the label cells of a header row (leftmost wins)."""
        out: dict[str, int] = {}
        for cell in self.cells(row):
            name = vocabulary.get(compact(GROUP_WEIGHT.sub("", cell.text)))
            if name is not None and name not in out:
                out[name] = cell.col
        return out

    def unit(self) -> MoneyUnit:
        """万元 or 元 from ``项目资金（元）`` / ``单位：元``; 万元 when the form does not say."""
        for row in self.rows:
            for cell in row.cells:
                text = to_halfwidth(cell.text).replace(" ", "")
                if "项目资金" in text or "单位:" in text or "金额单位" in text:
                    if "万元" in text:
                        return MoneyUnit.WAN_YUAN
                    if "元" in text:
                        return MoneyUnit.YUAN
        return MoneyUnit.WAN_YUAN

    def figure(self, cell: RawCell | None, percent: bool = False) -> Decimal | None:
        """A printed number as printed (``90.00`` keeps its places); None for blank or ``—``."""
        if cell is None:
            return None
        text = to_halfwidth(cell.text).strip()
        if percent:
            text = text.removesuffix("%").strip()
        if compact(text) in DASHES:
            return None
        parsed = parse_amount(text)
        if parsed is None:
            self.warn("not_a_number", f"“{cell.text.strip()}”不是数值，未采用", cell)
            return None
        return parsed[0]


def form_labels(table: RawTable) -> frozenset[str]:
    """The short label texts of ``table`` when it reads as forms, else nothing.

    A form names its project in a key–value row (``项目名称 | …``, at most three cells); a
    department list has 项目名称 only as one column header among many.
    """
    if not table.grid:
        return frozenset()
    grid = CellGrid.of(table)
    if not any(
        _has_label(grid, row, "项目名称") and len(grid.row_cells(row)) <= 3
        for row in table.rows[:200]
    ):
        return frozenset()
    return frozenset(compact(c.text) for r in table.rows[:400] for c in r.cells if len(c.text) < 20)


def _has_label(grid: CellGrid, row: RawRow, label: str) -> bool:
    return any(compact(c.text).startswith(label) for c in grid.row_cells(row))


def _year(rows: tuple[RawRow, ...], title_word: str) -> int | None:
    for row in rows:
        for cell in row.cells:
            m = _YEAR.search(cell.text)
            if m and title_word in cell.text:
                return int(m[1])
    return None


def split_forms(
    table: RawTable, labels: frozenset[str], title_word: str
) -> tuple[list[Form], list[ParseWarning]]:
    """The forms of ``table``, each from its 项目名称 row to the next; a fragment before the
    first form (the end of a form on an earlier page) is reported, never attributed."""
    grid = CellGrid.of(table)
    starts = [i for i, row in enumerate(table.rows) if _has_label(grid, row, "项目名称")]
    warnings: list[ParseWarning] = []
    if starts and starts[0] > 0:
        before = table.rows[: starts[0]]
        if any(len(grid.row_cells(r)) > 2 for r in before):
            cell = before[0].cells[0]
            warnings.append(
                ParseWarning(
                    "unplaced_text",
                    f"第一张表之前的内容（{cell.where}起）不属于任何项目，未采用",
                    SourceRef(lines=(cell.line,), raw_text=cell.text),
                )
            )
    forms = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(table.rows)
        while (
            n + 1 < len(starts)
            and end > start + 1
            and len(grid.row_cells(table.rows[end - 1])) == 1
        ):
            end -= 1  # the next form's title lines
        year = _year(table.rows[max(0, start - 3) : start + 1], title_word)
        forms.append(Form(grid, list(table.rows[start:end]), year, warnings, labels))
    return forms, warnings

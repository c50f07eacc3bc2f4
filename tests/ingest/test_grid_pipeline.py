"""Grid tables through the whole pipeline: several sheets, a cut-off table, ``--debug``, and the
regressions found while building the grid layout."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from generator import document_view
from grid_generator import GridSpec, GridStyle, as_raw_table, grid_specs
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook
from test_grid_xlsx import render_xlsx

from jixiao.cli import cli
from jixiao.domain.enums import MoneyUnit
from jixiao.errors import UnreadableDocument
from jixiao.ingest import parse_bytes, parse_tables
from jixiao.ingest.header import DocumentHeader, read_header_line
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable

FEW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MERGED = GridStyle(
    serial=True,
    funds=("fiscal", "other"),
    indicator_columns=True,
    project_cells="merged",
    levels_merged=True,
    level_codes=False,
    header_rows=2,
    thousands=True,
    whole_numbers=False,
    total_row="last",
    repeat_header=False,
)


def _two_sheets(first: GridSpec, second: GridSpec) -> bytes:
    """Both tables in one workbook, on sheets 一 and 二."""
    book = load_workbook(io.BytesIO(render_xlsx(first)))
    other = load_workbook(io.BytesIO(render_xlsx(second))).active
    assert other is not None
    sheet = book.create_sheet("二")
    for row in other.iter_rows():
        for cell in row:
            if cell.value is not None:
                sheet.cell(cell.row, cell.column, cell.value).number_format = cell.number_format
    for merged in other.merged_cells.ranges:
        sheet.merge_cells(str(merged))
    book.worksheets[0].title = "一"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FEW
@given(grid_specs(MERGED), grid_specs(MERGED))
def test_sheets_of_one_department_are_one_document(first: GridSpec, second: GridSpec) -> None:
    second.document.department = first.document.department
    second.document.unit = first.document.unit
    second.document.year = first.document.year
    second.lines_before = first.lines_before
    result = parse_bytes(_two_sheets(first, second), "two.xlsx")
    assert len(result.documents) == 1
    projects = document_view(result.document)["projects"]
    truth = [document_view(s.document)["projects"] for s in (first, second)]
    assert projects == truth[0] + truth[1]
    sheets = {p.source.sheet for p in result.document.projects}
    assert sheets == {"一", "二"}


@FEW
@given(grid_specs(MERGED), grid_specs(MERGED))
def test_sheets_of_two_departments_are_two_documents(first: GridSpec, second: GridSpec) -> None:
    first.lines_before = ["项目支出绩效目标表", "部门名称：甲局    单位：万元"]
    second.lines_before = ["项目支出绩效目标表", "部门名称：乙局    单位：元"]
    result = parse_bytes(_two_sheets(first, second), "two.xlsx")
    assert [d.department for d in result.documents] == ["甲局", "乙局"]
    assert [d.unit for d in result.documents] == [MoneyUnit.WAN_YUAN, MoneyUnit.YUAN]
    views = [document_view(d)["projects"] for d in result.documents]
    assert views == [document_view(s.document)["projects"] for s in (first, second)]


@FEW
@given(grid_specs(MERGED), grid_specs(MERGED))
def test_cli_prints_one_document_per_department(first: GridSpec, second: GridSpec) -> None:
    first.lines_before = ["部门名称：甲局    单位：万元"]
    second.lines_before = ["部门名称：乙局    单位：万元"]
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "two.xlsx", Path(folder) / "out"
        source.write_bytes(_two_sheets(first, second))
        printed = CliRunner().invoke(cli, ["parse", str(source), "--format", "json"])
        assert printed.exit_code == 0, printed.stderr
        lines = printed.stdout.strip().splitlines()
        assert [json.loads(line)["department"] for line in lines] == ["甲局", "乙局"]
        written = CliRunner().invoke(cli, ["parse", str(source), "--out", str(out)])
        assert written.exit_code == 0, written.stderr
        assert sorted(p.name for p in out.iterdir() if p.suffix == ".json") == [
            "two-2.json",
            "two.json",
        ]


def _cut(spec: GridSpec) -> RawTable:
    """The table a reader makes of ``spec`` cut after the first row of its last project."""
    table = as_raw_table(spec, "xlsx")
    first = len(spec.lines_before) + 1
    keep = first + spec.project_rows[-1][0]
    rows = []
    for row in table.rows:
        if row.line > keep:
            break
        cells = tuple(
            RawCell(c.text, c.col, c.line, min(c.rowspan, keep - c.line + 1), c.colspan, c.ref)
            for c in row.cells
        )
        rows.append(RawRow(row.line, cells))
    # the last project's row keeps its name and money but loses every indicator cell
    last = rows[-1]
    rows[-1] = RawRow(last.line, tuple(c for c in last.cells if c.col < 6))
    return RawTable(tuple(rows), "cut.xlsx", keep, "xlsx", (), "xlsx", True, "Sheet1")


CUT_STYLE = GridStyle(
    serial=False,
    funds=("fiscal",),
    indicator_columns=True,
    project_cells="merged",
    levels_merged=False,
    level_codes=True,
    header_rows=1,
    thousands=False,
    whole_numbers=False,
    total_row="",
    repeat_header=False,
)


@FEW
@given(grid_specs(CUT_STYLE).filter(lambda s: len(s.document.projects) > 1))
def test_cut_off_grid_keeps_complete_projects(spec: GridSpec) -> None:
    result = parse_tables((_cut(spec),), "cut.xlsx")
    assert not result.complete
    assert not result.document.complete
    truth = document_view(spec.document)["projects"]
    assert document_view(result.document)["projects"] == truth[:-1]
    (warning,) = [w for w in result.document.warnings if w.code == "incomplete"]
    assert "Sheet1!A" in warning.message
    with pytest.raises(UnreadableDocument, match="truncated"):
        parse_tables((_cut(spec),), "cut.xlsx", strict=True)


@FEW
@given(grid_specs(MERGED))
def test_debug_page_draws_the_grid_with_its_spans(spec: GridSpec) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "t.xlsx", Path(folder) / "out"
        source.write_bytes(render_xlsx(spec))
        done = CliRunner().invoke(cli, ["parse", str(source), "--out", str(out), "--debug"])
        assert done.exit_code == 0, done.stderr
        html = (out / "t.debug.html").read_text(encoding="utf-8")
    assert "版式：department_grid" in html
    assert 'colspan="' in html  # the title and the 资金来源 group
    assert 'title="Sheet1!A1"' in html
    if any(len(p.indicators) > 1 for p in spec.document.projects):
        assert 'rowspan="' in html
    assert "单元格 Sheet1!" in html  # where each project came from
    assert "一级指标" in html  # the column mapping


# --- regressions ---------------------------------------------------------------------------


def test_department_and_unit_on_one_line() -> None:
    """``部门名称：X    单位：万元`` lost its unit: wrap-space removal glued 单位 to the name."""
    header = DocumentHeader()
    assert read_header_line("部门名称：白云区教育局(本级)    单位：万元", header)
    assert header.department == "白云区教育局(本级)"
    assert header.unit is MoneyUnit.WAN_YUAN


def _row(line: int, *texts: str) -> RawRow:
    return RawRow(line, tuple(RawCell(t, i, line) for i, t in enumerate(texts)))


def test_flattened_header_with_a_lone_total_label() -> None:
    """A three-row header without merges (CSV): the row holding only 总计 under 项目资金 is
    header, not a 合计 row, and the total column is found."""
    rows = (
        _row(1, "单位：万元"),
        _row(2, "项目名称", "项目资金", "绩效目标", "绩效指标"),
        _row(3, "", "总计", "", ""),
        _row(4, "", "", "", ""),
        _row(5, "培训", "12.50", "培训。", "1、1-产出指标,11-数量指标,场次;实施周期指标值:3次;"),
    )
    table = RawTable(rows, "t.csv", 5, "delimited", (), "csv", True)
    doc = parse_tables((table,), "t.csv").document
    assert [str(p.amounts.total) for p in doc.projects] == ["12.50"]
    assert doc.unit is MoneyUnit.WAN_YUAN


def test_two_goal_columns_read_the_annual_goal() -> None:
    """A table with 实施期绩效目标 and 年度绩效目标 columns: ``goal`` is the annual one."""
    rows = (
        _row(1, "项目名称", "总计", "实施期绩效目标", "年度绩效目标", "绩效指标"),
        _row(
            2,
            "培训",
            "12.50",
            "三年内培训全覆盖。",
            "全年培训两次。",
            "1、1-产出指标,11-数量指标,场次;实施周期指标值:3次;",
        ),
    )
    table = RawTable(rows, "t.xlsx", 2, "workbook", (), "xlsx", True, "Sheet1")
    (project,) = parse_tables((table,), "t.xlsx").document.projects
    assert project.goal == "全年培训两次。"

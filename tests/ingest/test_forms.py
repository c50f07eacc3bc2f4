"""Single-project form layouts on grids (自评表, 目标申报表): what was printed is read."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from form_generator import (
    FormSpec,
    TargetFormSpec,
    evaluation_view,
    selfeval_specs,
    target_document_view,
    target_form_specs,
)
from grid_generator import GridSpec, as_raw_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rendered_grids import render_docx, render_html

from jixiao.cli import cli
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.errors import UnknownLayout
from jixiao.ingest import parse_bytes, read_bytes
from jixiao.ingest.layouts import project_form, selfeval_form
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable


def _view(ev: SelfEvaluation) -> dict[str, object]:
    """Texts compared in their clean form (half-width, no wrap spaces), as every layout gives."""
    clean = replace(
        ev,
        goal=clean_text(ev.goal or ""),
        goal_result=clean_text(ev.goal_result or ""),
        indicators=[replace(i, deviation=clean_text(i.deviation)) for i in ev.indicators],
    )
    return evaluation_view(clean)


@settings(max_examples=60, deadline=None)
@given(selfeval_specs())
@pytest.mark.parametrize("kind", ["xlsx", "html", "csv"])
def test_forms_read_back_as_printed(kind: str, spec: FormSpec) -> None:
    table = as_raw_table(spec.grid, kind)
    read = selfeval_form.read_forms(table)
    assert [_view(e) for e in read.evaluations] == [_view(e) for e in spec.evaluations]
    assert selfeval_form.detect(table) >= 0.75


def _grid(rows: list[list[str]]) -> RawTable:
    raw = tuple(
        RawRow(n, tuple(RawCell(t, c, n, ref=f"Sheet1!{chr(65 + c)}{n}") for c, t in enumerate(r)))
        for n, r in enumerate(rows, start=1)
    )
    return RawTable(raw, "t.xlsx", len(rows), "xlsx", kind="xlsx", grid=True)


FORM = [
    ["项目名称", "食品抽样检验经费", "", "", "", "", ""],
    ["项目资金（元）", "", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "年度资金总额", "1,000,000.00", "900,000.00", "10", "90%", "9"],
    ["绩效指标", "一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["", "产出指标", "抽检批次", "≥1000批次", "1000批次", "90", "满分"],
    ["总分", "", "", "", "", "100", "99"],
]


def test_a_text_score_is_read_as_far_as_it_goes_with_a_warning() -> None:
    read = selfeval_form.read_forms(_grid(FORM))
    [ev] = read.evaluations
    [ind] = ev.indicators
    assert ind.published_score is None
    assert ind.actual == 1000
    assert ev.funds[0].budget.fen == 100_000_000  # 1,000,000.00 元
    assert [w.code for w in read.warnings] == ["text_score"]
    assert "Sheet1!G5" in read.warnings[0].message


def test_a_fragment_before_the_first_form_is_not_given_to_it() -> None:
    fragment = [["", "产出指标", "上一张表的指标", "≥1", "1", "5", "5"]] * 2
    read = selfeval_form.read_forms(_grid(fragment + FORM))
    [ev] = read.evaluations
    assert [i.name for i in ev.indicators] == ["抽检批次"]
    assert "unplaced_text" in [w.code for w in read.warnings]


def test_a_form_without_indicators_is_read_with_a_warning() -> None:
    read = selfeval_form.read_forms(_grid(FORM[:3]))
    [ev] = read.evaluations
    assert ev.project == "食品抽样检验经费"
    assert ev.indicators == []
    assert "no_indicators" in [w.code for w in read.warnings]


@settings(max_examples=60, deadline=None)
@given(target_form_specs())
@pytest.mark.parametrize("kind", ["xlsx", "html", "csv"])
def test_target_forms_read_back_as_written(kind: str, spec: TargetFormSpec) -> None:
    table = as_raw_table(spec.grid, kind)
    document, warnings = project_form.read_forms(table)
    assert target_document_view(document) == target_document_view(spec.document)
    assert warnings == []
    assert project_form.detect(table) >= 0.75
    assert selfeval_form.detect(table) < 0.75


def _xlsx(spec_grid: GridSpec, path: Path) -> Path:
    """The grid written into a real workbook, merged cells and all."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for n, line in enumerate(spec_grid.lines_before, start=1):
        sheet.cell(n, 1, line)
    top = len(spec_grid.lines_before) + 1
    for c in spec_grid.cells:
        sheet.cell(top + c.row, c.col + 1, c.text).data_type = "s"
        if c.rowspan > 1 or c.colspan > 1:
            sheet.merge_cells(
                start_row=top + c.row,
                start_column=c.col + 1,
                end_row=top + c.row + c.rowspan - 1,
                end_column=c.col + c.colspan,
            )
    book.save(path)
    return path


@settings(max_examples=10, deadline=None)
@given(spec=selfeval_specs())
def test_a_published_self_evaluation_workbook_is_parsed_and_checked(
    tmp_path_factory: pytest.TempPathFactory, spec: FormSpec
) -> None:
    path = _xlsx(spec.grid, tmp_path_factory.mktemp("x") / "自评表.xlsx")
    result = parse_bytes(path.read_bytes(), path.name)
    assert result.kind == "self_evaluation"
    assert [_view(e) for e in result.evaluations] == [_view(e) for e in spec.evaluations]
    out = CliRunner().invoke(cli, ["parse", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert (data["format"], data["kind"], data["source_kind"]) == (
        "jixiao.selfeval/1",
        "self_evaluation",
        "xlsx",
    )
    assert [p["published_total"] for p in data["projects"]] == [
        format(e.published_total, "f") for e in spec.evaluations
    ]
    checked = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    projects = json.loads(checked.stdout)["projects"]
    assert [p["project"] for p in projects] == [e.project for e in spec.evaluations]


@settings(max_examples=10, deadline=None)
@given(spec=target_form_specs())
def test_a_target_form_workbook_is_a_project_targets_document(
    tmp_path_factory: pytest.TempPathFactory, spec: TargetFormSpec
) -> None:
    path = _xlsx(spec.grid, tmp_path_factory.mktemp("x") / "申报表.xlsx")
    out = CliRunner().invoke(cli, ["parse", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["kind"] == "project_targets"
    assert [p["name"] for p in data["projects"]] == [p.name for p in spec.document.projects]


def test_a_self_evaluation_is_not_imported_as_targets(tmp_path: Path) -> None:
    with pytest.raises(UnknownLayout, match="绩效自评表"):
        read_bytes(_grid_bytes(FORM), "自评.csv")


def _grid_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(f'"{t}"' for t in row) for row in rows).encode("utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), selfeval_specs(), st.sampled_from(["docx", "html"]))
def test_self_evaluations_from_word_and_web_pages(
    data: st.DataObject, spec: FormSpec, kind: str
) -> None:
    rendered = (
        render_docx(data.draw, [spec.grid])
        if kind == "docx"
        else render_html(data.draw, [spec.grid])[0]
    )
    result = parse_bytes(rendered, f"自评表.{kind}")
    assert (result.kind, result.source_kind) == ("self_evaluation", kind)
    assert [_view(e) for e in result.evaluations] == [_view(e) for e in spec.evaluations]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), target_form_specs(), st.sampled_from(["docx", "html"]))
def test_target_forms_from_word_and_web_pages(
    data: st.DataObject, spec: TargetFormSpec, kind: str
) -> None:
    rendered = (
        render_docx(data.draw, [spec.grid])
        if kind == "docx"
        else render_html(data.draw, [spec.grid])[0]
    )
    result = parse_bytes(rendered, f"申报表.{kind}")
    assert result.kind == "project_targets"
    assert target_document_view(result.document) == target_document_view(spec.document)


def _render(data: st.DataObject, grid: GridSpec, kind: str) -> bytes:
    if kind == "docx":
        return render_docx(data.draw, [grid])
    return render_html(data.draw, [grid])[0]

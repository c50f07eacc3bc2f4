"""Round trip: the exported department 目标表 (xlsx) reads back through jixiao.ingest unchanged."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from export_fixtures import in_official_order, sample_document, selfevals
from openpyxl import Workbook

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.exchange import document_to_json
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.errors import UnreadableDocument
from jixiao.export import render, selfeval_sheets, target_sheets
from jixiao.ingest import parse_bytes, read_bytes, read_document
from jixiao.ingest.limits import DEFAULT_LIMITS
from jixiao.ingest.readers.cell_text import cell_text
from jixiao.ingest.readers.workbook import read_workbook
from jixiao.scoring.check import check_evaluation
from jixiao.scoring.weights import load_scoring_profile


def content(doc: Document) -> dict[str, object]:
    """What a target table says: header and projects without provenance, repairs or warnings."""
    data = document_to_json(doc)
    projects = [
        {k: p[k] for k in ("name", "amounts", "goal", "indicators")} for p in data["projects"]
    ]
    return {k: data[k] for k in ("title", "department", "unit")} | {"projects": projects}


def test_sample_round_trips_through_excel(tmp_path: Path) -> None:
    doc = sample_document()
    path = tmp_path / "baiyun.xlsx"
    path.write_bytes(render(target_sheets(doc), "xlsx"))
    back = read_document(path)
    assert content(back) == content(in_official_order(doc))
    assert len(back.projects) == 37
    assert back.projects[4].source.rows or back.projects[4].source.lines  # where it came from


def test_constructed_table_round_trips() -> None:
    def ind(l1: tuple[str, str], l2: tuple[str, str], name: str, value: str) -> Indicator:
        return Indicator(
            name, LevelRef(*l1), LevelRef(*l2), parse_target(value), parse_target(value)
        )

    output, benefit = ("1", "产出指标"), ("2", "效益指标")
    doc = Document(
        title="项目支出绩效目标表",
        department="某某区卫生健康局",
        unit=MoneyUnit.WAN_YUAN,
        projects=[
            Project(
                "基层医疗机构设备购置",
                Amounts(Decimal("1234567.89"), Decimal("1000000.00"), None, Decimal("234567.89")),
                goal="为辖区内12家社区卫生服务中心配置基本医疗设备，提升基层诊疗能力。",
                indicators=[
                    ind(output, ("11", "数量指标"), "购置设备数量", "≥120台"),
                    ind(output, ("13", "时效指标"), "设备到位时间", "≤6个月"),
                    ind(benefit, ("22", "社会效益指标"), "基层就诊率", "≥65%"),
                ],
            ),
            Project(
                "家庭医生签约服务",
                Amounts(Decimal("0.50"), Decimal("0.50"), None, None),
                goal="开展家庭医生签约服务。",
                indicators=[ind(output, ("12", "质量指标"), "签约服务覆盖率", "≥45%")],
            ),
        ],
    )
    back = read_bytes(render(target_sheets(doc), "xlsx"), "table.xlsx")
    assert content(back) == content(in_official_order(doc))


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (1714.44, "#,##0.00", "1714.44"),
        (90, "#,##0.00", "90.00"),
        (0.1, "#,##0.00", "0.10"),
        (90.0, "General", "90"),
        (0.1 + 0.2, "General", "0.30000000000000004"),  # exact, never silently rounded
        (0.955, "0.0%", "95.5%"),
        (95.625, '0.00"%"', "95.63%"),  # a quoted % is text: shown, not scaled by 100
        (95, "0.00\\%", "95.00%"),
        (12.5, '#,##0.00"万元"', "12.50"),
        ("第1行\n第2行", "General", "第1行第2行"),
        ("wrapped\nwords", "General", "wrapped words"),
        (None, "General", ""),
    ],
)
def test_cell_text(value: object, number_format: str, text: str) -> None:
    assert cell_text(value, number_format) == text


def test_reader_keeps_rows_and_columns() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A2"] = "项目名称"
    ws["C2"] = "绩效目标"
    buffer = io.BytesIO()
    wb.save(buffer)
    (table,) = read_workbook(buffer.getvalue(), "t.xlsx", DEFAULT_LIMITS)
    assert [(r.line, r.texts) for r in table.rows] == [(2, ("项目名称", "", "绩效目标"))]
    assert [c.ref for c in table.rows[0].cells] == ["Sheet!A2", "Sheet!B2", "Sheet!C2"]
    assert (table.kind, table.name, table.grid) == ("xlsx", "Sheet", True)


def test_broken_and_empty_workbooks_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match="corrupt"):
        read_workbook(b"PK\x03\x04 not really a zip", "broken.xlsx", DEFAULT_LIMITS)
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(UnreadableDocument, match="empty workbook"):
        read_workbook(buffer.getvalue(), "empty.xlsx", DEFAULT_LIMITS)


def test_exported_self_evaluation_checks_clean() -> None:
    """Our own 自评表 workbook read back: the published figures are the recomputed ones.

    Its 执行率 column holds 95.625 shown as ``0.00"%"``; reading the quoted ``%`` as a scaling
    percent once made the published rate 9562.5% (SC005)."""
    profile = load_scoring_profile()
    evaluations = selfevals()
    back = parse_bytes(render(selfeval_sheets(evaluations, profile), "xlsx"), "自评表.xlsx")
    assert [e.project for e in back.evaluations] == [e.project for e in evaluations]
    for evaluation in back.evaluations:
        checked = check_evaluation(evaluation, profile)
        assert checked.published_total == checked.recomputed_total
        assert [f.code for f in checked.findings if f.code.startswith("SC")] == []

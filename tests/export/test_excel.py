"""The xlsx exports: open them with openpyxl and check cells, merges, formats and print setup."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from export_fixtures import monitorings, sample_document, selfevals
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.export import monitoring_sheets, render, review_sheets, selfeval_sheets, target_sheets
from jixiao.export.grid import Block
from jixiao.review import review_document
from jixiao.scoring.weights import load_scoring_profile


def open_sheets(data: bytes) -> list[Worksheet]:
    return list(load_workbook(io.BytesIO(data)).worksheets)


def find(ws: Worksheet, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def merged(ws: Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_department_table_matches_the_published_layout() -> None:
    doc = sample_document()
    [ws] = open_sheets(render(target_sheets(doc), "xlsx"))
    assert ws["A1"].value == "项目支出绩效目标表(含转移支付项目)"
    assert "A1:G1" in merged(ws)
    assert ws["A2"].value == "部门名称：广州市白云区市场监督管理局(本级)"
    assert ws["A3"].value == "单位：万元"
    assert ws["A3"].alignment.horizontal == "right"
    assert [c.value for c in ws[4]] == [
        "项目名称",
        "总计",
        "财政拨款",
        "财政专户拨款",
        "其他资金",
        "绩效目标",
        "绩效指标",
    ]
    assert ws.max_row == 4 + len(doc.projects)
    payroll_row, _ = find(ws, "政府雇员工资费用")
    total = ws.cell(payroll_row, 2)
    assert total.value == 1714.44  # stored as a number …
    assert total.number_format == "#,##0.00"  # … shown in 万元 with separators
    assert ws.cell(payroll_row, 4).value is None  # empty 财政专户拨款 stays empty
    items = ws.cell(payroll_row, 7).value
    assert items.startswith("1、1-产出指标,11-数量指标,工作任务完成率;")  # the official order
    assert items.splitlines()[-1].startswith("8、3-满意度指标,31-服务对象满意度,")
    assert "实施周期指标值:1714.44万元,年度指标值:1714.44万元;" in items
    assert ws.cell(payroll_row, 7).alignment.wrap_text
    assert ws.cell(payroll_row, 1).border.left.style == "thin"


def test_print_setup_is_a4_landscape_with_repeated_header() -> None:
    [ws] = open_sheets(render(target_sheets(sample_document()), "xlsx"))
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["G"].width == 70


def test_project_form_merges_level_cells_over_their_items() -> None:
    doc = sample_document()
    project = next(
        p for p in doc.projects if p.name == "综合业务监管平台建设项目含控假打假指挥调度平台"
    )
    [ws] = open_sheets(render(target_sheets(doc, project.name), "xlsx"))
    assert ws["A1"].value == "项目支出绩效目标申报表"
    assert ws["C2"].value == project.name
    head_row, _ = find(ws, "一级指标")
    assert [c.value for c in ws[head_row]][1:] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
    ]
    # 绩效指标 label spans the header and the four items; 2-效益指标 spans its two items.
    assert f"A{head_row}:A{head_row + 4}" in merged(ws)
    benefit_row, _ = find(ws, "2-效益指标")
    assert f"B{benefit_row}:B{benefit_row + 1}" in merged(ws)
    assert ws.cell(benefit_row, 3).value == "22-社会效益"
    assert ws.cell(benefit_row + 1, 3).value == "24-可持续影响"
    amount_row, _ = find(ws, "总计")
    assert ws.cell(amount_row + 1, 3).value == 90
    assert ws.print_title_rows == f"${head_row}:${head_row}"


def test_selfeval_table_has_scores_and_their_explanation() -> None:
    sheets = selfeval_sheets(selfevals(), load_scoring_profile())
    [ws] = open_sheets(render(sheets, "xlsx"))
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"
    funds_row, _ = find(ws, "年度资金总额")
    values = [ws.cell(funds_row, c).value for c in range(4, 10)]
    assert values == [80, 80, 76.5, 11.11, 95.625, 10.62]
    assert ws.cell(funds_row, 8).number_format == '0.00"%"'
    sub_row, _ = find(ws, "其中：财政拨款")
    assert ws.cell(sub_row, 7).value == "—"
    total_row, _ = find(ws, "总分")
    assert ws.cell(total_row, 7).value == 100
    assert ws.cell(total_row, 8).value == 92.57
    assert ws.cell(total_row, 9).value == "自评等级：优"
    output_row, _ = find(ws, "产出指标\n（55.56分）")
    assert f"B{output_row}:B{output_row + 3}" in merged(ws)
    assert ws.cell(output_row, 3).value == "11-数量指标"
    _, _ = find(ws, "减少电梯维修率：正向：实际值/指标值×分值 = 40/50×13.89 → 11.11 分")


def test_monitoring_table_colours_lights_and_ticks_causes() -> None:
    sheets = monitoring_sheets(monitorings(), load_scoring_profile())
    [ws] = open_sheets(render(sheets, "xlsx"))
    assert ws["A1"].value == "项目支出绩效目标执行监控表（2023年1–7月）"
    row, _ = find(ws, "食品安全抽检量(批次)")
    assert ws.cell(row, 7).value == "黄灯"
    assert ws.cell(row, 7).fill.fgColor.rgb.endswith("FFE699")
    assert ws.cell(row, 10).value == "√"  # 人员保障
    assert ws.cell(row, 13).value == "有可能"
    head, _ = find(ws, "偏差原因分析")
    assert f"H{head}:L{head}" in merged(ws)
    assert [ws.cell(head + 1, c).value for c in range(8, 13)] == [
        "经费保障",
        "制度保障",
        "人员保障",
        "硬件条件保障",
        "其他",
    ]
    assert ws.print_title_rows == f"${head}:${head + 1}"
    budget_row, _ = find(ws, "年度资金总额")
    assert ws.cell(budget_row, 14).value == "黄灯"


def test_review_sheets_list_every_finding_worst_first() -> None:
    doc = sample_document()
    report = review_document(doc)
    findings, grades = open_sheets(render(review_sheets(doc, report), "xlsx"))
    assert findings.title == "审核意见"
    assert findings.max_row == 5 + len(report.findings)
    assert findings["A4"].value.startswith("整体等级：")
    severities = [findings.cell(r, 5).value for r in range(6, findings.max_row + 1)]
    ranks = {"错误": 3, "警告": 2, "提示": 1}
    assert [ranks[s] for s in severities] == sorted((ranks[s] for s in severities), reverse=True)
    assert grades.max_row == 4 + len(doc.projects)


def test_overlapping_merges_are_refused() -> None:
    block = Block(3)
    block.add(["a", "b", "c"])
    block.add(["d", "e", "f"])
    block.merge(0, 0, 1, 0)
    with pytest.raises(ValueError, match="overlap"):
        block.merge(1, 0, 1, 2)


def test_unknown_project_is_a_clear_error() -> None:
    from jixiao.errors import InvalidValue

    with pytest.raises(InvalidValue, match="未找到项目"):
        target_sheets(sample_document(), "不存在的项目")
    with pytest.raises(InvalidValue, match="对应多个项目"):
        target_sheets(sample_document(), "经费")


def test_a_file_without_projects_is_a_clear_error() -> None:
    from jixiao.errors import InvalidValue

    profile = load_scoring_profile("national")
    with pytest.raises(InvalidValue, match="没有项目"):
        selfeval_sheets([], profile)
    with pytest.raises(InvalidValue, match="没有项目"):
        monitoring_sheets([], profile)


def test_amounts_keep_their_exact_decimal() -> None:
    sheets = target_sheets(sample_document())
    cells = [c for b in sheets[0].blocks for r in b.rows for c in r]
    assert Decimal("1714.44") in [c.value for c in cells]


def test_indicators_without_levels_are_exported_last() -> None:
    from jixiao.domain.document import Document
    from jixiao.domain.indicator import Indicator, LevelRef
    from jixiao.domain.project import Project
    from jixiao.domain.target import parse_target

    project = Project(
        "测试项目",
        indicators=[
            Indicator("无层级指标", None, None, None, parse_target("≥1个")),
            Indicator(
                "只有名称",
                LevelRef(None, "效益指标"),
                LevelRef(None, "社会效益"),
                None,
                parse_target("良好"),
            ),
            Indicator(
                "数量",
                LevelRef("1", "产出指标"),
                LevelRef("11", "数量指标"),
                None,
                parse_target("2台"),
            ),
        ],
    )
    [ws] = open_sheets(render(target_sheets(Document(projects=[project]), "测试项目"), "xlsx"))
    head, _ = find(ws, "一级指标")
    assert [ws.cell(head + i, 4).value for i in (1, 2, 3)] == ["数量", "只有名称", "无层级指标"]


def test_money_cells_keep_every_fen_in_wan_yuan() -> None:
    from jixiao.domain.money import Money
    from jixiao.export.grid import Style
    from jixiao.export.layouts.common import wan_cell

    cell = wan_cell(Money.of("12345.67"))
    assert (cell.value, cell.style) == (Decimal("1.234567"), Style.MONEY)
    assert wan_cell(None).value is None

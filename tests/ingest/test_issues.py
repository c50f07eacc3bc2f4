"""One minimal regression test per defect class the OCR-text reader handles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ingest_helpers import codes, item, lvl, parse_rows, parse_text, raw, table_text

from jixiao.domain.enums import MoneyUnit
from jixiao.errors import UnknownLayout, UnreadableDocument
from jixiao.ingest import parse_bytes, read_bytes

A = item(1, "1-产出指标", "11-数量指标", "培训人次", "≥500人次", "≥500人次")
B = item(2, "3-满意度指标", "31-服务对象满意度", "满意度", "≥90%", "≥90%")


def test_issue_dropped_empty_cells_assigned_by_content() -> None:
    doc = parse_rows(f"培训项目\t10.00\t10.00\t为群众提供培训服务。\t{A}")
    (p,) = doc.projects
    assert p.amounts.total == Decimal("10.00")
    assert p.amounts.fiscal == Decimal("10.00")
    assert p.amounts.special is None
    assert p.amounts.other is None
    assert p.goal == "为群众提供培训服务。"
    assert [i.name for i in p.indicators] == ["培训人次"]


def test_issue_full_width_row_uses_positions() -> None:
    doc = parse_rows(f"培训项目\t30.00\t10.00\t\t20.00\t为群众提供培训服务。\t{A}")
    amounts = doc.projects[0].amounts
    assert (amounts.total, amounts.fiscal, amounts.special, amounts.other) == (
        Decimal("30.00"),
        Decimal("10.00"),
        None,
        Decimal("20.00"),
    )


def test_issue_goal_fragment_in_money_column_dropped() -> None:
    doc = parse_rows(
        f"培训项目\t10.00\t10.00\t位 履\t依法依规按时足额核发到 位,使其安心 履行义务。\t{A}"
    )
    p = doc.projects[0]
    assert p.goal == "依法依规按时足额核发到位,使其安心履行义务。"
    assert any(r.field == "goal" and r.before == "位 履" and r.after is None for r in p.repairs)


@pytest.mark.parametrize(
    ("cell", "expected", "repaired"),
    [
        ("1, 714. 44", "1714.44", False),
        ("90. 00", "90.00", False),
        ("0 10", "0.10", True),
        ("<b>8.</b> 19", "8.19", True),
        ("３２.００", "32.00", False),
    ],
)
def test_issue_broken_numbers(cell: str, expected: str, repaired: bool) -> None:
    doc = parse_rows(f"培训项目\t{cell}\t\t\t\t目标文字很长很长。\t{A}")
    p = doc.projects[0]
    assert p.amounts.total == Decimal(expected)
    assert str(p.amounts.total) == expected
    assert any(r.field == "amounts.total" for r in p.repairs) is repaired


def test_issue_wrap_spaces_in_name_and_goal() -> None:
    doc = parse_rows(
        f"穗财商2022年55 号农贸市场升级改造 补助经费\t1.00\t1.00\t对符合条件 的市场进行补助。\t{A}"
    )
    p = doc.projects[0]
    assert p.name == "穗财商2022年55号农贸市场升级改造补助经费"
    assert p.goal == "对符合条件的市场进行补助。"
    assert any(r.field == "name" and r.before and " " in r.before for r in p.repairs)


def test_issue_orphan_line_continues_project_above() -> None:
    first = (
        "1、1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;,2、3-满"
    )
    rest = "意度指标,31-服务对象满意度,满意度;实施周期指标值:≥90%,年度指标值:≥90%;"
    doc = parse_rows(
        f"培训项目\t10.00\t10.00\t培训目标。\t{first}",
        f"\t\t\t\t\t{rest}",
        f"宣传项目\t5.00\t5.00\t宣传目标。\t{A}",
    )
    assert [p.name for p in doc.projects] == ["培训项目", "宣传项目"]
    train = doc.projects[0]
    assert [i.name for i in train.indicators] == ["培训人次", "满意度"]
    assert train.indicators[1].level1 is not None
    assert train.indicators[1].level1.name == "满意度指标"
    assert train.source.lines[-1] == train.source.lines[0] + 1
    assert any(r.after == "并入上一项目" for r in train.repairs)


def test_issue_orphan_line_opens_project_below() -> None:
    orphan = "1、1-产出指标,11-数量指标,宣传场次;实施周期指标值:≥10场,年度指标"
    below = (
        "值:≥10场;,2、3-满意度指标,31-服务对象满意度,满意度;实施周期指标值:≥90%,年度指标值:≥90%;"
    )
    doc = parse_rows(
        f"培训项目\t10.00\t10.00\t培训目标。\t{A}",
        f"\t\t\t\t\t{orphan}",
        f"宣传项目\t5.00\t5.00\t宣传目标。\t{below}",
    )
    train, promo = doc.projects
    assert [i.name for i in train.indicators] == ["培训人次"]
    assert [i.name for i in promo.indicators] == ["宣传场次", "满意度"]
    assert promo.indicators[0].annual is not None
    assert promo.indicators[0].annual.raw == "≥10场"
    assert any(r.after == "并入下一项目" for r in promo.repairs)


def test_issue_name_split_across_page_break_warns_on_conflicting_amounts() -> None:
    head = (
        "1、1-产出指标,11-数量指标,配发覆盖率;实施周期指标值:100%,年度指标值:100%;,"
        "2、1-产出指标,12-质量指标,完好率;实施周期指标"
    )
    tail = "值:95%, 年度指标值:95%;"
    doc = parse_rows(
        f"制服采购\t0.10\t0 10\t根据规定采购制服。\t{head}",
        f"经费\t8. 19\t<b>8.</b> 19\t和标士\t{tail}",
    )
    (p,) = doc.projects
    assert p.name == "制服采购经费"
    assert p.amounts.total == Decimal("0.10")
    assert "amount_conflict" in codes(p.warnings)
    assert "name_split" in codes(p.warnings)
    assert [i.name for i in p.indicators] == ["配发覆盖率", "完好率"]
    assert raw(p.indicators[1].period) == "95%"


def test_issue_same_amounts_across_page_break_do_not_warn() -> None:
    head = "1、1-产出指标,11-数量指标,配发覆盖率;实施周期指标"
    doc = parse_rows(
        f"制服采购\t8.19\t8.19\t采购制服。\t{head}",
        "经费\t8.19\t8.19\t\t值:100%,年度指标值:100%;",
    )
    assert "amount_conflict" not in codes(doc.projects[0].warnings)


def test_issue_lost_level1_inferred_from_level2_code() -> None:
    text = (
        "1、1-产出指标,11-数量指标,资助完成率;实施周期指标值:100%,年度指标值:100%,"
        "年度指标,13-时效指标,按时完成率;实施周期指标值:100%,年度指标值:100%;"
    )
    doc = parse_rows(f"资助项目\t1.00\t1.00\t资助企业。\t{text}")
    p = doc.projects[0]
    first, second = p.indicators
    assert raw(first.annual) == "100%"
    assert lvl(second.level1) == "1-产出指标"
    assert lvl(second.level2) == "13-时效指标"
    assert any(r.field == "indicators[1].level1" and r.before is None for r in p.repairs)


def test_issue_level_pair_kept_as_written() -> None:
    text = "1、2-效益指标,31-服务对象满意度,每月考评达标率;实施周期指标值:》90%,年度指标值:》90%;"
    ind = parse_rows(f"物业管理费\t1.00\t1.00\t物业服务。\t{text}").projects[0].indicators[0]
    assert lvl(ind.level1) == "2-效益指标"
    assert lvl(ind.level2) == "31-服务对象满意度"


def test_issue_duplicated_value_fragments_collapsed() -> None:
    text = (
        "1、1-产出指标,14-成本指标,工资福利金额;实施周期指标值:58.8万元,年度指标值:58.8万元,"
        "年度指标值:58.8万元,年度指标值:58.8万元,"
        "2、1-产出指标,11-数量指标,岗位数;实施周期指标值:10名,年度指标值:10名;"
    )
    p = parse_rows(f"工资\t58.80\t58.80\t发工资。\t{text}").projects[0]
    assert [(i.name, i.annual.raw if i.annual else None) for i in p.indicators] == [
        ("工资福利金额", "58.8万元"),
        ("岗位数", "10名"),
    ]
    (repair,) = [r for r in p.repairs if r.field == "indicators[0].annual"]
    assert repair.after == "58.8万元"
    assert "3 次" in repair.reason


def test_issue_conflicting_value_fragments_warned() -> None:
    text = (
        "1、2-效益指标,21-经济效益,标准化工作;实施周期指标值:引导规范发展,"
        "年度指标值:引导规范发展,年度指标值:提高管理意识;"
    )
    p = parse_rows(f"标准化\t1.00\t1.00\t资助。\t{text}").projects[0]
    assert raw(p.indicators[0].annual) == "引导规范发展"
    (warning,) = [w for w in p.warnings if w.code == "value_conflict"]
    assert "提高管理意识" in warning.message


def test_issue_shorter_different_value_is_not_a_duplicate() -> None:
    text = (
        "1、1-产出指标,11-数量指标,机构数量;实施周期指标值:2个(每个市场1个),"
        "年度指标值:2个(每个市场的市场数量; 实施周期指标值:2个, 年度指标值:2个;"
    )
    p = parse_rows(f"知识产权\t2.50\t2.50\t开展保护。\t{text}").projects[0]
    assert len(p.indicators) == 2
    assert raw(p.indicators[0].period) == "2个(每个市场1个)"
    assert p.indicators[1].name == ""
    assert raw(p.indicators[1].period) == "2个"
    assert "indicator_name_lost" in codes(p.warnings)


@pytest.mark.parametrize(
    ("between", "garbage"),
    [("4年度指标值", "4"), ("年度指标值", None)],
)
def test_issue_garbage_digit_before_keyword(between: str, garbage: str | None) -> None:
    text = f"1、1-产出指标,11-数量指标,受理率;实施周期指标值:≥95%,{between}:≥95%;"
    p = parse_rows(f"运维\t1.00\t1.00\t运维。\t{text}").projects[0]
    ind = p.indicators[0]
    assert raw(ind.period) == "≥95%"
    assert raw(ind.annual) == "≥95%"
    assert any(r.before == f"≥95%,{garbage}" for r in p.repairs) is (garbage is not None)


def test_issue_stray_item_numbers_and_orphan_number_items() -> None:
    text = (
        "1、1-产出指标,11-数量指标,立案数;实施周期指标值:≥300宗,73、1-产出指标,13-时效指标,办案时限;"
        "实施周期指标值:法定时限内,年度指标值:法定时限内;6、100%;方、1-产出指标,12-质量指标,合格率;"
        "实施周期指标值:100%,年度指标值:100%;"
    )
    p = parse_rows(f"执法\t1.00\t1.00\t执法。\t{text}").projects[0]
    assert [i.name for i in p.indicators] == ["立案数", "办案时限", "合格率"]
    assert p.indicators[0].annual is None
    assert "garbage_dropped" in codes(p.warnings)


def test_issue_numbering_restarts_and_literal_duplicates_stay() -> None:
    text = A + B + A.replace("1、", "1、", 1) + A
    p = parse_rows(f"培训\t1.00\t1.00\t培训。\t{text}").projects[0]
    assert [i.name for i in p.indicators] == ["培训人次", "满意度", "培训人次", "培训人次"]


def test_issue_value_broken_across_rows() -> None:
    first = "1、2-效益指标,22-社会效益,市场主体总量;实施周期指标值:>49.85万户"
    rest = "(大于上一年底总量),年度指标值:>49.85万户 (大于上一年底总量);"
    p = parse_rows(
        f"登记服务\t1.00\t1.00\t服务。\t{first}",
        f"\t\t\t\t\t{rest}",
        f"下一个\t1.00\t1.00\t服务。\t{A}",
    ).projects[0]
    ind = p.indicators[0]
    assert raw(ind.period) == ">49.85万户(大于上一年底总量)"
    assert raw(ind.annual) == ind.period.raw


@pytest.mark.parametrize(
    "text",
    [
        "1、1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;",
        "1、1-产出指标，11-数量指标，培训人次；实施周期指标值：≥500人次，年度指标值：≥500人次；",
        "1、1-产出指标, 11-数量指标, 培训人次; 实施周期指标值:≥ 500人次, 年度指标值:≥500人次;",
        "1、1-产出指标 11-数量指标 培训人次 :实施周期指标值: ≥500人次 年度指标值·≥500人次·",
        "1、1- 产出 指标,11-数量指标,培训人次:实施周期指标值:≥500人次,年度指标值:≥500人次",
    ],
)
def test_issue_separator_variants(text: str) -> None:
    (ind,) = parse_rows(f"培训\t1.00\t1.00\t培训。\t{text}").projects[0].indicators
    assert lvl(ind.level1) == "1-产出指标"
    assert lvl(ind.level2) == "11-数量指标"
    assert ind.name == "培训人次"
    assert raw(ind.period) == "≥500人次"
    assert raw(ind.annual) == "≥500人次"


def test_issue_level2_joined_to_name_at_page_break() -> None:
    first = (
        "1、1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;,"
        "2、1-产出指标 12-质量指标"
    )
    p = parse_rows(
        f"培训\t1.00\t1.00\t培训。\t{first}",
        "\t\t\t\t\t用户故障解决率;实施周期指标值:≥95%,年度指标值:≥95%;",
    ).projects[0]
    assert p.indicators[1].name == "用户故障解决率"
    assert lvl(p.indicators[1].level2) == "12-质量指标"


def test_issue_missing_annual_value_is_null() -> None:
    text = (
        "1、1-产出指标,12-质量指标,下架率;实施周期指标值:100%;"
        "2、1-产出指标,11-数量指标,次数;实施周期指标值:1次,年度指标值:1次;"
    )
    p = parse_rows(f"抽检\t1.00\t1.00\t抽检。\t{text}").projects[0]
    assert p.indicators[0].annual is None
    assert p.indicators[1].annual is not None


def test_issue_incomplete_value_warned() -> None:
    text = "1、1-产出指标,13-时效指标,接单率;实施周期指标值:100%,年度指标值:达"
    p = parse_rows(
        f"刻章\t1.00\t1.00\t刻章。\t{text}", f"下一项\t1.00\t1.00\t下一项。\t{A}"
    ).projects[0]
    assert raw(p.indicators[0].annual) == "达"
    assert "value_incomplete" in codes(p.warnings)


def test_issue_header_lines() -> None:
    doc = parse_text(
        table_text(
            f"培训\t1.00\t1.00\t培训。\t{A}",
            preamble="## 2023年项目支出绩效目标表\n部门名称：某区某局\n单位：元\n",
        )
    ).document
    assert doc.title == "2023年项目支出绩效目标表"
    assert doc.year == 2023
    assert doc.department == "某区某局"
    assert doc.unit is MoneyUnit.YUAN


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_issue_encodings(encoding: str) -> None:
    doc = parse_text(table_text(f"培训项目\t1.00\t1.00\t培训。\t{A}"), encoding).document
    assert doc.projects[0].name == "培训项目"
    assert doc.department == "某区某局"


def test_issue_markdown_pipe_table_without_tabs() -> None:
    text = (
        "部门名称:某区某局\n\n"
        "| 项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标 |\n"
        f"|---|---|---|---|---|---|---|\n| 培训项目 | 1.00 | 1.00 |  |  | 培训。 | {A} |\n"
    )
    (p,) = parse_text(text).document.projects
    assert p.name == "培训项目"
    assert p.amounts.total == Decimal("1.00")
    assert [i.name for i in p.indicators] == ["培训人次"]


def test_issue_page_footer_and_repeated_header_are_skipped() -> None:
    from ingest_helpers import HEADER

    doc = parse_rows(
        f"培训\t1.00\t1.00\t培训。\t{A}", "第 1 页", HEADER, f"宣传\t2.00\t2.00\t宣传。\t{B}"
    )
    assert [p.name for p in doc.projects] == ["培训", "宣传"]
    assert not doc.warnings


def test_issue_stray_text_line_warned() -> None:
    doc = parse_rows(
        f"培训\t1.00\t1.00\t培训。\t{A}", "审核人：张三", f"宣传\t2.00\t2.00\t宣传。\t{B}"
    )
    assert codes(doc.warnings) == ["unplaced_text"]


_CUT_LAST_ROW = (
    f"培训\t1.00\t1.00\t培训。\t{A}",
    "宣传\t2.00\t2.00\t宣传。\t1、1-产出指标,11-数量指标,场次;实施周期",
)


def test_issue_truncated_last_row_read_up_to_the_cut() -> None:
    doc = parse_text(table_text(*_CUT_LAST_ROW)).document
    assert [p.name for p in doc.projects] == ["培训"]
    assert not doc.complete
    (warning,) = [w for w in doc.warnings if w.code == "incomplete"]
    assert "在指标文字中间结束" in warning.message
    assert "宣传" in warning.message


def test_issue_truncated_last_row_refused_when_strict() -> None:
    data = table_text(*_CUT_LAST_ROW).encode()
    with pytest.raises(UnreadableDocument, match="截断"):
        parse_bytes(data, "cut.txt", strict=True)


def test_issue_truncated_inside_a_character_refused() -> None:
    data = table_text(f"培训\t1.00\t1.00\t培训。\t{A}培训").encode().rstrip(b"\n")[:-1]
    with pytest.raises(UnreadableDocument, match="truncated"):
        read_bytes(data, "cut.txt")


def test_issue_other_table_kind_refused() -> None:
    text = "项目名称\t年初预算数\t全年执行数\t执行率\t得分\n培训\t1\t1\t100%\t10\n"
    with pytest.raises(UnknownLayout, match="其他类型"):
        parse_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "1.1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;",
        "1)1—产出指标,11—数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;",
        "1、1－产出指标,11－数量指标,培训人次;实施期目标值:≥500人次,本年度目标值:≥500人次;",
    ],
)
def test_issue_numbering_dash_and_keyword_variants(text: str) -> None:
    (ind,) = parse_rows(f"培训\t1.00\t1.00\t培训。\t{text}").projects[0].indicators
    assert (lvl(ind.level1), lvl(ind.level2), ind.name) == ("1-产出指标", "11-数量指标", "培训人次")
    assert (raw(ind.period), raw(ind.annual)) == ("≥500人次", "≥500人次")


def test_issue_trailing_empty_cell_keeps_indicator_column() -> None:
    doc = parse_rows(f"培训\t1.00\t1.00\t培训目标。\t{A}\t")
    p = doc.projects[0]
    assert p.goal == "培训目标。"
    assert [i.name for i in p.indicators] == ["培训人次"]


def test_issue_orphan_before_first_project_opens_it() -> None:
    orphan = "1、1-产出指标,11-数量指标,宣传场次;实施周期指标值:≥10场,年度指标"
    doc = parse_rows(f"\t\t\t\t\t{orphan}", "宣传\t5.00\t5.00\t宣传。\t值:≥10场;")
    (p,) = doc.projects
    assert p.source.lines == (8, 9)
    assert raw(p.indicators[0].annual) == "≥10场"


def test_issue_orphan_with_no_evidence_is_warned() -> None:
    doc = parse_rows(
        f"培训\t1.00\t1.00\t培训。\t{A}",
        f"\t\t\t\t\t{B}",
        f"宣传\t2.00\t2.00\t宣传。\t{A}",
    )
    train, promo = doc.projects
    assert [i.name for i in train.indicators] == ["培训人次", "满意度"]
    assert "orphan_ambiguous" in codes(train.warnings)
    assert [i.name for i in promo.indicators] == ["培训人次"]


def test_issue_goal_continued_on_next_page() -> None:
    first = "1、1-产出指标,13-时"
    doc = parse_rows(
        f"档案服务\t1.00\t1.00\t数字化图像质量达到100%。实现\t{first}",
        "\t\t\t电子数据入库及时顺畅。\t效指标,完成时效;实施周期指标值:100%,年度指标值:100%;",
    )
    (p,) = doc.projects
    assert p.goal == "数字化图像质量达到100%。实现电子数据入库及时顺畅。"
    assert (lvl(p.indicators[0].level2), p.indicators[0].name) == ("13-时效指标", "完成时效")


def test_issue_two_line_column_header() -> None:
    text = (
        "部门名称:某区某局\n单位:元\n"
        "项目名称\t资金总额\t\t\t\t绩效目标\t绩效指标\n"
        "\t合计\t财政拨款\t财政专户拨款\t其他资金\t\t\n"
        f"培训项目\t300.00\t100.00\t\t200.00\t培训目标。\t{A}\n"
    )
    (p,) = parse_text(text).document.projects
    assert (p.amounts.total, p.amounts.fiscal, p.amounts.special, p.amounts.other) == (
        Decimal("300.00"),
        Decimal("100.00"),
        None,
        Decimal("200.00"),
    )


def test_issue_header_split_into_fragments_is_not_a_project() -> None:
    text = (
        "部门名称:某区某局\n项目名称\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n"
        f"培训项目\t1.00\t1.00\t培训目标。\t{A}\n"
        "项目名称\t绩效目标\n"
        f"宣传项目\t2.00\t2.00\t宣传目标。\t{B}\n"
    )
    assert [p.name for p in parse_text(text).document.projects] == ["培训项目", "宣传项目"]


def test_issue_numeric_project_name_is_a_name() -> None:
    (p,) = parse_rows(f"2023\t1.00\t1.00\t目标。\t{A}").projects
    assert p.name == "2023"
    assert p.amounts.total == Decimal("1.00")


def test_issue_indicator_source_lines_follow_page_break_pieces() -> None:
    first = (
        "1、1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,年度指标值:≥500人次;,2、3-满"
    )
    rest = "意度指标,31-服务对象满意度,满意度;实施周期指标值:≥90%,年度指标值:≥90%;" + B
    p = parse_rows(f"培训项目\t10.00\t10.00\t培训目标。\t{first}", f"\t\t\t\t\t{rest}").projects[0]
    assert [i.source.lines for i in p.indicators] == [(8,), (8, 9), (9,)]


def test_issue_unhinted_continuation_line_continues_indicators() -> None:
    first = "1、2-效益指标,22-社会效益,市场主体总量;实施周期指标值:>49.85万户"
    rest = "(大于上一年底总量);"
    p = parse_rows(
        f"登记服务\t1.00\t1.00\t服务。\t{first}",
        f"\t\t\t\t\t{rest}",
        f"下一个\t1.00\t1.00\t服务。\t{A}",
    ).projects[0]
    assert p.goal == "服务。"
    assert raw(p.indicators[0].period) == ">49.85万户(大于上一年底总量)"


def test_issue_goal_only_continuation_is_not_ambiguous() -> None:
    p = parse_rows(
        f"登记服务\t1.00\t1.00\t提供服务，\t{A}",
        "\t\t\t\t\t保障群众办事。",
        f"下一个\t1.00\t1.00\t服务。\t{B}",
    ).projects[0]
    assert p.goal == "提供服务，保障群众办事。"
    assert "orphan_ambiguous" not in codes(p.warnings)


def test_issue_amount_cell_is_never_the_indicator_cell() -> None:
    text = (
        f"项目名称\t绩效目标\t绩效指标\t总计\t财政拨款\n培训项目\t培训目标。\t{A}\t10.00\t10.00\n"
    )
    (p,) = parse_text(text).document.projects
    assert p.amounts.total == Decimal("10.00")
    assert [i.name for i in p.indicators] == ["培训人次"]
    assert p.goal == "培训目标。"


def test_issue_project_without_indicators() -> None:
    doc = parse_rows("培训项目\t1.00\t1.00\t培训目标。", f"宣传项目\t2.00\t2.00\t宣传目标。\t{A}")
    first, second = doc.projects
    assert first.indicators == []
    assert first.goal == "培训目标。"
    assert [i.name for i in second.indicators] == ["培训人次"]


@pytest.mark.parametrize(
    ("written", "inferred"),
    [
        ("13-时效指标", "1-产出指标"),
        ("31-服务对象满意度", "3-满意度指标"),
        ("02-社会成本指标", "0-成本指标"),
        ("社会效益指标", "2-效益指标"),
    ],
)
def test_issue_level1_inferred_in_either_framework(written: str, inferred: str) -> None:
    text = f"1、{written},某指标;实施周期指标值:1次,年度指标值:1次;"
    (ind,) = parse_rows(f"某项目\t1.00\t1.00\t目标。\t{text}").projects[0].indicators
    assert lvl(ind.level2) == written
    assert lvl(ind.level1) == inferred


def test_issue_levels_written_without_codes() -> None:
    text = "1、产出指标,数量指标,空气质量指标达标天数;实施周期指标值:≥300天,年度指标值:≥300天;"
    (ind,) = parse_rows(f"环保\t1.00\t1.00\t目标。\t{text}").projects[0].indicators
    assert lvl(ind.level1) == "产出指标"
    assert lvl(ind.level2) == "数量指标"
    assert ind.name == "空气质量指标达标天数"


def test_issue_serial_and_code_columns_before_the_name() -> None:
    text = (
        "部门名称:某区某局\n序号\t项目编码\t项目名称\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n"
        f"1\t44011123000001\t培训项目\t10.00\t10.00\t\t\t培训目标。\t{A}\n"
        f"2\t44011123000002\t宣传项目\t20.00\t20.00\t宣传目标。\t{B}\n"
    )
    doc = parse_text(text).document
    assert [(p.name, p.code, p.amounts.total) for p in doc.projects] == [
        ("培训项目", "44011123000001", Decimal("10.00")),
        ("宣传项目", "44011123000002", Decimal("20.00")),
    ]


@pytest.mark.parametrize("placeholder", ["-", "—", "/", " - "])
def test_issue_placeholder_in_money_columns_means_empty(placeholder: str) -> None:
    row = f"培训\t10.00\t10.00\t{placeholder}\t{placeholder}\t培训目标。\t{A}"
    (p,) = parse_rows(row).projects
    assert (p.amounts.special, p.amounts.other) == (None, None)
    assert p.goal == "培训目标。"
    assert not p.repairs


@pytest.mark.parametrize(("cell", "value"), [("1,714.44万元", "1714.44"), ("¥32.00", "32.00")])
def test_issue_money_with_currency_marks(cell: str, value: str) -> None:
    (p,) = parse_rows(f"培训\t{cell}\t\t\t\t培训目标。\t{A}").projects
    assert p.amounts.total == Decimal(value)


def test_issue_name_wrapped_onto_its_own_line() -> None:
    doc = parse_rows(
        f"农贸市场升级改造\t32.00\t32.00\t改造农贸市场。\t{A}",
        "补助经费\t\t\t\t\t\t",
        f"宣传项目\t2.00\t2.00\t宣传目标。\t{B}",
    )
    first, second = doc.projects
    assert first.name == "农贸市场升级改造补助经费"
    assert "name_split" in codes(first.warnings)
    assert second.name == "宣传项目"


def test_issue_row_split_after_an_items_name() -> None:
    head = item(1, "1-产出指标", "11-数量指标", "服务天数", "365天", "365天")
    doc = parse_rows(
        f"物业管\t1.00\t1.00\t\t\t保障机关日常办公需求。\t{head},2、1-产出指标,12-质量指标,验收通过率;",
        "理费\t实施周期指标值:100%,年度指标值:100%;",
    )
    (p,) = doc.projects
    assert p.name == "物业管理费"
    assert [(i.name, raw(i.period)) for i in p.indicators] == [
        ("服务天数", "365天"),
        ("验收通过率", "100%"),
    ]


def test_issue_row_split_inside_a_level_name() -> None:
    head = item(1, "1-产出指标", "11-数量指标", "服务天数", "365天", "365天")
    doc = parse_rows(
        f"综合业务监管平台建设项\t0.01\t0.01\t\t\t保障日常办公。\t{head},31-服务对象满",
        "目\t意度,满意率;实施周期指标值:≥95%,年度指标值:≥95%;",
    )
    (p,) = doc.projects
    assert p.name == "综合业务监管平台建设项目"
    assert raw(p.indicators[0].annual) == "365天"
    assert (lvl(p.indicators[1].level2), p.indicators[1].name) == ("31-服务对象满意度", "满意率")


def test_issue_indicator_column_split_into_two_cells() -> None:
    part1 = "1、1-产出指标,11-数量指标,培训人次;实施周期指标值:≥500人次,"
    part2 = "年度指标值:≥500人次;" + B
    (p,) = parse_rows(f"培训\t1.00\t1.00\t培训目标。\t{part1}\t{part2}").projects
    assert p.goal == "培训目标。"
    assert [(i.name, raw(i.annual)) for i in p.indicators] == [
        ("培训人次", "≥500人次"),
        ("满意度", "≥90%"),
    ]


def test_issue_two_amounts_in_one_cell() -> None:
    (p,) = parse_rows(f"培训\t1, 714. 44 1,714.44\t培训目标。\t{A}").projects
    assert (p.amounts.total, p.amounts.fiscal) == (Decimal("1714.44"), Decimal("1714.44"))
    assert p.goal == "培训目标。"


def test_issue_name_glued_to_its_amount() -> None:
    (p,) = parse_rows(f"物业管理费 125.00\t125.00\t物业服务。\t{A}").projects
    assert p.name == "物业管理费"
    assert (p.amounts.total, p.amounts.fiscal) == (Decimal("125.00"), Decimal("125.00"))
    assert any(r.field == "name" and r.after == "物业管理费" for r in p.repairs)


def test_issue_name_ending_in_a_number_is_kept() -> None:
    (p,) = parse_rows(f"穗财商2022年1号 专项 2\t1.00\t1.00\t目标。\t{A}").projects
    assert p.name == "穗财商2022年1号专项2"


def test_issue_unit_named_in_column_header() -> None:
    text = (
        "部门名称:某区某局\n项目名称\t总计（万元）\t财政拨款（万元）\t绩效目标\t绩效指标\n"
        f"培训\t1.00\t1.00\t培训目标。\t{A}\n"
    )
    assert parse_text(text).document.unit is MoneyUnit.WAN_YUAN


def test_issue_orphan_numbering_continued_by_the_row_below() -> None:
    orphan = item(1, "1-产出指标", "11-数量指标", "宣传场次", "≥10场", "≥10场")
    below = item(2, "3-满意度指标", "31-服务对象满意度", "满意度", "≥90%", "≥90%")
    doc = parse_rows(
        f"培训\t1.00\t1.00\t培训。\t{A}{B}",
        f"\t\t\t\t\t{orphan}",
        f"宣传\t2.00\t2.00\t宣传。\t{below}",
    )
    train, promo = doc.projects
    assert [i.name for i in train.indicators] == ["培训人次", "满意度"]
    assert [i.name for i in promo.indicators] == ["宣传场次", "满意度"]
    assert any(r.after == "并入下一项目" and "编号" in r.reason for r in promo.repairs)


def test_issue_split_name_tail_at_an_item_boundary() -> None:
    doc = parse_rows(
        f"市场监督管理局\t0.10\t0.10\t根据规定采购制服。\t{A}",
        f"制\t8.19\t8.19\t和标士\t{B}",
    )
    (p,) = doc.projects
    assert p.name == "市场监督管理局制"
    assert [i.name for i in p.indicators] == ["培训人次", "满意度"]
    assert {"name_split", "amount_conflict"} <= set(codes(p.warnings))


def test_issue_row_split_inside_a_bare_level_code_after_a_comma() -> None:
    head = "11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天，12-质"
    doc = parse_rows(
        f"物业管\t1.00\t1.00\t保障机关日常办公需求。\t{head}",
        "理费用\t量指标,验收通过率;实施周期指标值:100%,年度指标值:100%;",
    )
    (p,) = doc.projects
    assert p.name == "物业管理费用"
    assert [(lvl(i.level2), i.name, raw(i.annual)) for i in p.indicators] == [
        ("11-数量指标", "服务天数", "365天"),
        ("12-质量指标", "验收通过率", "100%"),
    ]


def test_issue_row_split_between_a_level_code_and_its_dash() -> None:
    head = "1、1-产出指标,11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天，11"
    doc = parse_rows(
        f"综合业务监管平台建\t0.01\t0.01\t\t\t保障日常办公。\t{head}",
        "设项目\t-数量指标,验收数;实施周期指标值:≥95%,年度指标值:≥95%;",
    )
    (p,) = doc.projects
    assert p.name == "综合业务监管平台建设项目"
    assert [(lvl(i.level2), i.name) for i in p.indicators] == [
        ("11-数量指标", "服务天数"),
        ("11-数量指标", "验收数"),
    ]


def test_issue_row_split_inside_a_level_code() -> None:
    head = "1、1-产出指标,11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天，1"
    doc = parse_rows(
        f"综合业务监管平台建\t0.01\t0.01\t\t\t保障日常办公。\t{head}",
        "设项目\t1-数量指标,验收数;实施周期指标值:≥95%,年度指标值:≥95%;",
    )
    (p,) = doc.projects
    assert p.name == "综合业务监管平台建设项目"
    assert [(lvl(i.level2), i.name) for i in p.indicators] == [
        ("11-数量指标", "服务天数"),
        ("11-数量指标", "验收数"),
    ]


def test_issue_trailing_digit_before_a_consistent_new_project_is_not_a_cut() -> None:
    head = "1、1-产出指标,11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天，1"
    doc = parse_rows(
        f"物业管理费\t1.00\t1.00\t物业服务。\t{head}",
        f"培训项目\t2.00\t2.00\t培训服务。\t{A}",
    )
    assert [p.name for p in doc.projects] == ["物业管理费", "培训项目"]


def test_issue_indicator_keywords_broken_by_wrap_spaces() -> None:
    head = "1、1-产出指标,11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天，11-数"
    doc = parse_rows(
        f"综合业务监管平台建设项\t1.00\t1.00\t保障日常办公。\t{head}",
        "目\t量 指标,工资福利金额;实施周期 指标 值: 50%以上,年度指 标值:50%以上;",
    )
    (p,) = doc.projects
    assert p.name == "综合业务监管平台建设项目"
    assert p.goal == "保障日常办公。"
    assert [(lvl(i.level2), i.name, raw(i.annual)) for i in p.indicators] == [
        ("11-数量指标", "服务天数", "365天"),
        ("11-数量指标", "工资福利金额", "50%以上"),
    ]


@pytest.mark.parametrize(
    ("cell", "expected", "repaired"),
    [
        ("1250000元", "125.000000", True),
        ("125.00万元", "125.00", False),
        ("￥1250000元", "125.000000", True),
    ],
)
def test_issue_amount_with_its_own_unit_is_converted_to_the_table_unit(
    cell: str, expected: str, repaired: bool
) -> None:
    doc = parse_rows(f"培训项目\t{cell}\t{cell}\t\t\t目标文字很长很长。\t{A}")
    assert doc.unit is MoneyUnit.WAN_YUAN
    p = doc.projects[0]
    assert (p.amounts.total, p.amounts.fiscal) == (Decimal(expected), Decimal(expected))
    assert str(p.amounts.total) == expected
    fixes = [r for r in p.repairs if r.field == "amounts.total" and "折算" in r.reason]
    assert bool(fixes) is repaired

"""Indicator rows whose cells a copy glued together: cut apart by the column grammar, every
cut a repair; where the grammar allows more than one reading, left alone and reported.

Each case is a bug the generated forms (``page_text_render``'s ``rows`` noise) found, or the
example of the issue; the generated forms themselves run in ``test_page_text``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.ingest import parse_bytes

HEADS = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施"
SPLIT_HEADS = HEADS.replace("年度指标值", "指标性质 指标值 度量单位")


def _form(row: str, heads: str = HEADS) -> bytes:
    return f"""\
项目支出绩效自评表（2023年度）
项目名称 食品抽样检验经费
主管部门 白云区市场监督管理局
项目资金（万元） 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 100.00 90.00 10 90% 9
绩效指标 {heads}
{row}
总分 100 89
""".encode()


def _read(row: str, heads: str = HEADS) -> tuple[tuple[object, ...], list[str], list[str]]:
    result = parse_bytes(_form(row, heads), "自评表.txt")
    [ev] = result.evaluations
    [i] = ev.indicators
    levels = tuple(ref.name if ref else None for ref in (i.level1, i.level2))
    cells = (*levels, i.name, i.target.raw, i.actual_text, i.weight, i.published_score)
    reasons = [r.reason for r in ev.repairs if "粘连的指标行" in r.reason]
    return (*cells, i.deviation), reasons, [w.code for w in result.document.warnings]


CASES = {
    # the example: levels without codes, name, target, actual, 分值 20 and 得分 19
    "issue example": (
        "产出指标数量指标培训人数≥200人200人2019",
        ("产出指标", "数量指标", "培训人数", "≥200人", "200人", 20, 19, ""),
    ),
    # 60.91 is 6 | 0.91 (分值 are whole points), not 60.9 | 1
    "whole weight first": (
        "2-效益指标24-可持续影响指标用户友好性≤2738个1024个60.91",
        ("效益指标", "可持续影响指标", "用户友好性", "≤2738个", "1024个", 6, Decimal("0.91"), ""),
    ),
    # the name does not take half of the deadline after it
    "deadline after a name": (
        "2-效益指标21-经济效益指标重大事故发生次数(次)2019年12月31日前2019年5月8日228.47",
        (
            "效益指标",
            "经济效益指标",
            "重大事故发生次数(次)",
            "2019年12月31日前",
            "2019年5月8日",
            22,
            Decimal("8.47"),
            "",
        ),
    ),
    # a deviation reason does not begin inside the date before it (``日213.38受…``)
    "deviation after a date": (
        "1-产出指标11-数量指标产业规模(产值、销售额)2022年12月31日前2023年2月21日213.38"
        "受疫情影响进度滞后，下年度加快推进。",
        (
            "产出指标",
            "数量指标",
            "产业规模(产值、销售额)",
            "2022年12月31日前",
            "2023年2月21日",
            21,
            Decimal("3.38"),
            "受疫情影响进度滞后，下年度加快推进。",
        ),
    ),
    # a unit is not a worded 实际完成值 glued after the figure (``400`` | ``台``)
    "unit not words": (
        "1-产出指标13-时效指标服务对象满意度400台1054台103受疫情影响进度滞后，下年度加快推进。",
        (
            "产出指标",
            "时效指标",
            "服务对象满意度",
            "400台",
            "1054台",
            10,
            3,
            "受疫情影响进度滞后，下年度加快推进。",
        ),
    ),
    # a published 得分 above its 分值 is read as printed (SC002 finds it)
    "score above weight": (
        "1-产出指标11-数量指标抽检批次≥1000批次1000批次1012",
        ("产出指标", "数量指标", "抽检批次", "≥1000批次", "1000批次", 10, 12, ""),
    ),
    # a worded actual ends where the 分值 begins
    "worded actual": (
        "1-产出指标12-质量指标开展案例剖析 持续改善 基本达成2914.47",
        ("产出指标", "质量指标", "开展案例剖析", "持续改善", "基本达成", 29, Decimal("14.47"), ""),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_glued_row_is_cut_by_the_column_grammar(case: str) -> None:
    row, expected = CASES[case]
    cells, reasons, warnings = _read(row)
    assert cells == expected
    assert len(reasons) == 1
    assert warnings == []


def test_operator_value_and_unit_columns_are_cut_too() -> None:
    cells, reasons, _ = _read("1-产出指标11-数量指标项目成本≧81%23%118.92", SPLIT_HEADS)
    assert cells == ("产出指标", "数量指标", "项目成本", "≧81%", "23%", 11, Decimal("8.92"), "")
    assert reasons


def test_a_worded_target_glued_to_its_name_is_left_alone_and_reported() -> None:
    form = _form("1-产出指标12-质量指标开展案例剖析持续改善 基本达成2914.47")
    result = parse_bytes(form, "自评表.txt")
    [ev] = result.evaluations
    assert ev.indicators == []
    assert "unplaced_text" in [w.code for w in result.document.warnings]
    assert not [r for r in ev.repairs if "粘连的指标行" in r.reason]


def test_a_level_is_not_read_as_the_name_of_a_target_form_row() -> None:
    text = """\
项目支出绩效目标申报表（2019年度）
项目名称 综合业务监管平台建设项目
主管部门及代码 白云区市场监督管理局 实施单位 白云区市场监督管理局本级
项目资金（万元） 年度资金总额 0.01
其中：财政拨款 0.01
年度绩效目标 保障办公需求。
一级指标 二级指标 三级指标 年度指标值
1-产出指标11-数量指标环境可变性≥1台
"""
    [project] = parse_bytes(text.encode(), "申报表.txt").document.projects
    [i] = project.indicators
    assert (i.level2.name if i.level2 else None, i.name, i.annual.raw if i.annual else None) == (
        "数量指标",
        "环境可变性",
        "≥1台",
    )


def test_one_cell_per_line_is_never_cut_as_a_row() -> None:
    """A deadline on a line of its own (``2023年12月31日前``) is a cell, not 三级指标
    ``2023年12月`` with 指标值 ``31`` and unit ``日前``."""
    text = "\n".join(
        [
            "项目支出绩效目标申报表（2023年度）",
            "项目名称",
            "补助发放项目",
            "项目资金（元）",
            "年度资金总额",
            "4,958.34",
            "其中：财政拨款",
            "4,958.34",
            "年度绩效目标",
            "提高人民群众幸福感获得感。",
            *"一级指标 二级指标 三级指标 指标性质 指标值 度量单位".split(),
            *["2-效益指标", "22-社会效益", "用户友好性", "≤", "500", "个"],
            *["2023年底前补助发放完成率", "2023年12月31日前"],
        ]
    )
    result = parse_bytes(text.encode(), "申报表.txt")
    [project] = result.document.projects
    assert [(i.name, i.annual.raw if i.annual else None) for i in project.indicators] == [
        ("用户友好性", "≤500个"),
        ("2023年底前补助发放完成率", "2023年12月31日前"),
    ]
    assert not [r for r in project.repairs if "粘连的指标行" in r.reason]

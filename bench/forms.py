"""Single-project forms: a 自评表 and a 申报表 workbook read, against reading their grid alone.

Run as ``python -m bench forms``. Each workbook holds one form with twelve indicators in the
10号 / 88号 layouts (merged label and level cells). The baseline, measured in the same run, is
``read_tables`` — the workbook read into its cell grid, the floor of any layout; the parse is
``parse_bytes``, grid plus layout. A workbook of ten forms one after another shows how the time
grows with the number of forms. Target: a self-evaluation form under 30 ms from a workbook.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from bench._timing import measure
from jixiao.ingest import parse_bytes
from jixiao.ingest.readers import read_tables

TARGET_MS = 30.0
INDICATORS = [
    ("1-产出指标", "11-数量指标", "抽检批次", "≥1000批次", "1050批次"),
    ("1-产出指标", "11-数量指标", "培训人次", "≥500人次", "480人次"),
    ("1-产出指标", "12-质量指标", "验收通过率", "≥95%", "98%"),
    ("1-产出指标", "12-质量指标", "抽检合格率", "≥98%", "99%"),
    ("1-产出指标", "13-时效指标", "项目完成时间", "2023年12月31日前", "2023年11月30日"),
    ("1-产出指标", "14-成本指标", "项目成本", "≤80万元", "76.5万元"),
    ("2-效益指标", "22-社会效益", "群众投诉办结率", "≥90%", "93%"),
    ("2-效益指标", "22-社会效益", "食品安全状况", "持续改善", "有所改善"),
    ("2-效益指标", "24-可持续影响", "长效机制建立", "有效提升", "基本达成"),
    ("2-效益指标", "21-经济效益", "挽回经济损失", "≥100万元", "120万元"),
    ("3-满意度指标", "31-服务对象满意度", "群众满意度", "≥90%", "92%"),
    ("3-满意度指标", "31-服务对象满意度", "企业满意度", "≥85%", "88%"),
]


def _selfeval_rows(n: int) -> list[list[str]]:
    rows = [
        ["项目支出绩效自评表（2023年度）"],
        ["项目名称", "", f"食品安全抽检项目{n}"],
        ["主管部门", "", "某区市场监督管理局", "", "", "实施单位", "某区市场监督管理局本级"],
        ["项目资金（万元）", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
         "得分"],
        ["", "", "年度资金总额", "80.00", "80.00", "76.50", "10", "95.63%", "9.56"],
        ["", "", "其中：当年财政拨款", "80.00", "80.00", "76.50", "—", "—", "—"],
        ["年度总体目标", "", "预期目标", "", "", "实际完成情况"],
        ["", "", "完成全年抽检任务，保障食品安全。", "", "", "完成抽检 1050 批次。"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
    ]  # fmt: skip
    for l1, l2, name, target, actual in INDICATORS:
        rows.append(["", l1, l2, name, target, actual, "7.5", "7.5", ""])
    rows += [["总分", "", "", "", "", "", "100", "99.56"], ["自评等级", "", "", "", "", "", "优"]]
    return rows


def _target_rows(n: int) -> list[list[str]]:
    rows = [
        ["项目支出绩效目标申报表（2023年度）"],
        ["项目名称", "", f"食品安全抽检项目{n}"],
        ["主管部门及代码", "", "某区市场监督管理局", "", "实施单位", "某区市场监督管理局本级"],
        ["项目资金（万元）", "", "年度资金总额", "", "", "80.00"],
        ["", "", "其中：财政拨款", "", "", "80.00"],
        ["年度绩效目标", "", "完成全年抽检任务，保障食品安全。"],
        ["一级指标", "二级指标", "三级指标", "实施期指标值", "年度指标值", "权重"],
    ]
    for l1, l2, name, target, _ in INDICATORS:
        rows.append([l1, l2, name, target, target, "7"])
    return rows


def _workbook(forms: list[list[list[str]]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    row_number = 1
    for rows in forms:
        first = row_number
        for row in rows:
            for col, text in enumerate(row, start=1):
                if text:
                    sheet.cell(row_number, col, text).data_type = "s"
            row_number += 1
        sheet.merge_cells(start_row=first + 1, start_column=1, end_row=first + 1, end_column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _report(label: str, data: bytes, forms: int) -> float:
    result = parse_bytes(data, "form.xlsx")  # what is timed must be a full, right reading
    read = result.evaluations or result.document.projects
    counts = [len(r.indicators) for r in read]
    if counts != [len(INDICATORS)] * forms:
        raise SystemExit(f"{label}：读表结果不对（每张的指标数 {counts}）")
    floor = measure(lambda: read_tables(data, "form.xlsx"))
    parse = measure(lambda: parse_bytes(data, "form.xlsx"))
    print(
        f"{label}: 读网格 {floor.ms:.2f} ms，读表 {parse.ms:.2f} ms"
        f"（{parse.median / floor.median:.2f}× 读网格）"
    )
    return parse.ms


def main() -> None:
    one = _report("自评表 1 张", _workbook([_selfeval_rows(0)]), 1)
    ten = _report("自评表 10 张", _workbook([_selfeval_rows(n) for n in range(10)]), 10)
    print(f"  10 张 / 1 张 = {ten / one:.2f}（线性为 ≈10）；目标 1 张 < {TARGET_MS:g} ms：", end="")
    print("达到" if one < TARGET_MS else "未达到")
    _report("申报表 1 张", _workbook([_target_rows(0)]), 1)


if __name__ == "__main__":
    main()

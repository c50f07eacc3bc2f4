"""Reading workbooks: a 3,000-row department table, against the bare python-calamine read of it.

Run as ``python -m bench workbook``. The workbook is generated with openpyxl the way a finance
office keeps a department 目标表: a merged title and 资金来源 header, one project per row with
amounts as numbers in a ``#,##0.00`` column, a goal and an indicator text. The baseline, in the
same run, opens the same bytes with python-calamine and builds every sheet's values
(``to_python``), the least the reader must do; the reader (``read_tables``) adds the bounds
(zip check, streaming measure of the sheet XML), the number formats, and the grid of cells with
refs and spans. Target: at most 3× the baseline, and time per row flat from 3,000 to 12,000 rows.
"""

from __future__ import annotations

import io

import python_calamine

from bench._timing import Timing, measure
from jixiao.ingest.readers import read_tables

TARGET_RATIO = 3.0
ROWS = (3_000, 6_000, 12_000)


def department_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "2023年项目支出绩效目标表"
    ws.append(["某区市场监督管理局2023年项目支出绩效目标表"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "项目名称", "总计", "资金来源", None, None, "绩效目标", "绩效指标"])
    ws.append([None, None, None, "财政拨款", "财政专户拨款", "其他资金", None, None])
    for col in "ABCGH":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:F2")
    for i in range(1, rows + 1):
        total = 1000 + i * 13 + (i % 7) / 4
        ws.append(
            [
                i,
                f"项目{i}：综合业务监管平台运行维护",
                total,
                total - 100,
                0,
                100,
                f"保障平台全年稳定运行，完成第{i}期升级改造。",
                "1、1-产出指标,11-数量指标,系统运行天数;实施周期指标值:≥365天;年度指标值:≥365天",
            ]
        )
        for col in "CDEF":
            ws[f"{col}{i + 3}"].number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bare_calamine(data: bytes) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]


def _row(label: str, t: Timing, baseline: Timing, rows: int) -> None:
    print(
        f"  {label:28} {t.ms:8.2f} ms  {t.median / rows * 1e6:6.2f} µs/行  "
        f"基线的 {t.median / baseline.median:5.2f} 倍  (墙钟 {t.wall * 1000:.2f} ms)"
    )


def main() -> None:
    per_row: list[float] = []
    for rows in ROWS:
        data = department_workbook(rows)
        (table,) = read_tables(data, "bench.xlsx")
        assert len(table.rows) == rows + 3
        assert table.rows[3].cells[2].text == "1013.25"  # #,##0.00 shows two places
        baseline = measure(lambda data=data: bare_calamine(data))
        ours = measure(lambda data=data: read_tables(data, "bench.xlsx"))
        print(f"{rows} 行（{len(data) // 1024} KB）")
        _row("python-calamine to_python", baseline, baseline, rows)
        _row("read_tables", ours, baseline, rows)
        per_row.append(ours.median / rows)
        if rows == ROWS[0]:
            ratio = ours.median / baseline.median
            verdict = "达标" if ratio <= TARGET_RATIO else "未达标"
            print(f"  3,000 行：基线的 {ratio:.2f} 倍（目标 ≤ {TARGET_RATIO:g} 倍）{verdict}")
    growth = per_row[-1] / per_row[0]
    print(f"每行耗时 {ROWS[-1]:,} 行 / {ROWS[0]:,} 行 = {growth:.2f}（线性增长为 1）")

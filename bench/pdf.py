"""Reading text-layer PDFs: ms per page of a department table, against raw text extraction.

Run as ``python -m bench pdf``. The PDF is rendered with reportlab the way a finance office
prints a department 目标表: title and 单位 lines, a ruled table with a two-row header (资金来源
merged over its sources) repeated on every page, one project per row with a goal and an
indicator text that wrap inside their cells. The baseline, in the same run, is the least any
reader must do with the same pages: pypdfium2's raw text of every page (``get_text_range``).
The reader (``read_tables``) adds the layout analysis of every character (pdfminer, through
pdfplumber), the ruling lines, the lattice of cells and the stitching of pages. Targets: at
most 80 ms a page and 60× the baseline, and time per page flat from 3 to 30 pages.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bench._timing import Timing, measure
from jixiao.export.pdf import register_font
from jixiao.ingest.readers import read_tables

TARGET_MS = 80.0
TARGET_RATIO = 60.0
PROJECTS_PER_PAGE = 14
PAGES = (3, 30)


def department_pdf(pages: int) -> bytes:
    font = register_font()
    style = ParagraphStyle("b", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    rows: list[list[object]] = [
        ["序号", "项目名称", "总计", "资金来源", "", "", "绩效目标", "绩效指标"],
        ["", "", "", "财政拨款", "财政专户拨款", "其他资金", "", ""],
    ]
    for i in range(1, pages * PROJECTS_PER_PAGE + 1):
        total = 1000 + i * 13
        rows.append(
            [
                str(i),
                Paragraph(f"项目{i}：综合业务监管平台运行维护", style),
                f"{total:,.2f}",
                f"{total - 100:,.2f}",
                "0.00",
                "100.00",
                Paragraph(f"保障平台全年稳定运行，完成第{i}期升级改造。", style),
                Paragraph("1、产出指标,数量指标,系统运行天数;实施周期指标值:≥365天", style),
            ]
        )
    table = Table(rows, colWidths=[30, 110, 60, 60, 60, 60, 190, 200], repeatRows=2)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("SPAN", (3, 0), (5, 0)),
    ]
    commands += [("SPAN", (c, 0), (c, 1)) for c in (0, 1, 2, 6, 7)]
    table.setStyle(TableStyle(commands))
    title = ParagraphStyle("t", fontName=font, fontSize=14, leading=18)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), topMargin=30, bottomMargin=30)
    doc.build([Paragraph("2023年项目支出绩效目标表", title), Paragraph("单位：万元", style),
               Spacer(1, 4), table])  # fmt: skip
    return out.getvalue()


def raw_text(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _row(label: str, t: Timing, baseline: Timing, pages: int) -> None:
    print(
        f"  {label:28} {t.ms / pages:8.2f} ms/页  基线的 {t.median / baseline.median:6.1f} 倍  "
        f"(墙钟 {t.wall * 1000 / pages:.2f} ms/页)"
    )


def main() -> None:
    per_page: list[float] = []
    for target in PAGES:
        data = department_pdf(target)
        pages = len(raw_text(data))
        (table,) = read_tables(data, "bench.pdf")
        assert sum(1 for r in table.rows if r.cells[0].text.isdigit()) == target * 14
        baseline = measure(lambda data=data: raw_text(data), min_seconds=0.5, rounds=3)
        ours = measure(lambda data=data: read_tables(data, "bench.pdf"), min_seconds=2, rounds=3)
        print(f"{pages} 页（{len(data) // 1024} KB，{target * PROJECTS_PER_PAGE} 个项目）")
        _row("pypdfium2 原始文本", baseline, baseline, pages)
        _row("read_tables", ours, baseline, pages)
        ms = ours.ms / pages
        ratio = ours.median / baseline.median
        verdict = "达标" if ms <= TARGET_MS and ratio <= TARGET_RATIO else "未达标"
        print(
            f"  {ms:.1f} ms/页（目标 ≤ {TARGET_MS:g}），基线的 {ratio:.1f} 倍"
            f"（目标 ≤ {TARGET_RATIO:g} 倍）{verdict}"
        )
        per_page.append(ours.median / pages)
    growth = per_page[-1] / per_page[0]
    print(f"每页耗时 {PAGES[-1]} 页 / {PAGES[0]} 页 = {growth:.2f}（线性增长为 1）")

"""Word and HTML readers: tables of two sizes, against a bare parse of the same file.

Run as ``python -m bench docx_html``. The tables have 11 columns; the HTML ones a header merged over
two rows and one merged cell per ten rows, like a department table (python-docx takes too long
to merge cells in big tables to do the same for Word). The baseline, measured in the same
run, is the least a reader must do: for HTML, lxml parses the page and takes every cell's text;
for Word, python-docx opens the file and lxml takes every ``w:t`` text. The readers do that and
place merged cells, join wrapped lines, judge which tables hold data and attach the text around
the table. Target: within 12× the baseline, and linear growth (4× the rows, at most 5× the
time). HTML tables of 1,000 and 4,000 rows, Word tables of 250 and 1,000.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import lxml.html
from docx import Document as new_document

from bench._timing import Timing, measure
from jixiao.ingest.readers.docx import read_docx
from jixiao.ingest.readers.html import read_html

Reader = Callable[[bytes, str], object]
COLUMNS = 11
TARGET_RATIO = 12.0


def html_page(rows: int) -> bytes:
    header = (
        '<tr><th rowspan="2">项目名称</th><th rowspan="2">总计</th><th colspan="3">资金来源</th>'
        + "".join(f"<th rowspan='2'>列{k}</th>" for k in range(COLUMNS - 5))
        + "</tr><tr><th>财政拨款</th><th>财政专户拨款</th><th>其他资金</th></tr>"
    )
    body = []
    for r in range(rows):
        first = f'<td rowspan="10">项目{r}</td>' if r % 10 == 0 else ""
        cells = "".join(f"<td>{r}.{k}<br>万元</td>" for k in range(COLUMNS - 1))
        body.append(f"<tr>{first}{cells}</tr>")
    table = f"<table border=1>{header}{''.join(body)}</table>"
    page = f"<html><head><meta charset='utf-8'></head><body><p>单位：万元</p>{table}</body></html>"
    return page.encode()


def docx_file(rows: int) -> bytes:
    document = new_document()
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=rows, cols=COLUMNS)
    for r, row in enumerate(table.rows):
        for k, cell in enumerate(row.cells):
            cell.text = f"{r}.{k}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bare_html(data: bytes, name: str) -> list[str]:
    root = lxml.html.document_fromstring(data)
    return [td.text_content() for td in root.iter("td", "th")]


def bare_docx(data: bytes, name: str) -> list[str]:
    body = new_document(io.BytesIO(data)).element.body
    return [t.text or "" for t in body.iter("{*}t")]


def _row(label: str, t: Timing, baseline: Timing) -> float:
    ratio = t.median / baseline.median
    print(
        f"  {label:22} {t.ms:9.1f} ms   基线 {baseline.ms:8.1f} ms   基线的 {ratio:5.1f} 倍"
        f"  (墙钟 {t.wall * 1000:.1f} ms)"
    )
    return ratio


def _compare(kind: str, data: bytes, bare: Reader, read: Reader, rows: int) -> tuple[Timing, float]:
    baseline = measure(lambda: bare(data, kind), min_seconds=0.3, rounds=3)
    t = measure(lambda: read(data, f"x.{kind}"), min_seconds=0.3, rounds=3)
    return t, _row(f"{kind} {rows} 行 × {COLUMNS} 列", t, baseline)


def main() -> None:
    cases: list[tuple[str, Callable[[int], bytes], Reader, Reader, tuple[int, int]]] = [
        ("html", html_page, bare_html, read_html, (1000, 4000)),
        ("docx", docx_file, bare_docx, read_docx, (250, 1000)),
    ]
    for kind, make, bare, read, sizes in cases:
        (small, r1), (large, r2) = (_compare(kind, make(n), bare, read, n) for n in sizes)
        growth = large.median / small.median
        met = max(r1, r2) <= TARGET_RATIO and growth <= 5.0
        print(
            f"  {kind}: 行数 ×4，时间 ×{growth:.1f}；目标 ≤ {TARGET_RATIO:g} 倍基线："
            f"{'达标' if met else '未达标'}"
        )

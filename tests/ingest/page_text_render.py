"""Form grids (``form_generator``) rendered as the page text a copy out of a web page or a PDF
text layer gives, with one noise class each.

- ``cells``: one cell per line; ``pipes``: ``| a | b |`` per row; ``spaces``: cells of a row
  separated by spaces;
- ``glued``: a label glued to the cell after it, levels glued to the indicator's name;
- ``numbers``: spaces inside numbers (``1, 714. 44``, ``90 .00``), cells separated by spaces;
- ``footers``: page numbers (``- 3 -``) inside sentences and on lines of their own;
- ``junk``: document metadata before the title;
- ``rows``: the indicator rows with no separator between their cells
  (``11-数量指标培训人数≥200人200人2019``), except where two words meet (a worded 指标值
  beside its name or its 实际完成值): there nothing but a vocabulary could tell where one cell
  ends, and a copy that glues them is not readable; the other rows separated by spaces;
- ``mixed``: all of ``glued``, ``numbers``, ``footers``, ``junk`` and ``ocr`` at once;
- ``ocr``: ``项目资金（万兀）``, ``⩾`` for ≥, and one 分值 of 10 printed ``IO`` with the 总分
  row's 分值 the sum of the printed 分值 (what lets the reader check the mend).

Only what a copy loses is lost: which cell is which must come back from the labels.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from grid_generator import GridSpec, SpecCell
from hypothesis import strategies as st

# What the forms print as labels (a label is glued to the cell after it in ``glued``).
LABEL_CELLS = re.compile(
    r"^(项目名称|主管部门(及代码)?|实施单位|项目资金（万?元）|年初预算数|全年预算数|全年执行数|分值|执行率"
    r"|得分|(中期|年度)?资金总额|其中：(当年)?财政拨款|财政拨款|上年结转资金|其他资金|年度总体目标|预期目标"
    r"|实际完成情况|总体目标|中期目标|年度目标|年度绩效目标|绩效指标|[一二三]级指标|实施期指标值|年度指标值"
    r"|指标性质|指标值|度量单位|实际完成值|权重|指标解释|偏差原因分析及改进措施|预算执行率|总分|自评等级)$"
)
LEVEL_CELL = re.compile(r"^\d{1,2}-")
JUNK = [
    "发布时间：2024-03-18 09:30  来源：区财政局  浏览次数：1024",
    "字号：大 中 小    打印本页    关闭窗口",
    "Producer: Microsoft Word - 附件2.docx",
]
_booleans = st.booleans()
_pages = st.integers(1, 40)
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$")


def _rows(grid: GridSpec) -> list[list[str]]:
    rows: dict[int, list[SpecCell]] = {}
    for cell in grid.cells:
        rows.setdefault(cell.row, []).append(cell)
    out = [[line] for line in grid.lines_before]
    for r in sorted(rows):
        out.append([c.text for c in sorted(rows[r], key=lambda c: c.col) if c.text])
    return out


def _spaced(text: str, draw: Any) -> str:
    """``1,714.44`` → ``1, 714. 44`` or ``1714 .44``: spaces where a PDF's text runs break."""
    if not _AMOUNT.match(text):
        return text
    if draw(_booleans):
        return text.replace(",", ", ").replace(".", ". ")
    return text.replace(".", " .")


def _footer(text: str, draw: Any) -> str:
    if len(text) < 8 or "。" not in text:
        return text  # sentences only: goals, results, deviation reasons
    cut = draw(_cuts(len(text)))
    while not ("\u4e00" <= text[cut - 1] <= "\u9fff" and "\u4e00" <= text[cut] <= "\u9fff"):
        cut = cut + 1 if cut + 1 < len(text) - 1 else 2
        if cut == 2:
            return text
    return f"{text[:cut]} - {draw(_pages)} - {text[cut:]}"


def _ocr_weights(rows: list[list[str]]) -> bool:
    """One 分值 of 10 printed ``IO``, the 总分 row's 分值 made the sum of the printed 分值."""
    header = next((r for r in rows if "三级指标" in r), None)
    total = next((r for r in rows if r and r[0] == "总分"), None)
    if header is None or total is None or len(total) < 3:
        return False
    funds = next((r for r in rows if "全年执行数" in r and "分值" in r), None)
    weights: list[Decimal] = []
    if funds is not None:
        weights.append(Decimal(10))  # the 年度资金总额 row's 分值
    body = rows[rows.index(header) + 1 : rows.index(total)]
    slipped = False
    for row in body:
        if row[0] == "预算执行率":
            weights.append(Decimal(row[1]))
            continue
        weight_at = len(row) - (3 if _has_deviation(row) else 2)
        weights.append(Decimal(row[weight_at]))
        if row[weight_at] == "10" and not slipped:
            row[weight_at] = "IO"
            slipped = True
    total[-2] = str(sum(weights))
    return slipped


def _misread(cell: str) -> str:
    """``万元`` read as ``万兀``, a ≥ sign read as ``⩾``."""
    return cell.replace("万元）", "万兀）").replace("≥", "⩾")


def _has_deviation(row: list[str]) -> bool:
    return bool(re.search(r"[，。]", row[-1]))


def planted(grid: GridSpec, noise: str, text: str) -> bool:
    """Whether ``noise`` changed anything in ``text`` (a form may have nothing it applies to)."""
    if noise in ("cells", "pipes", "spaces"):
        return False
    if noise == "ocr":  # the 总分 row's 分值 made the sum is no slip
        return any(slip in text for slip in ("IO", "兀", "⩾"))
    if noise == "mixed":
        return True  # labels are always glued
    plain = render(grid, "spaces" if noise in ("glued", "numbers", "rows") else "pipes", None)
    return text != plain


# noise → (how a row is written, spaces in numbers, page numbers, metadata in front, misreads)
NOISE_PARTS = {
    "cells": ("cells", False, False, False, False),
    "pipes": ("pipes", False, False, False, False),
    "spaces": ("spaces", False, False, False, False),
    "glued": ("glued", False, False, False, False),
    "numbers": ("spaces", True, False, False, False),
    "footers": ("pipes", False, True, False, False),
    "junk": ("pipes", False, False, True, False),
    "ocr": ("pipes", False, False, False, True),
    "rows": ("rows", False, False, False, False),
    "mixed": ("glued", True, True, True, True),
}
NOISES = tuple(NOISE_PARTS)


def render(grid: GridSpec, noise: str, draw: Any) -> str:
    """The page text of ``grid`` with ``noise``."""
    layout, numbers, footers, junk, ocr = NOISE_PARTS[noise]
    rows = _rows(grid)
    if ocr:
        _ocr_weights(rows)
        rows = [[_misread(c) for c in r] for r in rows]
    lines: list[str] = JUNK[:] if junk else []
    body = _indicator_rows(rows) if layout == "rows" else set()
    for n, row in enumerate(rows):
        if footers:
            row = [_footer(c, draw) for c in row]
            if n and n % 7 == 0:
                lines.append(f"- {n // 7} -")
        if numbers:
            row = [_spaced(c, draw) for c in row]
        if layout == "cells":
            lines.extend(row)
        elif layout == "pipes":
            lines.append("| " + " | ".join(row) + " |")
        elif layout == "glued":
            lines.append(_glued(row))
        elif n in body:
            lines.append(_glued_row(row))
        else:
            lines.append(" ".join(row))
    return "\n".join(lines) + "\n"


def _glued(row: list[str]) -> str:
    out = ""
    for k, cell in enumerate(row):
        glue = k and (LABEL_CELLS.match(row[k - 1]) or LEVEL_CELL.match(row[k - 1]))
        out += cell if glue or not k else " " + cell
    return out


def _indicator_rows(rows: list[list[str]]) -> set[int]:
    """The indexes of the indicator rows: after a 三级指标 header, up to 总分 or the next form."""
    out: set[int] = set()
    inside = False
    for n, row in enumerate(rows):
        first = row[0] if row else ""
        if "三级指标" in row:
            inside = True
        elif first.startswith(("总分", "自评等级", "项目名称")) or "表（" in first:
            inside = False
        elif inside and first != "预算执行率":
            out.add(n)
    return out


def _is_word(ch: str) -> bool:
    return not (ch.isdigit() or ch in ".≥≤><=＞＜≧≦═%")


def _glued_row(row: list[str]) -> str:
    out = row[0] if row else ""
    for k in range(1, len(row)):
        words_meet = _is_word(row[k - 1][-1]) and _is_word(row[k][0])
        out += (" " if words_meet and not LEVEL_CELL.match(row[k - 1]) else "") + row[k]
    return out


def _cuts(length: int) -> st.SearchStrategy[int]:
    return st.integers(2, length - 2)

"""The official tables as PDF (reportlab): A4 landscape, CJK font, headers repeated per page.

The same ``Sheet`` layouts as the Excel export are drawn as reportlab tables: merged cells,
grid lines, shaded headers, wrapped text, rows split across pages when they are taller than a
page, and each table's header rows repeated at the top of every page it runs onto. The CJK
font is WenQuanYi Zen Hei from Debian's ``fonts-wqy-zenhei`` (``make system-deps`` installs
it); ``JIXIAO_CJK_FONT`` may point at another TTF/TTC file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from jixiao.errors import JixiaoError
from jixiao.export.errors import MissingFont
from jixiao.export.grid import Block, Cell, Merge, Sheet, Style

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "WQYZenHei"
PAGE = landscape(A4)
MARGIN = 12 * mm
ALIGN = {
    Style.TEXT: TA_LEFT,
    Style.CAPTION: TA_LEFT,
    Style.CAPTION_RIGHT: TA_RIGHT,
    Style.MONEY: TA_RIGHT,
    Style.NUMBER: TA_RIGHT,
    Style.PERCENT: TA_RIGHT,
}
HEADER_BG = colors.HexColor("#E7E6E6")
MAX_SPAN_ROWS = 8


class TooLarge(JixiaoError):
    """A merged cell holds more text than one page can show."""


@cache
def register_font(path: str | None = None) -> str:
    """Register the CJK font once; raise MissingFont with a one-line hint if it is absent."""
    font_path = path or os.environ.get("JIXIAO_CJK_FONT") or DEFAULT_FONT
    if not Path(font_path).is_file():
        raise MissingFont(
            f"缺少中文字体 {font_path}：请运行 make system-deps（Debian 软件包 fonts-wqy-zenhei）"
        )
    try:
        pdfmetrics.registerFont(TTFont(FONT, font_path, subfontIndex=0))
    except Exception as exc:  # reportlab raises bare TTFError/KeyError for unreadable fonts
        raise MissingFont(f"无法载入中文字体 {font_path}：{exc}") from None
    return FONT


def _font_size(style: Style, length: int) -> float:
    """Smaller type for very long texts, so one cell never outgrows a page."""
    if style in (Style.CAPTION, Style.CAPTION_RIGHT):
        return 10
    for limit, size in ((600, 9.0), (1200, 7.5), (2400, 6.0)):
        if length <= limit:
            return size
    return 4.5


@cache
def _para_style(style: Style, size: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"jx-{style.value}-{size}",
        fontName=FONT,
        fontSize=size,
        leading=size * 1.35,
        alignment=ALIGN.get(style, TA_CENTER),
        wordWrap="CJK",
    )


class _CellParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A paragraph that stays inside its cell.

    CJK wrapping lets one mark that may not start a line (，。、：；）) hang past a line's end, over
    the cell's padding and border. When a line would hang, the text is wrapped again in a width
    one full glyph narrower, the most any line then hangs, and drawn shifted by its alignment
    (half that glyph when centred, all of it when right-aligned), so every line stays inside.
    """

    _shift = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._shift = 0.0
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        glyph = self.style.fontSize
        narrower = availWidth - glyph
        if min(self._slack(), default=0.0) < -0.01 and narrower > glyph:
            size = super().wrap(narrower, availHeight)
            self._shift = {TA_CENTER: glyph / 2, TA_RIGHT: glyph}.get(self.style.alignment, 0.0)
        return size

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x + self._shift, y, _sW)

    def _slack(self) -> list[float]:
        """Each line's space left at its end; negative where a mark hangs past it."""
        lines: list[Any] = getattr(self.blPara, "lines", [])
        return [line[0] if isinstance(line, tuple) else line.extraSpace for line in lines]


def _paragraph(cell: Cell) -> Paragraph | str:
    text = cell.text
    if not text:
        return ""
    style = _para_style(cell.style, _font_size(cell.style, len(text)))
    return _CellParagraph(escape(text).replace("\n", "<br/>"), style)


def _commands(block: Block) -> list[tuple[object, ...]]:
    cmds: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if block.bordered:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            if cell.style in (Style.HEADER, Style.LABEL):
                cmds.append(("BACKGROUND", (c, r), (c, r), HEADER_BG))
            if cell.fill:
                cmds.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(f"#{cell.fill}")))
    for m in block.merges:
        cmds.extend(_merge_commands(m, block.bordered))
    return cmds


def _merge_commands(m: Merge, bordered: bool) -> list[tuple[object, ...]]:
    """A merged range: a real span when short, else a drawn one a page break may cut through.

    reportlab never breaks a table inside a row span, so a long vertical merge (a level-1
    category over many indicators) is drawn instead: text in its first row, the inner
    horizontal lines erased, each row spanned only across the columns.
    """
    if m.last_row - m.row < MAX_SPAN_ROWS:
        return [("SPAN", (m.col, m.row), (m.last_col, m.last_row))]
    cmds: list[tuple[object, ...]] = []
    if m.last_col > m.col:
        cmds += [("SPAN", (m.col, r), (m.last_col, r)) for r in range(m.row, m.last_row + 1)]
    if bordered:
        inner = ((m.col, m.row + 1), (m.last_col, m.last_row))
        cmds.append(("LINEABOVE", *inner, 1, colors.white))
        edges = ((m.col, m.row), (m.last_col, m.last_row))
        cmds += [
            ("LINEBEFORE", *edges, 0.5, colors.black),
            ("LINEAFTER", *edges, 0.5, colors.black),
        ]
    return cmds


def _table(block: Block, widths: list[float], split_rows: bool) -> Table:
    data = [[_paragraph(cell) for cell in row] for row in block.rows]
    # reportlab lays out merged cells wrongly inside a row split across pages, so only tables
    # without merges may split a row, and only when a row is taller than a page.
    split = 1 if split_rows and not block.merges else 0
    table = Table(
        data, colWidths=widths, repeatRows=block.repeat, splitInRow=split, hAlign="CENTER"
    )
    table.setStyle(TableStyle(_commands(block)))
    return table


def _widths(sheet: Sheet) -> list[float]:
    usable = PAGE[0] - 2 * MARGIN
    total = sum(sheet.widths)
    return [usable * w / total for w in sheet.widths]


def _title(text: str) -> Paragraph:
    style = ParagraphStyle("jx-title", fontName=FONT, fontSize=16, leading=22, alignment=TA_CENTER)
    return Paragraph(escape(text), style)


def _story(sheets: Sequence[Sheet], split_rows: bool) -> list[Flowable]:
    story: list[Flowable] = []
    for i, sheet in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story += [_title(sheet.title), Spacer(1, 4 * mm)]
        widths = _widths(sheet)
        story += [_table(block, widths, split_rows) for block in sheet.blocks if block.rows]
    return story


def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(PAGE[0] / 2, 6 * mm, f"第 {doc.page} 页")
    canvas.restoreState()


def pdf_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Render the sheets into one PDF, each sheet starting on a new page."""
    if not sheets:
        raise ValueError("nothing to export")
    register_font()
    try:
        return _build(sheets, split_rows=False)
    except LayoutError:
        pass
    try:
        return _build(sheets, split_rows=True)
    except LayoutError:
        raise TooLarge("有单元格内容过长，一页 A4 放不下，无法生成 PDF；请导出 Excel") from None


def _build(sheets: Sequence[Sheet], split_rows: bool) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=sheets[0].title,
        creator="jixiao",
    )
    doc.build(_story(sheets, split_rows), onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()

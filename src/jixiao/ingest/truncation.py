"""Refuse a table whose last row stops in the middle: the file was cut short."""

from __future__ import annotations

from jixiao.errors import UnreadableDocument
from jixiao.ingest.indicators import ends_complete
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.result import ParseResult


def check_complete(result: ParseResult, filename: str) -> None:
    """Raise UnreadableDocument when the final data row ends mid-item or lacks its indicators."""
    if not result.pieces:
        return
    last = result.pieces[-1]
    text = clean_text(last.indicator) if last.indicator else ""
    if text and ends_complete(text):
        return
    where = f"第{last.line}行"
    what = "在指标文字中间结束" if text else "没有绩效指标"
    raise UnreadableDocument(
        f"{filename}: 文件似乎被截断，最后一行（{where}）{what} (truncated file)"
    )

"""Refuse a table whose last row stops in the middle: the file was cut short."""

from __future__ import annotations

import re

from jixiao.errors import UnreadableDocument
from jixiao.ingest.indicator_anchors import ends_complete
from jixiao.ingest.result import ParseResult

# A closing line that is not table data: a labelled note (注：…, 填报人：…) or a page mark.
_FOOTER = re.compile(r"[:：]")


def _reason(result: ParseResult) -> str | None:
    last_row = result.table.rows[-1]
    placed = {p.line for p in result.pieces} | set(result.furniture_lines)
    if last_row.line not in placed:
        text = " ".join(c.text for c in last_row.non_empty)
        return None if _FOOTER.search(text) else "只有一段未完成的文字"
    last = result.pieces[-1] if result.pieces else None
    if last is None or last.line != last_row.line:
        return None
    if not last.clean_indicator:
        return "没有绩效指标"
    return None if ends_complete(last.clean_indicator) else "在指标文字中间结束"


def check_complete(result: ParseResult, filename: str) -> None:
    """Raise UnreadableDocument when the final row ends mid-item, lacks indicators or is a stub."""
    reason = _reason(result)
    if reason is not None:
        line = result.table.rows[-1].line
        raise UnreadableDocument(
            f"{filename}: 文件似乎被截断，最后一行（第{line}行）{reason} (truncated file)"
        )

"""A table whose last row stops in the middle: the file was cut short.

Such a table is read, not refused: the layout that finds the cut keeps every complete project,
leaves out the one the cut runs through, sets ``complete: false`` and adds a warning
``incomplete`` that says where it stops (``mark_incomplete``). ``jixiao parse --strict`` turns
it back into the refusal (``refusal``).
"""

from __future__ import annotations

import re

from jixiao.domain.document import Document
from jixiao.domain.project import Project
from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.errors import UnreadableDocument
from jixiao.ingest.indicator_anchors import ends_complete
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.result import Incomplete
from jixiao.ingest.rows import RowPiece

# A closing line that is not table data: a labelled note (注：…, 填报人：…) or a page mark.
_FOOTER = re.compile(r"[:：]")

STUB = "只有一段未完成的文字"
NO_INDICATORS = "没有绩效指标"
MID_INDICATOR = "在指标文字中间结束"


def line_table_cut(
    table: RawTable, pieces: list[RowPiece], furniture: tuple[int, ...]
) -> Incomplete | None:
    """Where a line table (OCR text) stops mid-row: the final row ends mid-item, lacks
    indicators, or is a stub of text no project takes."""
    last_row = table.rows[-1]
    placed = {p.line for p in pieces} | set(furniture)
    if last_row.line not in placed:
        text = " ".join(c.text for c in last_row.non_empty)
        return None if _FOOTER.search(text) else Incomplete(last_row.line, STUB)
    last = pieces[-1] if pieces else None
    if last is None or last.line != last_row.line:
        return None
    if not last.clean_indicator:
        return Incomplete(last_row.line, NO_INDICATORS)
    return None if ends_complete(last.clean_indicator) else Incomplete(last_row.line, MID_INDICATOR)


def mark_incomplete(document: Document, cut: Incomplete, dropped: Project | None) -> None:
    """Record the cut on ``document``: ``complete`` false and an ``incomplete`` warning."""
    document.complete = False
    kept = f"已读取此前完整的 {len(document.projects)} 个项目"
    left = f"，未读取被截断的项目“{dropped.name}”" if dropped is not None else ""
    document.warnings.append(
        ParseWarning(
            "incomplete",
            f"文件似乎被截断，最后一行（{cut.place}）{cut.reason}；{kept}{left}",
            SourceRef(lines=(cut.line,)),
        )
    )


def refusal(cut: Incomplete, filename: str) -> UnreadableDocument:
    """The ``--strict`` refusal of a cut-off table (one line, exit 2)."""
    return UnreadableDocument(
        f"{filename}: 文件似乎被截断，最后一行（{cut.place}）{cut.reason} (truncated file)"
    )

"""What a layout returns: the document, plus the intermediate stages for ``--debug``."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain.document import Document
from jixiao.ingest.columns import ColumnHeader
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.rows import RowPiece
from jixiao.ingest.stitch import ProjectDraft


@dataclass
class ParseResult:
    """The parsed document and how it was obtained (kept for the debug view and tests)."""

    document: Document
    table: RawTable
    layout: str
    confidence: float
    header: ColumnHeader | None = None
    pieces: list[RowPiece] = field(default_factory=list)
    drafts: list[ProjectDraft] = field(default_factory=list)
    # Lines the layout consumed as document header, column header or page furniture.
    furniture_lines: tuple[int, ...] = ()

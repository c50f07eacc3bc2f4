"""What parsing returns: the documents, tagged by kind, and every stage kept for ``--debug``.

A layout maps one ``RawTable`` to a ``TableParse`` (its document, the stages it went through
and whether the table is complete: each layout owns that check). ``ParseResult`` gathers the
tables of one input: ``kind`` says which kind of table it holds (``department_targets`` now;
``project_targets`` and ``self_evaluation`` slot in beside it), ``documents`` are the documents
read (tables of one department and year are joined into one document, see
``ingest.combine``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain.document import Document
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.errors import UnknownLayout
from jixiao.ingest.columns import ColumnHeader
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.rows import RowPiece
from jixiao.ingest.stitch import ProjectDraft

DEPARTMENT_TARGETS = "department_targets"
PROJECT_TARGETS = "project_targets"
SELF_EVALUATION = "self_evaluation"


@dataclass(frozen=True)
class Incomplete:
    """Where a table stops mid-way: the line (row) and why, in a phrase for messages."""

    line: int
    reason: str
    where: str = ""  # the cell or line as a person finds it (``Sheet1!A9``); else 第N行

    @property
    def place(self) -> str:
        return self.where or f"第{self.line}行"


@dataclass
class TableParse:
    """What one layout made of one table: the document and the stages that led to it."""

    document: Document
    table: RawTable
    layout: str
    confidence: float
    kind: str = DEPARTMENT_TARGETS
    incomplete: Incomplete | None = None
    # line layouts (OCR text)
    header: ColumnHeader | None = None
    pieces: list[RowPiece] = field(default_factory=list)
    drafts: list[ProjectDraft] = field(default_factory=list)
    # Lines the layout consumed as document header, column header or page furniture.
    furniture_lines: tuple[int, ...] = ()
    # grid layouts: what each grid column was read as (column → field label)
    columns: dict[int, str] = field(default_factory=dict)
    # self-evaluation forms: the evaluations read (``document`` then holds only the warnings)
    evaluations: list[SelfEvaluation] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.document.projects or self.evaluations)

    @property
    def complete(self) -> bool:
        return self.incomplete is None


@dataclass
class ParseResult:
    """Every table of one input as its layout read it, and the documents they make."""

    kind: str
    source_kind: str
    parts: list[TableParse]
    documents: list[Document]

    @property
    def document(self) -> Document:
        """The (first) document; inputs with several departments or years have several."""
        return self.documents[0]

    @property
    def complete(self) -> bool:
        return all(p.complete for p in self.parts)

    @property
    def evaluations(self) -> list[SelfEvaluation]:
        """The self-evaluations read (kind ``self_evaluation``), in input order."""
        return [ev for p in self.parts for ev in p.evaluations]

    # The first table's stages, for the single-table view of tests and ``--debug``.
    @property
    def table(self) -> RawTable:
        return self.parts[0].table

    @property
    def furniture_lines(self) -> tuple[int, ...]:
        return self.parts[0].furniture_lines

    @property
    def pieces(self) -> list[RowPiece]:
        return self.parts[0].pieces


class SelfEvaluationFile(UnknownLayout):
    """The input holds published self-evaluations (项目支出绩效自评表), not a target table;
    ``evaluations`` are the forms read, for whoever attaches them to their projects."""

    def __init__(self, message: str, evaluations: list[SelfEvaluation]) -> None:
        super().__init__(message)
        self.evaluations = evaluations

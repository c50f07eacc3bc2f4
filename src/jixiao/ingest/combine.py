"""Tables of one input → documents: one per department and year.

A workbook often keeps one table per sheet. Consecutive tables that agree on department, year
and unit (or do not say) are one document, their projects in order; a table of another
department, year or unit starts a document of its own.
"""

from __future__ import annotations

from dataclasses import replace

from jixiao.domain.document import Document
from jixiao.ingest.result import TableParse


def _agree(a: object, b: object) -> bool:
    return a is None or b is None or a == b


def _same_source(a: Document, b: Document) -> bool:
    return _agree(a.department, b.department) and _agree(a.year, b.year) and _agree(a.unit, b.unit)


def _joined(a: Document, b: Document) -> Document:
    return replace(
        a,
        projects=[*a.projects, *b.projects],
        warnings=[*a.warnings, *b.warnings],
        title=a.title or b.title,
        department=a.department or b.department,
        year=a.year or b.year,
        unit=a.unit or b.unit,
        complete=a.complete and b.complete,
    )


def combine(parts: list[TableParse]) -> list[Document]:
    """The documents the tables make, in input order."""
    documents: list[Document] = []
    for part in parts:
        doc = part.document
        if documents and _same_source(documents[-1], doc):
            documents[-1] = _joined(documents[-1], doc)
        else:
            documents.append(replace(doc, projects=list(doc.projects), warnings=list(doc.warnings)))
    return documents

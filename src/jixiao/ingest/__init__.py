"""Messy published tables → domain objects, with every repair and warning recorded.

The stages: a reader turns bytes into ``RawTable``\\ s (one per sheet or table, cells with where
they came from), a layout recognises each table's form and maps it to a ``TableParse`` (its
document, and whether the table is complete), and the tables of one department and year are
joined into one document (``combine``). ``parse_bytes`` keeps every stage in a
``ParseResult``; ``read_bytes`` and ``read_document`` return just the document.

A person's corrections of doubtful cells (``corrections``: cell ref → text, from the import
preview) are put into the grid before the layouts run (``ingest.corrections``); a scan's
look-alike letters in numbers are mended there too (``scan_checks.mend_glyphs``).

A table cut short is read, not refused: its complete projects are kept, ``complete`` is false
and a warning ``incomplete`` says where it stops; ``strict=True`` refuses it instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from jixiao.domain.document import Document
from jixiao.domain.provenance import ParseWarning
from jixiao.errors import UnknownLayout, UnreadableDocument
from jixiao.ingest.columns import is_foreign_header
from jixiao.ingest.combine import combine
from jixiao.ingest.corrections import apply_corrections
from jixiao.ingest.grid_header import compact
from jixiao.ingest.layouts import LAYOUTS, choose_layout
from jixiao.ingest.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import ReadOptions, read_tables
from jixiao.ingest.result import SELF_EVALUATION, ParseResult, SelfEvaluationFile, TableParse
from jixiao.ingest.scan_checks import check_scans, mend_glyphs
from jixiao.ingest.sniff import check_size
from jixiao.ingest.truncation import refusal

__all__ = [
    "ParseResult",
    "SelfEvaluationFile",
    "parse_bytes",
    "parse_tables",
    "read_bytes",
    "read_document",
]


def parse_bytes(
    data: bytes,
    filename: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    strict: bool = False,
    options: ReadOptions | None = None,
    corrections: Mapping[str, str] | None = None,
) -> ParseResult:
    """Read ``data`` (named ``filename`` in messages) through every stage; ``options`` are the
    reader's (``ReadOptions(sheet=…)`` for one sheet of a workbook), ``corrections`` a
    person's texts for cells by ref."""
    tables = read_tables(data, filename, limits, options)
    return parse_tables(tables, filename, strict=strict, corrections=corrections)


def _not_a_target_table(tables: Sequence[RawTable], filename: str) -> UnknownLayout:
    rows = [row for table in tables for row in table.rows[:30]]
    if any(is_foreign_header(row) for row in rows):
        return UnknownLayout(
            f"{filename}: 这是其他类型的表（如绩效自评表、监控表），"
            "目前只能读取项目支出绩效目标表 (unsupported table kind)"
        )
    return UnknownLayout(
        f"{filename}: 不是项目支出绩效目标表（未找到“绩效目标/绩效指标”表头或指标值）"
        " (not a performance target table)"
    )


def _skipped(table: RawTable, index: int) -> ParseWarning:
    name = table.name or f"表{index + 1}"
    return ParseWarning("table_skipped", f"“{name}”不是项目支出绩效目标表，未读取")


def _with_reader_notes(part: TableParse) -> TableParse:
    """The reader's repairs go to the table's first project or self-evaluation (page text gives
    each form a table of its own), its warnings to the document."""
    table = part.table
    part.document.warnings[:0] = table.warnings
    projects = part.document.projects
    if projects:
        for repair in table.repairs:  # a cell's repair goes to the project holding the cell
            holder = next((p for p in projects if repair.field in p.source.cells), projects[0])
            holder.repairs.append(repair)
    elif part.evaluations:
        part.evaluations[0].repairs.extend(table.repairs)
    return part


def parse_tables(
    tables: Sequence[RawTable],
    filename: str,
    *,
    strict: bool = False,
    corrections: Mapping[str, str] | None = None,
) -> ParseResult:
    """Map each table to the layout that recognises it; join tables of one department/year."""
    tables = tuple(mend_glyphs(t) for t in apply_corrections(tables, corrections or {}))
    parts: list[TableParse] = []
    skipped: list[ParseWarning] = []
    for index, table in enumerate(tables):
        chosen = choose_layout([(layout, layout.detect(table)) for layout in LAYOUTS])
        if chosen is not None:
            parts.append(_with_reader_notes(chosen[0].extract(table)))
        elif any(compact(c.text) for row in table.rows for c in row.cells):
            skipped.append(_skipped(table, index))
    if not parts:
        raise _not_a_target_table(tables, filename)
    kind = parts[0].kind  # one kind per input: tables of another kind are reported, not read
    skipped.extend(_skipped(p.table, i) for i, p in enumerate(parts) if p.kind != kind)
    parts = [p for p in parts if p.kind == kind]
    cuts = [p.incomplete for p in parts if p.incomplete is not None]
    if cuts and (strict or not any(p.has_content for p in parts)):
        raise refusal(cuts[0], filename)
    parts = [p for p in parts if p.has_content]
    if not parts:
        raise UnknownLayout(f"{filename}: 表中没有任何项目 (no project rows found)")
    documents = combine(parts)
    documents[0].warnings.extend(skipped)
    check_scans(tables, documents)
    return ParseResult(kind, tables[0].kind, parts, documents)


def read_bytes(
    data: bytes, filename: str, corrections: Mapping[str, str] | None = None
) -> Document:
    """Parse a target table held in memory; raise UnreadableDocument if it is not one, or if
    it holds the tables of several departments or years (``parse_bytes`` reads those)."""
    result = parse_bytes(data, filename, corrections=corrections)
    if result.kind == SELF_EVALUATION:
        raise SelfEvaluationFile(
            f"{filename}: 这是绩效自评表，不是绩效目标表；复核其得分请用 jixiao check"
            " (a self-evaluation)",
            result.evaluations,
        )
    documents = result.documents
    if len(documents) > 1:
        names = "、".join(d.department or str(d.year or "") or "未注明" for d in documents)
        raise UnreadableDocument(
            f"{filename}: 含 {len(documents)} 个部门或年度的目标表（{names}），"
            "请分别保存为单独的文件后再导入 (several departments or years)"
        )
    return documents[0]


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing missing, empty and oversized files before reading."""
    try:
        check_size(path.stat().st_size, path.name)
        return path.read_bytes()
    except IsADirectoryError:
        raise UnreadableDocument(f"{path.name}: 是目录，不是文件 (is a directory)") from None
    except OSError as exc:
        raise UnreadableDocument(f"{path.name}: 无法读取文件：{exc.strerror}") from None


def read_document(path: Path) -> Document:
    """Parse the target table in ``path``; raise UnreadableDocument if it is not one."""
    return read_bytes(read_file(path), path.name)

"""Messy published tables → domain objects, with every repair and warning recorded.

The stages: a reader turns bytes into a ``RawTable`` (cells with line numbers), a layout
recognises the table form and maps it to a ``Document``. ``parse_bytes`` keeps every stage in a
``ParseResult``; ``read_bytes`` and ``read_document`` return just the document.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.domain.document import Document
from jixiao.errors import UnknownLayout, UnreadableDocument
from jixiao.ingest.columns import is_foreign_header
from jixiao.ingest.layouts import LAYOUTS, choose_layout
from jixiao.ingest.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.ingest.readers import read_tables
from jixiao.ingest.result import ParseResult
from jixiao.ingest.sniff import check_size
from jixiao.ingest.truncation import check_complete

__all__ = ["ParseResult", "parse_bytes", "read_bytes", "read_document"]


def parse_bytes(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> ParseResult:
    """Read ``data`` (named ``filename`` in messages) through every stage: the first table of
    the input that a layout recognises."""
    tables = read_tables(data, filename, limits)
    for table in tables:
        chosen = choose_layout([(layout, layout.detect(table)) for layout in LAYOUTS])
        if chosen is not None:
            break
    else:
        if any(is_foreign_header(row) for t in tables for row in t.rows[:30]):
            raise UnknownLayout(
                f"{filename}: 这是其他类型的表（如绩效自评表、监控表），"
                "目前只能读取项目支出绩效目标表 (unsupported table kind)"
            )
        raise UnknownLayout(
            f"{filename}: 不是项目支出绩效目标表（未找到“绩效目标/绩效指标”表头或指标值）"
            " (not a performance target table)"
        )
    result = chosen[0].extract(table)
    if not result.document.projects:
        raise UnknownLayout(f"{filename}: 表中没有任何项目 (no project rows found)")
    check_complete(result, filename)
    return result


def read_bytes(data: bytes, filename: str) -> Document:
    """Parse a target table held in memory; raise UnreadableDocument if it is not one."""
    return parse_bytes(data, filename).document


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

"""The one registry of input kinds: what jixiao reads, how it recognises it, how it reads it.

Each ``InputKind`` names a kind of file (``source_kind`` as in the document contract), the
extensions and Chinese label people know it by, how to recognise it by content (``accepts``),
and how to read it into grid ``RawTable``s (``read``). Kinds are tried in ``priority`` order
(lowest first): containers recognised by content before plain text. The CLI, the import
service, the upload form (its ``accept=``) and the refusal messages all read this registry;
adding a kind is one reader module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import (
    delimited,
    docx,
    html,
    image,
    ocr_text,
    page_text,
    pdf_text,
    workbook,
)
from jixiao.ingest.readers.containers import refuse_protected_or_foreign
from jixiao.ingest.sniff import binary_kind, check_size


@dataclass(frozen=True)
class ReadOptions:
    """Choices a person can make about one input (more come with later kinds: page range …)."""

    sheet: str | None = None  # workbooks: read only this sheet
    keep_lines: bool = False  # workbooks: line breaks inside a cell kept, not joined


ReadFn = Callable[[bytes, str, ReadLimits, ReadOptions], tuple[RawTable, ...]]


@dataclass(frozen=True)
class InputKind:
    name: str
    source_kind: str
    label: str
    extensions: tuple[str, ...]
    priority: int
    accepts: Callable[[bytes, str], bool]
    read: ReadFn


def _workbook(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return workbook.read_workbook(data, name, limits, options.sheet, options.keep_lines)


def _delimited(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return delimited.read_delimited(data, name, limits)


def _docx(data: bytes, name: str, limits: ReadLimits, options: ReadOptions) -> tuple[RawTable, ...]:
    return docx.read_docx(data, name, limits)


def _html(data: bytes, name: str, limits: ReadLimits, options: ReadOptions) -> tuple[RawTable, ...]:
    return html.read_html(data, name, limits)


def _pdf_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return pdf_text.read_pdf(data, name, limits)


def _image(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return image.read_image(data, name, limits)


def _page_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return page_text.read_page_text(data, name, limits)


def _ocr_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    return (ocr_text.read_ocr_text(data, name),)


KINDS: tuple[InputKind, ...] = tuple(
    sorted(
        (
            InputKind(
                "xlsx", "xlsx", "Excel 工作簿", (".xlsx", ".xlsm"), 10, workbook.is_xlsx, _workbook
            ),
            InputKind(
                "xls", "xls", "Excel 97-2003 工作簿", (".xls",), 10, workbook.is_xls, _workbook
            ),
            InputKind("ods", "ods", "OpenDocument 表格", (".ods",), 10, workbook.is_ods, _workbook),
            InputKind("docx", "docx", "Word 文档", docx.EXTENSIONS, 10, docx.accepts, _docx),
            InputKind(
                "pdf_text",
                "pdf_text",
                "PDF 文件（文字版或扫描件）",
                (".pdf",),
                20,
                pdf_text.accepts,
                _pdf_text,
            ),
            InputKind(
                "image", "image", "图片（扫描件）", image.EXTENSIONS, 20, image.accepts, _image
            ),
            InputKind("html", "html", "网页", html.EXTENSIONS, 40, html.accepts, _html),
            InputKind(
                "csv",
                "csv",
                "CSV/TSV 表格",
                delimited.EXTENSIONS,
                50,
                delimited.accepts,
                _delimited,
            ),
            InputKind(
                "page_text",
                "page_text",
                "网页或 PDF 复制的表格文字",
                page_text.EXTENSIONS,
                80,
                page_text.accepts,
                _page_text,
            ),
            InputKind(
                "ocr_text", "ocr_text", "OCR 文本", (".txt",), 90, ocr_text.accepts, _ocr_text
            ),
        ),
        key=lambda kind: kind.priority,
    )
)


def kind_of(data: bytes, name: str) -> InputKind | None:
    """The first kind (by priority) that recognises ``data``; None when none does."""
    return next((kind for kind in KINDS if kind.accepts(data, name)), None)


def extensions() -> tuple[str, ...]:
    """Every extension of every kind, once each (page text and OCR text are both ``.txt``),
    for ``accept=`` and file pickers."""
    return tuple(dict.fromkeys(ext for kind in KINDS for ext in kind.extensions))


def supported() -> str:
    """The kinds in words, for messages: ``Excel 工作簿（.xlsx/.xlsm）、…``."""
    return "、".join(f"{kind.label}（{'/'.join(kind.extensions)}）" for kind in KINDS)


def read_tables(
    data: bytes,
    name: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    options: ReadOptions | None = None,
) -> tuple[RawTable, ...]:
    """Every table of ``data`` from the kind that recognises it; UnreadableDocument otherwise."""
    check_size(len(data), name, limits)
    kind = kind_of(data, name)
    if kind is not None:
        return kind.read(data, name, limits, options or ReadOptions())
    refuse_protected_or_foreign(data, name)
    what = binary_kind(data) or "无法识别的文件 (unknown file type)"
    raise UnreadableDocument(f"{name}: 这是{what}，无法读取；支持的格式：{supported()}")

"""The one registry of input kinds: what jixiao reads, how it recognises it, how it reads it.

Each ``InputKind`` names a kind of file (``source_kind`` as in the document contract), the
extensions and Chinese label people know it by, how to recognise it by content (``accepts``),
and how to read it into grid ``RawTable``s (``read``). Kinds are tried in ``priority`` order
(lowest first): containers recognised by content before plain text. The CLI, the import
service, the upload form (its ``accept=``) and the refusal messages all read this registry;
adding a kind is one reader module, its test in ``recognise`` and one line here.

The tests come from ``recognise``, which loads no reader; each ``read`` imports its reader
module when it is called, so reading a text file never loads python-calamine, pdfplumber,
lxml or the OCR engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import recognise as rec
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
    module: str  # the reader module ``read`` imports when called


def _workbook(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import workbook

    return workbook.read_workbook(data, name, limits, options.sheet, options.keep_lines)


def _delimited(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import delimited

    return delimited.read_delimited(data, name, limits)


def _docx(data: bytes, name: str, limits: ReadLimits, options: ReadOptions) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import docx

    return docx.read_docx(data, name, limits)


def _html(data: bytes, name: str, limits: ReadLimits, options: ReadOptions) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import html

    return html.read_html(data, name, limits)


def _pdf_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import pdf_text

    return pdf_text.read_pdf(data, name, limits)


def _image(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import image

    return image.read_image(data, name, limits)


def _page_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import page_text

    return page_text.read_page_text(data, name, limits)


def _ocr_text(
    data: bytes, name: str, limits: ReadLimits, options: ReadOptions
) -> tuple[RawTable, ...]:
    from jixiao.ingest.readers import ocr_text

    return (ocr_text.read_ocr_text(data, name),)


KINDS: tuple[InputKind, ...] = tuple(
    sorted(
        (
            InputKind(
                "xlsx",
                "xlsx",
                "Excel 工作簿",
                (".xlsx", ".xlsm"),
                10,
                rec.is_xlsx,
                _workbook,
                "jixiao.ingest.readers.workbook",
            ),
            InputKind(
                "xls",
                "xls",
                "Excel 97-2003 工作簿",
                (".xls",),
                10,
                rec.is_xls,
                _workbook,
                "jixiao.ingest.readers.workbook",
            ),
            InputKind(
                "ods",
                "ods",
                "OpenDocument 表格",
                (".ods",),
                10,
                rec.is_ods,
                _workbook,
                "jixiao.ingest.readers.workbook",
            ),
            InputKind(
                "docx",
                "docx",
                "Word 文档",
                rec.DOCX_EXTENSIONS,
                10,
                rec.is_docx,
                _docx,
                "jixiao.ingest.readers.docx",
            ),
            InputKind(
                "pdf_text",
                "pdf_text",
                "PDF 文件（文字版或扫描件）",
                (".pdf",),
                20,
                rec.is_pdf,
                _pdf_text,
                "jixiao.ingest.readers.pdf_text",
            ),
            InputKind(
                "image",
                "image",
                "图片（扫描件）",
                rec.IMAGE_EXTENSIONS,
                20,
                rec.is_image,
                _image,
                "jixiao.ingest.readers.image",
            ),
            InputKind(
                "html",
                "html",
                "网页",
                rec.HTML_EXTENSIONS,
                40,
                rec.is_html,
                _html,
                "jixiao.ingest.readers.html",
            ),
            InputKind(
                "csv",
                "csv",
                "CSV/TSV 表格",
                rec.DELIMITED_EXTENSIONS,
                50,
                rec.is_delimited,
                _delimited,
                "jixiao.ingest.readers.delimited",
            ),
            InputKind(
                "page_text",
                "page_text",
                "网页或 PDF 复制的表格文字",
                rec.PAGE_TEXT_EXTENSIONS,
                80,
                rec.is_page_text,
                _page_text,
                "jixiao.ingest.readers.page_text",
            ),
            InputKind(
                "ocr_text",
                "ocr_text",
                "OCR 文本",
                (".txt",),
                90,
                rec.is_text,
                _ocr_text,
                "jixiao.ingest.readers.ocr_text",
            ),
        ),
        key=lambda kind: kind.priority,
    )
)


def kind_of(data: bytes, name: str) -> InputKind | None:
    """The first kind (by priority) that recognises ``data``; None when none does."""
    return next((kind for kind in KINDS if kind.accepts(data, name)), None)


def reader_modules() -> tuple[str, ...]:
    """Every reader module, once each: what a process that reads many inputs loads up front
    (the fork server of ``ingest.isolated``)."""
    return tuple(dict.fromkeys(kind.module for kind in KINDS))


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

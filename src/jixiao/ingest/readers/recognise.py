"""How each input kind is recognised, by its bytes and its name, without loading its reader.

The registry tries every kind's test on every input, so the tests live here, apart from the
readers: recognising a text file must not import the workbook, PDF, Word, web-page or OCR
reader (and with them python-calamine, pdfplumber, lxml or onnxruntime). A reader module is
imported only when its kind has been chosen. Each test is cheap: a signature, the zip's part
names, an OLE2 directory entry, or, for page text, the decoded text's labels.
"""

from __future__ import annotations

import re

from jixiao.errors import UnreadableDocument
from jixiao.ingest.readers.containers import (
    ODS_MIMETYPE,
    ZIP_MAGIC,
    has_stream,
    is_ole2,
    zip_member,
    zip_names,
)
from jixiao.ingest.readers.ocr_text import decode_text
from jixiao.ingest.sniff import binary_kind, check_not_binary

DOCX_EXTENSIONS = (".docx", ".docm", ".dotx")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml")
DELIMITED_EXTENSIONS = (".csv", ".tsv")
PAGE_TEXT_EXTENSIONS = (".txt",)

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_SQUEEZE = re.compile(r"[\s|]+")
_LIST_HEADER = re.compile(r"项目名称.*(?:总计|绩效目标|绩效指标)")
_COLUMN_LABELS = (
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
    "得分",
    "财政拨款",
    "资金总额",
)


def is_xlsx(data: bytes, name: str) -> bool:
    return "xl/workbook.xml" in zip_names(data)


def is_xls(data: bytes, name: str) -> bool:
    return is_ole2(data) and (has_stream(data, "Workbook") or has_stream(data, "Book"))


def is_ods(data: bytes, name: str) -> bool:
    names = zip_names(data)
    return "content.xml" in names and zip_member(data, "mimetype", 128).strip() == ODS_MIMETYPE


def is_docx(data: bytes, name: str) -> bool:
    """A Word document by its parts (whatever its name), or a damaged zip named like one."""
    if "word/document.xml" in zip_names(data):
        return True
    return data.startswith(ZIP_MAGIC) and name.lower().endswith(DOCX_EXTENSIONS)


def is_pdf(data: bytes, name: str) -> bool:
    """A PDF by its signature (``%PDF-`` within the first KiB, as readers allow)."""
    return b"%PDF-" in data[:1024]


def is_image(data: bytes, name: str) -> bool:
    return data.startswith(_IMAGE_MAGIC)


def is_html(data: bytes, name: str) -> bool:
    """A web page by its name (.html, .htm …) or, whatever its name, by its content: markup
    with an ``<html`` element in the first kilobyte (Word's "save as web page" files renamed
    .doc are HTML too)."""
    if name.lower().endswith(HTML_EXTENSIONS):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<html" in head


def is_delimited(data: bytes, name: str) -> bool:
    """A text file named .csv or .tsv."""
    return name.lower().endswith(DELIMITED_EXTENSIONS) and is_text(data, name)


def _is_list_header(line: str) -> bool:
    """A list's header line: 项目名称 as one column label among others (a form gives it a line
    of its own, with the name beside it)."""
    if "项目名称" not in line:
        return False
    return bool(_LIST_HEADER.search(line)) or sum(w in line for w in _COLUMN_LABELS) >= 2


def page_text_kind(text: str) -> str | None:
    """``self_evaluation`` or ``project_targets`` when ``text`` reads as forms, else None."""
    squeezed = _SQUEEZE.sub("", text)
    if "项目名称" not in squeezed:
        return None
    if any(_is_list_header(_SQUEEZE.sub("", line)) for line in text.splitlines()[:200]):
        return None
    if "实际完成值" in squeezed or "全年执行数" in squeezed:
        return "self_evaluation"
    if "资金总额" in squeezed and ("目标" in squeezed):
        return "project_targets"
    return None


def is_page_text(data: bytes, name: str) -> bool:
    if binary_kind(data) is not None:
        return False
    try:
        text, _ = decode_text(data, name)
    except UnreadableDocument:
        return False
    return page_text_kind(text) is not None


def is_text(data: bytes, name: str) -> bool:
    """Text of any supported encoding: no binary signature, no NUL bytes (except UTF-16)."""
    try:
        check_not_binary(data, name)
    except UnreadableDocument:
        return False
    return True

"""OCR text (one table row per line, cells separated by tabs) → RawTable.

The text is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030. Cells are
split on tabs; a file without any tab falls back to Markdown pipes or runs of 2+ spaces.
"""

from __future__ import annotations

import re

from jixiao.errors import UnreadableDocument
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.sniff import check_not_binary, check_size

_WIDE_GAP = re.compile(r" {2,}|\u3000{2,}")
_MD_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` and name the encoding used; raise UnreadableDocument if neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise UnreadableDocument(
                f"{name}: 文件在一个字符中间结束，内容不完整 (truncated file)"
            ) from None
    return _decode(data, "gb18030", name), "gb18030"


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableDocument(
            f"{name}: 既不是 UTF-8 也不是 GB18030 编码的文本 (not UTF-8 or GB18030 text)"
        ) from None


def split_cells(line: str, tabbed: bool) -> list[str]:
    """Cells of one line: tabs, else Markdown pipes, else wide space gaps."""
    if tabbed:
        return line.split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return [c.strip() for c in stripped[1:-1].split("|")]
    return _WIDE_GAP.split(stripped)


def read_ocr_text(data: bytes, name: str) -> RawTable:
    """Bytes of an OCR text export → RawTable with every non-blank line as a row."""
    check_size(len(data), name)
    check_not_binary(data, name)
    text, encoding = decode_text(data, name)
    lines = text.splitlines()
    tabbed = any("\t" in ln for ln in lines)
    rows: list[RawRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (not tabbed and _MD_RULE.match(line.strip())):
            continue
        texts = split_cells(line.rstrip("\r\n"), tabbed)
        cells = tuple(RawCell(t, col, number) for col, t in enumerate(texts))
        rows.append(RawRow(number, cells))
    if not rows:
        raise UnreadableDocument(f"{name}: 文件只有空白，没有内容 (blank file)")
    return RawTable(tuple(rows), name, len(lines), "ocr_text", (f"encoding={encoding}",))

"""Readers turn the bytes of one input kind into a RawTable.

Each reader is a module here with ``accepts(data, name)`` and ``read(data, name)``; a text-layer
PDF or an Excel reader is added by writing such a module and listing it in ``READERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.errors import UnreadableDocument
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import excel, ocr_text
from jixiao.ingest.sniff import check_not_binary, check_size


@dataclass(frozen=True)
class Reader:
    name: str
    accepts: Callable[[bytes, str], bool]
    read: Callable[[bytes, str], RawTable]


READERS: tuple[Reader, ...] = (
    Reader("excel", excel.is_xlsx, excel.read_excel),
    Reader("ocr_text", ocr_text.accepts, ocr_text.read_ocr_text),
)


def read_table(data: bytes, name: str) -> RawTable:
    """The RawTable of ``data`` from the first reader that accepts it."""
    check_size(len(data), name)
    for reader in READERS:
        if reader.accepts(data, name):
            return reader.read(data, name)
    check_not_binary(data, name)  # names the kind of file in its message
    raise UnreadableDocument(f"{name}: 无法识别的文件类型 (unknown file type)")

"""Bounds every reader keeps against hostile files: size, cells, rows, columns, pages, time.

A reader takes a ``ReadLimits`` (the defaults suit any real target table many times over) and
calls these checks before and while it reads, so a crafted file costs at most its bounds:

- ``check_zip`` before opening an Office/ODF zip: declared uncompressed size, member count and
  compression ratio (zip bombs), without inflating anything;
- ``Budget.cell(...)`` / ``Budget.page()`` while reading: counts cells and pages and watches
  the clock, raising ``UnreadableDocument`` with one line when a bound is passed;
- ``check_extent`` on a sheet's declared dimensions before walking it (a workbook with cells
  only at ``A1`` and ``XFD1048576`` is refused, not walked).
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass, field

from jixiao.errors import UnreadableDocument


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed: int = 200 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed for one zip member
    max_members: int = 10_000
    max_rows: int = 100_000
    max_cols: int = 256
    max_cells: int = 2_000_000
    max_pages: int = 500
    max_seconds: float = 60.0
    max_scan_pages: int = 100  # pages read by OCR (seconds each)
    max_scan_seconds: float = 600.0  # the time bound once OCR starts


DEFAULT_LIMITS = ReadLimits()


def check_zip(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking what it declares; UnreadableDocument if hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableDocument(f"{name}: 文件已损坏或不是有效的压缩格式 (corrupt file)") from None
    if len(members) > limits.max_members:
        raise UnreadableDocument(f"{name}: 文件内部条目过多（{len(members)}）(too many members)")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise UnreadableDocument(
            f"{name}: 解压后过大（{total // (1024 * 1024)} MB，上限 "
            f"{limits.max_uncompressed // (1024 * 1024)} MB）(zip bomb?)"
        )
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise UnreadableDocument(f"{name}: 压缩比异常（{m.filename}）(zip bomb?)")
    return archive


def check_extent(rows: int, cols: int, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a table whose declared extent passes the row, column or cell bounds."""
    if rows > limits.max_rows or cols > limits.max_cols or rows * cols > limits.max_cells:
        raise UnreadableDocument(
            f"{name}: 表格范围过大（{rows} 行 × {cols} 列，上限 {limits.max_rows} 行、"
            f"{limits.max_cols} 列、{limits.max_cells} 格）(table too large)"
        )


@dataclass
class Budget:
    """Counts what a reader has read and the time it took, against ``limits``."""

    name: str
    limits: ReadLimits = DEFAULT_LIMITS
    cells: int = 0
    pages: int = 0
    started: float = field(default_factory=time.monotonic)

    def cell(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise UnreadableDocument(
                f"{self.name}: 单元格过多（超过 {self.limits.max_cells}）(too many cells)"
            )
        if self.cells % 4096 < count:
            self.clock()

    def page(self) -> None:
        self.pages += 1
        if self.pages > self.limits.max_pages:
            raise UnreadableDocument(
                f"{self.name}: 页数过多（超过 {self.limits.max_pages}）(too many pages)"
            )
        self.clock()

    def clock(self) -> None:
        if time.monotonic() - self.started > self.limits.max_seconds:
            raise UnreadableDocument(
                f"{self.name}: 读取超时（超过 {self.limits.max_seconds:g} 秒）(reading timed out)"
            )

"""Quick checks that refuse inputs which cannot be a text target table, before any parsing."""

from __future__ import annotations

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, ReadLimits

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"RIFF", "RIFF（WebP 等）文件"),
    (b"%PDF", "PDF 文件（尚不支持直接读取，请先转为文本）"),
    (b"PK\x03\x04", "ZIP 压缩包"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文档"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"7z\xbc\xaf", "7z 压缩文件"),
    (b"Rar!", "RAR 压缩文件"),
    (b"\x7fELF", "可执行文件"),
)


def check_size(size: int, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse empty and oversized inputs by size alone (no need to read them)."""
    if size == 0:
        raise UnreadableDocument(f"{name}: 文件为空 (empty file)")
    if size > limits.max_bytes:
        mb, limit = size / (1024 * 1024), limits.max_bytes // (1024 * 1024)
        raise UnreadableDocument(
            f"{name}: 文件过大（{mb:.1f} MB，上限 {limit} MB）(file too large)"
        )


def binary_kind(data: bytes) -> str | None:
    """What a binary input is (``PNG 图片`` …), None for text (any supported encoding)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text with a byte-order mark
    return "二进制文件 (binary file)" if b"\x00" in head else None


def check_not_binary(data: bytes, name: str) -> None:
    """Refuse images, archives, PDFs and other binary files with a message naming the kind."""
    kind = binary_kind(data)
    if kind is not None:
        raise UnreadableDocument(f"{name}: 这是{kind}，无法作为绩效目标表读取")

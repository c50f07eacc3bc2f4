"""What a binary container holds, by content rather than by name: zip parts and OLE2 streams.

Office files come in two containers. Since 2007 they are zips (``xl/workbook.xml`` for a
workbook, ``word/document.xml`` for Word, a ``mimetype`` part for OpenDocument); before, and for
encrypted files of any age, they are OLE2 compound files whose directory names the streams
(``Workbook``/``Book`` for .xls, ``WordDocument`` for .doc and WPS, ``EncryptedPackage`` for a
password-protected .xlsx/.docx). Readers decide by these, so a misnamed or WPS-saved file is read
for what it is, and a renamed zip or an old Word file gets a message that says what to do.
"""

from __future__ import annotations

import io
import zipfile

from jixiao.errors import UnreadableDocument

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENTRY = 128  # an OLE2 directory entry; entries start on 128-byte boundaries


def zip_names(data: bytes) -> frozenset[str]:
    """The part names of a zip (read from its central directory only), empty if not a zip."""
    if not data.startswith(ZIP_MAGIC):
        return frozenset()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return frozenset(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return frozenset()


def zip_member(data: bytes, member: str, limit: int = 4096) -> bytes:
    """The first ``limit`` bytes of a small zip part, empty when absent or unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as part:
            return part.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return b""


def is_ole2(data: bytes) -> bool:
    return data.startswith(OLE2_MAGIC)


def has_stream(data: bytes, stream: str) -> bool:
    """Whether an OLE2 file's directory names ``stream`` (case-insensitive, as OLE2 compares).

    A directory entry holds the name in UTF-16LE at its start and the name's byte length
    (with the terminating NUL) 64 bytes in; both must match at an entry boundary.
    """
    if not is_ole2(data):
        return False
    length = ((len(stream) + 1) * 2).to_bytes(2, "little")
    for variant in {stream, stream.upper(), stream.lower()}:
        needle = variant.encode("utf-16-le") + b"\x00\x00"
        start = data.find(needle, 512)
        while start != -1:
            if start % _ENTRY == 0 and data[start + 64 : start + 66] == length:
                return True
            start = data.find(needle, start + 1)
    return False


def refuse_protected_or_foreign(data: bytes, name: str) -> None:
    """Refuse containers that no reader takes, saying what they are and what to do."""
    if is_ole2(data):
        if has_stream(data, "EncryptedPackage") or has_stream(data, "EncryptionInfo"):
            raise UnreadableDocument(
                f"{name}: 文件设有打开密码，请取消密码后重新保存再导入 (password-protected)"
            )
        if has_stream(data, "WordDocument"):
            raise UnreadableDocument(
                f"{name}: 这是旧版 Word/WPS 文字文档（.doc/.wps），请另存为 .docx 后再导入"
                " (old binary Word file: save as .docx)"
            )
        if has_stream(data, "PowerPoint Document"):
            raise UnreadableDocument(f"{name}: 这是 PowerPoint 演示文稿，不是表格 (presentation)")
        raise UnreadableDocument(
            f"{name}: 无法识别的旧版 Office 文件，请另存为 .xlsx 或 .docx (unknown OLE2 file)"
        )
    names = zip_names(data)
    if data.startswith(ZIP_MAGIC):
        if any(n.startswith("ppt/") for n in names):
            raise UnreadableDocument(f"{name}: 这是 PowerPoint 演示文稿，不是表格 (presentation)")
        if any(n.startswith("word/") for n in names):
            raise UnreadableDocument(
                f"{name}: Word 文档缺少正文（word/document.xml），可能已损坏 (damaged Word file)"
            )
        raise UnreadableDocument(
            f"{name}: 这是 ZIP 压缩包，不是 Excel 或 Word 文件；请解压后分别导入其中的表格"
            " (zip archive, not an Office file)"
        )

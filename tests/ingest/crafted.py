"""Hostile and odd files built byte by byte, as an attacker or an old tool would write them."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

import xlwt

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1"/><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_with_sheet(sheet_data: str | Iterable[bytes]) -> bytes:
    """A minimal .xlsx whose one sheet holds ``sheet_data`` (a string, or chunks streamed in)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        if isinstance(sheet_data, str):
            archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + sheet_data + SHEET_TAIL)
        else:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(SHEET_HEAD.encode())
                for chunk in sheet_data:
                    part.write(chunk)
                part.write(SHEET_TAIL.encode())
    return out.getvalue()


def sparse_corners_xlsx() -> bytes:
    """Values only at ``A1`` and ``XFD1048576``: 17 billion cells if walked densely."""
    return xlsx_with_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )


def zip_bomb_xlsx(megabytes: int) -> bytes:
    """A workbook whose sheet XML inflates to ``megabytes`` MB of repeated rows."""
    row = b'<row><c t="inlineStr"><is><t>' + b"\xe5\x8d\x95" * 40 + b"</t></is></c></row>"
    block = row * (1024 * 1024 // len(row))
    return xlsx_with_sheet(block for _ in range(megabytes))


def ods_with_content(body: str) -> bytes:
    """A minimal .ods whose ``content.xml`` spreadsheet body is ``body``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole2(streams: dict[str, bytes]) -> bytes:
    """A compound file (OLE2, version 3, 512-byte sectors) holding ``streams`` at its root.

    Enough of the format for any reader to list and open the streams: one FAT sector, one
    directory sector (root + up to three streams), each stream padded to 4096 bytes so it sits
    in regular sectors rather than the mini stream.
    """
    assert len(streams) <= 3
    sectors: list[bytes] = []
    fat = [_FAT, _END]
    entries = [_dir_entry("Root Entry", 5, child=1 if streams else _FREE, start=_END, size=0)]
    next_sector = 2
    for index, (name, data) in enumerate(streams.items(), start=1):
        data = data.ljust(max(4096, -(-len(data) // 512) * 512), b"\x00")
        count = len(data) // 512
        sibling = index + 1 if index < len(streams) else _FREE
        entries.append(_dir_entry(name, 2, right=sibling, start=next_sector, size=len(data)))
        fat += [next_sector + i + 1 for i in range(count - 1)] + [_END]
        sectors += [data[i * 512 : (i + 1) * 512] for i in range(count)]
        next_sector += count
    assert len(fat) <= 128
    fat_sector = struct.pack("<128I", *(fat + [_FREE] * (128 - len(fat))))
    directory = b"".join(entries).ljust(512, b"\x00")
    for i in range(len(entries), 4):  # unused entries are marked free
        start = i * 128
        directory = (
            directory[: start + 68]
            + struct.pack("<3I", _FREE, _FREE, _FREE)
            + directory[start + 80 :]
        )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    return header + fat_sector + directory + b"".join(sectors)


def _dir_entry(
    name: str, kind: int, *, right: int = _FREE, child: int = _FREE, start: int, size: int
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _FREE, right, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<IQ", start, size)
    )


def dense_xls() -> bytes:
    """Two values, at A1 and IV65536: the reader must build all 16.7 million cells between."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("表1")
    sheet.write(0, 0, "项目名称")
    sheet.write(65535, 255, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Which cell styles of an .xlsx show numbers with fixed places, read from ``xl/styles.xml``.

Only these styles matter to the reader (``90`` shown as ``90.00``), so only they are collected;
a workbook without any costs one small XML parse.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from jixiao.ingest.readers.cell_text import places

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Built-in number formats (ECMA-376 §18.8.30) that show places or a percentage.
_BUILT_IN = {
    2: "0.00",
    4: "#,##0.00",
    7: "#,##0.00",
    8: "#,##0.00",
    9: "0%",
    10: "0.00%",
    39: "#,##0.00",
    40: "#,##0.00",
    43: "#,##0.00",
    44: "#,##0.00",
}
MAX_STYLES_BYTES = 8 * 1024 * 1024


def fixed_place_styles(archive: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index → number format, for the styles that show fixed places or percent."""
    try:
        info = archive.getinfo("xl/styles.xml")
    except KeyError:
        return {}
    if info.file_size > MAX_STYLES_BYTES:
        return {}
    try:
        root = ET.fromstring(archive.read(info))
    except ET.ParseError:
        return {}
    codes = dict(_BUILT_IN)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        ident = fmt.get("numFmtId", "")
        if ident.isdigit():
            codes[int(ident)] = fmt.get("formatCode", "")
    xfs = root.find(f"{_MAIN}cellXfs")
    styles: dict[int, str] = {}
    for index, xf in enumerate(xfs if xfs is not None else ()):
        ident = xf.get("numFmtId", "0")
        code = codes.get(int(ident), "") if ident.isdigit() else ""
        if code and places(code) is not None:
            styles[index] = code
    return styles

"""CSV/TSV exports: encodings, delimiters, quoted line breaks; and kinds recognised by content."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from jixiao.ingest.readers import kind_of, read_tables

ROWS = [["项目名称", "总计", "备注"], ["物业管理费", "90.00", "含保洁\n及绿化"], ["", "", ""]]


def _csv(sep: str) -> str:
    lines = []
    for row in ROWS:
        lines.append(sep.join(f'"{c}"' if "\n" in c else c for c in row))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "sep", "name"),
    [
        ("utf-8", ",", "t.csv"),
        ("utf-8-sig", ",", "t.csv"),
        ("gb18030", ",", "t.csv"),
        ("gbk", ";", "t.csv"),
        ("utf-8", "\t", "t.tsv"),
        ("utf-8", "|", "t.csv"),
    ],
)
def test_csv_is_read_as_a_grid(encoding: str, sep: str, name: str) -> None:
    (table,) = read_tables(_csv(sep).encode(encoding), name)
    assert table.kind == "csv"
    assert table.grid
    assert [r.texts for r in table.rows] == [
        ("项目名称", "总计", "备注"),
        ("物业管理费", "90.00", "含保洁及绿化"),
    ]
    assert [c.ref for c in table.rows[1].cells] == ["A2", "B2", "C2"]
    assert any(n.startswith("encoding=") for n in table.notes)


def test_a_workbook_named_txt_is_read_as_a_workbook() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "预算"
    ws["B3"] = "项目名称"
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    kind = kind_of(data, "导出.txt")
    assert kind is not None
    assert kind.source_kind == "xlsx"
    (table,) = read_tables(data, "导出.txt")
    assert table.rows[0].cells[0].ref == "预算!B3"

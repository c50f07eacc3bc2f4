"""Property: any target document exports to xlsx and PDF, and the xlsx reads back the same."""

from __future__ import annotations

import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jixiao.domain.document import Document
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.export import render, target_sheets

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&\"'；，项目\x0b"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")
amounts = st.none() | st.decimals(min_value=0, max_value=10**8, places=2)
levels = st.none() | st.builds(
    LevelRef, st.none() | st.sampled_from(["1", "2", "3", "11", "22", "x"]), st.none() | texts
)
indicators = st.builds(
    Indicator,
    name=texts,
    level1=levels,
    level2=levels,
    period=st.none() | texts.map(parse_target),
    annual=st.none() | texts.map(parse_target),
)
projects = st.builds(
    Project,
    name=texts,
    amounts=st.builds(Amounts, amounts, amounts, amounts, amounts),
    goal=st.none() | texts,
    indicators=st.lists(indicators, max_size=6),
)


def stored(text: str) -> str | None:
    """What a worksheet cell keeps of ``text``."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", lf) or None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.builds(
        Document, projects=st.lists(projects, min_size=1, max_size=4), department=st.none() | texts
    )
)
def test_any_document_exports(doc: Document) -> None:
    sheets = target_sheets(doc)
    ws = load_workbook(io.BytesIO(render(sheets, "xlsx"))).active
    assert ws is not None
    names = [ws.cell(row, 1).value for row in range(5, 5 + len(doc.projects))]
    # Control characters cannot live in a worksheet and are dropped; everything else stays.
    assert names == [stored(p.name) for p in doc.projects]
    totals = [ws.cell(row, 2).value for row in range(5, 5 + len(doc.projects))]
    assert [None if t is None else Decimal(str(t)) for t in totals] == [
        p.amounts.total for p in doc.projects
    ]
    assert render(sheets, "pdf").startswith(b"%PDF")
    for project in doc.projects:
        form = render(target_sheets(Document(projects=[project]), project.name), "xlsx")
        assert form.startswith(b"PK")

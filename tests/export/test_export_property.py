"""Property: any target document exports to xlsx and PDF, and the xlsx reads back the same."""

from __future__ import annotations

import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, QualitativeTier
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.export import render, selfeval_sheets, target_sheets
from jixiao.scoring.weights import load_scoring_profile

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


LEVELS = [
    (("1", "产出指标"), ("11", "数量指标")),
    (("1", "产出指标"), ("14", "成本指标")),
    (("2", "效益指标"), ("22", "社会效益指标")),
    (("3", "满意度指标"), ("31", "服务对象满意度指标")),
    ((None, "未知"), (None, "未知")),
]


@st.composite
def actual_rows(draw: st.DrawFn) -> IndicatorActual:
    (c1, n1), (c2, n2) = draw(st.sampled_from(LEVELS))
    target = draw(
        st.sampled_from(["≥95%", "≤5分钟", "1800台", "0", "效果明显", "2023年12月31日前"])
    )
    kind = draw(st.sampled_from(["actual", "tier", "na", "none"]))
    kw: dict[str, object] = {"deviation": draw(st.sampled_from(["", "原因<&>"]))}
    if kind == "actual":
        kw["actual"] = draw(st.decimals(min_value=-10, max_value=5000, places=2))
    elif kind == "tier":
        kw["tier"] = draw(st.sampled_from(list(QualitativeTier)))
    elif kind == "na":
        kw["not_applicable"] = True
    return IndicatorActual(
        draw(texts), parse_target(target), LevelRef(c1, n1), LevelRef(c2, n2), **kw
    )  # type: ignore[arg-type]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(actual_rows(), max_size=10), budget=st.none() | st.integers(0, 10**6))
def test_any_self_evaluation_exports(rows: list[IndicatorActual], budget: int | None) -> None:
    funds = (
        []
        if budget is None
        else [
            FundsExecution(
                BudgetLine.TOTAL,
                Money.of(str(budget), MoneyUnit.WAN_YUAN),
                Money.of(str(budget // 2), MoneyUnit.WAN_YUAN),
            )
        ]
    )
    ev = SelfEvaluation("项目", 2023, funds=funds, indicators=rows)
    sheets = selfeval_sheets([ev], load_scoring_profile())
    ws = load_workbook(io.BytesIO(render(sheets, "xlsx"))).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"
    assert render(sheets, "pdf").startswith(b"%PDF")

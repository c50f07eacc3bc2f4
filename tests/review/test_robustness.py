"""The review never crashes on odd input and its findings always point at real places."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.review import load_profile, report_to_json, review_document, review_project

TEXT = st.text(
    alphabet="率数量满意度成本时限投诉合格效果明显≥≤<>=%0123456789.万元天个 ,，、*_-", max_size=24
)
LEVEL = st.one_of(
    st.none(),
    st.builds(
        LevelRef,
        st.one_of(st.none(), st.sampled_from(["1", "2", "3", "11", "12", "14", "22", "31", "9"])),
        st.one_of(st.none(), st.sampled_from(["产出指标", "效益", "质量指标", "满意度", "怪"])),
    ),
)
TARGET = st.one_of(st.none(), TEXT.map(parse_target))
AMOUNT = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2))
INDICATOR = st.builds(
    Indicator, name=TEXT, level1=LEVEL, level2=LEVEL, period=TARGET, annual=TARGET
)
PROJECT = st.builds(
    Project,
    name=TEXT,
    amounts=st.builds(Amounts, AMOUNT, AMOUNT, AMOUNT, AMOUNT),
    goal=st.one_of(st.none(), TEXT),
    indicators=st.lists(INDICATOR, max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(
    projects=st.lists(PROJECT, max_size=6),
    unit=st.sampled_from([None, MoneyUnit.WAN_YUAN, MoneyUnit.YUAN]),
    year=st.one_of(st.none(), st.integers(2000, 2100)),
    profile=st.sampled_from(["national", "guangzhou"]),
)
def test_any_document_reviews_cleanly(
    projects: list[Project], unit: MoneyUnit | None, year: int | None, profile: str
) -> None:
    doc = Document(projects, unit=unit, year=year)
    report = review_document(doc, load_profile(profile))
    assert len(report.project_grades) == len(projects)
    for f in report.findings:
        project = projects[f.project_index]
        assert f.project == project.name
        if f.indicator_index is not None:
            assert f.indicator == project.indicators[f.indicator_index].name
        assert f.message
        assert all(isinstance(v, str) for v in f.evidence.values())
    for grade in report.project_grades:
        assert 0 <= grade.score <= 100
    assert 0 <= report.document_grade.score <= 100
    report_to_json(report)
    for project in projects:
        review_project(project)


def test_zero_budget_and_empty_project_do_not_divide_by_zero() -> None:
    doc = Document([Project("空项目", Amounts(Decimal(0), Decimal(0)))])
    rules = {f.rule for f in review_document(doc).findings}
    assert {"JX038", "JX015", "JX003"} <= rules

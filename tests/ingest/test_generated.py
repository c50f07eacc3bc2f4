"""Random documents rendered with each OCR noise class must parse back to what was rendered."""

from __future__ import annotations

import pytest
from generator import Noise, Rendered, document_view, indicator_view, rendered, unreported
from hypothesis import HealthCheck, Phase, given, settings

from jixiao.ingest import read_bytes

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Noise classes the reader does not handle yet, each with what goes wrong.
KNOWN_FAILING: dict[Noise, str] = {}


def assert_parses_back(case: Rendered) -> None:
    """Same data as rendered; each project's source lines are the lines it was rendered on,
    and every repair the rendering calls for is reported."""
    parsed = read_bytes(case.data, "x.txt")
    assert document_view(parsed) == document_view(case.document), case.text
    for where, project in zip(case.projects, parsed.projects, strict=True):
        assert list(project.source.lines) == where.lines, (project.name, case.text)
        assert unreported(where, project) == [], (project.name, project.repairs, case.text)


@FAST
@given(rendered())
def test_clean_rendering(case: Rendered) -> None:
    assert_parses_back(case)
    parsed = read_bytes(case.data, "x.txt")
    assert [(p.repairs, p.warnings) for p in parsed.projects] == [([], [])] * len(parsed.projects)
    assert parsed.warnings == []


def _noise_param(noise: Noise) -> object:
    if noise not in KNOWN_FAILING:
        return noise
    return pytest.param(noise, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[noise]))


@pytest.mark.parametrize("noise", [_noise_param(n) for n in Noise])
def test_each_noise_class(noise: Noise) -> None:
    # Known failures run derandomized, so that they fail on every run until fixed, and
    # without shrinking (their minimal inputs are the example tests at the end).
    known = noise in KNOWN_FAILING
    phases = [Phase.generate] if known else list(Phase)

    @settings(FAST, derandomize=known, phases=phases)
    @given(rendered(frozenset({noise})))
    def check(case: Rendered) -> None:
        assert_parses_back(case)

    check()


@settings(FAST, max_examples=50)
@given(rendered(frozenset(Noise) - frozenset(KNOWN_FAILING)))
def test_all_noise_classes_combined(case: Rendered) -> None:
    assert_parses_back(case)


def _split_row_text(first: str, second: str, tail: str = "理费") -> bytes:
    """A one-project table whose row was cut at a page break, through its name."""
    return (
        "项目支出绩效目标表\n部门名称:某区某局\n单位: 万元\n"
        "项目名称\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n"
        "物业管\t1.00\t1.00\t\t\t保障机关日常办公需求。\t"
        f"1、1-产出指标,11-数量指标,服务天数;实施周期指标值:365天,年度指标值:365天{first}\n"
        f"{tail}\t{second}\n"
    ).encode()


def _assert_one_joined_project(data: bytes, name: str = "物业管理费") -> None:
    doc = read_bytes(data, "x.txt")
    assert [p.name for p in doc.projects] == [name]
    assert [indicator_view(i) for i in doc.projects[0].indicators] == [
        (("1", "产出指标"), ("11", "数量指标"), "服务天数", "365天", "365天"),
        (("1", "产出指标"), ("12", "质量指标"), "验收通过率", "100%", "100%"),
    ]


def test_split_after_bare_item() -> None:
    data = _split_row_text(
        ";,2、1-产出指标,12-质量指标,验收通过率;", "实施周期指标值:100%,年度指标值:100%;"
    )
    _assert_one_joined_project(data)


def test_split_in_bare_level_after_comma() -> None:
    second = "量指标,验收通过率;实施周期指标值:100%,年度指标值:100%;"
    data = _split_row_text("，12-质", second, tail="理费用")
    _assert_one_joined_project(data, name="物业管理费用")

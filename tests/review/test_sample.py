"""The review of the real published sample finds what a careful reviewer finds, nothing silly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jixiao.ingest import read_document
from jixiao.review import Finding, ReviewReport, review_document

SAMPLE = Path(__file__).resolve().parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


@pytest.fixture(scope="module")
def report() -> ReviewReport:
    return review_document(read_document(SAMPLE))


def _of(report: ReviewReport, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def _project(report: ReviewReport, prefix: str, rule: str) -> list[Finding]:
    return [f for f in _of(report, rule) if f.project.startswith(prefix)]


def test_benefit_level_with_satisfaction_level2_is_a_level_mismatch(report: ReviewReport) -> None:
    hits = _project(report, "物业管理费", "JX001")
    assert [f.indicator for f in hits] == ["每月考评达标率"]
    assert hits[0].evidence["一级指标"] == "2-效益指标"
    assert hits[0].evidence["二级指标"].startswith("31-")


def test_cost_targets_above_the_budget(report: ReviewReport) -> None:
    hits = {(f.project, f.evidence["项目总额"], f.evidence["折合"]) for f in _of(report, "JX005")}
    assert hits == {
        ("后勤人员专项支出", "110万元", "213万元"),
        ("后勤人员专项经费(预下达)", "32万元", "213万元"),
        ("商事主体档案容e查软件产品购买项目", "42.25万元", "150万元"),
    }


def test_payroll_cost_equal_to_budget_is_not_flagged(report: ReviewReport) -> None:
    assert not _project(report, "政府雇员工资费用", "JX005")
    assert not _project(report, "政府雇员公用经费", "JX005")


def test_duplicated_indicator(report: ReviewReport) -> None:
    hits = _project(report, "资产综合管理信息系统", "JX009")
    assert [f.indicator for f in hits] == ["用户故障请求受理率"]


def test_hundred_versus_zero_rate(report: ReviewReport) -> None:
    hits = [f for f in _of(report, "JX008") if f.indicator == "就业岗位招聘公开化程度"]
    assert len(hits) == 1
    assert hits[0].evidence == {"实施周期指标值": "100%", "年度指标值": "0%"}


def test_projects_without_satisfaction_indicator(report: ReviewReport) -> None:
    missing = {f.project for f in _of(report, "JX003") if "满意度指标" in f.evidence["缺少"]}
    assert {"公务用车更新购置费", "执法办案专项经费", "区食安办工作经费"} <= missing
    assert "物业管理费" not in missing  # it has a 31-indicator besides the misfiled one
    assert "信息化运行维护项目" not in missing  # satisfaction filed under 31, level 1 wrong


def test_satisfaction_of_one_hundred_percent(report: ReviewReport) -> None:
    projects = {f.project for f in _of(report, "JX007")}
    assert {"政府雇员工资费用", "罚没物品仓储费", "罚没物品处置费"} <= projects
    assert "打假专项经费" not in projects  # >90%


def test_known_defects_of_the_extended_catalogue(report: ReviewReport) -> None:
    assert [f.indicator for f in _of(report, "JX023") if f.project.startswith("特种设备")] == [
        "智慧电梯完成率"
    ]
    satisfaction_misplaced = {f.indicator for f in _project(report, "区食安办", "JX017")}
    assert satisfaction_misplaced == {"当地群众食品安全总体满意度", "食品安全满意度总体得分"}
    assert {f.indicator for f in _of(report, "JX018")} == {
        "落实资助经费完成率",
        "项目年度支出预算执行率",
    }
    ecology = {f.project for f in _of(report, "JX013") if "生态" in f.message}
    assert "政府雇员工资费用" in ecology


def test_nothing_silly(report: ReviewReport) -> None:
    """Findings a careful reviewer would not raise."""
    # a ratio of two counts is one metric; "质量" is not a metric of its own
    compound = {f.indicator for f in _of(report, "JX020")}
    assert "新开办企业刻章申请数和实际刻章数的比率" not in compound
    assert not any(i and i.endswith("服务效果的满意度") for i in compound)
    # values with a number in words are measurable
    vague = {f.indicator for f in _of(report, "JX006")}
    assert "罚没物品及时跟进处理时限" not in vague
    assert "近郊单位及时入仓时限" not in vague
    # an economic benefit mentioning broken-down cars is not a quality fact
    assert "报废部分老旧、故障车辆经济意义" not in {f.indicator for f in _of(report, "JX027")}
    # no out-of-range, direction or placeholder alarms on ordinary values
    assert not _of(report, "JX011")
    assert not _of(report, "JX012")


def test_every_finding_is_explained(report: ReviewReport) -> None:
    for f in report.findings:
        assert f.message
        assert f.suggestion
        assert f.evidence
        if f.indicator_index is not None:
            assert f.indicator is not None


def test_grades(report: ReviewReport) -> None:
    assert len(report.project_grades) == 37
    worst = min(report.project_grades, key=lambda g: g.score)
    assert worst.grade.label == "差"
    assert "得" in worst.explanation
    assert "扣" in worst.explanation
    counts = Counter(g.grade.label for g in report.project_grades)
    assert counts["差"] >= 1
    assert counts["优"] + counts["良"] >= 1
    assert report.document_grade.grade.label in {"中", "差"}

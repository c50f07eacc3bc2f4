"""The engine's public API: review_document, review_project, grades and the JSON contract."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.domain.document import Document
from jixiao.domain.enums import Grade, MoneyUnit, Severity
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.review import (
    ReviewContext,
    load_profile,
    report_to_json,
    review_document,
    review_project,
)


def _ind(l1: str, l2: str, name: str, value: str) -> Indicator:
    c1, n1 = l1.split("-")
    c2, n2 = l2.split("-")
    target = parse_target(value)
    return Indicator(name, LevelRef(c1, n1), LevelRef(c2, n2), target, target)


def good_project(name: str = "企业合规培训项目", satisfaction: str = "≥90%") -> Project:
    return Project(
        name=name,
        amounts=Amounts(Decimal("50"), Decimal("50")),
        goal="为辖区企业开展合规培训，提升企业依法经营水平。",
        indicators=[
            _ind("1-产出指标", "11-数量指标", "企业合规培训人次", "≥500人次"),
            _ind("1-产出指标", "12-质量指标", "培训考试合格率", "≥90%"),
            _ind("1-产出指标", "13-时效指标", "培训按时完成率", "100%"),
            _ind("1-产出指标", "14-成本指标", "人均培训成本", "≤800元/人次"),
            _ind("2-效益指标", "22-社会效益", "参训企业违法案件发生率", "≤2%"),
            _ind("3-满意度指标", "31-服务对象满意度", "参训企业满意度", satisfaction),
        ],
    )


def test_a_well_written_project_has_no_findings_and_grades_excellent() -> None:
    report = review_document(Document([good_project()], unit=MoneyUnit.WAN_YUAN))
    assert report.findings == []
    grade = report.project_grades[0]
    assert (grade.grade, grade.score) == (Grade.EXCELLENT, 100)
    assert report.document_grade.grade is Grade.EXCELLENT


def test_grade_formula_explains_itself() -> None:
    project = good_project(satisfaction="100%")
    project.amounts = Amounts(Decimal("50"), Decimal("40"))  # JX010 error
    report = review_document(Document([project]))
    grade = report.project_grades[0]
    assert {f.rule for f in report.findings} == {"JX007", "JX010"}
    assert grade.score == 100 - 20 - 5
    assert grade.grade is Grade.FAIR
    assert "JX010错误×1扣20分" in grade.explanation
    assert "得75分" in grade.explanation


def test_the_worst_finding_caps_the_grade(tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.toml"
    lenient.write_text('extends = "national"\nname = "lenient"\n[grading]\nerror = 5\n', "utf-8")
    profile = load_profile(lenient)
    with_error = good_project()
    with_error.amounts = Amounts(Decimal("50"), Decimal("40"))  # JX010 error
    report = review_document(Document([with_error]), profile)
    grade = report.project_grades[0]
    assert (grade.score, grade.errors, grade.grade) == (95, 1, Grade.FAIR)
    assert "有错误的项目最高为中" in grade.explanation
    assert report.document_grade.grade is Grade.FAIR
    with_warning = review_document(Document([good_project(satisfaction="100%")]), profile)
    assert with_warning.project_grades[0].score == 95
    assert with_warning.project_grades[0].grade is Grade.GOOD
    assert "有警告的项目最高为良" in with_warning.project_grades[0].explanation


def test_review_project_matches_review_document() -> None:
    project = good_project(satisfaction="100%")
    alone = review_project(project)
    in_doc = review_document(Document([project])).findings
    assert [(f.rule, f.indicator_index) for f in alone] == [
        (f.rule, f.indicator_index) for f in in_doc
    ]


def test_review_project_runs_cross_project_rules_with_siblings() -> None:
    projects = [good_project(f"项目{i}") for i in "甲乙丙"]
    findings = review_project(projects[0], context=ReviewContext(siblings=projects[1:]))
    assert [f.rule for f in findings] == ["JX032"]
    assert findings[0].project_index == 0
    assert review_project(projects[0]) == []


def test_report_json_follows_the_contract() -> None:
    project = good_project(satisfaction="100%")
    data = report_to_json(review_document(Document([project])))
    assert data["format"] == "jixiao.findings/1"
    assert set(data) == {"format", "findings", "summary"}
    finding = data["findings"][0]
    assert finding["rule"] == "JX007"
    assert finding["severity"] == Severity.WARNING.value
    assert finding["project"] == project.name
    assert finding["indicator"] == "参训企业满意度"
    assert isinstance(finding["message"], str)
    assert finding["evidence"]
    assert data["summary"]["by_rule"] == {"JX007": 1}
    assert data["summary"]["document_grade"] == {
        "grade": "良",
        "score": 95,
        "explanation": "1个项目平均95分（良1个），等级良（有项目等级受限，文档最高为良）。",
    }

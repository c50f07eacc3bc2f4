"""审核意见表: the review findings of a target table, worst first, and the grade of each project.

The layout takes findings as plain data (``ReviewRow``, ``GradeRow``) so that it serves the
command line, the services and the pages alike; ``rows_from_report`` converts the review
engine's public ``ReviewReport``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.domain.enums import Grade, Severity
from jixiao.export.grid import Cell, Sheet, Style
from jixiao.export.layouts.common import header_line
from jixiao.review import ReviewReport

TITLE = "项目支出绩效目标审核意见表"
SEVERITY_FILL = {Severity.ERROR: "F4B6B6", Severity.WARNING: "FFE699", Severity.INFO: "DDEBF7"}
GRADE_FILL = {
    Grade.EXCELLENT: "C6E0B4",
    Grade.GOOD: "DDEBF7",
    Grade.FAIR: "FFE699",
    Grade.POOR: "F4B6B6",
}


@dataclass(frozen=True)
class ReviewRow:
    rule: str
    severity: Severity
    project: str
    indicator: str | None
    message: str
    suggestion: str = ""
    title: str = ""


@dataclass(frozen=True)
class GradeRow:
    project: str
    grade: Grade
    score: int
    explanation: str = ""


def rows_from_report(report: ReviewReport) -> tuple[list[ReviewRow], list[GradeRow]]:
    findings = [
        ReviewRow(f.rule, f.severity, f.project, f.indicator, f.message, f.suggestion, f.title)
        for f in report.findings
    ]
    grades = [GradeRow(g.project, g.grade, g.score, g.explanation) for g in report.project_grades]
    return findings, grades


def findings_sheet(rows: Sequence[ReviewRow], department: str | None, summary: str = "") -> Sheet:
    """All findings, errors first, then by project in document order."""
    sheet = Sheet("审核意见", TITLE, [6, 22, 18, 12, 8, 48, 38])
    header_line(sheet.block(bordered=False), department, "条")
    if summary:
        sheet.blocks[0].span(summary, Style.CAPTION)
    table = sheet.block(repeat=1)
    table.add(
        ["序号", "项目名称", "三级指标", "规则", "严重程度", "问题说明", "修改建议"], Style.HEADER
    )
    order = {name: i for i, name in enumerate(dict.fromkeys(r.project for r in rows))}
    ranked = sorted(rows, key=lambda r: (-r.severity.rank, order[r.project]))
    for i, r in enumerate(ranked, 1):
        rule = f"{r.rule}\n{r.title}" if r.title else r.rule
        table.add(
            [
                Cell(i, Style.CENTER),
                r.project,
                r.indicator or "（项目整体）",
                Cell(rule, Style.CENTER),
                Cell(r.severity.label, Style.CENTER, SEVERITY_FILL[r.severity]),
                r.message,
                r.suggestion,
            ]
        )
    if not rows:
        table.span("未发现问题", Style.CENTER)
    return sheet


def grades_sheet(grades: Sequence[GradeRow], department: str | None) -> Sheet:
    sheet = Sheet("项目等级", "项目支出绩效目标审核等级", [6, 34, 10, 10, 80])
    header_line(sheet.block(bordered=False), department, "分")
    table = sheet.block(repeat=1)
    table.add(["序号", "项目名称", "等级", "得分", "评定说明"], Style.HEADER)
    for i, g in enumerate(grades, 1):
        table.add(
            [
                Cell(i, Style.CENTER),
                g.project,
                Cell(g.grade.label, Style.CENTER, GRADE_FILL[g.grade]),
                Cell(g.score, Style.CENTER),
                g.explanation,
            ]
        )
    return sheet

"""The ``jixiao.findings/1`` JSON contract (docs: shared contracts §2)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jixiao.domain.enums import Severity
from jixiao.review.findings import Finding, ReviewReport

FORMAT = "jixiao.findings/1"


def finding_to_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "project": f.project,
        "indicator": f.indicator,
        "message": f.message,
        "evidence": dict(f.evidence),
        "title": f.title,
        "suggestion": f.suggestion,
        "project_index": f.project_index,
        "indicator_index": f.indicator_index,
    }


def report_to_json(report: ReviewReport) -> dict[str, Any]:
    """``{"format": "jixiao.findings/1", "findings": [...], "summary": {...}}``."""
    by_severity = Counter(f.severity.value for f in report.findings)
    by_rule = Counter(f.rule for f in report.findings)
    doc = report.document_grade
    return {
        "format": FORMAT,
        "findings": [finding_to_json(f) for f in report.findings],
        "summary": {
            "profile": report.profile,
            "projects": len(report.project_grades),
            "findings": len(report.findings),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "by_rule": dict(sorted(by_rule.items())),
            "document_grade": {
                "grade": doc.grade.label,
                "score": doc.score,
                "explanation": doc.explanation,
            },
            "project_grades": [
                {
                    "project": g.project,
                    "project_index": g.project_index,
                    "grade": g.grade.label,
                    "score": g.score,
                    "explanation": g.explanation,
                }
                for g in report.project_grades
            ],
        },
    }

"""The review rule catalogue and engine: explainable findings on target tables.

Public API::

    review_document(doc, profile=None) -> ReviewReport
    review_project(project, profile=None, framework=None, context=None) -> list[Finding]
    load_profile(name_or_path) -> ReviewProfile
    report_to_json(report) -> dict  (the ``jixiao.findings/1`` contract)
    all_rules() -> tuple[RuleSpec, ...]
"""

from jixiao.review.engine import ReviewContext, review_document, review_project
from jixiao.review.findings import DocumentGrade, Finding, ProjectGrade, ReviewReport
from jixiao.review.grading import grade_project
from jixiao.review.profile import ReviewProfile, load_profile
from jixiao.review.registry import RuleSpec, Scope, all_rules, get_rule
from jixiao.review.report import finding_to_json, report_to_json

__all__ = [
    "DocumentGrade",
    "Finding",
    "ProjectGrade",
    "ReviewContext",
    "ReviewProfile",
    "ReviewReport",
    "RuleSpec",
    "Scope",
    "all_rules",
    "finding_to_json",
    "get_rule",
    "grade_project",
    "load_profile",
    "report_to_json",
    "review_document",
    "review_project",
]

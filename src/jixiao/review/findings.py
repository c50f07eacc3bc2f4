"""Findings and the review report: what a rule found, where, and how the targets grade."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain.enums import Grade, Severity


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule function reports; the engine turns it into a Finding.

    ``indicator_index`` lets a project- or document-level rule point at one indicator;
    ``project_index`` lets a document-level rule point at one project.
    """

    message: str
    evidence: dict[str, str] = field(default_factory=dict)
    indicator_index: int | None = None
    project_index: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a target table, explained in Chinese for the unit's staff."""

    rule: str
    severity: Severity
    project: str
    project_index: int
    indicator: str | None
    indicator_index: int | None
    message: str
    evidence: dict[str, str]
    suggestion: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class ProjectGrade:
    """The quality grade of one project's targets, with the arithmetic that produced it."""

    project: str
    project_index: int
    grade: Grade
    score: int
    explanation: str
    errors: int = 0


@dataclass(frozen=True, slots=True)
class DocumentGrade:
    grade: Grade
    score: int
    explanation: str


@dataclass(frozen=True, slots=True)
class ReviewReport:
    findings: list[Finding]
    project_grades: list[ProjectGrade]
    document_grade: DocumentGrade
    profile: str = "national"

    def by_project(self, project_index: int) -> list[Finding]:
        return [f for f in self.findings if f.project_index == project_index]

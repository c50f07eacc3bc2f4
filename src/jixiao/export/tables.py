"""The export entry points: data in, official tables out (as ``Sheet``s, xlsx or PDF bytes).

``--project NAME`` style selection picks a project by exact name, else by a name fragment that
matches exactly one project; anything else is a one-line ``InvalidValue``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

from jixiao.domain.document import Document
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.domain.monitoring import ProjectMonitoring
from jixiao.errors import InvalidValue
from jixiao.export.grid import Sheet
from jixiao.export.layouts.monitoring import monitoring_sheet
from jixiao.export.layouts.review import findings_sheet, grades_sheet, rows_from_report
from jixiao.export.layouts.selfeval import selfeval_sheet
from jixiao.export.layouts.targets import department_sheet, project_sheet
from jixiao.review import ReviewReport
from jixiao.scoring.lights import monitor_project
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import ScoringProfile

T = TypeVar("T")
Format = Literal["xlsx", "pdf"]


def pick(items: Sequence[T], name: str | None, name_of: Callable[[T], str]) -> list[T]:
    """All items, or the one whose name is ``name`` (or uniquely contains it)."""
    if not items:
        raise InvalidValue("文件中没有项目")
    if name is None:
        return list(items)
    wanted = "".join(name.split())
    exact = [i for i in items if "".join(name_of(i).split()) == wanted]
    if exact:
        return exact[:1]
    partial = [i for i in items if wanted in "".join(name_of(i).split())]
    if len(partial) == 1:
        return partial
    if not partial:
        raise InvalidValue(f"未找到项目“{name}”")
    names = "、".join(name_of(i) for i in partial[:5])
    raise InvalidValue(f"“{name}”对应多个项目（{names}…），请写出完整名称")


def target_sheets(doc: Document, project: str | None = None) -> list[Sheet]:
    """The department table, or one project's 申报表 when ``project`` is given."""
    if project is None:
        return [department_sheet(doc)]
    return [project_sheet(doc, p) for p in pick(doc.projects, project, lambda p: p.name)]


def monitoring_sheets(
    records: Sequence[ProjectMonitoring], profile: ScoringProfile, project: str | None = None
) -> list[Sheet]:
    chosen = pick(records, project, lambda r: r.project)
    return [monitoring_sheet(r, monitor_project(r, profile)) for r in chosen]


def selfeval_sheets(
    evaluations: Sequence[SelfEvaluation], profile: ScoringProfile, project: str | None = None
) -> list[Sheet]:
    chosen = pick(evaluations, project, lambda e: e.project)
    return [selfeval_sheet(e, score_evaluation(e, profile)) for e in chosen]


def review_sheets(doc: Document, report: ReviewReport, project: str | None = None) -> list[Sheet]:
    findings, grades = rows_from_report(report)
    if project is not None:
        names = {p.name for p in pick(doc.projects, project, lambda p: p.name)}
        findings = [f for f in findings if f.project in names]
        grades = [g for g in grades if g.project in names]
    doc_grade = report.document_grade
    summary = f"整体等级：{doc_grade.grade.label}（{doc_grade.score} 分）；问题 {len(findings)} 条"
    return [findings_sheet(findings, doc.department, summary), grades_sheet(grades, doc.department)]


def render(sheets: Sequence[Sheet], fmt: Format) -> bytes:
    """The sheets as an xlsx workbook or a PDF (the writer, openpyxl or reportlab, is loaded
    here: building the sheets needs neither)."""
    if fmt == "xlsx":
        from jixiao.export.excel import xlsx_bytes

        return xlsx_bytes(sheets)
    from jixiao.export.pdf import pdf_bytes

    return pdf_bytes(sheets)

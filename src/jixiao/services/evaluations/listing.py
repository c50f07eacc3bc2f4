"""A year's self-evaluations: per project the published and recomputed totals, grade, findings.

What a finance bureau reviews after the units have published their 自评表: which totals hold,
which differ from the recomputation, and how many figures are in question (SC findings on the
published figures, RC findings from the reconciliation with monitoring and spending). Scoped to
the departments the user may see; exported as a workbook in the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import Organisation, Project, SelfEvaluationRecord
from jixiao.domain.enums import Grade
from jixiao.export import Sheet, render
from jixiao.export.grid import Style
from jixiao.services.principal import Principal
from jixiao.services.scope import scope_projects


@dataclass(frozen=True)
class EvaluationRow:
    project_id: int
    project: str
    department: str
    published_total: Decimal | None
    recomputed_total: Decimal
    grade: Grade
    published_findings: int
    reconciliation_findings: int

    @property
    def differs(self) -> bool:
        """The published total is not the recomputed one (at two places)."""
        return self.published_total is not None and self.published_total.quantize(
            Decimal("0.01")
        ) != self.recomputed_total.quantize(Decimal("0.01"))


def _published_total(entry: dict[str, object]) -> Decimal | None:
    value = entry.get("published_total")
    return Decimal(str(value)) if value not in (None, "") else None


def year_list(session: Session, actor: Principal, year: int) -> list[EvaluationRow]:
    """Every visible project's self-evaluation of ``year``, by department and project name."""
    stmt = (
        select(SelfEvaluationRecord, Project.name, Organisation.name)
        .join(Project, Project.id == SelfEvaluationRecord.project_id)
        .join(Organisation, Organisation.id == Project.org_id)
        .where(SelfEvaluationRecord.year == year)
        .order_by(Organisation.name, Project.name)
    )
    rows = []
    for record, project, department in session.execute(scope_projects(session, actor, stmt)):
        codes = [str(d.get("code", "")) for d in record.discrepancies]
        rows.append(
            EvaluationRow(
                project_id=record.project_id,
                project=project,
                department=department,
                published_total=_published_total(record.entry),
                recomputed_total=record.total,
                grade=record.grade,
                published_findings=sum(1 for c in codes if c.startswith("SC")),
                reconciliation_findings=sum(1 for c in codes if c.startswith("RC")),
            )
        )
    return rows


def year_list_xlsx(rows: list[EvaluationRow], year: int) -> bytes:
    """The list as a workbook: one row per project, in the page's columns."""
    sheet = Sheet("自评汇总", f"{year}年度项目支出绩效自评汇总", [24, 36, 12, 12, 10, 14, 14])
    block = sheet.block(repeat=1)
    block.add(
        ["部门", "项目名称", "公布总分", "复核总分", "等级", "公布数问题", "核对提示"], Style.HEADER
    )
    for r in rows:
        block.add(
            [
                r.department,
                r.project,
                r.published_total,
                r.recomputed_total,
                r.grade.label,
                r.published_findings,
                r.reconciliation_findings,
            ]
        )
    return render([sheet], "xlsx")

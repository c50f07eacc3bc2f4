"""The 绩效目标表 of stored projects: a department's whole table or one project's 申报表."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jixiao.export.layouts.targets import department_sheet, project_sheet
from jixiao.export.tables import Format, render
from jixiao.services.principal import Principal
from jixiao.services.reviews.service import group_document, load_group
from jixiao.services.scope import Action, project_for


def export_targets(
    session: Session, actor: Principal, project_id: int, fmt: Format, whole_table: bool = False
) -> tuple[bytes, str]:
    """(file bytes, Chinese file name): the project's 申报表, or its department's whole table.

    The whole table holds every project of the same organisation and year; seeing one of them
    means seeing the organisation, so the scope check on ``project_id`` covers them all.
    """
    project = project_for(session, actor, project_id, Action.VIEW)
    group = load_group(session, project)
    document = group_document(session, project, group)
    if whole_table:
        name = f"{document.department or '部门'}-{document.year}年度项目支出绩效目标表.{fmt}"
        return render([department_sheet(document)], fmt), name
    index = next(i for i, p in enumerate(group) if p.id == project.id)
    sheet = project_sheet(document, document.projects[index])
    return render([sheet], fmt), f"{project.name}-项目支出绩效目标申报表.{fmt}"

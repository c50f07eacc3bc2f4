"""When a project's targets may be edited in place, and the optimistic-lock check."""

from __future__ import annotations

from jixiao.db.models import Project
from jixiao.domain.enums import ProjectStatus
from jixiao.services.errors import Locked, StaleVersion

EDITABLE = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})


def is_locked(project: Project) -> bool:
    return project.status not in EDITABLE


def ensure_editable(project: Project) -> None:
    """Raise Locked unless the project is a draft or returned."""
    if is_locked(project):
        hint = (
            "批复后的修改请发起“调整”"
            if project.status in (ProjectStatus.APPROVED, ProjectStatus.PUBLISHED)
            else "请等待审核结果或由审核人退回后再修改"
        )
        raise Locked(f"项目处于“{project.status.label}”状态，绩效目标已锁定；{hint}")


def check_version(current: int, expected: int, what: str = "项目") -> None:
    """Raise StaleVersion when the edit was made on an older version."""
    if current != expected:
        raise StaleVersion(
            f"{what}已被他人修改（当前版本 {current}，您编辑的是版本 {expected}），请刷新后重试",
            fields={"version": f"当前版本为 {current}"},
        )

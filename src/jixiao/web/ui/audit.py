"""修改记录: every write to a project (edits, workflow steps, waivers, re-reviews), newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.services import audit
from jixiao.services.audit import AuditOut
from jixiao.services.pagination import PageParams
from jixiao.services.projects import service as projects
from jixiao.services.workflow.rules import RULES
from jixiao.web.ui.context import DB, User
from jixiao.web.ui.rendering import render

router = APIRouter()

PAGE_SIZE = 50
ACTIONS = {
    "project.update": "修改项目信息",
    "indicator.create": "新增指标",
    "indicator.update": "修改指标",
    "indicator.delete": "删除指标",
    "indicator.reorder": "调整指标顺序",
    "finding.waive": "豁免问题",
    "review.rerun": "重新审核",
    "import.apply": "导入",
}
SHOWN = 80


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def action_label(action: str) -> str:
    if action.startswith("workflow."):
        rule = RULES.get(action.removeprefix("workflow."))
        return rule.label if rule else action
    return ACTIONS.get(action, action)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def changes(entry: AuditOut) -> list[Change]:
    """The fields whose value differs between before and after."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [
        Change(k, _text(before.get(k)), _text(after.get(k)))
        for k in keys
        if before.get(k) != after.get(k)
    ]


@router.get("/projects/{project_id}/audit", name="project_audit")
def project_audit(
    request: Request,
    db: DB,
    user: User,
    project_id: int,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    detail = projects.get_project(db, user, project_id)
    entries = audit.list_for_project(db, user, project_id, PageParams(page=page, size=PAGE_SIZE))
    rows = [
        {"entry": e, "label": action_label(e.action), "changes": changes(e)} for e in entries.items
    ]
    pages = max(1, -(-entries.total // PAGE_SIZE))
    context = {
        "nav": "projects",
        "p": detail,
        "rows": rows,
        "total": entries.total,
        "page_no": page,
        "pages": pages,
    }
    return render(request, "projects/audit.html", context)

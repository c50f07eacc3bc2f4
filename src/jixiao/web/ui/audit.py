"""修改记录: every write to a project (edits, workflow steps, waivers, re-reviews), newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.domain.enums import ProjectStatus
from jixiao.services import audit
from jixiao.services.audit import AuditOut
from jixiao.services.pagination import PageParams
from jixiao.services.projects import service as projects
from jixiao.services.workflow.rules import RULES
from jixiao.web.ui.context import DB, PathId, User
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
    "project.import_create": "导入新建",
    "project.import_update": "导入更新",
    "project.import_delete": "导入删除",
}
FIELDS = {
    "status": "状态",
    "name": "名称",
    "code": "编码",
    "unit_name": "资金使用单位",
    "level1": "一级指标",
    "level2": "二级指标",
    "period": "实施周期指标值",
    "annual": "年度指标值",
    "version": "修改序号",
    "position": "位置",
    "weight": "权重",
    "order": "顺序",
    "findings": "问题数",
    "amounts": "资金",
    "funding_fen": "资金（分）",
    "goal": "实施周期目标",
    "goals": "目标",
    "indicators": "指标",
    "repairs": "读取修复",
    "warnings": "读取提示",
    "source": "来源",
    "money_unit": "金额单位",
    "waived": "已豁免",
    "rule": "规则",
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


def _status(value: Any) -> Any:
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value


def _text(value: Any) -> str:
    """A value as a reader wants it: a category as ``1-产出指标``, a target as written."""
    if value is None:
        return "—"
    if isinstance(value, dict) and {"code", "name"} <= value.keys():
        value = "-".join(str(v) for v in (value["code"], value["name"]) if v)
    elif isinstance(value, dict) and "raw" in value:
        value = value["raw"]
    elif isinstance(value, bool):
        value = "是" if value else "否"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def changes(entry: AuditOut) -> list[Change]:
    """The fields whose value differs between before and after."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [k for k in after if k not in before]
    out = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "status":
            old, new = _status(old), _status(new)
        out.append(Change(FIELDS.get(key, key), _text(old), _text(new)))
    return out


@router.get("/projects/{project_id}/audit", name="project_audit")
def project_audit(
    request: Request,
    db: DB,
    user: User,
    project_id: PathId,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    detail = projects.get_project(db, user, project_id)
    entries = audit.list_for_project(db, user, project_id, PageParams(page=page, size=PAGE_SIZE))
    rows = [
        {"entry": e, "label": action_label(e.action), "changes": changes(e)} for e in entries.items
    ]
    pages = max(1, -(-entries.total // PAGE_SIZE))
    if page > pages:  # past the end: show the last page
        page = pages
        entries = audit.list_for_project(
            db, user, project_id, PageParams(page=page, size=PAGE_SIZE)
        )
    context = {
        "nav": "projects",
        "p": detail,
        "rows": rows,
        "total": entries.total,
        "page_no": page,
        "pages": pages,
    }
    return render(request, "projects/audit.html", context)

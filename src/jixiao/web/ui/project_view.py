"""Turn a ProjectDetail from the services into what the detail and edit pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from jixiao.domain.enums import FundSource, ProjectStatus
from jixiao.services.projects.schemas import (
    FindingOut,
    IndicatorOut,
    ProjectDetail,
    TargetOut,
    TransitionOut,
)
from jixiao.services.workflow.rules import RULES
from jixiao.web.ui.indicator_table import Row, group_rows

APPROVE_ACTIONS = ("dept_approve", "finance_approve")
APPROVALS = {"dept_approve": "部门审核通过", "finance_approve": "已批复", "publish": "已公开"}
RETURNS = {"dept_return": "部门退回", "finance_return": "财政退回"}
ACTION_STYLE = {"approve": "ok", "return": "danger", "submit": "primary"}


@dataclass
class IndicatorView:
    id: int
    number: int
    name: str
    level1: tuple[str, str]
    level2: tuple[str, str]
    period: str
    annual: str
    version: int
    lines: tuple[int, ...] = ()
    findings: list[FindingOut] = field(default_factory=list)


@dataclass(frozen=True)
class ActionView:
    name: str
    label: str
    style: str
    needs_comment: bool


@dataclass(frozen=True)
class ReturnNote:
    comment: str
    actor: str
    at: datetime


def target_text(target: TargetOut | None) -> str:
    return target.raw or target.text if target is not None else ""


def indicator_views(detail: ProjectDetail) -> list[IndicatorView]:
    open_findings = [f for f in detail.findings if not f.waived]
    views = []
    for number, ind in enumerate(detail.indicators, start=1):
        views.append(
            IndicatorView(
                id=ind.id,
                number=number,
                name=ind.name,
                level1=(ind.level1_code or "", ind.level1_name or ""),
                level2=(ind.level2_code or "", ind.level2_name or ""),
                period=target_text(ind.period),
                annual=target_text(ind.annual),
                version=ind.version,
                lines=tuple(ind.source.get("lines") or ()),
                findings=[f for f in open_findings if f.indicator_id == ind.id],
            )
        )
    return views


def official_rows(views: list[IndicatorView]) -> list[Row[IndicatorView]]:
    return group_rows(views, lambda v: v.level1, lambda v: v.level2)


def open_findings(detail: ProjectDetail) -> list[FindingOut]:
    """Every open (not waived) finding, most severe first."""
    return sorted(
        (f for f in detail.findings if not f.waived), key=lambda f: (-f.severity.rank, f.rule)
    )


def project_findings(detail: ProjectDetail) -> list[FindingOut]:
    """Open findings about the project as a whole (or an indicator no longer there)."""
    ids = {i.id for i in detail.indicators}
    return [f for f in detail.findings if not f.waived and f.indicator_id not in ids]


def funding_lines(detail: ProjectDetail) -> list[dict[str, Any]]:
    out = []
    for source in FundSource:
        amount: Decimal | None = getattr(detail.amounts, source.value)
        out.append({"label": source.label, "amount": amount, "unit": detail.money_unit})
    return out


def _style(action: str) -> str:
    for key, style in ACTION_STYLE.items():
        if key in action:
            return style
    return ""


def actions(detail: ProjectDetail) -> list[ActionView]:
    """The workflow buttons the services allow the user now."""
    out = []
    for name in detail.allowed:
        rule = RULES.get(name)
        if rule is not None:
            out.append(ActionView(name, rule.label, _style(name), rule.comment_required))
    return out


def return_note(detail: ProjectDetail) -> ReturnNote | None:
    """The comment of the latest return, while the project is returned."""
    if detail.status is not ProjectStatus.RETURNED:
        return None
    returns = [t for t in detail.transitions if t.to_status is ProjectStatus.RETURNED]
    if not returns:
        return None
    last = max(returns, key=lambda t: (t.created_at, t.id))
    return ReturnNote(last.comment or "", last.actor_name, last.created_at)


def history(detail: ProjectDetail) -> list[dict[str, Any]]:
    """Transitions, newest first, each with its approver stamp text."""
    out = []
    for t in sorted(detail.transitions, key=lambda t: (t.created_at, t.id), reverse=True):
        out.append(
            {**_transition_fields(t), "stamp": APPROVALS.get(t.action) or RETURNS.get(t.action)}
        )
    return out


def _transition_fields(t: TransitionOut) -> dict[str, Any]:
    rule = RULES.get(t.action)
    return {
        "action_label": rule.label if rule else t.action,
        "from_status": t.from_status,
        "to_status": t.to_status,
        "actor_name": t.actor_name,
        "created_at": t.created_at,
        "edition": t.edition,
        "comment": t.comment,
    }


def lock_reason(detail: ProjectDetail) -> str | None:
    if not detail.locked:
        return None
    if detail.status in (ProjectStatus.APPROVED, ProjectStatus.PUBLISHED):
        return (
            "绩效目标已批复，已锁定；如需变更，请由填报单位发起“调整”并说明原因，"
            "将生成新版本，原批复版本保留可查。"
        )
    return f"项目当前为“{detail.status.label}”，审核期间不能修改；如需修改，请由审核人退回。"


def indicator_by_id(detail: ProjectDetail, indicator_id: int) -> IndicatorOut | None:
    return next((i for i in detail.indicators if i.id == indicator_id), None)

"""The audit trail as people read it: Chinese operation names, labelled field changes, names
instead of ids, full texts with the edits marked; and the system-wide search with its export.

Who sees what follows :mod:`jixiao.services.scope`: whoever may read the account audit trail
(the 审计管理员) sees every entry; whoever may read project change logs (``VIEW_AUDIT``) sees the
entries of the projects in their organisations, never account or login entries.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from jixiao.db.models import (
    ApiToken,
    AuditEntry,
    ImportedDocument,
    Indicator,
    Organisation,
    Project,
    User,
)
from jixiao.domain.enums import (
    CompletionLikelihood,
    DeviationCause,
    FundSource,
    LabeledEnum,
    MoneyUnit,
    ProjectStatus,
    QualitativeTier,
    Role,
)
from jixiao.domain.money import Money
from jixiao.errors import InvalidValue
from jixiao.export.grid import Sheet, Style
from jixiao.export.tables import render
from jixiao.services.audit import AuditOut
from jixiao.services.errors import Forbidden
from jixiao.services.pagination import Page, PageParams
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, can, visible_org_ids
from jixiao.services.workflow.rules import RULES

ACTIONS: dict[str, str] = {
    "project.update": "修改项目信息",
    "project.import_create": "导入新建项目",
    "project.import_update": "导入更新项目",
    "project.import_delete": "导入删除项目",
    "import.apply": "导入文件",
    "indicator.create": "新增指标",
    "indicator.update": "修改指标",
    "indicator.delete": "删除指标",
    "indicator.reorder": "调整指标顺序",
    "finding.waive": "豁免审核问题",
    "review.rerun": "重新审核",
    "monitoring.save": "保存执行监控",
    "selfeval.save": "保存绩效自评",
    "org.create": "新建单位",
    "user.create": "新建账号",
    "user.update": "修改账号",
    "user.password": "修改密码",
    "user.unlock": "解除登录锁定",
    "user.login": "登录",
    "user.logout": "退出登录",
    "user.login_failed": "登录失败",
    "user.login_refused": "登录被拒绝",
    "user.lockout": "登录锁定",
    "token.create": "创建 API 令牌",
    "token.revoke": "撤销 API 令牌",
    **{f"workflow.{r.action}": f"流程：{r.label}" for r in RULES.values()},
}
#: Operations whose entries are about accounts, not projects (only the 审计管理员 reads them).
ACCOUNT_OBJECTS = ("user", "organisation", "api_token")

FIELDS: dict[str, str] = {
    "status": "状态",
    "name": "名称",
    "code": "项目编码",
    "unit_name": "资金使用单位",
    "org_id": "所属单位",
    "department": "部门",
    "level1": "一级指标",
    "level2": "二级指标",
    "period": "实施周期指标值",
    "annual": "年度指标值",
    "target": "指标值",
    "weight": "权重",
    "explanation": "指标解释",
    "basis": "设定依据",
    "order": "指标顺序",
    "findings": "审核问题数",
    "amounts": "资金（万元）",
    "funding_fen": "资金（万元）",
    "goal": "实施周期目标",
    "annual_goal": "年度目标",
    "goals": "目标",
    "indicators": "指标",
    "repairs": "读取时的修复",
    "warnings": "读取提示",
    "money_unit": "金额单位",
    "waived": "已豁免",
    "waived_reason": "豁免理由",
    "rule": "审核规则",
    "entry": "",
    "total": "得分合计",
    "goal_progress": "目标完成进度",
    "goal_result": "总体目标完成情况",
    "budget_deviation": "预算执行偏差原因",
    "funds": "资金执行",
    "budget": "预算数（万元）",
    "initial_budget": "年初预算数（万元）",
    "executed": "执行数（万元）",
    "forecast": "全年预计",
    "actual": "实际完成值",
    "actual_text": "实际完成情况",
    "actual_date": "完成日期",
    "tier": "完成档次",
    "tier_percent": "完成档次得分比例",
    "not_applicable": "不适用",
    "likelihood": "能否完成",
    "causes": "偏差原因类别",
    "cause_note": "偏差原因说明",
    "measures": "改进措施",
    "note": "备注",
    "deviation": "偏差原因分析及改进措施",
    "published_total": "公布总分",
    "published_grade": "公布等级",
    "published_rate": "公布执行率",
    "published_weight": "公布分值",
    "published_score": "公布得分",
    "added": "新增项目",
    "removed": "删除项目",
    "changed": "更新项目",
    "skipped": "跳过项目",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "address": "客户端地址",
    "user_id": "账号",
    "expires_at": "有效期至",
    "parent_id": "上级单位",
    "kind": "类型",
}
#: Bookkeeping that changes with every write and tells a reader nothing.
HIDDEN = frozenset({"version", "position", "source", "profile", "lights", "score", "issues"})
#: Lists shown as a count (their items are technical notes of the reader or the scorer).
COUNTED = frozenset({"repairs", "warnings", "discrepancies"})
#: Values translated through an enum, by the key that holds them.
ENUMS: dict[str, type[LabeledEnum]] = {
    "status": ProjectStatus,
    "role": Role,
    "tier": QualitativeTier,
    "likelihood": CompletionLikelihood,
    "causes": DeviationCause,
}
#: Texts at least this long are shown whole with the edits marked.
LONG_TEXT = 24
EXPORT_LIMIT = 20_000
CHINA = timezone(timedelta(hours=8), "CST")  # dates typed in the filters are China dates

Kind = Literal["same", "del", "add"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True)
class Change:
    """One field: its label, the value before and after as text, and for long texts the
    whole text with deletions and insertions marked."""

    field: str
    before: str
    after: str
    diff: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    label: str
    subject: str
    project_id: int | None
    project: str | None
    changes: list[Change]
    reason: str | None
    #: nothing before (a creation or an event such as a login): the values alone tell it
    new: bool = False


@dataclass(frozen=True)
class AuditFilter:
    """What the system-wide page filters by; every field is optional."""

    actor_id: int | None = None
    project: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


# ---------------------------------------------------------------- names for ids


@dataclass
class Names:
    """Ids met in a page of entries, resolved to names in one query per kind."""

    orgs: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    projects: dict[int, str] = field(default_factory=dict)
    indicators: dict[int, str] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)

    def org(self, value: Any) -> str:
        return self.orgs.get(value, "（已删除的单位）") if isinstance(value, int) else "—"

    def user(self, value: Any) -> str:
        return self.users.get(value, "（已删除的账号）") if isinstance(value, int) else "—"

    def indicator(self, value: Any) -> str:
        return self.indicators.get(value, "（已删除的指标）") if isinstance(value, int) else "—"


def _ids(entries: Sequence[AuditOut], key: str) -> set[int]:
    found = set()
    for e in entries:
        for side in (e.before or {}, e.after or {}):
            value = side.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                found.add(value)
            elif isinstance(value, list):
                found.update(v for v in value if isinstance(v, int) and not isinstance(v, bool))
    return found


def _objects(entries: Sequence[AuditOut], kind: str) -> set[int]:
    return {e.object_id for e in entries if e.object_type == kind and e.object_id is not None}


def _lookup(session: Session, column: Any, label: Any, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {k: v for k, v in session.execute(select(column, label).where(column.in_(wanted)))}


def _gone_indicator_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Names of deleted indicators, from their own audit entries."""
    if not ids:
        return {}
    rows = session.execute(
        select(AuditEntry.object_id, AuditEntry.before, AuditEntry.after)
        .where(AuditEntry.object_type == "indicator", AuditEntry.object_id.in_(sorted(ids)))
        .order_by(AuditEntry.id)
    )
    out: dict[int, str] = {}
    for object_id, before, after in rows:
        for side in (before or {}, after or {}):
            if isinstance(side.get("name"), str) and object_id is not None:
                out[object_id] = side["name"]
    return out


def resolve_names(session: Session, entries: Sequence[AuditOut]) -> Names:
    user_display = User.display_name + "（" + User.username + "）"
    indicator_ids = _ids(entries, "order") | _objects(entries, "indicator")
    names = Names(
        orgs=_lookup(
            session,
            Organisation.id,
            Organisation.name,
            _ids(entries, "org_id")
            | _ids(entries, "parent_id")
            | _objects(entries, "organisation"),
        ),
        users=_lookup(
            session, User.id, user_display, _ids(entries, "user_id") | _objects(entries, "user")
        ),
        projects=_lookup(
            session,
            Project.id,
            Project.name,
            {e.project_id for e in entries if e.project_id is not None}
            | _objects(entries, "project"),
        ),
        indicators=_lookup(session, Indicator.id, Indicator.name, indicator_ids),
        documents=_lookup(
            session, ImportedDocument.id, ImportedDocument.filename, _objects(entries, "document")
        ),
        tokens=_lookup(session, ApiToken.id, ApiToken.name, _objects(entries, "api_token")),
    )
    gone = indicator_ids - names.indicators.keys()
    names.indicators.update(_gone_indicator_names(session, gone))
    return names


# ---------------------------------------------------------------- field changes


def _flatten(value: Any, path: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
    """Nested JSON as leaf paths; list items are keyed by their name (or fund line), so that
    a change of one indicator reads as that indicator's field."""
    key = path[-1] if path else ""
    if key in HIDDEN:
        return {}
    if key in COUNTED and isinstance(value, list):
        return {path: f"{len(value)} 条"}
    if isinstance(value, dict) and not _is_leaf(value):
        out: dict[tuple[str, ...], Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, (*path, str(k))))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        used: set[str] = set()
        for i, item in enumerate(value):
            label = _item_label(item, i)
            if label in used:  # two items of the same name: tell them apart by position
                label = f"{label}（第 {i + 1} 项）"
            used.add(label)
            fields = {k: v for k, v in item.items() if k not in ("name", "line")}
            out.update(_flatten(fields, (*path, label)))
        return out
    return {path: value}


def _is_leaf(value: dict[str, Any]) -> bool:
    """A category (code + name) or a target value (raw text): one value, not a record."""
    return ({"code", "name"} >= value.keys() and "name" in value) or "raw" in value


def _item_label(item: dict[str, Any], index: int) -> str:
    if isinstance(item.get("name"), str):
        return f"“{item['name']}”"
    if isinstance(item.get("line"), str):
        return "“" + _fund_line(item["line"]) + "”"
    return f"第 {index + 1} 项"


def _fund_line(value: str) -> str:
    try:
        return FundSource(value).label
    except ValueError:
        return value


def _label(path: tuple[str, ...]) -> str:
    parts = []
    for i, key in enumerate(path):
        if key.startswith("“") or key.startswith("第 "):
            parts.append(key)
        elif i > 0 and path[i - 1] in ("goals",):
            parts.append({"period": "实施周期目标", "annual": "年度目标"}.get(key, key))
        elif i > 0 and path[i - 1] in ("amounts", "funding_fen"):
            parts.append(_fund_line(key))
        else:
            label = FIELDS.get(key, key)
            if label:
                parts.append(label)
    return " › ".join(parts) or "内容"


def _text(path: tuple[str, ...], value: Any, names: Names) -> str:
    """A value as a reader wants it: names for ids, labels for codes, 万元 for 分."""
    key = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    if value is None or value == "" or value == []:
        return "—"
    if key in ("org_id", "parent_id"):
        return names.org(value)
    if key == "user_id":
        return names.user(value)
    if key == "order" and isinstance(value, list):
        return "；".join(f"{i}. {names.indicator(v)}" for i, v in enumerate(value, 1))
    if parent == "funding_fen" and isinstance(value, int):
        return Money(value).format()
    if parent == "amounts":
        return _wan_text(value)
    if key in ENUMS:
        return _enum_text(ENUMS[key], value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and "raw" in value:
        return str(value["raw"])
    if isinstance(value, dict) and "name" in value:
        return "-".join(str(value[k]) for k in ("code", "name") if value.get(k))
    if isinstance(value, list):
        return "、".join(_text(path, v, names) for v in value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _wan_text(value: Any) -> str:
    try:
        return Money.of(str(value), MoneyUnit.WAN_YUAN).format()
    except InvalidValue:
        return str(value)


def _enum_text(enum: type[LabeledEnum], value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_enum_text(enum, v) for v in value)
    try:
        return enum(value).label
    except ValueError:
        return str(value)


def text_diff(before: str, after: str) -> tuple[Segment, ...]:
    """The whole text, with the deleted and the inserted runs marked (character level)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", before[a1:a2]))
            continue
        if a2 > a1:
            out.append(Segment("del", before[a1:a2]))
        if b2 > b1:
            out.append(Segment("add", after[b1:b2]))
    return tuple(out)


def changes(entry: AuditOut, names: Names) -> list[Change]:
    """The fields that differ between before and after, labelled, in the order recorded."""
    before = _flatten(entry.before or {}, ())
    after = _flatten(entry.after or {}, ())
    keys = list(before) + [k for k in after if k not in before]
    out = []
    for path in keys:
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if path == ("total",) and _same_number(old, new):
            continue
        old_text, new_text = _text(path, old, names), _text(path, new, names)
        if old_text == new_text:
            continue
        diff: tuple[Segment, ...] = ()
        texts = isinstance(old, str) and isinstance(new, str)
        if texts and max(len(old_text), len(new_text)) >= LONG_TEXT:
            diff = text_diff(old_text, new_text)
        out.append(Change(_label(path), old_text, new_text, diff))
    return out


def _same_number(a: Any, b: Any) -> bool:
    try:
        return a is not None and b is not None and Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def subject(entry: AuditOut, names: Names) -> str:
    """What the entry is about, by name."""
    side = entry.after or entry.before or {}
    oid = entry.object_id
    kind = entry.object_type
    if kind == "project":
        name = names.projects.get(oid or -1) or side.get("name")
        return f"项目“{name}”" if name else "项目（已删除）"
    if kind == "indicator":
        name = side.get("name") or names.indicators.get(oid or -1)
        return f"指标“{name}”" if name else "指标"
    if kind == "finding":
        return f"审核问题 {side.get('rule') or ''}".strip()
    if kind == "monitoring":
        return "执行监控记录"
    if kind == "self_evaluation":
        return "绩效自评记录"
    if kind == "document":
        return f"导入文件“{names.documents.get(oid or -1, '（已删除）')}”"
    if kind == "user":
        if oid is None:
            return f"账号“{side.get('username', '')}”（不存在）"
        return f"账号 {names.user(oid)}"
    if kind == "organisation":
        return f"单位“{names.org(oid)}”"
    if kind == "api_token":
        return f"API 令牌“{names.tokens.get(oid or -1) or side.get('name') or ''}”"
    return kind


def describe(session: Session, entries: Sequence[AuditOut]) -> list[AuditRow]:
    names = resolve_names(session, entries)
    return [
        AuditRow(
            id=e.id,
            at=e.at,
            actor=e.actor_name,
            action=e.action,
            label=action_label(e.action),
            subject=subject(e, names),
            project_id=e.project_id,
            project=names.projects.get(e.project_id) if e.project_id is not None else None,
            changes=changes(e, names),
            reason=e.reason,
            new=not e.before,
        )
        for e in entries
    ]


# ---------------------------------------------------------------- system-wide search


def may_search(actor: Principal) -> bool:
    return can(actor, Action.VIEW_SECURITY_AUDIT) or can(actor, Action.VIEW_AUDIT)


def _visible(session: Session, actor: Principal) -> ColumnElement[bool] | None:
    """The entries ``actor`` may read (None: all), or Forbidden."""
    if can(actor, Action.VIEW_SECURITY_AUDIT):
        return None
    if not can(actor, Action.VIEW_AUDIT):
        raise Forbidden(f"“{actor.role.label}”角色无权查看审计记录")
    orgs = visible_org_ids(session, actor)
    if orgs is None:
        return AuditEntry.project_id.is_not(None) | (AuditEntry.object_type == "document")
    projects = select(Project.id).where(Project.org_id.in_(sorted(orgs)))
    documents = select(ImportedDocument.id).where(ImportedDocument.org_id.in_(sorted(orgs)))
    return or_(
        AuditEntry.project_id.in_(projects),
        and_(AuditEntry.object_type == "document", AuditEntry.object_id.in_(documents)),
    )


def _conditions(
    session: Session, actor: Principal, wanted: AuditFilter
) -> list[ColumnElement[bool]]:
    out = []
    visible = _visible(session, actor)
    if visible is not None:
        out.append(visible)
    if wanted.actor_id is not None:
        out.append(AuditEntry.actor_id == wanted.actor_id)
    if wanted.action:
        out.append(AuditEntry.action == wanted.action)
    if wanted.project:
        text = wanted.project.strip()
        ids = select(Project.id).where(Project.name.contains(text, autoescape=True))
        out.append(AuditEntry.project_id.in_(ids))
    if wanted.date_from is not None:
        out.append(AuditEntry.at >= datetime.combine(wanted.date_from, time(), CHINA))
    if wanted.date_to is not None:
        end = datetime.combine(wanted.date_to + timedelta(days=1), time(), CHINA)
        out.append(AuditEntry.at < end)
    return out


def search(
    session: Session, actor: Principal, wanted: AuditFilter, page: PageParams
) -> Page[AuditRow]:
    """One page of the entries ``actor`` may read that match ``wanted``, newest first."""
    where = _conditions(session, actor, wanted)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(page.offset)
        .limit(page.size)
    ).all()
    entries = [AuditOut.model_validate(r) for r in rows]
    return Page[AuditRow](
        items=describe(session, entries), total=total, page=page.page, size=page.size
    )


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def filter_choices(session: Session, actor: Principal) -> tuple[list[Choice], list[Choice]]:
    """The people and the operations that occur in what ``actor`` may read (for the filters)."""
    where = _conditions(session, actor, AuditFilter())
    acting = select(AuditEntry.actor_id).where(*where, AuditEntry.actor_id.is_not(None))
    people = session.execute(
        select(User.id, User.display_name + "（" + User.username + "）").where(
            User.id.in_(acting.distinct())
        )
    ).all()
    actions = session.scalars(select(AuditEntry.action).where(*where).distinct()).all()
    users = sorted((Choice(str(i), n) for i, n in people), key=lambda c: c.label)
    ops = sorted((Choice(a, action_label(a)) for a in actions), key=lambda c: c.label)
    return users, ops


def export_xlsx(session: Session, actor: Principal, wanted: AuditFilter) -> bytes:
    """Every matching entry (at most ``EXPORT_LIMIT``) as a workbook, one row per field change."""
    found = search(session, actor, wanted, PageParams(page=1, size=500))
    rows = list(found.items)
    page = 1
    while len(rows) < min(found.total, EXPORT_LIMIT):
        page += 1
        rows += search(session, actor, wanted, PageParams(page=page, size=500)).items
    sheet = Sheet("审计记录", "审计记录", [18, 14, 16, 28, 24, 22, 30, 30, 20])
    block = sheet.block(repeat=1)
    block.add(
        ["时间", "操作人", "操作", "对象", "项目", "内容", "修改前", "修改后", "理由"], Style.HEADER
    )
    for r in rows[:EXPORT_LIMIT]:
        when = r.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
        head = [when, r.actor, r.label, r.subject, r.project or ""]
        for c in r.changes or [Change("", "", "")]:
            block.add([*head, c.field, c.before, c.after, r.reason or ""])
    return render([sheet], "xlsx")

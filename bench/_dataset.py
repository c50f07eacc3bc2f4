"""The generated 10,000-project dataset shared by the ``api`` and ``pages`` benchmarks.

250 departments × 40 projects × 10 indicators under one 财政局, with funding, goals, target
values for both periods and findings, as plain rows with explicit ids (one bulk load per table).
Each benchmark chooses how a project's status is set, so that it knows which projects are
drafts it may edit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from jixiao.db.models import (
    FindingRow,
    FundingLine,
    Goal,
    Indicator,
    Organisation,
    Project,
    TargetValueRow,
)
from jixiao.domain.enums import (
    FundSource,
    Grade,
    MoneyUnit,
    OrgKind,
    ProjectStatus,
    Severity,
    TargetKind,
    TargetPeriod,
)
from jixiao.domain.money import Money
from jixiao.domain.target import parse_target

DEPARTMENTS, PER_DEPARTMENT, INDICATORS = 250, 40, 10
PROJECTS = DEPARTMENTS * PER_DEPARTMENT
TEMPLATES = [
    ("1", "产出指标", "11", "数量指标", "检查户数", "≥1500户"),
    ("1", "产出指标", "12", "质量指标", "验收合格率", "≥95%"),
    ("1", "产出指标", "13", "时效指标", "办理时限", "≤5个工作日"),
    ("1", "产出指标", "14", "成本指标", "人均成本", "≤800元/人次"),
    ("2", "效益指标", "22", "社会效益指标", "群众知晓率", "≥85%"),
    ("2", "效益指标", "24", "可持续影响指标", "长效机制建立情况", "建立并运行"),
    ("3", "满意度指标", "31", "服务对象满意度指标", "服务对象满意度", "≥90%"),
]
SUBJECTS = ["食品安全", "特种设备", "知识产权", "农贸市场", "消费维权", "广告监测", "计量检定"]
MODELS = (Organisation, Project, FundingLine, Goal, Indicator, TargetValueRow, FindingRow)

Rows = dict[type, list[dict[str, Any]]]
StatusOf = Callable[[int, random.Random], ProjectStatus]


def rows(rng: random.Random, status_of: StatusOf) -> Rows:
    """Plain rows for every table in :data:`MODELS` order (parents before children)."""
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    out: Rows = {model: [] for model in MODELS}
    out[Organisation].append(
        {"id": 1, "name": "财政局", "kind": OrgKind.FINANCE_BUREAU, "parent_id": None, **stamps}
    )
    for d in range(DEPARTMENTS):
        org = {"id": d + 2, "name": f"第{d + 1}局", "kind": OrgKind.DEPARTMENT, "parent_id": 1}
        out[Organisation].append({**org, **stamps})
        for k in range(PER_DEPARTMENT):
            pid = d * PER_DEPARTMENT + k + 1
            _project(out, rng, d + 2, pid, status_of(pid, rng), now)
    return out


def _project(
    out: Rows, rng: random.Random, org: int, pid: int, status: ProjectStatus, now: datetime
) -> None:
    subject = rng.choice(SUBJECTS)
    out[Project].append(
        {
            "id": pid,
            "org_id": org,
            "fiscal_year_id": 1,
            "name": f"{subject}专项经费{pid}",
            "status": status,
            "grade": rng.choice(list(Grade)),
            "money_unit": MoneyUnit.WAN_YUAN,
            "version": 1,
            "edition": 1,
            "source": {},
            "created_at": now,
            "updated_at": now,
        }
    )
    amount = Money.of(Decimal(rng.randint(1, 500_000)) / 100, MoneyUnit.WAN_YUAN)
    out[FundingLine] += [
        {"project_id": pid, "source": source, "amount": amount}
        for source in (FundSource.TOTAL, FundSource.FISCAL)
    ]
    out[Goal].append(
        {
            "project_id": pid,
            "period": TargetPeriod.PERIOD,
            "text": f"开展{subject}监管工作，全年完成检查任务，提升辖区{subject}水平。",
        }
    )
    for n in range(INDICATORS):
        _indicator(out, rng, pid, n, subject, now)


def _indicator(
    out: Rows, rng: random.Random, pid: int, n: int, subject: str, now: datetime
) -> None:
    c1, n1, c2, n2, name, raw = rng.choice(TEMPLATES)
    iid = pid * INDICATORS + n
    out[Indicator].append(
        {
            "id": iid,
            "project_id": pid,
            "position": n,
            "level1_code": c1,
            "level1_name": n1,
            "level2_code": c2,
            "level2_name": n2,
            "name": f"{subject}{name}{n}",
            "version": 1,
            "source": {},
            "created_at": now,
            "updated_at": now,
        }
    )
    value = parse_target(raw)
    out[TargetValueRow] += [
        {
            "indicator_id": iid,
            "period": period,
            "raw": raw,
            "kind": value.kind,
            "op": value.op,
            "value": value.value,
            "unit": value.unit,
        }
        for period in TargetPeriod
    ]
    if value.kind is TargetKind.QUALITATIVE or rng.random() < 0.1:
        out[FindingRow].append(_finding(pid, iid, f"{subject}{name}", raw, now))


def _finding(pid: int, iid: int, name: str, raw: str, now: datetime) -> dict[str, Any]:
    return {
        "project_id": pid,
        "indicator_id": iid,
        "indicator_name": name,
        "rule": "JX006",
        "severity": Severity.WARNING,
        "message": "指标值为定性描述",
        "suggestion": "改为“运算符+数值+单位”",
        "evidence": {"指标值": raw},
        "waived": False,
        "created_at": now,
    }

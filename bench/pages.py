"""Benchmark the pages: server render time of the project list and detail with 10,000 projects.

Run as ``python -m bench pages`` (or through ``make bench``). A temporary SQLite database built by
the migrations is filled with 250 departments × 40 projects (10 indicators each, funding, goals
and findings), then the real pages app answers in-process requests (no network) as an admin who
sees every project. For each page the median and p95 of the server time are printed, with the
ratio to a trivial page (the login form: a template, no database) measured in the same run.
Target: list and detail under 200 ms.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import Session

from jixiao.db.migrate import upgrade
from jixiao.db.models import (
    FindingRow,
    FiscalYear,
    FundingLine,
    Goal,
    Indicator,
    Organisation,
    Project,
    TargetValueRow,
)
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import (
    FundSource,
    Grade,
    MoneyUnit,
    OrgKind,
    ProjectStatus,
    Role,
    Severity,
    TargetKind,
    TargetPeriod,
)
from jixiao.domain.money import Money
from jixiao.domain.target import parse_target
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate
from jixiao.settings import Settings
from jixiao.web.ui import create_ui_app

DEPARTMENTS = 250
PER_DEPARTMENT = 40
INDICATORS = 10
REQUESTS = 60
PASSWORD = "bench-password-1"
LEVELS = [
    ("1", "产出指标", "11", "数量指标", "{}检查户数", "≥1500户"),
    ("1", "产出指标", "12", "质量指标", "{}验收合格率", "≥95%"),
    ("1", "产出指标", "13", "时效指标", "{}办理时限", "≤5个工作日"),
    ("1", "产出指标", "14", "成本指标", "{}人均成本", "≤800元/人次"),
    ("2", "效益指标", "22", "社会效益指标", "{}群众知晓率", "≥85%"),
    ("2", "效益指标", "24", "可持续影响指标", "{}长效机制建立情况", "建立并运行"),
    ("3", "满意度指标", "31", "服务对象满意度指标", "{}服务对象满意度", "≥90%"),
]
STATUSES = list(ProjectStatus)  # pid % 6 == 0 is a draft (editable)
SUBJECTS = ["食品安全", "特种设备", "知识产权", "农贸市场", "消费维权", "广告监测", "计量检定"]


def _rows(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """Plain rows for every table, with explicit ids (one bulk insert per table)."""
    now = datetime.now(UTC)
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("org", "p", "f", "g", "i", "t", "x")}
    out["org"].append({"id": 1, "name": "财政局", "kind": OrgKind.FINANCE_BUREAU})
    for d in range(DEPARTMENTS):
        out["org"].append(
            {"id": d + 2, "name": f"第{d + 1}局", "kind": OrgKind.DEPARTMENT, "parent_id": 1}
        )
        for k in range(PER_DEPARTMENT):
            _project(out, rng, d + 2, d * PER_DEPARTMENT + k + 1, now)
    return out


def _project(
    out: dict[str, list[dict[str, Any]]], rng: random.Random, org: int, pid: int, now: datetime
) -> None:
    subject = rng.choice(SUBJECTS)
    out["p"].append(
        {
            "id": pid,
            "org_id": org,
            "fiscal_year_id": 1,
            "name": f"{subject}专项经费{pid}",
            "status": STATUSES[pid % len(STATUSES)],
            "grade": rng.choice(list(Grade)),
            "money_unit": MoneyUnit.WAN_YUAN,
            "version": 1,
            "edition": 1,
            "source": {},
            "created_at": now,
            "updated_at": now,
        }
    )
    amount = Money.of(str(rng.randint(1, 500000) / 100), MoneyUnit.WAN_YUAN)
    for source in (FundSource.TOTAL, FundSource.FISCAL):
        out["f"].append({"project_id": pid, "source": source, "amount": amount})
    out["g"].append(
        {
            "project_id": pid,
            "period": TargetPeriod.PERIOD,
            "text": f"开展{subject}监管工作，全年完成检查任务，提升辖区{subject}水平。",
        }
    )
    for n in range(INDICATORS):
        _indicator(out, rng, pid, pid * INDICATORS + n, n, subject, now)


def _indicator(
    out: dict[str, list[dict[str, Any]]],
    rng: random.Random,
    pid: int,
    iid: int,
    n: int,
    subject: str,
    now: datetime,
) -> None:
    c1, n1, c2, n2, name, raw = rng.choice(LEVELS)
    out["i"].append(
        {
            "id": iid,
            "project_id": pid,
            "position": n,
            "level1_code": c1,
            "level1_name": n1,
            "level2_code": c2,
            "level2_name": n2,
            "name": name.format(subject) + str(n),
            "version": 1,
            "source": {},
            "created_at": now,
            "updated_at": now,
        }
    )
    value = parse_target(raw)
    for period in TargetPeriod:
        out["t"].append(
            {
                "indicator_id": iid,
                "period": period,
                "raw": raw,
                "kind": value.kind,
                "op": value.op,
                "value": value.value,
                "unit": value.unit,
            }
        )
    if value.kind is TargetKind.QUALITATIVE or rng.random() < 0.1:
        out["x"].append(
            {
                "project_id": pid,
                "indicator_id": iid,
                "indicator_name": name.format(subject),
                "rule": "JX006",
                "severity": Severity.WARNING,
                "message": "指标值为定性描述",
                "suggestion": "改为“运算符+数值+单位”",
                "evidence": {"指标值": raw},
                "waived": False,
            }
        )


def fill(session: Session, rng: random.Random) -> None:
    rows = _rows(rng)
    session.execute(insert(FiscalYear), [{"id": 1, "year": 2023}])
    for model, key in (
        (Organisation, "org"),
        (Project, "p"),
        (FundingLine, "f"),
        (Goal, "g"),
        (Indicator, "i"),
        (TargetValueRow, "t"),
        (FindingRow, "x"),
    ):
        session.execute(insert(model), rows[key])
    users.create_user(
        session, SYSTEM, UserCreate(username="admin", password=PASSWORD, role=Role.ADMIN)
    )


def timed(
    client: TestClient, paths: Callable[[int], str], n: int = REQUESTS, htmx: bool = False
) -> list[float]:
    """Milliseconds per request for ``n`` requests (after two warm-up requests)."""
    headers = {"HX-Request": "true"} if htmx else {}
    for i in range(2):
        client.get(paths(i), headers=headers)
    out = []
    for i in range(n):
        start = time.perf_counter()
        response = client.get(paths(i), headers=headers)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (paths(i), response.status_code)
    return out


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]


def login(client: TestClient) -> None:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), secret_key="bench")
        upgrade(settings)
        factory = make_session_factory(make_engine(settings))
        started = time.perf_counter()
        with transaction(factory) as session:
            fill(session, rng)
        total = DEPARTMENTS * PER_DEPARTMENT
        print(
            f"filled {total:,} projects, {total * INDICATORS:,} indicators "
            f"in {time.perf_counter() - started:.1f} s (SQLite)"
        )
        app = create_ui_app(settings, factory)
        with TestClient(app, follow_redirects=False) as client, TestClient(app) as anonymous:
            login(client)
            report(client, anonymous, rng, total)


def report(client: TestClient, anonymous: TestClient, rng: random.Random, total: int) -> None:
    ids = [rng.randint(1, total) for _ in range(REQUESTS + 2)]
    pages: dict[str, Callable[[int], str]] = {
        "dashboard (all departments)": lambda i: "/",
        "project list, page 1": lambda i: "/projects",
        "project list, page 100 by budget": lambda i: "/projects?sort=total&dir=desc&page=100",
        "project list, search + filters": lambda i: f"/projects?q=食品&year=2023&org={2 + i % 50}",
        "project detail": lambda i: f"/projects/{ids[i]}",
        "edit page (draft)": lambda i: f"/projects/{ids[i] // 6 * 6 or 6}/edit",
    }
    results = {"trivial (login form)": timed(anonymous, lambda i: "/login")}
    results.update({name: timed(client, path) for name, path in pages.items()})
    fragment = timed(client, lambda i: f"/projects?q=食品&page={1 + i % 20}", htmx=True)
    results["project list, HTMX table fragment"] = fragment
    base = statistics.median(results["trivial (login form)"])
    print(f"{'page':36} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:36} {median:10.1f} {p95(samples):8.1f} {median / base:10.1f}")
    print("target: list and detail pages under 200 ms on the server")


if __name__ == "__main__":
    main()

"""Indicator library search: suggestions at 1,000,000 occurrences (PostgreSQL), 100,000 (SQLite).

Run as ``python -m bench library``. For each backend a database built by the migrations gets a
generated library: entries named subject + measure (2–4 character subjects from a pool of
morphemes, 40 measures, 9 level-2 categories) whose occurrence counts follow a Zipf law and sum
to the target number of occurrences (PostgreSQL: 1,000,000 occurrences; SQLite: 100,000), spread
over 250 departments and four years. A real uvicorn server answers ``GET /library/suggest`` for
typed text of 2 to 5 characters (a prefix or a substring of a name, with its level-2 category)
and ``GET /library/entries`` with a filter, next to the trivial ``GET /health`` in the same run.
Targets: suggestion p95 ≤ 50 ms on PostgreSQL, ≤ 150 ms on SQLite.
The PostgreSQL database is dropped afterwards; the SQLite file is temporary.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import insert, make_url
from sqlalchemy.orm import Session

from bench._http import Figures, Request, copy_rows, load, serve
from bench.api import TOKEN
from jixiao.db.base import utcnow
from jixiao.db.migrate import upgrade
from jixiao.db.models import (
    ApiToken,
    FiscalYear,
    Indicator,
    LibraryEntry,
    LibraryOccurrence,
    Organisation,
    Project,
    User,
)
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Direction, OrgKind, Role, TargetKind
from jixiao.domain.library import name_key
from jixiao.settings import Settings

DATABASE = "jixiao_bench_library"
DEPARTMENTS = 250
REQUESTS, THREADS = 300, 1
MORPHEMES = list("食品药械特种设备农机良种教师学生校舍医疗卫生疫苗道路桥梁公交养老儿童社区环境水利")
MEASURES = {
    "数量指标": ["人次", "场次", "户数", "批次", "覆盖人数", "数量", "面积", "个数"],
    "质量指标": ["合格率", "达标率", "完成率", "验收合格率", "准确率"],
    "时效指标": ["及时率", "完成时间", "办结时限", "按时完成率"],
    "成本指标": ["人均成本", "单位成本", "成本控制"],
    "经济效益指标": ["带动增收", "节约资金", "产值增长"],
    "社会效益指标": ["知晓率", "覆盖率", "受益人数", "改善程度"],
    "生态效益指标": ["减排量", "绿化覆盖率", "节能率"],
    "可持续影响指标": ["长效机制", "持续发挥作用年限"],
    "服务对象满意度指标": ["满意度", "群众满意度", "参与人员满意度", "学员满意度"],
}


def entries(rng: random.Random, occurrences: int) -> list[tuple[str, str, int]]:
    """(name, level-2 category, count) with Zipf counts summing to ``occurrences``."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    target = occurrences // 40
    while len(out) < target:
        subject = "".join(rng.choices(MORPHEMES, k=rng.randint(2, 4)))
        level2 = rng.choice(list(MEASURES))
        name = subject + rng.choice(MEASURES[level2])
        if (name_key(name), level2) not in seen:
            seen.add((name_key(name), level2))
            out.append((name, level2))
    weights = [1 / (i + 1) for i in range(len(out))]
    scale = occurrences / sum(weights)
    counts = [max(1, round(w * scale)) for w in weights]
    counts[0] += occurrences - sum(counts)
    return [(n, l2, c) for (n, l2), c in zip(out, counts, strict=True)]


def rows(rng: random.Random, occurrences: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entry_rows, occurrence_rows = [], []
    now = utcnow()
    for entry_id, (name, level2, count) in enumerate(entries(rng, occurrences), start=1):
        percent = "率" in name or "满意度" in name
        unit = "%" if percent else "人次"
        entry_rows.append(
            {
                "id": entry_id,
                "name_key": name_key(name),
                "level2_key": level2.removesuffix("指标"),
                "name": name,
                "level2_name": level2,
                "unit": unit,
                "direction": Direction.POSITIVE,
                "occurrence_count": count,
                "met_count": 0,
                "evaluated_count": 0,
                "recommended": False,
                "sectors": [],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        for _ in range(count):
            department, value = rng.randint(2, DEPARTMENTS + 1), rng.randint(80, 100)
            occurrence_rows.append(
                {
                    "entry_id": entry_id,
                    "project_id": 1,
                    "indicator_id": 1,
                    "org_id": department,
                    "department_id": department,
                    "year": rng.randint(2021, 2024),
                    "source": "approved",
                    "name": name,
                    "name_key": name_key(name),
                    "raw": f"≥{value}{unit}",
                    "kind": TargetKind.QUANTITATIVE,
                    "value": Decimal(value),
                    "unit": unit,
                    "direction": Direction.POSITIVE,
                }
            )
    return entry_rows, occurrence_rows


def base_rows(session: Session) -> None:
    """One finance bureau with 250 departments, one project with one indicator, a token."""
    now = utcnow()
    orgs = [{"id": 1, "name": "财政局", "kind": OrgKind.FINANCE_BUREAU, "parent_id": None}]
    orgs += [
        {"id": i, "name": f"部门{i}", "kind": OrgKind.DEPARTMENT, "parent_id": 1}
        for i in range(2, DEPARTMENTS + 2)
    ]
    stamps = {"created_at": now, "updated_at": now}
    session.execute(insert(Organisation), [o | stamps for o in orgs])
    session.execute(insert(FiscalYear), [{"id": 1, "year": 2023}])
    session.execute(
        insert(Project), [{"id": 1, "org_id": 2, "fiscal_year_id": 1, "name": "基准项目"} | stamps]
    )
    session.execute(insert(Indicator), [{"id": 1, "project_id": 1, "position": 0, "name": "x"}])
    user = User(username="bench", display_name="bench", password_hash="-", role=Role.ADMIN)
    session.add(user)
    session.flush()
    session.add(
        ApiToken(
            user_id=user.id,
            name="bench",
            token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
            expires_at=now + timedelta(days=1),
        )
    )


def fill(settings: Settings, occurrences: int) -> list[tuple[str, str]]:
    """Build and fill the database; returns (name, level2) pairs to type."""
    upgrade(settings)
    engine = make_engine(settings)
    entry_rows, occurrence_rows = rows(random.Random(11), occurrences)
    postgres = engine.dialect.name == "postgresql"
    with transaction(make_session_factory(engine)) as session:
        base_rows(session)
        for model, values in ((LibraryEntry, entry_rows), (LibraryOccurrence, occurrence_rows)):
            if postgres:
                copy_rows(session, model, values)
            else:
                for start in range(0, len(values), 20000):
                    session.execute(insert(model), values[start : start + 20000])
        if postgres:
            for table in ("library_entries", "library_occurrences"):
                session.connection().exec_driver_sql(f"ANALYZE {table}")
    engine.dispose()
    return [(e["name"], e["level2_name"]) for e in entry_rows]


def typed(rng: random.Random, names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Text as typed: a prefix of 2–5 characters, or a substring of 3–4 (with the category)."""
    out = []
    for _ in range(REQUESTS + 2):
        name, level2 = rng.choice(names)
        if rng.random() < 0.7:
            out.append((name[: rng.randint(2, 5)], level2))
        else:
            start = rng.randint(0, max(0, len(name) - 3))
            out.append((name[start : start + rng.randint(3, 4)], level2))
    return out


def endpoints(queries: list[tuple[str, str]]) -> list[tuple[str, Request]]:
    def suggest(c: httpx.Client, i: int) -> httpx.Response:
        q, level2 = queries[i % len(queries)]
        return c.get("/library/suggest", params={"q": q, "level2": level2})

    def entries_page(c: httpx.Client, i: int) -> httpx.Response:
        q, _level2 = queries[i % len(queries)]
        return c.get("/library/entries", params={"q": q, "department_id": 2 + i % DEPARTMENTS})

    return [
        ("GET /health", lambda c, i: c.get("/health")),
        ("GET /library/suggest", suggest),
        ("GET /library/entries?q&dept", entries_page),
    ]


def run(label: str, settings: Settings, occurrences: int) -> None:
    started = time.perf_counter()
    names = fill(settings, occurrences)
    print(
        f"   {label}: {occurrences:,} occurrences, {len(names):,} entries, "
        f"filled in {time.perf_counter() - started:.1f} s"
    )
    queries = typed(random.Random(5), names)
    with serve(settings, 1) as target:

        def client() -> httpx.Client:
            return httpx.Client(
                base_url=f"{target.base}/api/v1",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )

        results: list[tuple[str, Figures]] = []
        for name, request in endpoints(queries):
            with client() as warm:
                request(warm, 0)
            results.append((name, load(target, request, REQUESTS, THREADS, 1, client)))
    baseline = results[0][1]
    for name, figures in results:
        print(f"     {name:<28} {figures.line(baseline)}")


def _pg_url() -> str:
    base = make_url(
        os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return base.set(database=DATABASE).render_as_string(False)


def _drop_pg() -> None:
    base = make_url(
        os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", Settings(database_url=None, data_dir=Path(tmp)), 100_000)
    try:
        settings = Settings(database_url=_pg_url(), data_dir=os.environ.get("TMPDIR", "/tmp"))
        run("PostgreSQL", settings, 1_000_000)
    finally:
        _drop_pg()


if __name__ == "__main__":
    main()

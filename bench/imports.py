"""Import 1,000 documents on SQLite and PostgreSQL: rows per second against a plain executemany.

Run as ``python -m bench imports``. Each document is the bundled sample (37 projects) as
``jixiao.document/1`` JSON under its own department, imported by ``apply_import`` in its own
transaction, committed — reading, reviewing and writing, like ``jixiao import`` of a folder.
Every row it writes in every table is counted.

The floor, in the same run: the very rows the import wrote, read back and inserted into an
empty database of the same schema with the driver's ``executemany``, one call per table, all in
one transaction (JSON values serialised inside the timing, as any client must). PostgreSQL also
shows ``COPY`` of the same rows. Times are wall-clock (on PostgreSQL most of the work is the
server's); beside them the CPU time of this process plus, on a local PostgreSQL, of the
server processes that did the work (read from ``/proc``), which a busy machine does not
inflate. The ratio is given on both. Per-document times of the first and the last hundred
documents show whether the import stays flat as the tables grow.
``BENCH_IMPORT_DOCUMENTS`` sets another number of documents.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import Engine, event, make_url

import jixiao
from jixiao.db.base import Base
from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, make_session_factory
from jixiao.domain.exchange import document_from_json, document_to_json
from jixiao.ingest import read_document
from jixiao.review import review_document
from jixiao.services.imports.service import Upload, apply_import
from jixiao.services.principal import SYSTEM
from jixiao.settings import Settings

SAMPLE = Path(jixiao.__file__).parent / "samples" / "baiyun-amr-2023-targets.ocr.txt"
DOCUMENTS = int(os.environ.get("BENCH_IMPORT_DOCUMENTS", "1000"))
EDGE = max(1, DOCUMENTS // 10)  # documents at each end compared for flatness
PG_URL = os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

Table = tuple[str, list[str], list[tuple[Any, ...]]]


def documents(count: int) -> Iterator[bytes]:
    """The sample as JSON, once per department."""
    data = document_to_json(read_document(SAMPLE))
    for i in range(count):
        data.update(department=f"基准部门{i:04d}", year=2023)
        yield json.dumps(data, ensure_ascii=False).encode("utf-8")


class ServerCpu:
    """CPU seconds of the PostgreSQL server processes behind an engine's connections (local
    server only; zero on SQLite, whose work is in this process)."""

    def __init__(self, engine: Engine) -> None:
        self.start: dict[int, float] = {}
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        pid = dbapi_connection.info.backend_pid
        self.start[pid] = _process_cpu(pid)

    def seconds(self) -> float:
        return sum(_process_cpu(pid) - start for pid, start in self.start.items())


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    rows: int
    wall: float
    cpu: float  # this process and the server's
    per_document: list[float]  # wall seconds of each document

    def edge_ms(self, last: bool) -> float:
        part = self.per_document[-EDGE:] if last else self.per_document[:EDGE]
        return statistics.median(part) * 1000


def import_all(engine: Engine) -> Run:
    factory = make_session_factory(engine)
    before = sum(count for _, count in table_counts(engine))
    server = ServerCpu(engine)
    engine.pool.dispose()  # connections from here on are counted
    per_document = []
    cpu, wall = time.process_time(), time.perf_counter()
    for i, data in enumerate(documents(DOCUMENTS)):
        started = time.perf_counter()
        with factory() as session:
            apply_import(session, SYSTEM, Upload(data, f"目标表{i:04d}.json"))
            session.commit()
        per_document.append(time.perf_counter() - started)
    cpu, wall = time.process_time() - cpu + server.seconds(), time.perf_counter() - wall
    rows = sum(count for _, count in table_counts(engine)) - before
    return Run(rows, wall, cpu, per_document)


def table_counts(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [
            (t.name, conn.exec_driver_sql(f"SELECT count(*) FROM {t.name}").scalar_one())
            for t in Base.metadata.sorted_tables
        ]


def written_rows(engine: Engine) -> list[Table]:
    """Every row of every table as the driver returns it, JSON as Python values."""
    out = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            result = conn.exec_driver_sql(f"SELECT * FROM {table.name}")
            names = list(result.keys())
            json_at = [i for i, n in enumerate(names) if _is_json(table.c[n].type)]
            rows = [_json_loaded(tuple(r), json_at) for r in result]
            out.append((table.name, names, rows))
    return out


def _is_json(column_type: Any) -> bool:
    return type(column_type).__name__ in ("JSON", "JSONB")


def _json_loaded(row: tuple[Any, ...], at: list[int]) -> tuple[Any, ...]:
    if not at:
        return row
    values = list(row)
    for i in at:
        if isinstance(values[i], str):
            values[i] = json.loads(values[i])
    return tuple(values)


def floor(engine: Engine, tables: list[Table], copy: bool) -> tuple[float, float]:
    """(wall, CPU) seconds to insert ``tables`` with one executemany (or COPY) per table in
    one transaction; JSON values are serialised inside the timing."""
    server = ServerCpu(engine)
    engine.pool.dispose()
    raw = engine.raw_connection()
    try:
        pg = engine.dialect.name == "postgresql"
        mark = "%s" if pg else "?"
        wrap = Jsonb if pg else json.dumps
        cursor = raw.cursor()
        cpu, wall = time.process_time(), time.perf_counter()
        for name, names, rows in tables:
            if not rows:
                continue
            json_at = [i for i, v in enumerate(rows[0]) if isinstance(v, dict | list)]
            values = [_serialised(r, json_at, wrap) for r in rows] if json_at else rows
            columns = ", ".join(names)
            if copy:
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as stream:  # type: ignore[attr-defined]
                    for row in values:
                        stream.write_row(row)
            else:
                marks = ", ".join(mark for _ in names)
                cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", values)
        raw.commit()
        return time.perf_counter() - wall, time.process_time() - cpu + server.seconds()
    finally:
        raw.close()


def _serialised(row: tuple[Any, ...], at: list[int], wrap: Any) -> tuple[Any, ...]:
    values = list(row)
    for i in at:
        if values[i] is not None:
            values[i] = wrap(values[i])
    return tuple(values)


def read_and_review() -> float:
    """CPU seconds per document of reading the JSON and reviewing it (no database)."""
    data = next(documents(1))
    started = time.process_time()
    for _ in range(20):
        review_document(document_from_json(json.loads(data)))
    return (time.process_time() - started) / 20


@contextmanager
def database(backend: str, name: str) -> Iterator[Engine]:
    """A freshly migrated database, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url = None
        if backend == "postgresql":
            url = _pg_database(name)
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        upgrade(settings)
        engine = make_engine(settings)
        try:
            yield engine
        finally:
            engine.dispose()
            if url is not None:
                _pg_drop(name)


def _pg_admin() -> str:
    url = make_url(PG_URL).set(drivername="postgresql", database="postgres")
    return url.render_as_string(False)


def _pg_database(name: str) -> str:
    with psycopg.connect(_pg_admin(), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(PG_URL).set(database=name).render_as_string(False)


def _pg_drop(name: str) -> None:
    with psycopg.connect(_pg_admin(), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(backend: str, read_review: float) -> None:
    with database(backend, "jixiao_bench_import") as engine:
        run = import_all(engine)
        tables = written_rows(engine)
    floors = {"executemany": False} | ({"COPY": True} if backend == "postgresql" else {})
    best: dict[str, tuple[float, float]] = {}
    for label, copy in floors.items():
        for attempt in range(2):  # the better of two: the floor errs on the fast side
            with database(backend, f"jixiao_bench_floor{attempt}") as engine:
                timing = floor(engine, tables, copy)
            best[label] = min(best.get(label, timing), timing)
    _report(backend, run, best, read_review)


def _report(backend: str, run: Run, floors: dict[str, tuple[float, float]], rr: float) -> None:
    print(f"{backend}: {DOCUMENTS} documents, {run.rows:,} rows ({run.rows / DOCUMENTS:.0f} each)")
    for label, (wall, cpu) in floors.items():
        print(
            f"  基线 {label:<11} {run.rows / wall:>9,.0f} rows/s wall {wall:7.2f} s"
            f" | {run.rows / cpu:>9,.0f} rows/s CPU {cpu:7.2f} s"
        )
    wall, cpu = floors["executemany"]
    print(
        f"  导入            {run.rows / run.wall:>9,.0f} rows/s wall {run.wall:7.2f} s"
        f" | {run.rows / run.cpu:>9,.0f} rows/s CPU {run.cpu:7.2f} s"
        f"  = {run.wall / wall:.2f}× (wall) / {run.cpu / cpu:.2f}× (CPU) executemany"
    )
    print(
        f"  每份文档 {run.cpu / DOCUMENTS * 1000:.1f} ms CPU, of which reading and review "
        f"{rr * 1000:.1f} ms (no database)"
    )
    first, last = run.edge_ms(last=False), run.edge_ms(last=True)
    print(
        f"  flat: first {EDGE} documents median {first:.1f} ms, last {EDGE} {last:.1f} ms "
        f"(×{last / first:.2f}, wall)"
    )


def main() -> None:
    read_review = read_and_review()
    bench("sqlite", read_review)
    try:
        with psycopg.connect(_pg_admin(), connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        print(f"postgresql: skipped, server unreachable ({str(exc).strip().splitlines()[0]})")
        return
    bench("postgresql", read_review)


if __name__ == "__main__":
    main()

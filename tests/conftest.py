"""Shared fixtures: a database built by the migrations on SQLite and on PostgreSQL.

Every test that asks for ``session`` (or ``api``) runs once per backend — ``[sqlite]`` and
``[postgresql]`` — inside a transaction that is rolled back afterwards. PostgreSQL is
``postgresql+psycopg://postgres@127.0.0.1:5432/test`` unless ``JIXIAO_TEST_PG_URL`` says
otherwise; each xdist worker of each run uses its own database ``jixiao_test_<worker>_<run>``
on that server (created if missing, dropped at the end; the ``test`` database itself is never
touched). When no server answers, the PostgreSQL runs are skipped with the reason — or fail,
under ``JIXIAO_REQUIRE_PG=1`` (see ``required.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, sqlite_pragmas
from jixiao.settings import Settings, get_settings
from jixiao.web.api import create_api_app
from jixiao.web.main import API_PREFIX
from required import REQUIRE_PG, unavailable

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]


def pg_base_url() -> str:
    return os.environ.get("JIXIAO_TEST_PG_URL", DEFAULT_PG_URL)


def worker_name() -> str:
    """This worker within this run: concurrent runs on one machine never share a database."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{run}"


def drop_pg_database(database: str) -> None:
    base = make_url(pg_base_url())
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def pg_database_url(database: str) -> str:
    """A fresh, empty database ``database`` on the test server (created if missing)."""
    base = make_url(pg_base_url())
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(False)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{database}"')
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        where = base.render_as_string(True)
        unavailable(REQUIRE_PG, f"PostgreSQL at {where} does not answer: {first}")
    url = base.set(database=database).render_as_string(False)
    with psycopg.connect(
        base.set(drivername="postgresql", database=database).render_as_string(False),
        autocommit=True,
    ) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


def _sqlite_savepoints(engine: Engine) -> None:
    """Let pysqlite nest SAVEPOINTs inside an outer test transaction (SQLAlchemy recipe)."""

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _explicit_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def settings(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a freshly migrated database of ``backend`` (dropped after the run)."""
    data_dir = tmp_path_factory.mktemp(f"data-{backend}")
    database = f"jixiao_test_{worker_name()}"
    url = None if backend == "sqlite" else pg_database_url(database)
    result = Settings(data_dir=data_dir, database_url=url, secret_key="test-secret")
    upgrade(result)
    yield result
    if url is not None:
        drop_pg_database(database)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    if settings.is_sqlite:
        # The API test client runs endpoints in another thread on the same connection.
        engine = create_engine(
            settings.resolved_database_url, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", sqlite_pragmas)
        _sqlite_savepoints(engine)
    else:
        engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection in an outer transaction that is always rolled back."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions bound to the test connection: their commits only release savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture
def api(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """An in-process client of the JSON API on the test transaction (base URL /api/v1)."""
    app = FastAPI()
    app.mount(API_PREFIX, create_api_app(settings, session_factory))
    base = f"http://testserver{API_PREFIX}"
    with TestClient(app, base_url=base, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return (
        Path(__file__).resolve().parents[1] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
    )


@pytest.fixture
def scratch_settings(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty database that a separate process may commit to (CLI, kill tests).

    SQLite: a file under ``tmp_path``; PostgreSQL: ``jixiao_test_<worker>_scratch``, emptied.
    """
    database = f"jixiao_test_{worker_name()}_scratch"
    url = None if backend == "sqlite" else pg_database_url(database)
    yield Settings(data_dir=tmp_path / "data", database_url=url, secret_key="test-secret")
    if url is not None:
        drop_pg_database(database)


@pytest.fixture
def scratch_env(scratch_settings: Settings) -> dict[str, str]:
    """Environment variables that point ``jixiao`` at the scratch database."""
    env = {"JIXIAO_DATA_DIR": str(scratch_settings.data_dir)}
    if scratch_settings.database_url:
        env["JIXIAO_DATABASE_URL"] = scratch_settings.database_url
    return env


@pytest.fixture
def run(scratch_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """``run("import", FILE, …)``: the ``jixiao`` command line on the scratch database."""
    from click.testing import CliRunner, Result

    from jixiao.cli import cli

    for key, value in scratch_env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    yield invoke
    get_settings.cache_clear()

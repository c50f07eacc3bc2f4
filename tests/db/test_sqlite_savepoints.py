"""On the SQLite engine the server and the command line use, a savepoint opened before any
write stays inside its transaction: rolling the transaction back undoes what it released."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from jixiao.db.session import make_engine
from jixiao.settings import Settings


def _count(engine: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.exec_driver_sql("SELECT count(*) FROM t").scalar())


@pytest.mark.parametrize("end", ["rollback", "commit"])
def test_a_released_savepoint_ends_with_its_transaction(tmp_path: Path, end: str) -> None:
    engine = make_engine(Settings(data_dir=tmp_path, secret_key="test-secret"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with Session(engine) as session:
        session.execute(text("SELECT count(*) FROM t"))  # a read first: no write yet
        with session.begin_nested():
            session.execute(text("INSERT INTO t VALUES (1)"))
        session.execute(text("INSERT INTO t VALUES (2)"))
        getattr(session, end)()
    assert _count(engine) == (0 if end == "rollback" else 2)
    engine.dispose()

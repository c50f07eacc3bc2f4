"""Killing the process in the middle of an import leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from jixiao.db.base import Base
from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, make_session_factory
from jixiao.settings import Settings


def table_counts(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            return {
                name: session.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()
            }
    finally:
        engine.dispose()


PAUSED_IMPORT = Path(__file__).with_name("paused_import.py")


def start_import(env: dict[str, str], sample: Path, pause: Path | None) -> subprocess.Popen[bytes]:
    """``jixiao import`` in a child process; with ``pause``, through the fault injector."""
    full_env = {**os.environ, **env}
    args = ["import", str(sample), "--year", "2023"]
    runner = ["-m", "jixiao"] if pause is None else [str(PAUSED_IMPORT), str(pause)]
    command = [sys.executable, *runner, *args]
    return subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never reached its pause point"
        time.sleep(0.05)


def test_killed_import_leaves_database_unchanged(
    scratch_settings: Settings, scratch_env: dict[str, str], sample_path: Path, tmp_path: Path
) -> None:
    upgrade(scratch_settings)
    before = table_counts(scratch_settings)
    marker = tmp_path / "paused"
    process = start_import(scratch_env, sample_path, marker)
    try:
        wait_for(marker, process)
        # Every row is written and flushed inside the open transaction; nothing is visible.
        assert table_counts(scratch_settings) == before
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert table_counts(scratch_settings) == before

    finished = start_import(scratch_env, sample_path, None)
    _out, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err.decode()
    after = table_counts(scratch_settings)
    assert after["projects"] == 37
    assert after["imported_documents"] == 1


def test_the_pause_lives_in_the_tests_not_in_the_settings() -> None:
    hooks = [name for name, f in Settings.model_fields.items() if "测试" in (f.description or "")]
    assert hooks == []

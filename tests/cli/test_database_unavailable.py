"""An unreachable database is a one-line error with exit status 2, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing answers


def _jixiao(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{_closed_port()}/none"
    env = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "jixiao", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        ("db", "upgrade"),
        ("db", "current"),
        ("user", "role", "alice", "viewer"),
        ("serve", "--port", "1"),
    ],
)
def test_unreachable_database_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _jixiao(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：无法连接数据库"), lines[0]
    assert "secret" not in lines[0]  # the password is never printed
    assert "Traceback" not in result.stderr

"""Hostile uploads against a running server cost their own request only.

``jixiao serve`` runs in a subprocess on a free port with a 2-second, 300 MB parsing budget.
Four hostile uploads go in at once through the API — a workbook with values only in two far
corners, a zip bomb, an .xls whose dense range needs more memory than the budget, and a table
that takes far longer than the budget to parse — while another client keeps loading a page.
Each upload is answered 422 with one line within its budget, and the page keeps its latency.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "ingest"))
from crafted import dense_xls, sparse_corners_xlsx, zip_bomb_xlsx

JIXIAO = Path(sys.executable).with_name("jixiao")
SAMPLE = Path(__file__).parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
PARSE_SECONDS = 1
PASSWORD = "Hostile-Upload-9x!"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "JIXIAO_DATA_DIR": str(tmp_path),
        "JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'jixiao.db'}",
        "JIXIAO_SECRET_KEY": "hostile-uploads-test-secret-0123456789",
        "JIXIAO_PARSE_SECONDS": str(PARSE_SECONDS),
        "JIXIAO_PARSE_MEMORY_MB": "300",
    }

    def jixiao(*args: str) -> None:
        subprocess.run([str(JIXIAO), *args], env=env, check=True, capture_output=True, timeout=120)

    jixiao("db", "upgrade")
    jixiao("user", "add", "importer", "--role", "admin", "--password", PASSWORD)
    port = _free_port()
    proc = subprocess.Popen(
        [str(JIXIAO), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, "server exited"
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def _slow_table() -> bytes:
    """A real-looking table 160 times the sample's length: about 3 s of honest parsing on an idle
    machine (more when it is busy), well past the 1 s limit on any machine."""
    lines = SAMPLE.read_bytes().split(b"\n")
    return b"\n".join(lines[:6] + lines[6:] * 160)


def _token(base: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/token",
        json={"username": "importer", "password": PASSWORD, "name": "test"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def _page_latencies(base: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(timeout=20) as client:
        while not stop.is_set():
            started = time.monotonic()
            assert client.get(f"{base}/login").status_code == 200
            out.append(time.monotonic() - started)
            time.sleep(0.05)


def test_hostile_uploads_cost_only_their_own_request(server: str) -> None:
    token = _token(server)
    hostile = {
        "corners.xlsx": (sparse_corners_xlsx(), ("table too large",)),
        "bomb.xlsx": (zip_bomb_xlsx(340), ("zip bomb",)),
        # the memory bound, or on a busy machine the time bound first (each bound alone is
        # tested in tests/ingest/test_isolated_limits.py)
        "dense.xls": (dense_xls(), ("memory limit exceeded", "reading timed out")),
        "slow.txt": (_slow_table(), ("reading timed out",)),
    }
    baseline: list[float] = []
    stop = threading.Event()
    _page_latencies_until(server, baseline, count=20)

    answers: dict[str, tuple[int, str, float]] = {}

    def upload(name: str, data: bytes) -> None:
        started = time.monotonic()
        response = httpx.post(
            f"{server}/api/v1/imports/preview",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (name, data)},
            data={"year": "2023"},
            timeout=60,
        )
        answers[name] = (response.status_code, response.text, time.monotonic() - started)

    during: list[float] = []
    watcher = threading.Thread(target=_page_latencies, args=(server, stop, during))
    watcher.start()
    uploads = [threading.Thread(target=upload, args=(n, d)) for n, (d, _) in hostile.items()]
    for thread in uploads:
        thread.start()
    for thread in uploads:
        thread.join(90)
    stop.set()
    watcher.join(30)

    for name, (_, reasons) in hostile.items():
        status, body, seconds = answers[name]
        assert status == 422, (name, body)
        message = httpx.Response(status, content=body).json()["error"]["message"]
        assert any(reason in message for reason in reasons), (name, message)
        assert "\n" not in message
        # two parsing slots: a file may wait for a slot (≤ 2 budgets), then has its own budget
        assert seconds < 3 * PARSE_SECONDS + 8, (name, seconds)
    assert len(during) >= 10
    normal = statistics.median(baseline)
    assert statistics.median(during) < max(5 * normal, 0.25), (normal, during)


def _page_latencies_until(base: str, out: list[float], count: int) -> None:
    with httpx.Client(timeout=20) as client:
        for _ in range(count):
            started = time.monotonic()
            assert client.get(f"{base}/login").status_code == 200
            out.append(time.monotonic() - started)

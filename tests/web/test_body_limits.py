"""Request bodies are limited before they are read, and fields and lists in the schemas.

In process: real oversized JSON, form and upload bodies against both sub-apps. Against a real
server (uvicorn on a socket): a request declaring 400 MB, and a chunked body that never ends,
are answered 413 while the client has sent only a small part of them.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token, make_indicator, make_project
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.ingest.limits import DEFAULT_LIMITS
from jixiao.services.types import MAX_ENTRY_ITEMS, MAX_ENTRY_TEXT, MAX_INDICATORS
from jixiao.settings import Settings
from jixiao.web.main import create_app

MB = 1024 * 1024


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def bearer(session: Session, world: World, role: Role = Role.UNIT_EDITOR) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, user=world.users[role])}"}


def test_upload_limit_is_the_readers_limit() -> None:
    assert Settings().max_upload_bytes == DEFAULT_LIMITS.max_bytes


def test_an_oversized_json_body_is_413_in_the_canonical_shape(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    body = json.dumps({"version": 1, "goal": "目" * (MB // 2)}).encode()
    assert len(body) > MB
    response = api.patch(
        f"/projects/{project.id}",
        content=body,
        headers={**bearer(session, world), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == "请求内容过大：不能超过 1 MB（request body too large）"


def test_an_api_upload_over_the_limit_is_413(
    api: TestClient, session: Session, world: World, settings: Settings
) -> None:
    big = b"x" * (settings.max_upload_bytes + 200 * 1024)
    response = api.post(
        "/imports/preview",
        files={"file": ("big.txt", big, "text/plain")},
        headers=bearer(session, world, Role.DEPT_REVIEWER),
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("上传文件过大：不能超过 20 MB")


def test_a_long_text_in_a_monitoring_entry_is_422(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    headers = bearer(session, world)
    entry: dict[str, Any] = {
        "indicators": [{"name": "服务天数", "cause_note": "慢" * (MAX_ENTRY_TEXT + 1)}]
    }
    response = api.put(
        f"/projects/{project.id}/monitoring/2023/7", json={"entry": entry}, headers=headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {"entry": "entry.indicators[0].cause_note：最多 2000 个字符"}


def test_too_many_indicators_in_an_entry_is_422(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    entry = {"indicators": [{"name": f"指标{i}"} for i in range(MAX_ENTRY_ITEMS + 1)]}
    response = api.put(
        f"/projects/{project.id}/self-evaluations/2023",
        json={"entry": entry},
        headers=bearer(session, world),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"entry": "entry.indicators：最多 500 项"}


def test_a_project_holds_at_most_max_indicators(
    api: TestClient, session: Session, world: World
) -> None:
    headers = bearer(session, world)
    one = {"level1_code": "1", "level2_code": "11", "name": "再加一个", "annual": {"raw": "1次"}}
    almost = [make_indicator(name=f"指标{i}") for i in range(MAX_INDICATORS - 1)]
    project = create_project(session, org=world.unit_a, domain=make_project(indicators=almost))
    added = api.post(f"/projects/{project.id}/indicators", json=one, headers=headers)
    assert added.status_code == 201, added.text
    response = api.post(f"/projects/{project.id}/indicators", json=one, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "一个项目最多 500 个指标（too many indicators）"


def test_long_names_are_422_with_a_chinese_message(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    response = api.patch(
        f"/projects/{project.id}",
        json={"version": 1, "name": "名" * 301},
        headers=bearer(session, world),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": "最多 300 个字符"}


def test_an_oversized_form_post_is_a_chinese_page(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="limits-test-secret")
    with TestClient(create_app(settings)) as client:
        response = client.post("/login", data={"username": "a", "password": "p" * (2 * MB)})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "请求内容过大：不能超过 1 MB" in response.text


# -- against a real server: the refusal comes before the body does ---------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    settings = Settings(data_dir=tmp_path, secret_key="limits-test-secret")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    instance.should_exit = True
    thread.join(10)


def complete(answer: bytes) -> bool:
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
    return length is None or len(body) >= int(length[1])


def send_until_answered(
    address: tuple[str, int], head: bytes, chunks: Iterator[bytes], budget: int
) -> tuple[bytes, int]:
    """Send ``head`` then ``chunks`` until the server answers; (answer, body bytes sent)."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        sent, pending, answer = 0, b"", b""
        started = time.monotonic()
        while time.monotonic() - started < 30:
            readable, writable, _ = select.select([sock], [sock] if sent < budget else [], [], 1)
            if readable:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not data:
                    break
                answer += data
                if complete(answer):
                    break
            if writable:
                pending = pending or next(chunks)
                try:
                    n = sock.send(pending)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent, pending = sent + n, pending[n:]
        return answer, sent


def test_a_declared_400_mb_upload_is_refused_before_the_body(server: tuple[str, int]) -> None:
    head = (
        b"POST /api/v1/imports/preview HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: " + str(400 * MB).encode() + b"\r\n\r\n"
    )
    chunks = iter(lambda: b"x" * 65536, None)
    answer, sent = send_until_answered(server, head, chunks, 400 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 40 * MB  # what the socket buffers took in, not the 400 MB declared


def test_a_chunked_json_body_is_cut_off_at_the_limit(server: tuple[str, int]) -> None:
    head = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"[" + b"1," * 32767
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    answer, sent = send_until_answered(server, head, iter(lambda: chunk, None), 300 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 40 * MB
    assert "请求内容过大".encode() in answer or b"payload_too_large" in answer

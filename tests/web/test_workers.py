"""``jixiao serve --workers 2``: what one worker issues, the other honours; SIGTERM drains.

The real command runs as a separate process on a free 127.0.0.1 port, on a database of each
backend. Which worker answered a response is read from the operating system (``/proc``: the
worker process that holds the server end of the response's TCP connection), so the tests can
steer a request to one worker or the other without any help from the application.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import drop_pg_database, pg_database_url, worker_name
from factories import create_user
from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.settings import Settings

PASSWORD = "correct-horse-9"
START_SECONDS = 120
pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")


@dataclass
class Served:
    base: str
    port: int
    process: subprocess.Popen[bytes]

    def worker_of(self, response: httpx.Response) -> int:
        """The pid of the process holding the server end of ``response``'s connection."""
        stream = response.extensions["network_stream"]
        client_port = stream.get_extra_info("client_addr")[1]
        inode = _server_socket_inode(self.port, client_port)
        for pid in _descendants(self.process.pid):
            if _holds_socket(pid, inode):
                return pid
        raise AssertionError(f"no worker holds the connection from port {client_port}")

    def client_on(
        self, worker: int | None, cookies: httpx.Cookies
    ) -> AbstractContextManager[httpx.Client]:
        """A client whose connection is served by ``worker`` (by any worker when None)."""
        return self._steer(lambda pid: worker is None or pid == worker, cookies)

    def client_off(
        self, worker: int, cookies: httpx.Cookies
    ) -> AbstractContextManager[httpx.Client]:
        """A client whose connection is served by a worker other than ``worker``."""
        return self._steer(lambda pid: pid != worker, cookies)

    @contextmanager
    def _steer(
        self, wanted: Callable[[int], bool], cookies: httpx.Cookies
    ) -> Iterator[httpx.Client]:
        for _ in range(200):
            with httpx.Client(
                base_url=self.base, cookies=cookies, follow_redirects=False
            ) as client:
                if wanted(self.worker_of(client.get("/api/v1/health"))):
                    yield client
                    return
        raise AssertionError("the connections never reached the wanted worker")


def _server_socket_inode(server_port: int, client_port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == (
            client_port
        ):
            return fields[9]
    raise AssertionError(f"no server socket for client port {client_port}")


def _descendants(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(child) for child in text]
    return children + [grand for child in children for grand in _descendants(child)]


def _holds_socket(pid: int, inode: str) -> bool:
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == f"socket:[{inode}]":
                return True
        except OSError:
            continue
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(settings: Settings, **env: str) -> Served:
    """``jixiao serve --workers 2`` on a free port; returns once both workers answer."""
    port = _free_port()
    environ = {
        **os.environ,
        "JIXIAO_DATA_DIR": str(settings.data_dir),
        "JIXIAO_SECRET_KEY": "workers-test-secret-0123456789abcdef",
        "JIXIAO_LOGIN_BACKOFF_SECONDS": "0",
        **env,
    }
    if settings.database_url:
        environ["JIXIAO_DATABASE_URL"] = settings.database_url
    command = [sys.executable, "-m", "jixiao", "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, env=environ)
    served = Served(f"http://127.0.0.1:{port}", port, process)
    deadline = time.monotonic() + START_SECONDS
    seen: set[int] = set()
    while len(seen) < 2:
        assert process.poll() is None, "the server exited"
        assert time.monotonic() < deadline, "the workers did not start in time"
        try:
            with httpx.Client(base_url=served.base) as client:
                response = client.get("/api/v1/ready")
                if response.status_code == 200:
                    seen.add(served.worker_of(response))
        except httpx.TransportError:
            time.sleep(0.3)
    return served


def stop(served: Served) -> None:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
    served.process.wait(timeout=60)


def _with_reader(settings: Settings) -> Settings:
    """Migrate the database of ``settings`` and add one 只读 account ``reader``."""
    upgrade(settings)
    engine = make_engine(settings)
    with transaction(make_session_factory(engine)) as session:
        create_user(session, username="reader", role=Role.VIEWER)
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def served(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One two-worker server per backend for the tests that do not stop it."""
    database = f"jixiao_test_{worker_name()}_workers"
    url = None if backend == "sqlite" else pg_database_url(database)
    data_dir = tmp_path_factory.mktemp(f"workers-{backend}")
    settings = _with_reader(Settings(data_dir=data_dir, database_url=url))
    served = start(settings, JIXIAO_LOGIN_MAX_FAILURES="4")
    yield served
    stop(served)
    if url is not None:
        drop_pg_database(database)


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def test_login_form_session_and_csrf_work_on_either_worker(served: Served) -> None:
    cookies = httpx.Cookies()
    with served.client_on(None, cookies) as first:
        form = first.get("/login")
        assert form.status_code == 200
        worker_a = served.worker_of(form)
        token = _form_token(form.text)
        cookies.update(form.cookies)
    with served.client_off(worker_a, cookies) as second:
        credentials = {"username": "reader", "password": PASSWORD, "csrf_token": token}
        login = second.post("/login", data=credentials)
        assert served.worker_of(login) != worker_a
        assert login.status_code == 303, login.text
        cookies.update(login.cookies)
    with served.client_on(worker_a, cookies) as back:
        page = back.get("/account")
        assert served.worker_of(page) == worker_a
        assert page.status_code == 200, page.text
        session_token = _form_token(page.text)
        refused = back.post("/api/v1/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "no"})
        assert refused.status_code == 403
        made = back.post(
            "/api/v1/me/tokens", json={"name": "a"}, headers={"X-CSRF-Token": session_token}
        )
        assert made.status_code == 201, made.text
    with served.client_off(worker_a, cookies) as other:
        made = other.post(
            "/api/v1/me/tokens", json={"name": "b"}, headers={"X-CSRF-Token": session_token}
        )
        assert served.worker_of(made) != worker_a
        assert made.status_code == 201, made.text
        logout = other.post("/logout", data={"csrf_token": session_token})
        assert logout.status_code == 303, logout.text
    with served.client_on(worker_a, cookies) as ended:
        assert ended.get("/api/v1/me").status_code == 401


def test_failed_logins_count_across_workers(served: Served) -> None:
    """Four failures lock the account: two on each worker, so neither saw the limit alone."""
    cookies = httpx.Cookies()
    wrong = {"username": "reader", "password": "wrong-password-1"}
    with served.client_on(None, cookies) as first:
        worker_a = served.worker_of(first.get("/api/v1/health"))
        for _ in range(2):
            assert first.post("/api/v1/auth/login", json=wrong).status_code == 401
    with served.client_off(worker_a, cookies) as second:
        assert second.post("/api/v1/auth/login", json=wrong).status_code == 401
        last = second.post("/api/v1/auth/login", json=wrong)
        assert served.worker_of(last) != worker_a
        assert last.status_code == 401
    with served.client_on(worker_a, cookies) as back:
        right = {"username": "reader", "password": PASSWORD}
        refused = back.post("/api/v1/auth/login", json=right)
        assert served.worker_of(refused) == worker_a
        assert refused.status_code == 429, refused.text
        assert "锁定" in refused.json()["error"]["message"]


def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    """A login whose body is still arriving when SIGTERM comes is answered; then the server
    exits with status 0 — and not before that request ended. (The backend plays no part.)"""
    served = start(_with_reader(Settings(data_dir=tmp_path)))
    release = threading.Event()
    answer: list[httpx.Response] = []

    def body() -> Iterator[bytes]:
        yield b'{"username": "reader", '
        release.wait(30)
        yield f'"password": "{PASSWORD}"}}'.encode()

    def send() -> None:
        with httpx.Client(base_url=served.base, timeout=60) as client:
            headers = {"Content-Type": "application/json"}
            answer.append(client.post("/api/v1/auth/login", content=body(), headers=headers))

    sender = threading.Thread(target=send)
    try:
        sender.start()
        time.sleep(1.0)  # the headers and the first half of the body are at the server
        served.process.send_signal(signal.SIGTERM)
        time.sleep(2.0)
        assert served.process.poll() is None, "the server quit with a request in flight"
        release.set()
        sender.join(timeout=30)
        assert answer, "the request in flight got no answer"
        assert answer[0].status_code == 200, answer[0].text
        assert answer[0].json()["user"]["username"] == "reader"
        assert served.process.wait(timeout=60) == 0
    finally:
        release.set()
        stop(served)

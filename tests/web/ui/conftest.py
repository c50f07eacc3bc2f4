"""Fixtures for the page tests: a migrated SQLite database, one account per role, a client."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.ingest import read_document
from jixiao.services.imports import service as imports
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate
from jixiao.settings import Settings
from jixiao.web.ui import create_ui_app

PASSWORD = "correct-horse-9"
SECRET = "page-tests-secret"
SAMPLE = Path(__file__).resolve().parents[3] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
DEPARTMENT = read_document(SAMPLE).department or "部门"


@dataclass
class Site:
    settings: Settings
    factory: sessionmaker[Session]
    department_id: int


def _seed_accounts(factory: sessionmaker[Session], settings: Settings) -> None:
    with transaction(factory) as db:
        dept = orgs.add_department(db, SYSTEM, DEPARTMENT)
        accounts = [
            ("admin", Role.ADMIN, None),
            ("security", Role.SECURITY_ADMIN, None),
            ("auditor", Role.AUDIT_ADMIN, None),
            ("finance", Role.FINANCE_REVIEWER, None),
            ("deptrev", Role.DEPT_REVIEWER, dept.id),
            ("deptrev2", Role.DEPT_REVIEWER, dept.id),
            ("unit", Role.UNIT_EDITOR, dept.id),
            ("viewer", Role.VIEWER, None),
        ]
        for username, role, org_id in accounts:
            data = UserCreate(username=username, password=PASSWORD, role=role, org_id=org_id)
            users.create_user(db, SYSTEM, data, settings)


def _build(folder: Path, with_sample: bool) -> None:
    settings = Settings(data_dir=folder, secret_key=SECRET)
    upgrade(settings)
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    _seed_accounts(factory, settings)
    if with_sample:
        with transaction(factory) as db:
            upload = imports.Upload(SAMPLE.read_bytes(), SAMPLE.name, 2023, None)
            imports.apply_import(db, SYSTEM, upload)
    engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """Two prepared databases, built once: accounts only, and accounts plus the sample."""
    out = {}
    for with_sample in (False, True):
        folder = tmp_path_factory.mktemp("sample" if with_sample else "accounts")
        _build(folder, with_sample)
        out[with_sample] = folder
    return out


def _site_from(template: Path, folder: Path) -> Site:
    for file in template.glob("jixiao.db*"):
        shutil.copy(file, folder / file.name)
    settings = Settings(data_dir=folder, secret_key=SECRET)
    factory = make_session_factory(make_engine(settings))
    with transaction(factory) as db:
        department = orgs.find_department(db, DEPARTMENT)
        assert department is not None
        return Site(settings, factory, department.id)


@pytest.fixture
def site(templates: dict[bool, Path], tmp_path: Path) -> Site:
    """A fresh copy of the database with one account per role (no projects)."""
    return _site_from(templates[False], tmp_path)


@pytest.fixture
def imported(templates: dict[bool, Path], tmp_path: Path) -> Site:
    """A fresh copy of the database with the sample table imported for 2023 (37 projects)."""
    return _site_from(templates[True], tmp_path)


@pytest.fixture
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client of the pages app on ``imported`` when the test asks for it, else on ``site``."""
    name = "imported" if "imported" in request.fixturenames else "site"
    chosen: Site = request.getfixturevalue(name)
    app = create_ui_app(chosen.settings, chosen.factory)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf_of(html: str) -> str:
    field = soup(html).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF field"
    return str(field["value"])


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; return the CSRF token of the landing page."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 303, response.text
    landing = client.get("/")
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', landing.text)
    assert match, "landing page carries no CSRF header"
    return match.group(1)

"""Fixtures for the page tests: a migrated SQLite database, one account per role, a client."""

from __future__ import annotations

import re
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
SAMPLE = Path(__file__).resolve().parents[3] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
DEPARTMENT = read_document(SAMPLE).department or "部门"


@dataclass
class Site:
    settings: Settings
    factory: sessionmaker[Session]
    department_id: int


def _seed_accounts(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as db:
        dept = orgs.add_department(db, SYSTEM, DEPARTMENT)
        accounts = [
            ("admin", Role.ADMIN, None),
            ("finance", Role.FINANCE_REVIEWER, None),
            ("deptrev", Role.DEPT_REVIEWER, dept.id),
            ("unit", Role.UNIT_EDITOR, dept.id),
            ("viewer", Role.VIEWER, None),
        ]
        for username, role, org_id in accounts:
            data = UserCreate(username=username, password=PASSWORD, role=role, org_id=org_id)
            users.create_user(db, SYSTEM, data)
        return dept.id


@pytest.fixture
def site(tmp_path: Path) -> Site:
    settings = Settings(data_dir=tmp_path, secret_key="page-tests-secret")
    upgrade(settings)
    factory = make_session_factory(make_engine(settings))
    return Site(settings, factory, _seed_accounts(factory))


@pytest.fixture
def imported(site: Site) -> Site:
    """The site with the sample table imported for 2023 (37 projects)."""
    with transaction(site.factory) as db:
        upload = imports.Upload(SAMPLE.read_bytes(), SAMPLE.name, 2023, None)
        imports.apply_import(db, SYSTEM, upload)
    return site


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    app = create_ui_app(site.settings, site.factory)
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

"""Request validation errors speak Chinese, field by field (never pydantic's English)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_token
from jixiao.domain.enums import Role

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    world = World(session)
    token = create_token(session, user=world.users[Role.ADMIN])
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _fields(response: object) -> dict[str, str]:
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "validation_error"
    fields: dict[str, str] = error["fields"]
    return fields


def test_missing_and_out_of_range_fields_are_explained_in_chinese(
    api: TestClient, auth: dict[str, str]
) -> None:
    response = api.post("/users", json={"username": "ab", "role": "nobody"}, headers=auth)
    fields = _fields(response)
    assert fields["password"] == "必填"
    assert fields["role"].startswith("须为以下之一")
    assert "admin" in fields["role"]  # the accepted values are named as sent


def test_no_english_words_in_validation_messages(api: TestClient, auth: dict[str, str]) -> None:
    bad = api.get("/projects", params={"page": "x", "size": "0"}, headers=auth)
    fields = _fields(bad)
    assert set(fields) == {"page", "size"}
    message = bad.json()["error"]["message"]
    prose = [w for w in LATIN_WORD.findall(message) if w not in {"page", "size"}]
    assert prose == [], message


def test_custom_validator_message_loses_the_value_error_prefix(
    api: TestClient, auth: dict[str, str]
) -> None:
    body = {"entry": {}, "profile": "nowhere"}
    response = api.put("/projects/1/monitoring/2024/6", json=body, headers=auth)
    fields = _fields(response)
    assert fields["profile"].startswith("未知的评分口径：nowhere"), fields

"""Which scoring profile a monitoring round or self-evaluation uses.

The services take the profile name from web callers, so they resolve bundled names only: a
file path is refused here (422, Chinese message), not just in the API and pages. A save that
names no profile keeps the one the record was stored with; a new record gets the national one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import World, create_project
from jixiao.db.models import MonitoringRecord, Project, SelfEvaluationRecord
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.errors import AppError
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation, selfeval_template
from jixiao.services.monitoring.schemas import MonitoringIn
from jixiao.services.monitoring.service import monitoring_template, save_monitoring
from jixiao.services.principal import Principal


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    """A valid profile file (a copy of the bundled national one), so only its being a path
    can be the reason it is refused."""
    bundled = resources.files("jixiao.scoring") / "profiles" / "national.toml"
    path = tmp_path / "local.toml"
    path.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _setup(session: Session, world: World) -> tuple[Project, Principal]:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    return project, world.actor(Role.UNIT_EDITOR)


def _monitoring_entry(session: Session, unit: Principal, project: Project) -> dict[str, Any]:
    entry = monitoring_template(session, unit, project.id)
    entry["funds"] = [{**entry["funds"][0], "executed": "60"}]
    days, satisfaction = entry["indicators"]
    entry["indicators"] = [
        {**days, "actual": "200", "likelihood": "确定能"},
        {**satisfaction, "actual": "93", "likelihood": "确定能"},
    ]
    return entry


def _selfeval_entry(session: Session, unit: Principal, project: Project) -> dict[str, Any]:
    entry = selfeval_template(session, unit, project.id)
    entry["funds"] = [{**entry["funds"][0], "executed": "125"}]
    days, satisfaction = entry["indicators"]
    entry["indicators"] = [{**days, "actual": "365"}, {**satisfaction, "actual": "95"}]
    return entry


def _refusal(exc: pytest.ExceptionInfo[AppError]) -> str:
    assert 400 <= exc.value.status_code < 500
    assert "只能选用内置口径" in exc.value.message
    return exc.value.fields["profile"]


def _count(session: Session, model: type[MonitoringRecord] | type[SelfEvaluationRecord]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("kind", ["file", "bundled file", "relative"])
def test_monitoring_refuses_a_profile_path(
    session: Session, world: World, profile_file: Path, kind: str
) -> None:
    project, unit = _setup(session, world)
    path = {
        "file": str(profile_file),
        "bundled file": str(resources.files("jixiao.scoring") / "profiles" / "shanxi.toml"),
        "relative": "src/jixiao/scoring/profiles/national.toml",
    }[kind]
    entry = _monitoring_entry(session, unit, project)
    with pytest.raises(AppError) as exc:
        save_monitoring(
            session,
            unit,
            project.id,
            MonitoringIn(year=2023, end_month=7, entry=entry, profile=path),
        )
    assert path in _refusal(exc)
    assert _count(session, MonitoringRecord) == 0


def test_self_evaluation_refuses_a_profile_path(
    session: Session, world: World, profile_file: Path
) -> None:
    project, unit = _setup(session, world)
    entry = _selfeval_entry(session, unit, project)
    with pytest.raises(AppError) as exc:
        save_self_evaluation(
            session,
            unit,
            project.id,
            SelfEvaluationIn(year=2023, entry=entry, profile=str(profile_file)),
        )
    _refusal(exc)
    assert _count(session, SelfEvaluationRecord) == 0


def test_monitoring_keeps_its_stored_profile_when_none_is_named(
    session: Session, world: World
) -> None:
    project, unit = _setup(session, world)
    entry = _monitoring_entry(session, unit, project)

    def save(version: int | None, profile: str | None = None) -> str:
        data = MonitoringIn(year=2023, end_month=7, entry=entry, version=version, profile=profile)
        return save_monitoring(session, unit, project.id, data).profile

    assert save(None) == "national"  # a new round: the default
    assert save(1, "shanxi") == "shanxi"
    assert save(2) == "shanxi"  # omitted: kept, not reset to national
    assert save(3, "national") == "national"  # named: switched
    other_round = MonitoringIn(year=2023, end_month=9, entry=entry)
    assert save_monitoring(session, unit, project.id, other_round).profile == "national"


def test_self_evaluation_keeps_its_stored_profile_when_none_is_named(
    session: Session, world: World
) -> None:
    project, unit = _setup(session, world)
    entry = _selfeval_entry(session, unit, project)

    def save(version: int | None, profile: str | None = None) -> str:
        data = SelfEvaluationIn(year=2023, entry=entry, version=version, profile=profile)
        return save_self_evaluation(session, unit, project.id, data).profile

    assert save(None, "shanxi") == "shanxi"
    assert save(1) == "shanxi"
    assert save(2, "national") == "national"

"""Error findings block submitting until fixed or waived; the review profile says which block."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.domain.enums import ProjectStatus, Role, Severity
from jixiao.errors import ProfileError
from jixiao.review.profile import load_profile
from jixiao.services.errors import ValidationFailed
from jixiao.services.reviews.service import blocking_findings, rerun, waive
from jixiao.services.workflow.service import transition


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def rate_over_150() -> object:
    """A project whose 达标率 target is ≥150%: the review engine reports it as an error."""
    return make_project(
        name="物业管理费",
        indicators=[
            make_indicator(
                name="每月考评达标率",
                level1=("1", "产出指标"),
                level2=("12", "质量指标"),
                period="≥150%",
                annual="≥150%",
            ),
        ],
    )


def test_submit_is_refused_while_an_error_finding_is_open(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, domain=rate_over_150())  # type: ignore[arg-type]
    unit, finance = world.actor(Role.UNIT_EDITOR), world.actor(Role.FINANCE_REVIEWER)
    errors = [f for f in rerun(session, unit, project.id) if f.severity is Severity.ERROR]
    assert errors, "the sample project must carry an error finding"
    with pytest.raises(ValidationFailed, match="不能提交") as err:
        transition(session, unit, project.id, "submit")
    assert errors[0].rule in err.value.message
    assert project.status is ProjectStatus.DRAFT
    for finding in errors:  # an error is waived one level up (财政审核)
        waive(session, finance, finding.id, "已与单位核实，目标值按新考核办法设定")
    assert blocking_findings(session, project.id) == []
    transition(session, unit, project.id, "submit")
    assert project.status is ProjectStatus.SUBMITTED


def test_warnings_do_not_block_by_default(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, domain=rate_over_150())  # type: ignore[arg-type]
    found = rerun(session, world.actor(Role.UNIT_EDITOR), project.id)
    assert any(f.severity is Severity.WARNING for f in found)
    blocking = blocking_findings(session, project.id)
    assert blocking
    assert {f.severity for f in blocking} == {Severity.ERROR}


def test_profile_chooses_the_blocking_severities(
    session: Session, world: World, tmp_path: Path
) -> None:
    project = create_project(session, org=world.unit_a, domain=rate_over_150())  # type: ignore[arg-type]
    found = rerun(session, world.actor(Role.UNIT_EDITOR), project.id)
    strict = tmp_path / "strict.toml"
    strict.write_text(
        'extends = "national"\nname = "strict"\nblock_submit = ["error", "warning"]\n'
    )
    lenient = tmp_path / "lenient.toml"
    lenient.write_text('extends = "national"\nname = "lenient"\nblock_submit = []\n')
    open_ = {f.id for f in found if f.severity in (Severity.ERROR, Severity.WARNING)}
    assert {f.id for f in blocking_findings(session, project.id, load_profile(strict))} == open_
    assert blocking_findings(session, project.id, load_profile(lenient)) == []


def test_profile_refuses_an_unknown_severity(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "national"\nname = "bad"\nblock_submit = ["fatal"]\n')
    with pytest.raises(ProfileError):
        load_profile(bad)

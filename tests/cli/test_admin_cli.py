"""``jixiao db``, ``jixiao import`` and ``jixiao user`` against a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from factories import create_org
from jixiao.cli import cli
from jixiao.db.models import Organisation, Project, User
from jixiao.db.session import make_engine, make_session_factory
from jixiao.domain.enums import OrgKind, Role
from jixiao.services.users.auth import authenticate
from jixiao.settings import Settings, get_settings


@pytest.fixture
def run(scratch_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    for key, value in scratch_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("JIXIAO_IMPORT_PAUSE_FILE", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)

    yield invoke
    get_settings.cache_clear()


def count(settings: Settings, model: type) -> int:
    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_db_upgrade_and_check(run, scratch_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "head" in result.output
    checked = run("db", "check")
    assert checked.exit_code == 0, checked.output
    assert "一致" in checked.output


def test_import_twice_then_bad_file(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    preview = run("import", "--preview", str(sample_path), "--year", "2023")
    assert preview.exit_code == 0, preview.output
    assert preview.output.count("  新增  ") == 37
    assert count(scratch_settings, Project) == 0
    first = run("import", str(sample_path), "--year", "2023")
    assert first.exit_code == 0, first.output
    assert "新增 37 个项目" in first.output
    again = run("import", str(sample_path), "--year", "2023")
    assert "已导入过" in again.output
    assert count(scratch_settings, Project) == 37
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02 not a table")
    bad = run("import", str(junk))
    assert bad.exit_code == 2
    assert bad.output.startswith("错误：")
    assert "Traceback" not in bad.output


def test_user_add_role_passwd(run, scratch_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    added = run("user", "add", "zhang", "--role", "viewer", "--password", "first-pass-1")
    assert added.exit_code == 0, added.output
    role = run("user", "role", "zhang", "finance_reviewer")
    assert role.exit_code == 0, role.output
    changed = run("user", "passwd", "zhang", "--password", "second-pass-2")
    assert changed.exit_code == 0, changed.output
    engine = make_engine(scratch_settings)
    with make_session_factory(engine)() as session:
        user = authenticate(session, "zhang", "second-pass-2")
        assert user.role is Role.FINANCE_REVIEWER
    engine.dispose()
    dup = run("user", "add", "zhang", "--role", "viewer", "--password", "first-pass-1")
    assert dup.exit_code == 2
    assert "已存在" in dup.output
    short = run("user", "passwd", "zhang", "--password", "short")
    assert short.exit_code == 2
    unit = run("user", "add", "li", "--role", "unit_editor", "--password", "first-pass-1")
    assert unit.exit_code == 2
    assert "必须归属于" in unit.output


def test_demo_accounts_one_per_role(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path
) -> None:
    assert run("user", "demo").exit_code == 2
    run("import", str(sample_path), "--year", "2023")
    result = run("user", "demo")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()[1:]]
    assert sorted(label for *_, label in lines) == sorted(r.label for r in Role)
    engine = make_engine(scratch_settings)
    with make_session_factory(engine)() as session:
        for username, password, _label in lines:
            authenticate(session, username, password)
    engine.dispose()
    assert count(scratch_settings, User) == len(Role)


def test_serve_refuses_outside_access_with_the_development_secret(run) -> None:  # type: ignore[no-untyped-def]
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "JIXIAO_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


def test_an_ambiguous_org_name_is_refused_not_guessed(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings
) -> None:
    assert run("db", "upgrade").exit_code == 0
    engine = make_engine(scratch_settings)
    with make_session_factory(engine)() as session:
        for dept_name in ("甲局", "乙局"):
            dept = create_org(session, name=dept_name, kind=OrgKind.DEPARTMENT)
            create_org(session, name="办公室", kind=OrgKind.UNIT, parent=dept)
        session.commit()
    engine.dispose()
    args = ("user", "add", "wang", "--role", "unit_editor", "--password", "first-pass-1")
    ambiguous = run(*args, "--org", "办公室")
    assert ambiguous.exit_code == 2
    assert "不唯一" in ambiguous.output
    assert "乙局/办公室" in ambiguous.output
    chosen = run(*args, "--org", "乙局/办公室")
    assert chosen.exit_code == 0, chosen.output
    with make_session_factory(engine)() as session:
        user = authenticate(session, "wang", "first-pass-1")
        org = session.get(Organisation, user.org_id)
        assert org is not None
        parent = session.get(Organisation, org.parent_id)
        assert parent is not None
        assert parent.name == "乙局"
    engine.dispose()

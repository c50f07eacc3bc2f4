"""``jixiao db``, ``jixiao import`` and ``jixiao user`` against a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from factories import create_org, published_selfeval
from jixiao.cli import cli
from jixiao.db.models import Organisation, Project, User
from jixiao.db.session import make_engine, make_session_factory
from jixiao.domain.enums import OrgKind, Role
from jixiao.services.users.auth import authenticate
from jixiao.services.users.password_policy import check_password
from jixiao.settings import Settings, get_settings


@pytest.fixture
def run(scratch_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    for key, value in scratch_env.items():
        monkeypatch.setenv(key, value)
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


def test_cut_off_file_needs_allow_incomplete(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_bytes(sample_path.read_bytes()[:20000])
    preview = run("import", "--preview", str(cut), "--year", "2023")
    assert preview.exit_code == 0, preview.output
    assert "不完整" in preview.output
    refused = run("import", str(cut), "--year", "2023")
    assert refused.exit_code != 0
    assert "--allow-incomplete" in refused.output
    assert "Traceback" not in refused.output
    assert count(scratch_settings, Project) == 0
    allowed = run("import", str(cut), "--year", "2023", "--allow-incomplete")
    assert allowed.exit_code == 0, allowed.output
    assert count(scratch_settings, Project) == 19


def test_user_add_role_passwd(run, scratch_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    added = run("user", "add", "zhang", "--role", "viewer", "--password", "first-pass-1")
    assert added.exit_code == 0, added.output
    role = run("user", "role", "zhang", "finance_reviewer")
    assert role.exit_code == 0, role.output
    changed = run("user", "passwd", "zhang", "--password", "second-pass-2")
    assert changed.exit_code == 0, changed.output
    engine = make_engine(scratch_settings)
    with make_session_factory(engine)() as session:
        user = authenticate(session, "zhang", "second-pass-2", scratch_settings, None)
        assert user.role is Role.FINANCE_REVIEWER
    engine.dispose()
    dup = run("user", "add", "zhang", "--role", "viewer", "--password", "first-pass-1")
    assert dup.exit_code == 2
    assert "已存在" in dup.output
    short = run("user", "passwd", "zhang", "--password", "short")
    assert short.exit_code == 2
    for weak, reason in (("password", "至少"), ("zhang-Pass-1", "用户名"), ("P@ssw0rd123", "常见")):
        refused = run("user", "passwd", "zhang", "--password", weak)
        assert refused.exit_code == 2
        assert reason in refused.output
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
            check_password(password, username, scratch_settings)
            authenticate(session, username, password, scratch_settings, None)
    engine.dispose()
    assert count(scratch_settings, User) == len(Role)


def test_serve_refuses_outside_access_with_the_development_secret(run) -> None:  # type: ignore[no-untyped-def]
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "JIXIAO_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "key", ["x", "short-secret-key", "a" * 40, "abababababababababababababababab"]
)
def test_serve_refuses_a_short_or_weak_secret_on_a_public_host(  # type: ignore[no-untyped-def]
    run, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("JIXIAO_SECRET_KEY", key)
    get_settings.cache_clear()
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "须设置足够强的 JIXIAO_SECRET_KEY" in result.output
    assert len(result.output.strip().splitlines()) == 1


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
        user = authenticate(session, "wang", "first-pass-1", scratch_settings, None)
        org = session.get(Organisation, user.org_id)
        assert org is not None
        parent = session.get(Organisation, org.parent_id)
        assert parent is not None
        assert parent.name == "乙局"
    engine.dispose()


def test_published_self_evaluations_attach_to_their_projects(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    from jixiao.db.models import SelfEvaluationRecord

    assert run("import", str(sample_path), "--year", "2023").exit_code == 0
    published = tmp_path / "自评表.csv"
    published.write_text(published_selfeval([("物业管理费", "100"), ("没有的项目", "90")]))
    preview = run("import", "--preview", str(published))
    assert preview.exit_code == 0, preview.output
    assert "将导入  物业管理费" in preview.output
    assert "未匹配  没有的项目" in preview.output
    assert count(scratch_settings, SelfEvaluationRecord) == 0
    result = run("import", str(published))
    assert result.exit_code == 0, result.output
    # Full marks for 300 of 365 days (SC003); 10 budget points for 90% executed (SC006).
    assert "已导入  物业管理费" in result.output
    assert "公布总分 100，复核总分 82.97" in result.output  # 9 + 300/365 × 90
    assert "公布数问题 2 条" in result.output
    assert count(scratch_settings, SelfEvaluationRecord) == 1

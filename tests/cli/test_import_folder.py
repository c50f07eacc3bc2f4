"""``jixiao import FOLDER``: every file in one process, each all or nothing, failures summed up."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from jixiao.db.models import ImportedDocument, Project
from jixiao.db.session import make_engine, make_session_factory
from jixiao.domain.exchange import document_to_json
from jixiao.ingest import read_document
from jixiao.settings import Settings


def counts(settings: Settings) -> tuple[int, int]:
    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            projects = session.scalar(select(func.count()).select_from(Project)) or 0
            documents = session.scalar(select(func.count()).select_from(ImportedDocument)) or 0
            return projects, documents
    finally:
        engine.dispose()


def folder_of_tables(folder: Path, sample: Path, departments: int) -> None:
    data = document_to_json(read_document(sample))
    for i in range(departments):
        data.update(department=f"部门{i}", year=2023)
        (folder / f"目标表{i}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_a_folder_is_imported_file_by_file_and_failures_are_listed(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    folder_of_tables(folder, sample_path, 3)
    (folder / "乱码.txt").write_bytes(b"\x00\x01 not a table")
    broken = json.loads((folder / "目标表1.json").read_text("utf-8"))
    broken["projects"][5]["amounts"]["total"] = 12.5  # a float: refused by the format
    (folder / "目标表9.json").write_text(json.dumps(broken, ensure_ascii=False), "utf-8")
    (folder / ".hidden.json").write_text("{}", "utf-8")

    result = run("import", str(folder))

    assert result.exit_code == 2, result.output
    assert result.output.count("新增 37 个项目") == 3
    assert "完成：3 个文件已导入，2 个失败" in result.output
    assert "失败 乱码.txt" in result.output
    assert "失败 目标表9.json" in result.output
    assert "Traceback" not in result.output
    assert counts(scratch_settings) == (3 * 37, 3)  # nothing of the failed files

    again = run("import", str(folder))
    assert again.output.count("已导入过") == 3
    assert counts(scratch_settings) == (3 * 37, 3)


def test_forty_department_tables_by_one_command(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    folder_of_tables(tmp_path, sample_path, 40)
    result = run("import", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "完成：40 个文件已导入，0 个失败" in result.output
    assert counts(scratch_settings) == (40 * 37, 40)

"""``jixiao library export`` and ``jixiao library import`` against a real database: the sample's
library exported and read back unchanged, a workbook previewed then imported, bad input refused
in one line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from jixiao.db.models import LibraryEntry
from jixiao.db.session import make_engine, make_session_factory
from jixiao.settings import Settings


def curated(settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            query = select(func.count()).where(LibraryEntry.curated_at.is_not(None))
            return session.scalar(query) or 0
    finally:
        engine.dispose()


def test_export_import_round_trip_and_a_new_workbook(  # type: ignore[no-untyped-def]
    run, scratch_settings: Settings, sample_path: Path, tmp_path: Path
) -> None:
    assert run("import", str(sample_path), "--year", "2023").exit_code == 0
    out = tmp_path / "库.xlsx"
    exported = run("library", "export", str(out))
    assert exported.exit_code == 0, exported.output
    back = run("library", "import", str(out), "--yes")
    assert back.exit_code == 0, back.output
    assert "新增 0 条，修改 0 条，无变化 179 条，无法导入 0 行" in back.output
    assert curated(scratch_settings) == 0

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["三级指标", "二级指标", "指标解释", "推荐"])
    ws.append(["档案归档率", "质量指标", "归档的比例", "是"])
    ws.append(["空推荐", "质量指标", "", "大概"])
    path = tmp_path / "新.xlsx"
    wb.save(path)
    refused = run("library", "import", str(path), "--yes")
    assert refused.exit_code == 2
    assert "  无法导入 第3行：“推荐”应填“是”或“否”，而不是“大概”" in refused.output
    assert refused.output.endswith("错误：文件中有 1 行无法导入，未导入任何内容\n")
    assert curated(scratch_settings) == 0
    ws.delete_rows(3)
    wb.save(path)
    preview = run("library", "import", str(path))
    assert "  新增 第2行 质量指标 / 档案归档率" in preview.output
    assert curated(scratch_settings) == 0
    done = run("library", "import", str(path), "--yes")
    assert done.output.endswith("已导入：新增 1 条，修改 0 条\n")
    assert curated(scratch_settings) == 1

    missing = run("library", "import", str(tmp_path / "无.xlsx"))
    assert missing.exit_code == 2
    assert missing.output.startswith("错误：无.xlsx: 无法读取文件")

"""The library as an Excel workbook: export, then import with preview and confirmation.

Export → import changes nothing; a workbook written by another hand (its own column order,
synonyms, merged cells, a title and notes) creates and updates exactly what it says; refused
rows stop the whole import; a preview the library has moved past cannot be confirmed.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.db.models import AuditEntry, LibraryEntry
from jixiao.domain.enums import Direction, ProjectStatus, Role
from jixiao.services.errors import Forbidden, StaleVersion, UnreadableUpload, ValidationFailed
from jixiao.services.library import rebuild, refresh_project
from jixiao.services.library.book import apply_book, export_book, preview_book
from jixiao.services.library.schemas import Curation
from jixiao.services.library.service import curate

HOSTILE = '=HYPERLINK("http://evil.example","点击")'


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _approved(session: Session, world: World, name: str, indicators: list[tuple]) -> None:
    domain = make_project(
        name=name,
        indicators=[
            make_indicator(name=n, level2=l2, period=t, annual=t) for n, l2, t in indicators
        ],
    )
    row = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED, domain=domain)
    refresh_project(session, row.id)


def _entry(session: Session, name_key: str) -> LibraryEntry:
    found = session.scalar(select(LibraryEntry).where(LibraryEntry.name_key == name_key))
    assert found is not None
    return found


@pytest.fixture
def library(session: Session, world: World) -> None:
    _approved(
        session,
        world,
        "培训项目",
        [
            ("培训人次", ("11", "数量指标"), "≥100人次"),
            ("设备购置成本", ("14", "成本指标"), "≤12000元"),
        ],
    )
    _approved(session, world, "培训项目二", [("培训人次", ("11", "数量指标"), "≥300人次")])
    # an indicator read without a name (as OCR leaves some): an unnamed entry, exported too
    _approved(session, world, "无名指标项目", [("", ("", ""), "2个")])
    finance = world.actor(Role.FINANCE_REVIEWER)
    entry = _entry(session, "培训人次")
    curate(
        session,
        finance,
        entry.id,
        Curation(
            version=entry.version,
            recommended=True,
            sectors=["教育", "人社"],
            explanation="年度内参加培训的人次。\n按签到表统计。",
            basis="年度培训计划",
            scoring=HOSTILE,
            reference_value="≥200人次",
        ),
    )


def _xlsx(rows: list[list[str | None]], merges: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"
    for merge in merges:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_export_is_a_clean_workbook(session: Session, world: World, library: None) -> None:
    data = export_book(session, world.actor(Role.VIEWER))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert all(re.search(r"<(\w+:)?f[ >/]", xml) is None for xml in sheets), "a formula cell"
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    header = [c.value for c in ws[2]]
    assert header[:6] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标解释",
        "计算公式/评分标准",
        "参考值",
    ]
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["D"].width == 36
    rows = {r[2]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    trained = rows["培训人次"]
    assert trained[4] == HOSTILE  # text, not a formula
    assert trained[3] == "年度内参加培训的人次。\n按签到表统计。"
    assert (trained[8], trained[9], trained[11]) == ("是", "教育、人社", 2)
    cost_row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == "设备购置成本")
    # 12000 元 as the typical target, given in 万元 with the money format
    assert (cost_row[6].value, str(cost_row[12].value)) == ("万元", "1.2")
    assert cost_row[12].number_format == "#,##0.00"


def test_export_then_import_changes_nothing(session: Session, world: World, library: None) -> None:
    admin = world.actor(Role.ADMIN)
    lonely = preview_book(
        session,
        admin,
        _xlsx([["二级指标", "三级指标", "指标解释"], ["质量指标", "档案完整率", "归档的比例"]]),
        "a.xlsx",
    )
    apply_book(
        session,
        admin,
        _xlsx([["二级指标", "三级指标", "指标解释"], ["质量指标", "档案完整率", "归档的比例"]]),
        "a.xlsx",
        lonely.token,
    )
    data = export_book(session, admin)
    preview = preview_book(session, admin, data, "绩效指标库.xlsx")
    assert (preview.new, preview.updated, preview.refused) == ([], [], [])
    # the unnamed entry's row has nothing to import and is skipped
    assert preview.unchanged == session.query(LibraryEntry).count() - 1 == 3
    assert not preview.may_confirm
    assert apply_book(session, admin, data, "绩效指标库.xlsx", preview.token).updated == 0


def test_a_province_workbook_creates_and_updates_curated_fields(
    session: Session, world: World, library: None
) -> None:
    rows = [
        ["XX省项目支出绩效指标库", None, None, None, None, None],
        ["绩效指标", None, None, "指标说明", "是否推荐", "适用行业"],
        ["一级", "二级指标", "三级指标名称（必填）", None, None, None],
        ["产出指标", "数量指标", "培训 人次", "参训人次合计", "否", "教育"],
        [None, None, "新增就业岗位数", "新增的就业岗位", "√", "人社、民政"],
        ["效益指标", "社会效益指标", "群众知晓率（%）", None, "", None],
        ["注：本表由省财政厅发布。", None, None, None, None, None],
    ]
    merges = ("A1:F1", "A2:C2", "B4:B5", "A4:A5", "A7:F7")
    data = _xlsx(rows, merges)
    finance = world.actor(Role.FINANCE_REVIEWER)
    preview = preview_book(session, finance, data, "省指标库.xlsx")
    assert preview.refused == []
    assert [(c.where, c.level2, c.name) for c in preview.new] == [
        ("第5行", "数量指标", "新增就业岗位数"),
        ("第6行", "社会效益指标", "群众知晓率（%）"),
    ]
    (updated,) = preview.updated
    assert (updated.where, updated.name) == ("第4行", "培训 人次")
    assert [(c.label, c.before, c.after) for c in updated.changes] == [
        ("指标解释", "年度内参加培训的人次。\n按签到表统计。", "参训人次合计"),
        ("推荐", "是", "否"),
        ("行业/领域", "教育、人社", "教育"),
    ]
    trained = _entry(session, "培训人次")
    version = trained.version
    result = apply_book(session, finance, data, "省指标库.xlsx", preview.token)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    session.refresh(trained)
    assert (trained.explanation, trained.recommended, trained.sectors) == (
        "参训人次合计",
        False,
        ["教育"],
    )
    # columns the workbook does not have are left alone
    assert (trained.basis, trained.scoring, trained.reference_value) == (
        "年度培训计划",
        HOSTILE,
        "≥200人次",
    )
    assert trained.version == version + 1
    jobs = _entry(session, "新增就业岗位")
    assert (jobs.level1_name, jobs.level2_name, jobs.level2_key) == ("产出指标", "数量指标", "数量")
    assert (jobs.recommended, jobs.sectors, jobs.occurrence_count) == (True, ["人社", "民政"], 0)
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(["library.curate", "library.create"]))
    ).all()
    by_object = {(a.action, a.object_id): a for a in audit}
    assert by_object[("library.curate", trained.id)].after == {
        "explanation": "参训人次合计",
        "recommended": False,
        "sectors": ["教育"],
    }
    assert by_object[("library.curate", trained.id)].reason == "导入指标库文件“省指标库.xlsx”"
    assert ("library.create", jobs.id) in by_object
    # the new entries are curated: a rebuild of the occurrences keeps them
    rebuild(session)
    assert _entry(session, "新增就业岗位").id == jobs.id


def test_refused_rows_stop_the_whole_import(session: Session, world: World, library: None) -> None:
    rows = [
        ["三级指标", "二级指标", "推荐", "指标方向", "指标解释"],
        ["空二级", None, "是", None, None],
        ["培训人次", "数量指标", "是", "正向", "改了"],
        ["推荐乱填", "质量指标", "也许", None, None],
        ["方向乱填", "质量指标", "", "向上", None],
        ["培训人次（人次）", "数量指标", "", None, None],
        [None, "质量指标", None, None, "只有解释"],
        ["超长", "质量指标", None, None, "字" * 2001],
    ]
    data = _xlsx(rows)
    admin = world.actor(Role.ADMIN)
    preview = preview_book(session, admin, data, "坏.xlsx")
    assert preview.refused == [
        "第2行：缺少二级指标",
        "第4行：“推荐”应填“是”或“否”，而不是“也许”",
        "第5行：“指标方向”应填“正向”“反向”或“定性”，而不是“向上”",
        "第7行：缺少三级指标名称",
        "第8行：“指标解释”超过 2000 字",
        "第6行：与第3行是同一指标（培训人次（人次））",
    ]
    assert not preview.may_confirm
    before = _entry(session, "培训人次").explanation
    with pytest.raises(ValidationFailed, match="6 行无法导入，未导入任何内容"):
        apply_book(session, admin, data, "坏.xlsx", preview.token)
    assert _entry(session, "培训人次").explanation == before


def test_a_stale_preview_cannot_be_confirmed(session: Session, world: World, library: None) -> None:
    data = _xlsx([["二级指标", "三级指标", "参考值"], ["数量指标", "培训人次", "≥500人次"]])
    finance, admin = world.actor(Role.FINANCE_REVIEWER), world.actor(Role.ADMIN)
    first = preview_book(session, finance, data, "a.xlsx")
    second = preview_book(session, admin, data, "a.xlsx")
    assert first.token == second.token
    apply_book(session, finance, data, "a.xlsx", first.token)
    assert _entry(session, "培训人次").reference_value == "≥500人次"
    # the other preview saw version 2; the entry is at 3 now (and nothing is left to change)
    with pytest.raises(StaleVersion, match="请重新上传预览"):
        apply_book(session, admin, data, "a.xlsx", second.token)
    # a curation between preview and confirmation also makes the preview stale
    changed = _xlsx([["二级指标", "三级指标", "参考值"], ["数量指标", "培训人次", "≥600人次"]])
    preview = preview_book(session, admin, changed, "b.xlsx")
    entry = _entry(session, "培训人次")
    curate(session, admin, entry.id, Curation(version=entry.version, reference_value="≥700人次"))
    with pytest.raises(StaleVersion):
        apply_book(session, admin, changed, "b.xlsx", preview.token)
    assert _entry(session, "培训人次").reference_value == "≥700人次"


@pytest.mark.parametrize("role", [Role.UNIT_EDITOR, Role.DEPT_REVIEWER, Role.VIEWER])
def test_only_curators_import(session: Session, world: World, role: Role) -> None:
    data = _xlsx([["二级指标", "三级指标"], ["数量指标", "培训人次"]])
    with pytest.raises(Forbidden):
        preview_book(session, world.actor(role), data, "a.xlsx")
    with pytest.raises(Forbidden):
        apply_book(session, world.actor(role), data, "a.xlsx", "0" * 64)
    assert export_book(session, world.actor(role))


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.xlsx", "文件为空"),
        ("二级指标,三级指标\n数量指标,培训人次\n".encode(), "a.csv", "须为 Excel 工作簿"),
        (_xlsx([["项目名称", "金额"], ["培训", "1"]]), "a.xlsx", "未找到指标库的表头"),
        (b"PK\x03\x04 not a zip", "a.xlsx", "须为 Excel 工作簿"),
    ],
)
def test_unreadable_files_are_refused_in_one_line(
    session: Session, world: World, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(UnreadableUpload, match=message) as caught:
        preview_book(session, world.actor(Role.ADMIN), data, filename)
    assert "\n" not in caught.value.message


def test_direction_and_unit_are_set_on_new_entries_only(
    session: Session, world: World, library: None
) -> None:
    data = _xlsx(
        [
            ["三级指标", "二级指标", "计量单位", "指标方向"],
            ["培训人次", "数量指标", "次", "反向"],
            ["投诉处理时长", "时效指标", "天", "反向"],
        ]
    )
    admin = world.actor(Role.ADMIN)
    preview = preview_book(session, admin, data, "a.xlsx")
    assert ([c.name for c in preview.new], preview.updated, preview.unchanged) == (
        ["投诉处理时长"],
        [],
        1,
    )
    apply_book(session, admin, data, "a.xlsx", preview.token)
    new = _entry(session, "投诉处理时长")
    assert (new.unit, new.direction) == ("天", Direction.REVERSE)
    kept = _entry(session, "培训人次")
    assert (kept.unit, kept.direction) == ("人次", Direction.POSITIVE)

"""The indicator library (指标库): search, suggestions, entries, peers, curation, departments."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from pydantic import BaseModel
from starlette.responses import Response

from jixiao.services.errors import PayloadTooLarge
from jixiao.services.library import book, service
from jixiao.services.library.schemas import (
    BookPreview,
    BookResult,
    Curation,
    DepartmentEase,
    EntryDetail,
    EntrySummary,
    LibraryFilters,
    LibrarySuggestion,
    PeerStats,
)
from jixiao.services.pagination import Page
from jixiao.services.types import MAX_ID
from jixiao.settings import Settings
from jixiao.web.deps import CurrentUser, PageDep, PathId, SessionDep, SettingsDep
from jixiao.web.downloads import DOWNLOAD_RESPONSES, download

router = APIRouter(prefix="/library", tags=["library"])


def library_filters(
    q: Annotated[str | None, Query(max_length=100, description="指标名称中的文字")] = None,
    level2: Annotated[str | None, Query(max_length=100, description="二级指标")] = None,
    sector: Annotated[str | None, Query(max_length=50, description="行业/领域")] = None,
    unit: Annotated[str | None, Query(max_length=50, description="计量单位")] = None,
    department_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="部门")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    recommended: bool | None = None,
) -> LibraryFilters:
    return LibraryFilters(
        q=q,
        level2=level2,
        sector=sector,
        unit=unit,
        department_id=department_id,
        year=year,
        recommended=recommended,
    )


@router.get("/entries")
def search_entries(
    filters: Annotated[LibraryFilters, Depends(library_filters)],
    page: PageDep,
    session: SessionDep,
    user: CurrentUser,
) -> Page[EntrySummary]:
    """条目检索：有文字时按相关度（同二级指标、前缀、包含、相似度、推荐、使用次数）排序。"""
    return service.search_entries(session, user, filters, page)


@router.get("/suggest")
def suggest(
    session: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=100, description="已输入的指标名称")],
    level2: Annotated[str | None, Query(max_length=100, description="所在二级指标")] = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[LibrarySuggestion]:
    """填报时的建议：同二级指标优先，附典型目标值（中位数）与自评达成率。"""
    return service.suggest(session, user, q, level2, limit)


@router.get("/entries/{entry_id}")
def get_entry(entry_id: PathId, session: SessionDep, user: CurrentUser) -> EntryDetail:
    return service.get_entry(session, user, entry_id)


class PeersOut(BaseModel):
    stats: PeerStats
    rank: int | None = None


@router.get("/entries/{entry_id}/peers")
def entry_peers(
    entry_id: PathId,
    session: SessionDep,
    user: CurrentUser,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    exclude_project_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    value: Annotated[Decimal | None, Query(description="给出时返回其在同类中的位置（%）")] = None,
) -> PeersOut:
    """同类目标（汇总数）；只列出本人有权查看的项目。"""
    stats = service.peers(session, user, entry_id, unit=unit, exclude_project_id=exclude_project_id)
    rank = None if value is None or not value.is_finite() else service.rank_of(value, stats)
    return PeersOut(stats=stats, rank=rank)


@router.put("/entries/{entry_id}")
def curate_entry(
    entry_id: PathId, body: Curation, session: SessionDep, user: CurrentUser
) -> EntryDetail:
    """设置推荐、行业/领域、指标解释、设定依据、评分标准、参考值（管理员、财政审核）。"""
    return service.curate(session, user, entry_id, body)


@router.get("/departments")
def departments(
    session: SessionDep,
    user: CurrentUser,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> list[DepartmentEase]:
    """各部门定量目标与同类中位数的比较。"""
    return service.department_ease(session, user, year)


BookFile = Annotated[UploadFile, File(description="指标库工作簿（.xlsx/.xls/.ods），每行一个指标")]


def _book_bytes(file: UploadFile, settings: Settings) -> bytes:
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        limit = settings.max_upload_bytes // (1024 * 1024)
        raise PayloadTooLarge(f"文件超过 {limit} MB 上限", fields={"file": "文件过大"})
    return data


@router.get("/export", response_class=Response, responses=DOWNLOAD_RESPONSES)
def export_book(session: SessionDep, user: CurrentUser) -> Response:
    """整个指标库导出为 Excel：每行一个指标（一级/二级/三级指标、指标解释、计算公式/评分标准、
    参考值、推荐、行业/领域、设定依据等）。"""
    data = book.export_book(session, user)
    return download(data, "xlsx", book.BOOK_FILENAME, "indicator-library.xlsx")


@router.post("/import/preview")
def preview_book(
    file: BookFile, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> BookPreview:
    """导入指标库工作簿的预览（管理员、财政审核）：新增条目、修改的精选字段、无法导入的行；
    不写入任何内容。确认时提交同一文件与返回的 token。"""
    data = _book_bytes(file, settings)
    return book.preview_book(session, user, data, file.filename or "upload.xlsx")


@router.post("/import")
def apply_book(
    file: BookFile,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=64, description="预览返回的 token")],
) -> BookResult:
    """按预览导入（全部或全不）；预览后指标库有变动时 409，文件中有无法导入的行时 422。"""
    data = _book_bytes(file, settings)
    return book.apply_book(session, user, data, file.filename or "upload.xlsx", token)

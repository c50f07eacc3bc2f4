"""Files sent as downloads by both the JSON API and the pages: media types, the attachment
header with the Chinese file name, and the names of the official tables."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from jixiao.export.tables import Format
from jixiao.services.monitoring.schemas import MonitoringOut

MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "文件（Excel 或 PDF）",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in MEDIA_TYPES.values()
        },
    }
}


def download(data: bytes, fmt: Format, filename: str, fallback: str) -> Response:
    """The file as an attachment: the Chinese name as RFC 5987 ``filename*``, ``fallback``
    (ASCII) as ``filename`` for clients that do not read it."""
    disposition = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


def monitoring_filename(project: str, out: MonitoringOut, fmt: Format) -> str:
    return f"{project}-绩效目标执行监控表-{out.year}年{out.period}.{fmt}"


def selfeval_filename(project: str, year: int, fmt: str) -> str:
    return f"{project}-项目支出绩效自评表-{year}年度.{fmt}"

"""The API reference page: swagger-ui served from the package (no CDN), under a strict CSP.

The assets live in ``web/static`` (``vendor/swagger-ui`` and ``api-docs.js``); the API app
mounts that folder at ``/static``, so the page works wherever the API is mounted. The CSP is
set by ``web.headers`` for this path.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DOCS_PATH = "/docs"

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jixiao API 文档</title>
<link rel="stylesheet" href="static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="openapi.json"></div>
<script src="static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="static/api-docs.js"></script>
</body>
</html>
"""


@router.get(DOCS_PATH)
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)

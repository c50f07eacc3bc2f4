"""Uploaded files between preview and confirmation.

An upload is read within ``max_upload_bytes`` (``read_limited``), previewed, and then waits in
``data_dir/uploads`` under the user's id, what it is for and the file's SHA-256 (``keep``);
confirming reads it back (``pending``) and cancelling deletes it (``discard``, with the page
images kept beside it for the preview's crops: ``page_image``). A name from the browser is
cut to its last path part (``clean_name``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request

from jixiao.services.principal import Principal
from jixiao.web.ui.context import ui_settings

SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 16


class TooLarge(Exception):
    """The upload is larger than ``max_upload_bytes``."""


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The uploaded bytes; TooLarge as soon as they pass ``limit``."""
    chunks, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def clean_name(filename: str, default: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    return name[:200] or default


def _path(request: Request, user: Principal, purpose: str, sha: str) -> Path:
    folder = ui_settings(request).data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{user.id}-{purpose}{sha}"


def keep(request: Request, user: Principal, purpose: str, data: bytes) -> str:
    """Keep ``data`` until it is confirmed or cancelled; returns its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    _path(request, user, purpose, sha).write_bytes(data)
    return sha


def pending(request: Request, user: Principal, purpose: str, sha: str) -> Path | None:
    """The kept file of ``sha``, or None when there is none (confirmed, cancelled, forged)."""
    if not SHA.match(sha):
        return None
    path = _path(request, user, purpose, sha)
    return path if path.is_file() else None


def page_image(path: Path, page: int) -> Path:
    """Where the upright image of page ``page`` of the kept file ``path`` is kept."""
    return path.with_name(f"{path.name}.p{page}.png")


def discard(path: Path) -> None:
    """Delete a kept file and the page images kept beside it."""
    for image in path.parent.glob(f"{path.name}.p*.png"):
        image.unlink(missing_ok=True)
    path.unlink(missing_ok=True)

"""Uploaded files between preview and confirmation.

An upload is read within ``max_upload_bytes`` (``read_limited``), previewed, and then waits in
``data_dir/uploads`` under the user's id, what it is for and the file's SHA-256 (``keep``);
confirming reads it back (``pending``) and cancelling deletes it (``discard``, with the page
images kept beside it for the preview's crops: ``page_image``). A name from the browser is
cut to its last path part (``clean_name``).

Uploads never confirmed nor cancelled do not stay: each new upload first sweeps the folder
(``sweep``), deleting kept files older than ``upload_keep_hours`` with their page images, and
then, while the rest take more than ``upload_keep_mb``, the oldest. A kept file's age is that
of the newest file in its group (the file and its page images); a swept one is "已过期" to its
confirmation, like a cancelled one.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
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
    """Keep ``data`` until it is confirmed, cancelled or swept; returns its SHA-256."""
    settings = ui_settings(request)
    sha = hashlib.sha256(data).hexdigest()
    path = _path(request, user, purpose, sha)
    limit = settings.upload_keep_mb * 1024 * 1024 - len(data)
    sweep(path.parent, settings.upload_keep_hours * 3600, max(limit, 0), spare=path.name)
    path.write_bytes(data)
    return sha


@dataclass
class _Group:
    """A kept file and the page images beside it: their names, total size, newest mtime."""

    names: list[str]
    size: int = 0
    newest: float = 0.0


def _groups(folder: Path) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for entry in folder.iterdir():
        try:
            stat = entry.stat()
        except FileNotFoundError:  # deleted meanwhile by a confirmation or another sweep
            continue
        if not entry.is_file():
            continue
        # ``<kept>``, ``<kept>.p3.png`` and ``<kept>.p3.part`` belong together
        group = groups.setdefault(entry.name.split(".", 1)[0], _Group([]))
        group.names.append(entry.name)
        group.size += stat.st_size
        group.newest = max(group.newest, stat.st_mtime)
    return groups


def sweep(
    folder: Path, keep_seconds: float, max_bytes: int, now: float | None = None, spare: str = ""
) -> list[str]:
    """Delete the kept files in ``folder`` (each with its page images) last written more than
    ``keep_seconds`` before ``now``, then the oldest while the rest take more than
    ``max_bytes``; the file named ``spare`` (about to be kept again) stays. Returns the names
    of the kept files deleted, oldest first."""
    now = time.time() if now is None else now
    found = _groups(folder)
    found.pop(spare, None)
    groups = sorted(found.items(), key=lambda item: item[1].newest)
    total = sum(group.size for _, group in groups)
    gone = []
    for name, group in groups:
        if now - group.newest <= keep_seconds and total <= max_bytes:
            continue
        for file in group.names:
            (folder / file).unlink(missing_ok=True)
        total -= group.size
        gone.append(name)
    return gone


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

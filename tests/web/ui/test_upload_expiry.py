"""Uploads waiting for confirmation, and the page images kept beside them, expire: each new
upload sweeps those older than ``upload_keep_hours``, then the oldest while all of them take
more than ``upload_keep_mb``. Real files in a temporary folder, their age set by their mtime."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.web.ui.uploads import sweep

from .conftest import SAMPLE, Site, login, soup
from .test_import_pages import upload

HOUR = 3600.0
NOW = 1_800_000_000.0
SHA = "ab" * 32


def _file(folder: Path, name: str, size: int, age_hours: float) -> Path:
    path = folder / name
    path.write_bytes(b"x" * size)
    when = NOW - age_hours * HOUR
    os.utime(path, (when, when))
    return path


def test_stale_uploads_go_with_their_page_images(tmp_path: Path) -> None:
    stale = f"1-{SHA}"
    for name in (stale, f"{stale}.p1.png", f"{stale}.p2.png", f"{stale}.p3.part"):
        _file(tmp_path, name, 10, 30)
    fresh = f"2-library-{SHA}"
    _file(tmp_path, fresh, 10, 23)
    _file(tmp_path, f"{fresh}.p1.png", 10, 23)

    assert sweep(tmp_path, 24 * HOUR, 1 << 20, now=NOW) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh, f"{fresh}.p1.png"]


def test_a_page_image_rendered_lately_keeps_its_upload(tmp_path: Path) -> None:
    kept = f"1-{SHA}"
    _file(tmp_path, kept, 10, 30)
    _file(tmp_path, f"{kept}.p1.png", 10, 1)

    assert sweep(tmp_path, 24 * HOUR, 1 << 20, now=NOW) == []
    assert len(list(tmp_path.iterdir())) == 2


def test_over_the_size_bound_the_oldest_go_first(tmp_path: Path) -> None:
    names = [f"{user}-{SHA}" for user in range(1, 5)]
    for age, name in enumerate(reversed(names), start=1):  # names[0] is the oldest
        _file(tmp_path, name, 400, age)
        _file(tmp_path, f"{name}.p1.png", 100, age)

    assert sweep(tmp_path, 24 * HOUR, 600, now=NOW, spare=names[0]) == [names[1], names[2]]
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {names[0], f"{names[0]}.p1.png", names[3], f"{names[3]}.p1.png"}


def test_a_new_upload_expires_an_old_preview(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site.settings, "upload_keep_hours", 24.0)
    token = login(client, "deptrev")
    doc = soup(upload(client, token, SAMPLE.read_bytes(), SAMPLE.name).text)
    form = {
        i["name"]: i.get("value", "") for i in doc.select("form[action='/imports/confirm'] input")
    }
    folder = site.settings.data_dir / "uploads"
    (kept,) = folder.iterdir()
    image = kept.with_name(f"{kept.name}.p1.png")
    image.write_bytes(b"\x89PNG")
    day_ago = time.time() - 25 * HOUR
    for path in (kept, image):
        os.utime(path, (day_ago, day_ago))

    other = SAMPLE.read_bytes() + b"\n"
    assert upload(client, token, other, "other.txt").status_code == 200
    assert not kept.exists()
    assert not image.exists()
    expired = client.post("/imports/confirm", data=form)
    assert expired.status_code == 410
    assert "已过期" in expired.text


def test_uploads_beyond_the_size_bound_expire_oldest_first(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site.settings, "upload_keep_mb", 1)
    token = login(client, "deptrev")
    folder = site.settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    older, newer = folder / f"7-{SHA}", folder / f"8-{SHA}"
    older.write_bytes(b"x" * 800_000)
    newer.write_bytes(b"x" * 300_000)
    hour_ago = time.time() - HOUR
    os.utime(older, (hour_ago, hour_ago))

    assert upload(client, token, SAMPLE.read_bytes(), SAMPLE.name).status_code == 200
    assert not older.exists()
    assert newer.exists()
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 1024 * 1024

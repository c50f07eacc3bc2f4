"""The xlsx exports open cleanly in LibreOffice: converted headless to PDF, pages and text checked.

Skipped when LibreOffice (Debian ``libreoffice-calc-nogui``) is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_fixtures import sample_document, selfevals

from jixiao.export import render, selfeval_sheets, target_sheets
from jixiao.scoring.weights import load_scoring_profile

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-calc-nogui) or poppler-utils not installed",
)


def convert(xlsx: Path) -> Path:
    profile = xlsx.parent / "lo-profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(xlsx.parent),
            str(xlsx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = xlsx.with_suffix(".pdf")
    assert pdf.is_file(), "LibreOffice could not open the workbook"
    return pdf


def text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", "", out)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]


def test_department_table_prints_on_several_pages_with_repeated_header(tmp_path: Path) -> None:
    xlsx = tmp_path / "targets.xlsx"
    xlsx.write_bytes(render(target_sheets(sample_document()), "xlsx"))
    pdf = convert(xlsx)
    count = pages(pdf)
    assert count >= 4  # rows are tall enough to show their wrapped text
    assert "项目支出绩效目标表(含转移支付项目)" in text(pdf, 1)
    for page in range(2, count + 1):
        assert "项目名称" in text(pdf, page)
        assert f"第{page}页，共{count}页" in text(pdf, page)


def test_selfeval_table_opens(tmp_path: Path) -> None:
    xlsx = tmp_path / "selfeval.xlsx"
    xlsx.write_bytes(render(selfeval_sheets(selfevals(), load_scoring_profile()), "xlsx"))
    page = text(convert(xlsx), 1)
    assert "项目支出绩效自评表（2023年度）" in page
    assert "92.57" in page

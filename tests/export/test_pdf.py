"""The PDF exports, checked as a reader sees them: pages rendered by pdftoppm, text by pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_fixtures import monitorings, sample_document, selfevals

from jixiao.domain.document import Document
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.export import MissingFont, monitoring_sheets, render, selfeval_sheets, target_sheets
from jixiao.export.pdf import register_font
from jixiao.scoring.weights import load_scoring_profile

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed: run make system-deps",
)


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return path


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]


def page_size(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"Page size:\s+(.+)", info)[1]  # type: ignore[index]


def text_of(pdf: Path, page: int | None = None) -> str:
    """The page's text with all white space removed (cells wrap words across lines)."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    out = subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def render_pngs(pdf: Path, tmp_path: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def test_department_table_pdf_pages_and_text(tmp_path: Path) -> None:
    doc = sample_document()
    pdf = write(tmp_path, render(target_sheets(doc), "pdf"))
    pages = page_count(pdf)
    assert pages >= 5  # 37 projects with their indicator lists
    assert len(render_pngs(pdf, tmp_path)) == pages
    assert page_size(pdf).startswith("841.89 x 595.27")  # A4 landscape
    first = text_of(pdf, 1)
    assert "项目支出绩效目标表(含转移支付项目)" in first
    assert "部门名称：广州市白云区市场监督管理局(本级)" in first
    for page in range(2, pages + 1):
        text = text_of(pdf, page)
        assert "项目名称" in text, f"header not repeated on page {page}"
        assert "绩效指标" in text
        assert f"第{page}页" in text
    everything = text_of(pdf)
    for project in doc.projects:
        assert re.sub(r"\s+", "", project.name) in everything, project.name
    assert "1,714.44" in everything


def _big_project(count: int) -> Document:
    categories = [
        ("1", "产出指标", "11", "数量指标"),
        ("2", "效益指标", "22", "社会效益指标"),
        ("3", "满意度指标", "31", "服务对象满意度指标"),
    ]
    indicators = [
        Indicator(
            name=f"测试指标{i:02d}",
            level1=LevelRef(categories[i % 3][0], categories[i % 3][1]),
            level2=LevelRef(categories[i % 3][2], categories[i % 3][3]),
            period=parse_target("≥95%"),
            annual=parse_target("≥95%"),
        )
        for i in range(count)
    ]
    project = Project("大型测试项目", Amounts(total=None), goal="目标", indicators=indicators)
    return Document(projects=[project], department="测试局")


def test_long_project_form_repeats_the_indicator_header(tmp_path: Path) -> None:
    pdf = write(tmp_path, render(target_sheets(_big_project(60), "大型测试项目"), "pdf"))
    pages = page_count(pdf)
    assert pages >= 2
    for page in range(2, pages + 1):
        text = text_of(pdf, page)
        assert "一级指标" in text
        assert "实施周期指标值" in text
    everything = text_of(pdf)
    assert all(f"测试指标{i:02d}" in everything for i in range(60))


def test_selfeval_pdf(tmp_path: Path) -> None:
    pdf = write(tmp_path, render(selfeval_sheets(selfevals(), load_scoring_profile()), "pdf"))
    text = text_of(pdf)
    for piece in (
        "项目支出绩效自评表（2023年度）",
        "特种设备运行管理系统2021年建设项目",
        "92.57",
        "自评等级：优",
        "偏差原因分析及改进措施",
        "计分说明",
    ):
        assert piece in text


def test_monitoring_pdf(tmp_path: Path) -> None:
    pdf = write(tmp_path, render(monitoring_sheets(monitorings(), load_scoring_profile()), "pdf"))
    text = text_of(pdf)
    for piece in (
        "项目支出绩效目标执行监控表（2023年1–7月）",
        "食品抽样检验经费",
        "黄灯",
        "绿灯",
        "完成目标可能性",
        "人员保障",
    ):
        assert piece in text


def test_missing_font_is_one_clear_line() -> None:
    with pytest.raises(MissingFont, match="make system-deps") as info:
        register_font("/nonexistent/font.ttc")
    assert "\n" not in str(info.value)


def test_very_long_texts_shrink_to_fit_or_fail_clearly() -> None:
    from jixiao.export.pdf import TooLarge

    evaluation = selfevals()[0]
    evaluation.goal = "按计划完成年度目标" * 450  # 4,050 characters in one merged cell
    assert render(selfeval_sheets([evaluation], load_scoring_profile()), "pdf").startswith(b"%PDF")
    evaluation.goal = "按计划完成年度目标" * 3000
    with pytest.raises(TooLarge, match="请导出 Excel"):
        render(selfeval_sheets([evaluation], load_scoring_profile()), "pdf")


def test_a_row_taller_than_a_page_is_split(tmp_path: Path) -> None:
    doc = sample_document()
    first = doc.projects[0]
    huge = Project(first.name, first.amounts, first.goal, first.indicators * 40)
    pdf = write(tmp_path, render(target_sheets(Document(projects=[huge], title="表")), "pdf"))
    assert page_count(pdf) >= 2
    assert text_of(pdf).count("环境可变性") == 40

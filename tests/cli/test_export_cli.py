"""``jixiao export`` and ``jixiao score`` end to end on files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
SELFEVAL = ROOT / "docs/formats/selfeval-example.json"
MONITORING = ROOT / "docs/formats/monitoring-example.toml"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("source", "table", "first_cell"),
    [
        (SAMPLE, "targets", "项目支出绩效目标表(含转移支付项目)"),
        (SAMPLE, "review", "项目支出绩效目标审核意见表"),
        (SELFEVAL, "selfeval", "项目支出绩效自评表（2023年度）"),
        (MONITORING, "monitoring", "项目支出绩效目标执行监控表（2023年1–7月）"),
    ],
)
def test_every_table_exports_to_xlsx(
    tmp_path: Path, source: Path, table: str, first_cell: str
) -> None:
    out = tmp_path / f"{table}.xlsx"
    result = invoke("export", str(source), "--table", table, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "已导出" in result.output
    assert load_workbook(out).worksheets[0]["A1"].value == first_cell


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_project_form_as_pdf(tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    result = invoke(
        "export",
        str(SAMPLE),
        "--table",
        "targets",
        "--format",
        "pdf",
        "--out",
        str(out),
        "--project",
        "物业管理费",
    )
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout
    flat = "".join(text.decode("utf-8").split())
    assert "项目支出绩效目标申报表" in flat
    assert "每月考评达标率" in flat


def test_exported_targets_read_back_through_parse(tmp_path: Path) -> None:
    out = tmp_path / "targets.xlsx"
    assert invoke("export", str(SAMPLE), "--table", "targets", "--out", str(out)).exit_code == 0
    parsed = invoke("parse", str(out), "--format", "json")
    assert parsed.exit_code == 0, parsed.output
    data = json.loads(parsed.stdout)
    assert len(data["projects"]) == 37
    assert data["projects"][4]["amounts"]["total"] == "1714.44"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "targets", "--project", "不存在"], "未找到项目"),
        (
            ["--table", "selfeval"],
            "不是有效的 JSON",
        ),  # a target table is not self-evaluation data
        (["--table", "targets", "--profile", "atlantis"], None),  # profile unused for targets
    ],
)
def test_bad_requests_fail_with_one_line(
    tmp_path: Path, args: list[str], message: str | None
) -> None:
    out = tmp_path / "x.xlsx"
    result = invoke("export", str(SAMPLE), *args, "--out", str(out))
    if message is None:
        assert result.exit_code == 0
        return
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_output_folder_and_unreadable_input(tmp_path: Path) -> None:
    result = invoke(
        "export", str(SAMPLE), "--table", "targets", "--out", str(tmp_path / "no/x.xlsx")
    )
    assert result.exit_code == 2
    assert "输出目录不存在" in result.output
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke("export", str(empty), "--table", "targets", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.pdf").exists()


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao",
            "export",
            str(SELFEVAL),
            "--table",
            "monitoring",
            "--out",
            str(tmp_path / "m.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "jixiao.monitoring/1" in proc.stderr


def test_score_prints_the_explained_score() -> None:
    result = CliRunner().invoke(cli, ["score", str(SELFEVAL)], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    flat = "".join(result.output.split())
    for piece in (
        "特种设备运行管理系统2021年建设项目",
        "40/50×13.89",
        "总分92.57，等级优",
        "无适用的满意度指标",
    ):
        assert piece in flat


def test_score_json_with_reconciliation(tmp_path: Path) -> None:
    monitoring = tmp_path / "m.json"
    monitoring.write_text(
        json.dumps(
            {
                "format": "jixiao.monitoring/1",
                "year": 2023,
                "end_month": 7,
                "projects": [
                    {
                        "name": "特种设备运行管理系统2021年建设项目",
                        "funds": [{"budget": "80", "executed": "78"}],
                        "indicators": [
                            {
                                "level2": "11-数量指标",
                                "name": "智慧电梯完成率",
                                "target": "1800台",
                                "actual": "1800",
                            }
                        ],
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = invoke("score", str(SELFEVAL), "--format", "json", "--monitoring", str(monitoring))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "jixiao.scores/1"
    [project] = data["projects"]
    assert (project["total"], project["grade"]) == ("92.57", "优")
    assert project["lines"][3]["formula"] == "正向：实际值/指标值×分值 = 40/50×13.89"
    codes = [d["code"] for d in project["discrepancies"]]
    assert "RC003" in codes  # 76.50 spent by year end, 78 reported in July
    assert "RC007" in codes  # indicators not monitored mid-year


def test_score_with_the_strict_profile_and_bad_input(tmp_path: Path) -> None:
    strict = invoke("score", str(SELFEVAL), "--profile", "shanxi", "--format", "json")
    assert json.loads(strict.stdout)["profile"] == "shanxi"
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n", encoding="utf-8")
    result = invoke("score", str(bad))
    assert result.exit_code == 2
    assert "jixiao.selfeval/1" in result.output


def test_score_and_export_still_load_a_profile_file(tmp_path: Path) -> None:
    """The command line may name a profile file (only the web services are held to names)."""
    bundled = ROOT / "src/jixiao/scoring/profiles/shanxi.toml"
    local = tmp_path / "local.toml"
    local.write_text(
        bundled.read_text(encoding="utf-8").replace('id = "shanxi"', 'id = "local"'),
        encoding="utf-8",
    )
    scored = invoke("score", str(SELFEVAL), "--profile", str(local), "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["profile"] == "local"
    out = tmp_path / "selfeval.xlsx"
    exported = invoke(
        "export", str(SELFEVAL), "--table", "selfeval", "--profile", str(local), "--out", str(out)
    )
    assert exported.exit_code == 0, exported.output
    assert out.is_file()


def test_targets_from_parse_json(tmp_path: Path) -> None:
    parsed = invoke("parse", str(SAMPLE), "--format", "json")
    source = tmp_path / "doc.json"
    source.write_text(parsed.stdout, encoding="utf-8")
    out = tmp_path / "from-json.xlsx"
    result = invoke("export", str(source), "--table", "targets", "--out", str(out))
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[0]
    assert ws["A5"].value == "综合业务监管平台建设项目含控假打假指挥调度平台"
    assert ws["B5"].value == 90


def test_score_table_puts_each_value_under_its_own_column() -> None:
    """Regression: the formula was printed under 分值 and the weight under 得分."""
    result = CliRunner().invoke(cli, ["score", str(SELFEVAL)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if "分值" in line and "计分说明" in line)
    row = next(line for line in lines if "智慧电梯完成率" in line)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    names = [c.strip() for c in header.split("┃")[1:-1]]
    by_name = dict(zip(names, cells, strict=True))
    assert by_name["分值"] == "13.89"
    assert by_name["得分"] == "13.89"
    assert by_name["计分说明"].startswith("正向")

"""``jixiao check``: the jixiao.check/1 JSON, exit statuses, folders, target tables, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
EXAMPLE = ROOT / "docs/formats/selfeval-example.json"
PUBLISHED = {
    "format": "jixiao.selfeval/1",
    "year": 2023,
    "unit": "万元",
    "projects": [
        {
            "name": "食品抽样检验经费",
            "goal": "完成全年食品抽样检验任务，保障辖区食品安全。",
            "published_total": "100",
            "published_grade": "优秀",
            "funds": [
                {
                    "line": "total",
                    "budget": "100.00",
                    "executed": "90.00",
                    "published_rate": "90.00%",
                    "published_weight": "10",
                    "published_score": "10",
                }
            ],
            "indicators": [
                {
                    "level1": "1-产出指标",
                    "level2": "11-数量指标",
                    "name": "抽检批次",
                    "target": "≥1000批次",
                    "actual": "800",
                    "weight": "90",
                    "published_score": "90",
                }
            ],
        }
    ],
}


def _write(tmp_path: Path, data: object, name: str = "自评.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_reports_published_and_recomputed_with_sc_codes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(_write(tmp_path, PUBLISHED)), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "jixiao.check/1"
    [project] = data["projects"]
    assert (project["published_total"], project["recomputed_total"]) == ("100", "81")
    by_code = {f["code"]: f for f in project["findings"]}
    assert by_code["SC003"]["indicator"] == "抽检批次"
    assert (by_code["SC003"]["published"], by_code["SC003"]["recomputed"]) == ("90", "72")
    assert (by_code["SC006"]["published"], by_code["SC006"]["recomputed"]) == ("10", "9")
    assert {"SC001", "SC005", "SC007"}.isdisjoint(by_code)


def test_fail_on_sets_the_exit_status(tmp_path: Path) -> None:
    path = str(_write(tmp_path, PUBLISHED))
    assert CliRunner().invoke(cli, ["check", path, "--fail-on", "error"]).exit_code == 1
    clean = CliRunner().invoke(cli, ["check", str(EXAMPLE), "--fail-on", "error"])
    assert clean.exit_code == 0, clean.output


def test_a_target_table_gets_the_review_findings_in_the_same_shape() -> None:
    result = CliRunner().invoke(cli, ["check", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    projects = json.loads(result.stdout)["projects"]
    assert len(projects) == 37
    assert all(p["published_total"] is None and p["recomputed_total"] is None for p in projects)
    codes = {f["code"] for p in projects for f in p["findings"]}
    assert "JX007" in codes
    assert all(c.startswith("JX") for c in codes)
    parsed = CliRunner().invoke(cli, ["parse", str(SAMPLE), "--format", "json"])
    expected = [p["repairs"] for p in json.loads(parsed.stdout)["projects"]]
    assert [p["repairs"] for p in projects] == expected  # the reader's repairs, as parse gives
    assert any(expected)


def test_a_folder_is_checked_file_by_file_with_a_summary(tmp_path: Path) -> None:
    _write(tmp_path, PUBLISHED, "a.json")
    (tmp_path / "b.json").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "坏.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "汇总" in result.stdout
    assert "食品抽样检验经费" in result.stdout
    assert "坏.json" in result.stderr
    assert "Traceback" not in result.output


def test_unreadable_input_is_one_line_and_status_2(tmp_path: Path) -> None:
    bad = _write(tmp_path, {"format": "jixiao.selfeval/1", "projects": [{"name": ""}]})
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output

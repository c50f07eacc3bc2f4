"""``jixiao parse`` end to end: the contract JSON, the table view, folders, debug, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from jixiao.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
SCHEMA = json.loads((ROOT / "tests/ingest/document.schema.json").read_text(encoding="utf-8"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_json_is_the_contract() -> None:
    result = CliRunner().invoke(cli, ["parse", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["format"] == "jixiao.document/1"
    assert len(data["projects"]) == 37
    assert data["projects"][4]["amounts"]["total"] == "1714.44"


def test_table_view_shows_projects_and_amounts() -> None:
    result = CliRunner().invoke(cli, ["parse", str(SAMPLE), "--format", "table"])
    assert result.exit_code == 0
    assert "政府雇员工资费用" in result.stdout
    assert "1,714.44" in result.stdout
    assert "合计 37 个项目" in result.stdout
    assert "8,631.02" in result.stdout


def test_folder_to_out_dir_with_a_bad_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SAMPLE.read_bytes())
    (src / "b.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="gb18030")
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["parse", str(src), "--out", str(out), "--debug"])
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "a.debug.html",
        "a.json",
        "b.debug.html",
        "b.json",
        "corpus.parquet",
        "manifest.sqlite",
    ]
    assert json.loads((out / "a.json").read_text()) == json.loads((out / "b.json").read_text())
    assert "broken.txt" in result.stderr
    assert "2 个成功，1 个失败" in result.stderr


def test_debug_html_shows_stages_and_escapes(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("物业管理费", "<script>x</script>")
    source = tmp_path / "evil.txt"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(source), "--out", str(tmp_path), "--debug"])
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "evil.debug.html").read_text(encoding="utf-8")
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html
    for stage in ("原始单元格", "版式：project_goal_form", "各行字段归属", "跨页拼接后"):
        assert stage in html


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "corrupt image"),
        (bytes(range(256)) * 8, "binary"),
        ("项目名称\t年初预算数\t全年执行数\t得分\n培训\t1\t1\t10\n".encode(), "unsupported"),
        ("你好，世界\n".encode(), "not a performance target table"),
        (SAMPLE.read_bytes()[:20011], "truncated"),
        (SAMPLE.read_bytes()[:20000], "truncated"),
    ],
    ids=["empty", "image", "binary", "other-table", "prose", "cut-in-char", "cut-in-row"],
)
def test_unreadable_input_one_line_exit_2(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    proc = run("parse", str(path), "--format", "json", "--strict")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert reason in lines[0]
    assert "Traceback" not in proc.stderr


def test_cut_file_is_read_without_strict(tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(SAMPLE.read_bytes()[:20000])
    proc = run("parse", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["complete"] is False
    assert [w["code"] for w in data["warnings"]].count("incomplete") == 1
    table = run("parse", str(path), "--format", "table")
    assert table.returncode == 0
    assert "表格不完整" in table.stdout


def test_huge_file_refused_by_its_size(tmp_path: Path) -> None:
    """Refused from its size alone, before reading (how fast: ``make bench``, ``cli``)."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    proc = run("parse", str(path))
    assert proc.returncode == 2
    assert "too large" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_file_is_one_line() -> None:
    proc = run("parse", "/nonexistent/table.txt")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1

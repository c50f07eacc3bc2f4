"""``jixiao review`` and ``jixiao rules`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import cli
from jixiao.domain.document import Document
from jixiao.domain.exchange import document_to_json
from jixiao.ingest import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_output_follows_the_contract() -> None:
    code, out, _ = run("review", str(SAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "jixiao.findings/1"
    rules = {f["rule"] for f in data["findings"]}
    assert {"JX001", "JX003", "JX005", "JX008", "JX009"} <= rules
    for f in data["findings"]:
        assert set(f) >= {"rule", "severity", "project", "indicator", "message", "evidence"}
        assert f["severity"] in {"error", "warning", "info"}
    assert data["summary"]["projects"] == 37


def test_table_output_groups_by_project_worst_first() -> None:
    code, out, _ = run("review", str(SAMPLE))
    assert code == 0
    assert "JX005" in out
    assert "文档等级" in out
    first_grade = out.splitlines()[1]
    assert first_grade.startswith("差")


def test_fail_on_makes_a_gate(tmp_path: Path) -> None:
    assert run("review", str(SAMPLE), "--fail-on", "error")[0] == 1
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(document_to_json(Document())), encoding="utf-8")
    assert run("review", str(clean), "--fail-on", "info", "--format", "json")[0] == 0


def test_reads_parse_json_output(tmp_path: Path) -> None:
    exported = tmp_path / "doc.json"
    exported.write_text(
        json.dumps(document_to_json(read_document(SAMPLE)), ensure_ascii=False), "utf-8"
    )
    code, out, _ = run("review", str(exported), "--format", "json")
    direct = json.loads(run("review", str(SAMPLE), "--format", "json")[1])
    assert code == 0
    assert len(json.loads(out)["findings"]) == len(direct["findings"])


def test_profile_option(tmp_path: Path) -> None:
    code, out, _ = run("review", str(SAMPLE), "--format", "json", "--profile", "guangzhou")
    assert code == 0
    summary = json.loads(out)["summary"]
    assert summary["profile"] == "guangzhou"
    code, _, err = run("review", str(SAMPLE), "--profile", "atlantis")
    assert code == 2
    assert "未知的审核配置" in err


def test_unreadable_input_is_one_line_exit_2(tmp_path: Path) -> None:
    for name, content in (("empty.txt", b""), ("binary.bin", bytes(range(256)) * 40)):
        path = tmp_path / name
        path.write_bytes(content)
        code, out, err = run("review", str(path))
        assert code == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err
    code, _, err = run("review", str(tmp_path / "missing.txt"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("review", str(broken))[0] == 2


def test_rules_lists_the_catalogue() -> None:
    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows][:3] == ["JX001", "JX002", "JX003"]
    assert all(r["title"] and r["dimension"] for r in rows)
    code, out, _ = run("rules")
    assert code == 0
    assert "JX018" in out


def test_rules_follow_the_profile() -> None:
    rows = {r["id"]: r for r in json.loads(run("rules", "--format", "json")[1])}
    local = {
        r["id"]: r
        for r in json.loads(run("rules", "--format", "json", "--profile", "guangzhou")[1])
    }
    assert rows["JX004"]["severity"] == "warning"
    assert local["JX004"]["severity"] == "info"

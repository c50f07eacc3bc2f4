"""Batch reading on local processes: outputs, failures, resume by content hash, --jobs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_inputs import department_table, done_rows, outputs, write_inputs
from click.testing import CliRunner

from jixiao.batch import CORPUS, LocalRunner, RayRunner, TaskSettings, run_batch
from jixiao.cli import cli
from jixiao.errors import JixiaoError

SETTINGS = TaskSettings()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "parse", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_corrupt_files_fail_alone_named_in_the_summary(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_inputs(src, 5)
    (src / "scan-a.png").write_bytes(PNG)
    (src / "scan-b.png").write_bytes(PNG[:-1])
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    proc = run_cli(str(src), "--out", str(out), "--jobs", "2")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "解析中" not in proc.stderr  # no progress bar when stderr is not a terminal
    assert "5 个成功，3 个失败" in proc.stderr
    lines = proc.stderr.splitlines()
    # the two images share their reason and are listed under it; the empty file has its own
    image_group = next(i for i, line in enumerate(lines) if line.startswith("失败 2 个："))
    assert {lines[image_group + 1].strip(), lines[image_group + 2].strip()} == {
        str(src / "scan-a.png"),
        str(src / "scan-b.png"),
    }
    assert any(line.startswith("失败 1 个：") and "empty" in line for line in lines)
    assert sorted(outputs(out)) == [f"dept-{n:04d}.json" for n in range(1, 6)]
    assert len(done_rows(out)) == 5


def test_outputs_and_corpus_agree(tmp_path: Path) -> None:
    files = write_inputs(tmp_path / "in", 3)
    summary = run_batch(files, tmp_path / "out", LocalRunner(2), SETTINGS)
    assert (summary.read, summary.failures, summary.pages) == (3, [], 3)
    docs = outputs(tmp_path / "out")
    assert [d["department"] for d in docs.values()] == [
        f"广州市白云区市场监督管理局第{n}所(本级)" for n in (1, 2, 3)
    ]
    corpus = pq.read_table(tmp_path / "out" / CORPUS).to_pylist()
    indicators = sum(len(p["indicators"]) or 1 for d in docs.values() for p in d["projects"])
    assert len(corpus) == summary.corpus_rows == indicators
    assert {row["document"] for row in corpus} == set(docs)


def test_jobs_2_writes_what_jobs_1_writes(tmp_path: Path) -> None:
    files = write_inputs(tmp_path / "in", 6)
    (tmp_path / "in" / "bad.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    files.append(tmp_path / "in" / "bad.xlsx")
    one = run_batch(files, tmp_path / "one", LocalRunner(1), SETTINGS)
    two = run_batch(files, tmp_path / "two", LocalRunner(2), SETTINGS)
    assert one.failures == two.failures
    assert len(one.failures) == 1
    for name in outputs(tmp_path / "one"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert sorted(outputs(tmp_path / "one")) == sorted(outputs(tmp_path / "two"))
    assert pq.read_table(tmp_path / "one" / CORPUS).equals(pq.read_table(tmp_path / "two" / CORPUS))


def test_resume_skips_contents_already_read_under_any_name(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = write_inputs(src, 4)
    first = run_batch(files, out, LocalRunner(2), SETTINGS)
    assert first.read == 4
    before = {name: (out / name).stat().st_mtime_ns for name in outputs(out)}

    renamed = src / "renamed.txt"
    files[0].rename(renamed)  # same content, new name: not read again, no output of its own
    files[1].write_bytes(department_table(99))  # same name, new content: read, same output name
    inputs = [renamed, *files[1:]]
    second = run_batch(inputs, out, LocalRunner(2), SETTINGS)
    assert (second.read, second.resumed, second.copies, second.failures) == (1, 3, 0, [])
    assert sorted(outputs(out)) == sorted(before)
    assert "第99所" in outputs(out)["dept-0002.json"]["department"]
    for name in ("dept-0001.json", "dept-0003.json", "dept-0004.json"):
        assert (out / name).stat().st_mtime_ns == before[name]
    runs = {source: run for _, source, _, run in done_rows(out)}
    assert runs == {str(f): 1 for f in files} | {str(files[1]): 2}


def test_copies_in_one_run_are_read_once(tmp_path: Path) -> None:
    src = tmp_path / "in"
    files = write_inputs(src, 2)
    copy = src / "copy.txt"
    copy.write_bytes(files[0].read_bytes())
    summary = run_batch([*files, copy], tmp_path / "out", LocalRunner(2), SETTINGS)
    assert (summary.read, summary.copies) == (2, 1)
    assert sorted(outputs(tmp_path / "out")) == ["dept-0001.json", "dept-0002.json"]


def test_a_deleted_output_is_read_again(tmp_path: Path) -> None:
    files = write_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_batch(files, out, LocalRunner(2), SETTINGS)
    (out / "dept-0002.json").unlink()
    again = run_batch(files, out, LocalRunner(2), SETTINGS)
    assert (again.read, again.resumed) == (1, 2)
    assert (out / "dept-0002.json").is_file()


def test_same_stem_from_two_folders_keeps_both(tmp_path: Path) -> None:
    a = write_inputs(tmp_path / "a", 1)[0]
    b = tmp_path / "b" / a.name
    b.parent.mkdir()
    b.write_bytes(department_table(7))
    out = tmp_path / "out"
    run_batch([a, b], out, LocalRunner(1), SETTINGS)
    docs = outputs(out)
    assert "第1所" in docs.pop("dept-0001.json")["department"]
    [(other, doc)] = docs.items()
    assert other.startswith("dept-0001-")
    assert "第7所" in doc["department"]


def test_cluster_without_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(JixiaoError, match=r"jixiao\[cluster\]"):
        RayRunner("auto")
    result = CliRunner().invoke(cli, ["parse", "x.txt", "--out", "o", "--cluster", "auto"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "jixiao[cluster]" in result.stderr


def test_jobs_needs_out() -> None:
    result = CliRunner().invoke(cli, ["parse", "x.txt", "--jobs", "2"])
    assert result.exit_code == 2
    assert "--out" in result.output

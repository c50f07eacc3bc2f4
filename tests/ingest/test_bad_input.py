"""Bad input to ``jixiao parse``: one line on stderr, exit status 2, no traceback, no data.

The cases run the command in-process (click's runner, which reports any uncaught exception);
two of them run the installed ``jixiao`` executable in a subprocess, as a user or a script
would. A file cut in the middle of a row is refused (exit 2): the contract keeps imports
all-or-nothing, so a table that visibly stops mid-row is not passed on as if it were complete.
A file cut exactly between two complete rows cannot be told from a shorter table and is read
(exit 0).
"""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
JIXIAO = Path(sys.executable).with_name("jixiao")


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run_parse(path: Path, *extra: str) -> Outcome:
    """``jixiao parse PATH ...`` in-process; an uncaught exception fails the test."""
    result = CliRunner().invoke(cli, ["parse", str(path), *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("uncaught exception") from result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def run_executable(path: Path, *extra: str) -> Outcome:
    """The installed ``jixiao parse`` in a subprocess."""
    command = [str(JIXIAO), "parse", str(path), *extra]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def assert_refused(proc: Outcome, *reasons: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr naming one of ``reasons``."""
    assert proc.returncode == 2, proc.stdout[:500] + proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert any(reason in lines[0] for reason in reasons), lines[0]
    return lines[0]


def png_bytes() -> bytes:
    """A real 2×2 RGB PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def binary_bytes() -> bytes:
    return random.Random(7).randbytes(64 * 1024)


def sales_csv() -> bytes:
    rows = ["日期,门店,商品,数量,单价,金额"]
    rows += [
        f"2023-0{m}-1{d},天河店,矿泉水,{m * d},2.50,{m * d * 2.5:.2f}"
        for m in range(1, 10)
        for d in range(10)
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def sales_tsv() -> bytes:
    """Tab-separated like the target tables, with money columns, but a sales ledger."""
    rows = ["商品名称\t总计\t单价\t数量\t备注"]
    rows += [f"商品{i}\t{i * 3}.00\t3.00\t{i}\t正常销售" for i in range(1, 50)]
    return ("\n".join(rows) + "\n").encode("utf-8")


CASES = {
    "empty": (b"", ("empty", "为空")),
    "blank-lines": (b"\n \n\t\n\r\n", ("blank", "空白", "not a performance target table")),
    "binary": (binary_bytes(), ("binary", "二进制", "not UTF-8")),
    "png-image": (png_bytes(), ("no table found in the image",)),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ("PDF",)),
    "sales-csv": (sales_csv(), ("not a performance target table",)),
    "sales-tsv": (sales_tsv(), ("not a performance target table",)),
    "prose": ("今年的工作总结：各项任务按期完成。\n".encode(), ("not a performance target table",)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_unreadable_file_is_refused_with_one_line(tmp_path: Path, name: str) -> None:
    content, reasons = CASES[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(content)
    assert_refused(run_parse(path, "--format", "json"), *reasons)


def _sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


def _cut_in_row(line_no: int, cell: int, keep: str | None = None) -> bytes:
    """The sample up to line ``line_no`` (1-based), that line cut inside cell ``cell``: after
    the text ``keep`` when given, else in the middle of the cell."""
    lines = _sample_lines()
    cells = lines[line_no - 1].split("\t")
    text = cells[cell]
    cut = text.index(keep) + len(keep) if keep else len(text) // 2
    partial = "\t".join([*cells[:cell], text[:cut]])
    return "\n".join([*lines[: line_no - 1], partial]).encode("utf-8")


TRUNCATED = {
    "in-name": _cut_in_row(28, 0),
    "in-amount": _cut_in_row(28, 1, keep="32."),
    "in-goal": _cut_in_row(28, 4),
    "in-indicator-keyword": _cut_in_row(
        28, 5, keep="5、1-产出指标,13-时效指标,工程进度达标率(%);实施周期指"
    ),
    "in-indicator-value": _cut_in_row(33, 5, keep="实施周期指标值:>9"),
    "in-utf8-character": SAMPLE.read_bytes()[: len(_cut_in_row(28, 4)) + 1],
}


@pytest.mark.parametrize("name", list(TRUNCATED))
def test_file_cut_mid_row_is_refused_when_strict(tmp_path: Path, name: str) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(TRUNCATED[name])
    assert_refused(run_parse(path, "--format", "json", "--strict"), "truncated")


# Where each cut falls: the line, and how many complete projects come before it.
CUT_AT = {
    "in-name": (28, 14),
    "in-amount": (28, 14),
    "in-goal": (28, 14),
    "in-indicator-keyword": (28, 14),
    "in-indicator-value": (33, 17),
}


@pytest.mark.parametrize("name", list(CUT_AT))
def test_file_cut_mid_row_is_read_up_to_the_cut(tmp_path: Path, name: str) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(TRUNCATED[name])
    proc = run_parse(path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["complete"] is False
    assert data["source_kind"] == "ocr_text"
    line, kept = CUT_AT[name]
    full = json.loads(run_parse(SAMPLE, "--format", "json").stdout)
    assert data["projects"] == full["projects"][:kept]
    incomplete = [w for w in data["warnings"] if w["code"] == "incomplete"]
    assert len(incomplete) == 1
    assert f"第{line}行" in incomplete[0]["message"]


def test_file_cut_in_a_character_is_refused(tmp_path: Path) -> None:
    """Not a cut row but undecodable bytes: the reader refuses it, strict or not."""
    path = tmp_path / "cut.txt"
    path.write_bytes(TRUNCATED["in-utf8-character"])
    assert_refused(run_parse(path, "--format", "json"), "truncated")


def test_file_cut_between_complete_rows_is_read(tmp_path: Path) -> None:
    lines = _sample_lines()
    path = tmp_path / "short.txt"
    path.write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")  # the first three projects
    proc = run_parse(path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    names = [p["name"] for p in json.loads(proc.stdout)["projects"]]
    assert names == [
        "综合业务监管平台建设项目含控假打假指挥调度平台",
        "物业管理费",
        "公务用车更新购置费",
    ]


def test_binary_file_through_the_executable(tmp_path: Path) -> None:
    path = tmp_path / "random.bin"
    path.write_bytes(binary_bytes())
    assert_refused(run_executable(path, "--format", "json"), "binary", "二进制")


def test_fifty_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    sample = SAMPLE.read_bytes()
    with path.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(sample) + 1):
            fh.write(sample)
    assert path.stat().st_size > 50 * 1024 * 1024
    assert_refused(run_executable(path, "--format", "json"), "too large")


def test_bad_file_in_a_folder_writes_no_output_for_it(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_bytes(SAMPLE.read_bytes())
    (inputs / "bad.txt").write_bytes(TRUNCATED["in-utf8-character"])
    (inputs / "image.png").write_bytes(png_bytes())
    out = tmp_path / "out"
    proc = run_parse(inputs, "--out", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    documents = sorted(p.name for p in out.iterdir() if p.suffix == ".json")
    assert documents == ["good.json"]  # beside the run's manifest and indicator corpus
    assert {p.name for p in out.iterdir()} == {"good.json", "manifest.sqlite", "corpus.parquet"}
    assert "bad.txt" in proc.stderr
    assert "image.png" in proc.stderr

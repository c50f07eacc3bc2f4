"""Each bound of the isolated reader on its own: memory, time, and a clean answer within both."""

from __future__ import annotations

from pathlib import Path

import pytest
from crafted import dense_xls

from jixiao.errors import UnreadableDocument
from jixiao.ingest.isolated import Isolation, read_isolated

SAMPLE = Path(__file__).parents[2] / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"


def test_a_file_that_needs_more_memory_than_the_budget_is_refused_by_it() -> None:
    # a time budget no machine reaches, so that only the memory bound can stop the read
    bounds = Isolation(seconds=300, memory_bytes=300 * 1024 * 1024, workers=1, nice=0)
    with pytest.raises(UnreadableDocument) as refused:
        read_isolated(dense_xls(), "dense.xls", bounds)
    assert str(refused.value) == (
        "dense.xls: 读取所需内存超过上限（300 MB），文件未导入 (memory limit exceeded)"
    )


def test_a_file_that_reads_longer_than_the_budget_is_refused_by_it() -> None:
    lines = SAMPLE.read_bytes().split(b"\n")
    slow = b"\n".join(lines[:6] + lines[6:] * 400)
    bounds = Isolation(seconds=0.5, memory_bytes=4 * 1024 * 1024 * 1024, workers=1, nice=0)
    with pytest.raises(UnreadableDocument, match=r"读取超时（超过 0.5 秒）.*reading timed out"):
        read_isolated(slow, "slow.txt", bounds)


def test_a_real_table_is_read_within_the_bounds() -> None:
    bounds = Isolation(seconds=120, memory_bytes=1024 * 1024 * 1024, workers=1, nice=0)
    document = read_isolated(SAMPLE.read_bytes(), SAMPLE.name, bounds)
    assert len(document.projects) == 37

"""Damaged versions of the sample never crash the reader: a document or UnreadableDocument."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import UnreadableDocument
from jixiao.ingest import read_bytes

SAMPLE = (Path(__file__).parent / "documents" / "baiyun-amr-2023" / "input.txt").read_text(
    encoding="utf-8"
)
LINES = SAMPLE.split("\n")
NOISE = [
    "\t",
    "\n",
    "、",
    "-",
    ";",
    "实施周期指标值:",
    "年度指标值:",
    "1-产出指标",
    "<b>",
    "  ",
    "。",
]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["cut", "delete", "insert", "drop_line", "shuffle"]))
    at = draw(st.integers(0, len(SAMPLE) - 1))
    if kind == "cut":
        return SAMPLE[:at]
    if kind == "delete":
        return SAMPLE[:at] + SAMPLE[at + draw(st.integers(1, 80)) :]
    if kind == "insert":
        return SAMPLE[:at] + draw(st.sampled_from(NOISE)) + SAMPLE[at:]
    lines = list(LINES)
    if kind == "drop_line":
        del lines[draw(st.integers(0, len(lines) - 1))]
    else:
        lines = draw(st.permutations(lines))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_sample_never_crashes(text: str) -> None:
    try:
        doc = read_bytes(text.encode("utf-8"), "damaged.txt")
    except UnreadableDocument:
        return
    for project in doc.projects:
        assert all(isinstance(i.name, str) for i in project.indicators)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        read_bytes(data, "random.bin")
    except UnreadableDocument:
        pass


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="项目名称总计绩效目标指标值实施周期年度1-产出、;:,\t\n0.5%≥", max_size=400))
def test_table_like_text_never_crashes(text: str) -> None:
    try:
        read_bytes(text.encode("utf-8"), "random.txt")
    except UnreadableDocument:
        pass

"""Small builders for hand-written OCR texts used by the ingest tests."""

from __future__ import annotations

from jixiao.domain.document import Document
from jixiao.domain.indicator import LevelRef
from jixiao.domain.target import TargetValue
from jixiao.ingest import parse_bytes
from jixiao.ingest.result import ParseResult

HEADER = "项目名称\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标"
PREAMBLE = "项目支出绩效目标表\n\n部门名称:某区某局\n\n单位: 万元\n\n"


def item(n: int, l1: str, l2: str, name: str, period: str, annual: str) -> str:
    """One indicator item in the published form."""
    return f"{n}、{l1},{l2},{name};实施周期指标值:{period},年度指标值:{annual};"


def table_text(*rows: str, preamble: str = PREAMBLE) -> str:
    return preamble + HEADER + "\n" + "\n".join(rows) + "\n"


def parse_text(text: str, encoding: str = "utf-8") -> ParseResult:
    return parse_bytes(text.encode(encoding), "test.txt")


def parse_rows(*rows: str) -> Document:
    return parse_text(table_text(*rows)).document


def codes(warnings: list[object]) -> list[str]:
    return [w.code for w in warnings]  # type: ignore[attr-defined]


def raw(value: TargetValue | None) -> str | None:
    """The raw text of a target value, or None."""
    return None if value is None else value.raw


def lvl(level: LevelRef | None) -> str | None:
    """A level as written (``1-产出指标``), or None."""
    return None if level is None else level.format()

"""The corpus file of a batch: one Parquet table, one row per indicator, for DuckDB, pandas
or Polars to open directly. ``SCHEMA`` is the one definition of its columns (described in
docs/formats/corpus.md).

Rows are made from the output JSON (``jixiao.document/1`` or ``jixiao.selfeval/1``), so the
corpus says exactly what the per-file outputs say. A project without indicators still has one
row (its indicator columns empty), so no project is lost. Amounts and numbers are exact
decimals (``decimal128(38, 10)``), never floats; a number with more than 10 decimal places is
refused rather than rounded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.domain.target import parse_target
from jixiao.errors import UnreadableDocument

NUMBER_SCALE = 10
ROW_GROUP = 10_000  # rows held in memory while the corpus is written


def _schema() -> Any:
    import pyarrow as pa

    number = pa.decimal128(38, NUMBER_SCALE)

    def target(prefix: str) -> list[Any]:
        return [
            pa.field(f"{prefix}_raw", pa.string()),
            pa.field(f"{prefix}_kind", pa.string()),
            pa.field(f"{prefix}_op", pa.string()),
            pa.field(f"{prefix}_value", number),
            pa.field(f"{prefix}_deadline", pa.date32()),
            pa.field(f"{prefix}_unit", pa.string()),
        ]

    return pa.schema(
        [
            pa.field("document", pa.string(), nullable=False),
            pa.field("source_file", pa.string(), nullable=False),
            pa.field("sha256", pa.string(), nullable=False),
            pa.field("format", pa.string(), nullable=False),
            pa.field("kind", pa.string(), nullable=False),
            pa.field("source_kind", pa.string()),
            pa.field("complete", pa.bool_()),
            pa.field("year", pa.int32()),
            pa.field("document_department", pa.string()),
            pa.field("unit", pa.string()),
            pa.field("project_index", pa.int32(), nullable=False),
            pa.field("project", pa.string()),
            pa.field("project_department", pa.string()),
            pa.field("implementing_unit", pa.string()),
            pa.field("amount_total", number),
            pa.field("amount_fiscal", number),
            pa.field("amount_special", number),
            pa.field("amount_other", number),
            pa.field("indicator_index", pa.int32()),
            pa.field("level1_code", pa.string()),
            pa.field("level1_name", pa.string()),
            pa.field("level2_code", pa.string()),
            pa.field("level2_name", pa.string()),
            pa.field("indicator", pa.string()),
            *target("period"),
            *target("annual"),
            pa.field("actual", number),
            pa.field("actual_text", pa.string()),
            pa.field("weight", number),
            pa.field("published_score", number),
            pa.field("source_lines", pa.list_(pa.int32())),
            pa.field("source_pages", pa.list_(pa.int32())),
            pa.field("source_sheet", pa.string()),
            pa.field("source_rows", pa.list_(pa.int32())),
            pa.field("source_cells", pa.list_(pa.string())),
        ]
    )


def schema() -> Any:
    """The corpus schema (a ``pyarrow.Schema``; pyarrow is imported only when asked for)."""
    return _schema()


def _number(text: Any) -> Decimal | None:
    """An exact decimal from the JSON's decimal string; refused if it would lose digits."""
    if text is None or text == "":
        return None
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise UnreadableDocument(f"不是有效的数值：{text!r}") from None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or not isinstance(exponent, int) or exponent < -NUMBER_SCALE:
        raise UnreadableDocument(f"数值 {text} 超出语料文件的精度（{NUMBER_SCALE} 位小数）")
    if value.adjusted() >= 38 - NUMBER_SCALE:
        raise UnreadableDocument(f"数值 {text} 过大，语料文件无法保存")
    return value


_CODED = re.compile(r"^\s*(\d+)\s*[-－—.、]\s*(.+)$")


def _level(level: Any) -> tuple[str | None, str | None]:
    """(code, name) of a level: ``{"code", "name"}`` in document/1, ``"1-产出指标"`` in
    selfeval/1."""
    if isinstance(level, dict):
        return level.get("code"), level.get("name")
    if isinstance(level, str) and level:
        coded = _CODED.match(level)
        return (coded.group(1), coded.group(2)) if coded else (None, level)
    return None, None


def _target(prefix: str, value: Any) -> dict[str, Any]:
    value = value or {}
    kind = value.get("kind")
    number = value.get("value")
    deadline = date.fromisoformat(number) if kind == "deadline" and number else None
    return {
        f"{prefix}_raw": value.get("raw"),
        f"{prefix}_kind": kind,
        f"{prefix}_op": value.get("op"),
        f"{prefix}_value": None if deadline is not None else _number(number),
        f"{prefix}_deadline": deadline,
        f"{prefix}_unit": value.get("unit"),
    }


def _selfeval_target(text: str | None) -> dict[str, Any] | None:
    return None if not text else parse_target(text).as_json()


def _source(source: Any) -> dict[str, Any]:
    source = source or {}
    return {
        "source_lines": list(source.get("lines", [])) or None,
        "source_pages": list(source.get("pages", [])) or None,
        "source_sheet": source.get("sheet"),
        "source_rows": list(source.get("rows", [])) or None,
        "source_cells": list(source.get("cells", [])) or None,
    }


def _indicator_rows(project: dict[str, Any], selfeval: bool) -> Iterator[dict[str, Any]]:
    indicators = project.get("indicators") or []
    if not indicators:
        yield {"indicator_index": None}
    for index, item in enumerate(indicators, start=1):
        l1, l2 = _level(item.get("level1")), _level(item.get("level2"))
        row: dict[str, Any] = {
            "indicator_index": index,
            "level1_code": l1[0],
            "level1_name": l1[1],
            "level2_code": l2[0],
            "level2_name": l2[1],
            "indicator": item.get("name"),
        }
        if selfeval:
            row |= _target("period", None)
            row |= _target("annual", _selfeval_target(item.get("target")))
            row |= {
                "actual": _number(item.get("actual")),
                "actual_text": item.get("actual_text"),
                "weight": _number(item.get("weight")),
                "published_score": _number(item.get("published_score")),
            }
        else:
            row |= _target("period", item.get("period")) | _target("annual", item.get("annual"))
        yield row


def _amounts(project: dict[str, Any]) -> dict[str, Any]:
    amounts = project.get("amounts") or {}
    return {f"amount_{key}": _number(amounts.get(key)) for key in _AMOUNTS}


_AMOUNTS = ("total", "fiscal", "special", "other")


def corpus_rows(
    payload: dict[str, Any], *, document: str, source_file: str, sha256: str
) -> list[dict[str, Any]]:
    """The corpus rows of one output JSON (``document`` is its file name)."""
    selfeval = payload.get("format") == "jixiao.selfeval/1"
    head = {
        "document": document,
        "source_file": source_file,
        "sha256": sha256,
        "format": payload["format"],
        "kind": payload.get("kind") or "department_targets",
        "source_kind": payload.get("source_kind"),
        "complete": payload.get("complete", True),
        "year": payload.get("year"),
        "document_department": payload.get("department"),
        "unit": payload.get("unit"),
    }
    rows: list[dict[str, Any]] = []
    for index, project in enumerate(payload.get("projects") or [], start=1):
        base = head | {
            "project_index": index,
            "project": project.get("name"),
            "project_department": project.get("department"),
            "implementing_unit": project.get("implementing_unit") or project.get("unit_name"),
            **_amounts(project),
            **_source(project.get("source")),
        }
        rows.extend(base | row for row in _indicator_rows(project, selfeval))
    return rows


def write_corpus(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` to the Parquet file ``path`` in row groups (memory stays bounded) through
    a temporary file renamed into place, so ``path`` is whole or absent; the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table_schema = schema()
    tmp = path.with_name(f".{path.name}.tmp")
    count = 0
    with pq.ParquetWriter(tmp, table_schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=table_schema))
                count += len(batch)
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=table_schema))
        count += len(batch)
    os.replace(tmp, path)
    return count

"""The corpus file says what the JSON outputs say: generated tables of every kind, written to
Parquet and read back with pyarrow and DuckDB."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from batch_inputs import department_table
from form_generator import selfeval_specs, target_form_specs
from generator import rendered
from grid_generator import grid_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_renderers import render_xlsx

from jixiao.batch import corpus
from jixiao.batch.corpus import corpus_rows, schema, write_corpus
from jixiao.errors import UnreadableDocument
from jixiao.ingest import parse_bytes
from jixiao.outputs import payloads

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _number(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _expected(payload: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Per indicator, what the JSON says, in the corpus' terms."""
    rows = []
    selfeval = payload["format"] == "jixiao.selfeval/1"
    for p_index, project in enumerate(payload["projects"], start=1):
        amounts = project.get("amounts") or {}
        total = _number(amounts.get("total"))
        for i_index, item in enumerate(project["indicators"], start=1):
            if selfeval:
                annual = item.get("target")
                extra = (_number(item.get("actual")), _number(item.get("weight")))
                levels: tuple[Any, ...] = (item.get("level1"), item.get("level2"))
            else:
                value = item["annual"] or {}
                annual = value.get("raw")
                number = value.get("value") if value.get("kind") != "deadline" else None
                extra = (_number(number), None)
                levels = tuple(
                    None if item[k] is None else f"{item[k]['code']}-{item[k]['name']}"
                    for k in ("level1", "level2")
                )
            rows.append(
                (p_index, project["name"], total, i_index, item["name"], annual, *extra, *levels)
            )
        if not project["indicators"]:
            rows.append((p_index, project["name"], total, None, None, None, None, None, None, None))
    return rows


def _level(code: str | None, name: str | None) -> str | None:
    if name is None:
        return None
    return name if code is None else f"{code}-{name}"


def _read_back(row: dict[str, Any], selfeval: bool) -> tuple[Any, ...]:
    weight = row["weight"] if selfeval else None
    return (
        row["project_index"],
        row["project"],
        row["amount_total"],
        row["indicator_index"],
        row["indicator"],
        row["annual_raw"],
        row["actual"] if selfeval else row["annual_value"],
        weight,
        _level(row["level1_code"], row["level1_name"]),
        _level(row["level2_code"], row["level2_name"]),
    )


def _check_round_trip(data: bytes, name: str) -> None:
    for payload in payloads(parse_bytes(data, name)):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "corpus.parquet"
            rows = corpus_rows(payload, document="d.json", source_file=name, sha256="0" * 64)
            assert write_corpus(path, rows) == len(rows)
            table = pq.read_table(path)
        assert table.schema.equals(schema())
        selfeval = payload["format"] == "jixiao.selfeval/1"
        back = [_read_back(r, selfeval) for r in table.to_pylist()]
        assert back == _expected(payload)


@FAST
@given(rendered())
def test_ocr_text_tables(doc: Any) -> None:
    _check_round_trip(doc.data, "t.txt")


@FAST
@given(grid_specs())
def test_department_workbooks(spec: Any) -> None:
    _check_round_trip(render_xlsx(spec)[0], "t.xlsx")


@FAST
@given(st.one_of(selfeval_specs(), target_form_specs()))
def test_forms(spec: Any) -> None:
    _check_round_trip(render_xlsx(spec.grid)[0], "form.xlsx")


def test_duckdb_reads_exact_amounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "ROW_GROUP", 100)  # several row groups
    docs = [payloads(parse_bytes(department_table(n), f"{n}.txt"))[0] for n in (1, 2)]
    rows = [
        r
        for n, doc in enumerate(docs, start=1)
        for r in corpus_rows(doc, document=f"{n}.json", source_file=f"{n}.txt", sha256="0" * 64)
    ]
    path = tmp_path / "corpus.parquet"
    write_corpus(path, rows)
    assert pq.ParquetFile(path).num_row_groups == -(-len(rows) // 100)
    query = f"""
        SELECT document, sum(amount_total) AS total, count(*) AS indicators
        FROM (SELECT DISTINCT ON (document, project_index) * FROM '{path}')
        GROUP BY document ORDER BY document
    """
    result = duckdb.sql(query).fetchall()
    expected = [
        (f"{n}.json", sum(Decimal(p["amounts"]["total"]) for p in doc["projects"]))
        for n, doc in enumerate(docs, start=1)
    ]
    assert [(d, t) for d, t, _ in result] == expected
    assert all(isinstance(t, Decimal) for _, t, _ in result)
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(len(rows),)]


def test_a_number_beyond_the_scale_is_refused_not_rounded() -> None:
    payload = {
        "format": "jixiao.document/1",
        "projects": [{"name": "x", "amounts": {"total": "1.00000000001"}, "indicators": []}],
    }
    with pytest.raises(UnreadableDocument, match="精度"):
        corpus_rows(payload, document="d.json", source_file="d.txt", sha256="")

"""What reading a file gives as JSON: the texts ``jixiao parse`` prints and a batch writes.

One ``jixiao.document/1`` per document (``kind`` added for single-project forms), or one
``jixiao.selfeval/1`` for published self-evaluations. Kept apart from the batch machinery so
that reading one file loads none of it, and the self-evaluation format (pydantic models) is
loaded only when a file holds self-evaluations.
"""

from __future__ import annotations

import json
from typing import Any

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.exchange import document_to_json
from jixiao.ingest.result import DEPARTMENT_TARGETS, SELF_EVALUATION, ParseResult


def payloads(result: ParseResult) -> list[dict[str, Any]]:
    """The JSON of each output: ``jixiao.document/1`` per document (``kind`` added for
    single-project forms), or one ``jixiao.selfeval/1`` for published self-evaluations."""
    if result.kind == SELF_EVALUATION:
        from jixiao.scoring.formats import SELFEVAL_FORMAT, repairs_json, selfeval_entry

        doc = result.parts[0].document
        return [
            {
                "format": SELFEVAL_FORMAT,
                "kind": SELF_EVALUATION,
                "year": doc.year,
                "unit": MoneyUnit.WAN_YUAN.value,
                "complete": result.complete,
                "source_kind": result.source_kind,
                "warnings": [
                    {"code": w.code, "message": w.message}
                    for p in result.parts
                    for w in p.document.warnings
                ],
                "projects": [
                    {**selfeval_entry(ev), "repairs": repairs_json(ev.repairs)}
                    for ev in result.evaluations
                ],
            }
        ]
    documents = [document_to_json(doc) for doc in result.documents]
    if result.kind != DEPARTMENT_TARGETS:
        documents = [{**p, "kind": result.kind} for p in documents]
    return documents


def json_text(payload: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=indent)

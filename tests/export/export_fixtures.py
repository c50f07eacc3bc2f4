"""Inputs shared by the export tests: the bundled sample and the documented example files."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from jixiao.domain.document import Document
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.domain.indicator import official_order
from jixiao.domain.monitoring import ProjectMonitoring
from jixiao.ingest import read_document
from jixiao.scoring.formats import load_monitoring, load_selfeval

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "src" / "jixiao" / "samples" / "baiyun-amr-2023-targets.ocr.txt"
FORMATS = ROOT / "docs" / "formats"


@cache
def sample_document() -> Document:
    return read_document(SAMPLE)


def selfevals() -> list[SelfEvaluation]:
    return load_selfeval(FORMATS / "selfeval-example.json")


def monitorings() -> list[ProjectMonitoring]:
    return load_monitoring(FORMATS / "monitoring-example.toml")


def in_official_order(doc: Document) -> Document:
    """``doc`` as the exported tables print it: each project's indicators in the official order."""
    return replace(
        doc,
        projects=[
            replace(
                p, indicators=official_order(p.indicators, lambda i: i.level1, lambda i: i.level2)
            )
            for p in doc.projects
        ],
    )

"""Inputs shared by the export tests: the bundled sample and the documented example files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jixiao.domain.document import Document
from jixiao.domain.evaluation import SelfEvaluation
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

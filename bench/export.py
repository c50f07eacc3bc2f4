"""Benchmark scoring and the table exports: evaluations scored per second, ms per table.

Run as ``python -m bench export`` (or through ``make bench``). Baselines measured in the same
run: scoring is compared with parsing the same evaluations from their JSON entries (the
cheapest step before any score); the Excel export with openpyxl writing the same cell values
without any layout (no styles, merges or print setup); the PDF export with the Excel export.
"""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from bench._timing import measure
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.export import render, selfeval_sheets, target_sheets
from jixiao.export.grid import Sheet
from jixiao.ingest import read_document
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_entry, selfeval_from_data
from jixiao.scoring.selfeval import score_evaluation
from jixiao.scoring.weights import load_scoring_profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
EXAMPLE = ROOT / "docs/formats/selfeval-example.json"
COUNT = 1000


def _evaluations(count: int) -> list[SelfEvaluation]:
    """``count`` variations of the documented example with random actuals."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(7)
    projects = []
    for i in range(count):
        entry = json.loads(json.dumps(data["projects"][0]))
        entry["name"] = f"项目{i}"
        for indicator in entry["indicators"]:
            if "actual" in indicator:
                indicator["actual"] = str(Decimal(rng.randint(0, 2000)) / 10)
        projects.append(entry)
    return selfeval_from_data({**data, "projects": projects})


def _plain_xlsx(sheet: Sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for block in sheet.blocks:
        for row in block.rows:
            ws.append([cell.value for cell in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    profile = load_scoring_profile()
    evaluations = _evaluations(COUNT)
    entries = {"format": SELFEVAL_FORMAT, "projects": [selfeval_entry(e) for e in evaluations]}
    parse = measure(lambda: selfeval_from_data(entries), min_seconds=1.0)
    score = measure(lambda: [score_evaluation(e, profile) for e in evaluations], min_seconds=1.0)
    print(
        f"score      {COUNT / score.median:10,.0f} evaluations/s "
        f"({score.ms / COUNT * 1000:.0f} µs each)"
    )
    print(
        f"baseline   {COUNT / parse.median:10,.0f} evaluations/s parsed from JSON entries; "
        f"scoring takes {score.median / parse.median:.2f}× the parse time"
    )
    sheets = target_sheets(read_document(SAMPLE))
    xlsx = measure(lambda: render(sheets, "xlsx"), min_seconds=1.0, rounds=5)
    plain = measure(lambda: _plain_xlsx(sheets[0]), min_seconds=1.0, rounds=5)
    pdf = measure(lambda: render(sheets, "pdf"), min_seconds=1.5, rounds=3)
    print(
        f"xlsx       {xlsx.ms:8.1f} ms  department table, 37 projects "
        f"({xlsx.median / plain.median:.2f}× openpyxl writing the bare cells: {plain.ms:.1f} ms)"
    )
    print(f"pdf        {pdf.ms:8.1f} ms  same table ({pdf.median / xlsx.median:.2f}× the xlsx)")
    form = selfeval_sheets(evaluations[:1], profile)
    one = measure(lambda: render(form, "pdf"), min_seconds=1.0, rounds=3)
    print(f"pdf form   {one.ms:8.1f} ms  one 自评表")

"""A 自评表 as page text (web-page and PDF text-layer copies) read, against reading the text alone.

Run as ``python -m bench page_text``. The form is the one of ``bench forms`` (twelve indicators)
as a copy gives it: ``|``-separated rows, one cell per line, and space-separated cells with
spaces inside the numbers and a page number inside a sentence, and indicator rows with their
cells glued together. The baseline, measured in the
same run, is the OCR-text line reader on the same bytes: decoding and splitting every line into
cells, the floor of any reading of the text; the parse is ``parse_bytes``, text to
self-evaluation. Ten forms one after another show how the time grows. Target: one
self-evaluation form under 15 ms from page text.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bench._timing import measure
from bench.forms import INDICATORS, _selfeval_rows
from jixiao.ingest import parse_bytes
from jixiao.ingest.readers.ocr_text import read_ocr_text

TARGET_MS = 15.0


def _cells(n: int) -> list[list[str]]:
    return [[c for c in row if c] for row in _selfeval_rows(n)]


def _pipes(forms: int) -> bytes:
    rows = [r for n in range(forms) for r in _cells(n)]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows).encode("utf-8")


def _one_per_line(forms: int) -> bytes:
    rows = [r for n in range(forms) for r in _cells(n)]
    return "\n".join(c for r in rows for c in r).encode("utf-8")


def _spaced(forms: int) -> bytes:
    lines = []
    for n in range(forms):
        for row in _cells(n):
            cells = [re.sub(r"^(\d+)\.(\d\d)$", r"\1. \2", c) for c in row]
            cells = [c.replace("保障食品安全", "保障 - 3 - 食品安全") for c in cells]
            lines.append(" ".join(cells))
    return "\n".join(lines).encode("utf-8")


def _word(ch: str) -> bool:
    return not (ch.isdigit() or ch in ".≥≤><=%")


def _glued(forms: int) -> bytes:
    """Indicator rows with no separator between cells (but where two words meet)."""
    lines = []
    for n in range(forms):
        inside = False
        for row in _cells(n):
            if inside and row and not row[0].startswith(("总分", "自评等级", "预算执行率")):
                line = row[0]
                for prev, cell in pairwise(row):
                    line += (" " if _word(prev[-1]) and _word(cell[0]) else "") + cell
                lines.append(line)
                continue
            inside = "三级指标" in row or (inside and row[0] == "预算执行率")
            lines.append(" ".join(row))
    return "\n".join(lines).encode("utf-8")


def _report(label: str, data: bytes, forms: int) -> float:
    result = parse_bytes(data, "自评表.txt")  # what is timed must be a full, right reading
    counts = [len(ev.indicators) for ev in result.evaluations]
    if result.source_kind != "page_text" or counts != [len(INDICATORS)] * forms:
        raise SystemExit(f"{label}：读表结果不对（{result.source_kind}，每张的指标数 {counts}）")
    floor = measure(lambda: read_ocr_text(data, "自评表.txt"))
    parse = measure(lambda: parse_bytes(data, "自评表.txt"))
    print(
        f"{label}: 读文字 {floor.ms:.2f} ms，读表 {parse.ms:.2f} ms"
        f"（{parse.median / floor.median:.1f}× 读文字）"
    )
    return parse.ms


def main() -> None:
    times = [
        _report("自评表 1 张，| 分隔", _pipes(1), 1),
        _report("自评表 1 张，每格一行", _one_per_line(1), 1),
        _report("自评表 1 张，空格分隔、数字含空格、句中页码", _spaced(1), 1),
        _report("自评表 1 张，指标行各格粘连", _glued(1), 1),
    ]
    ten = _report("自评表 10 张，| 分隔", _pipes(10), 10)
    print(
        f"  10 张 / 1 张 = {ten / times[0]:.2f}（线性为 ≈10）；目标 1 张 < {TARGET_MS:g} ms：",
        end="",
    )
    print("达到" if max(times) < TARGET_MS else "未达到")


if __name__ == "__main__":
    main()

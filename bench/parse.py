"""Reading target tables: the sample per second, against reading and splitting its lines.

Run as ``python -m bench parse``. The baseline, measured in the same run, reads the file and
splits it into lines and tab-separated cells, the least any reader must do; the parse reads the
same file with ``jixiao.ingest.read_document``. The reader keeps a cache of parsed target
values, so a second reading of the same document is faster than the first; the cold figure
clears that cache before every reading, as for a document never seen. A document made of ten
copies of the sample's rows shows how the time grows with the number of projects.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import jixiao
from bench._timing import Timing, measure
from jixiao.domain.target import parse_target
from jixiao.ingest import read_document

SAMPLE = Path(jixiao.__file__).parent / "samples" / "baiyun-amr-2023-targets.ocr.txt"
TARGET_MS = 20.0


def split_lines_and_cells(path: Path) -> list[list[str]]:
    """The baseline: read, decode and split into cells."""
    return [line.split("\t") for line in path.read_bytes().decode("utf-8").splitlines()]


def _cold_cache() -> Callable[[], None]:
    """A function that empties the reader's cache of parsed target values, if it has one."""
    from jixiao.ingest import assemble

    cached = getattr(assemble, "_target", None)
    clear = getattr(cached, "cache_clear", None)
    if not callable(clear):
        return lambda: None
    return clear


def scaled_copy(folder: Path, copies: int) -> Path:
    """The sample with its data rows repeated ``copies`` times under one header."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header_end = next(i for i, line in enumerate(lines) if "绩效指标" in line) + 1
    body = lines[header_end:]
    path = folder / f"sample-x{copies}.txt"
    path.write_text("\n".join(lines[:header_end] + body * copies) + "\n", encoding="utf-8")
    return path


def _row(label: str, t: Timing, baseline: Timing, per: str = "份") -> None:
    ratio = t.median / baseline.median
    print(
        f"  {label:24} {t.ms:8.2f} ms/{per}  {t.per_second:9.1f} {per}/秒  "
        f"基线的 {ratio:6.1f} 倍  (墙钟 {t.wall * 1000:.2f} ms)"
    )


def _values_cost() -> None:
    values = {
        v.raw
        for p in read_document(SAMPLE).projects
        for i in p.indicators
        for v in (i.period, i.annual)
        if v is not None
    }
    t = measure(lambda: [parse_target(v) for v in values], min_seconds=0.5)
    print(f"  指标值语法：{len(values)} 个不同的指标值，每个 {t.median / len(values) * 1e6:.1f} µs")


def main() -> None:
    doc = read_document(SAMPLE)
    size = SAMPLE.stat().st_size
    indicators = sum(len(p.indicators) for p in doc.projects)
    print(
        f"parse: 读取 {SAMPLE.name}（{size / 1024:.0f} KB，{len(doc.projects)} 个项目，"
        f"{indicators} 条指标）"
    )
    baseline = measure(lambda: split_lines_and_cells(SAMPLE))
    warm = measure(lambda: read_document(SAMPLE))
    clear = _cold_cache()
    cold = measure(lambda: (clear(), read_document(SAMPLE)))
    _row("基线：读文件+切分行与单元格", baseline, baseline)
    _row("解析（指标值缓存已热）", warm, baseline)
    _row("解析（每次清空缓存）", cold, baseline)
    worst = max(warm.ms, cold.ms)
    verdict = "达到" if worst < TARGET_MS else "未达到"
    print(f"  目标：每份样本大小的文档不超过 {TARGET_MS:.0f} ms —— {verdict}（{worst:.2f} ms）")
    with tempfile.TemporaryDirectory() as tmp:
        big = scaled_copy(Path(tmp), 10)
        big_base = measure(lambda: split_lines_and_cells(big))
        big_cold = measure(lambda: (clear(), read_document(big)), min_seconds=2.0, rounds=5)
    _row("10 倍样本（370 个项目）", big_cold, big_base)
    growth = big_cold.median / cold.median
    print(f"  增长比 t(10 倍)/t(1 倍) = {growth:.1f}（线性为 10）")
    _values_cost()


if __name__ == "__main__":
    main()

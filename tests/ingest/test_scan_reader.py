"""The scan reader: tables printed, scanned with damage, and read back by OCR into the same
grid (and so the same documents) as every other reader.

Each page costs seconds of OCR, so the generated cases here are few and small; the bench
(``python -m bench scan``) runs many more, unseen, for F1 and the flagged-amount rate.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from generator import document_view
from grid_generator import grid_specs
from hypothesis import HealthCheck, given, settings
from pdf_render import render_grid
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from scan_render import (
    FONT,
    Damage,
    as_image_pdf,
    as_jpeg,
    as_png,
    as_tiff,
    damages,
    scanned,
)

from jixiao.cli import cli
from jixiao.errors import UnreadableDocument
from jixiao.ingest import parse_bytes
from jixiao.ingest.limits import ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers import kind_of, read_tables
from jixiao.ingest.readers.scan import engine

FEW = settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
# A4 landscape's width, tall enough for one page: reportlab fails on some random tables cut
# over page breaks (see test_pdf_text); the break itself is covered by the TIFF case below
PAGE = (842.0, 2400.0)


@dataclass(frozen=True)
class C:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


SMALL = [
    C(0, 0, "项目名称", rowspan=2),
    C(0, 1, "资金来源", colspan=2),
    C(0, 3, "绩效目标", rowspan=2),
    C(1, 1, "财政拨款"),
    C(1, 2, "其他资金"),
    C(2, 0, "办公设备购置"),
    C(2, 1, "1,714.44"),
    C(2, 2, "90.00"),
    C(2, 3, "保障日常办公需求，按时足额核发工资福利。"),
    C(3, 0, "执法办案经费"),
    C(3, 1, "38.50"),
    C(3, 2, ""),
    C(3, 3, "查处各类市场监管领域违法行为。"),
]
SMALL_ROWS = [
    ["项目名称", "资金来源", "绩效目标"],
    ["财政拨款", "其他资金"],
    ["办公设备购置", "1,714.44", "90.00", "保障日常办公需求,按时足额核发工资福利。"],
    ["执法办案经费", "38.50", "查处各类市场监管领域违法行为。"],
]


def _small_pdf(page: tuple[float, float] = (595.0, 420.0)) -> bytes:
    return render_grid(SMALL, 2, ["测试标题"], page=page)


def _nfkc(value: object) -> object:
    """Full- and half-width forms made one, in every string of a document view (OCR gives
    either for the same glyph, and the reader keeps NFKC)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value)
    if isinstance(value, (list, tuple)):
        return type(value)(_nfkc(v) for v in value)
    if isinstance(value, dict):
        return {k: _nfkc(v) for k, v in value.items()}
    return value


def _texts(table: RawTable) -> list[list[str]]:
    return [[c.text for c in row.cells if not c.is_empty] for row in table.rows]


# --- the engine ---------------------------------------------------------------------------


def test_the_engine_reads_a_line_offline() -> None:
    """The models ship inside the wheel: building the engine and reading a crop needs no
    network (the test suite runs without one)."""
    image = Image.new("L", (320, 48), 255)
    ImageDraw.Draw(image).text((8, 8), "绩效目标 1714.44", font=ImageFont.truetype(FONT, 28))
    import numpy as np

    [(text, score)] = engine.recognise([np.array(image)])
    assert text.replace(" ", "") == "绩效目标1714.44"
    assert score > 0.9


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_a_page_turned_any_quarter_reads_upright(turns: int) -> None:
    damage = Damage(skew=1.5, background=230, blur=0.5, turns=turns)
    [table] = read_tables(as_png(scanned(_small_pdf(), damage)), "scan.png")
    assert table.kind == "image"
    assert _texts(table)[0] == ["测试标题"]
    assert _texts(table)[1:] == SMALL_ROWS


def test_cells_keep_page_box_and_score() -> None:
    [table] = read_tables(as_jpeg(scanned(_small_pdf(), Damage())), "scan.jpg")
    cell = next(c for row in table.rows for c in row.cells if c.text == "1,714.44")
    assert cell.page == 1
    assert cell.ref == "第1页 第3行第2列"
    assert cell.box is not None
    assert cell.box[2] > cell.box[0]
    assert cell.box[3] > cell.box[1]
    assert cell.score is not None
    assert 0.9 < cell.score <= 1.0


# Derandomized like the PDF department test: random exploration still finds scanned tables that
# do not read back (open, issue 12), so random runs would fail at random.
@settings(FEW, derandomize=True)
@given(grid_specs(), damages())
def test_department_tables_read_back_as_printed(spec: object, damage: Damage) -> None:
    from grid_generator import GridSpec

    assert isinstance(spec, GridSpec)
    pdf = render_grid(
        spec.cells, spec.header_row_count, spec.lines_before, spec.lines_after, page=PAGE
    )
    result = parse_bytes(as_image_pdf(scanned(pdf, damage)), "scan.pdf")
    got = _nfkc(document_view(result.document)["projects"])
    assert got == _nfkc(document_view(spec.document)["projects"])


def test_a_table_over_two_tiff_frames_is_one_table() -> None:
    long = SMALL[:5] + [
        C(2 + i, k, text)
        for i in range(12)
        for k, text in enumerate([f"项目{i}", f"{i}.50", "3.00", "保障日常办公需求。"])
    ]
    pdf = render_grid(long, 2, ["标题"], page=(595.0, 300.0))
    images = scanned(pdf, Damage(background=240))
    assert len(images) >= 2
    [table] = read_tables(as_tiff(images), "scan.tif")
    names = [row.cells[0].text for row in table.rows if row.cells[0].text.startswith("项目")]
    assert names == ["项目名称"] + [f"项目{i}" for i in range(12)]  # the header once


def test_a_table_without_rules_is_read_by_columns() -> None:
    font = ImageFont.truetype(FONT, 26)
    image = Image.new("L", (1400, 420), 255)
    pen = ImageDraw.Draw(image)
    rows = [["项目名称", "总计", "绩效目标"], ["办公设备购置", "1714.44", "保障日常办公"]]
    rows += [["执法办案经费", "38.50", "查处违法行为"]]
    pen.text((60, 30), "项目支出绩效目标表", font=font, fill=0)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            pen.text((60 + 450 * k, 120 + 80 * r), text, font=font, fill=0)
    [table] = read_tables(as_png([image.convert("RGB")]), "plain.png")
    assert _texts(table) == [["项目支出绩效目标表"], *rows]


# --- PDFs: scanned pages, and text layers that are garbage ----------------------------------


def test_a_scanned_pdf_page_beside_a_text_page_is_read_by_ocr() -> None:
    import pypdfium2 as pdfium

    text_pdf = _small_pdf()
    document = pdfium.PdfDocument(text_pdf)
    document.import_pages(pdfium.PdfDocument(as_image_pdf(scanned(text_pdf, Damage()))))
    out = io.BytesIO()
    document.save(out)
    tables = read_tables(out.getvalue(), "mixed.pdf")
    assert [t.kind for t in tables] == ["pdf_text", "pdf_scan"]
    assert _texts(tables[1])[1:] == SMALL_ROWS
    assert not tables[0].notes


def _garbage_layer(image_pdf: bytes, text: str) -> bytes:
    """The scan with an invisible text layer of ``text`` over it (a bad earlier OCR)."""
    [page] = scanned(image_pdf, Damage())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595.0, 420.0))
    canvas.drawImage(ImageReader(page), 0, 0, 595.0, 420.0)
    layer = canvas.beginText(40, 380)
    layer.setTextRenderMode(3)
    layer.setFont("Helvetica", 9)
    layer.textLine(text)
    canvas.drawText(layer)
    canvas.save()
    return buffer.getvalue()


def test_a_scan_under_an_invisible_text_layer_without_a_table_is_read_by_ocr() -> None:
    pdf = _garbage_layer(_small_pdf(), "I7l4 44 9O OO")
    [table] = read_tables(pdf, "bad-layer.pdf")
    assert table.kind == "pdf_scan"
    assert _texts(table)[1:] == SMALL_ROWS


def test_a_page_whose_numbers_come_apart_is_read_by_ocr() -> None:
    broken = [*SMALL[:6], C(2, 1, "1.714.44"), *SMALL[7:]]
    pdf = render_grid(broken, 2, ["测试标题"], page=(595.0, 420.0))
    [table] = read_tables(pdf, "broken.pdf")
    assert table.kind == "pdf_scan"


# --- without the extra, and the bounds --------------------------------------------------------


def test_without_the_extra_a_scan_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "available", lambda: False)
    png = as_png(scanned(_small_pdf(), Damage()))
    with pytest.raises(UnreadableDocument, match=r"pip install 'jixiao\[ocr\]'"):
        read_tables(png, "scan.png")
    with pytest.raises(UnreadableDocument, match=r"第1页.*pip install 'jixiao\[ocr\]'"):
        read_tables(as_image_pdf(scanned(_small_pdf(), Damage())), "scan.pdf")


def test_without_the_extra_the_cli_says_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    monkeypatch.setattr(engine, "available", lambda: False)
    path = tmp_path / "scan.png"
    path.write_bytes(as_png(scanned(_small_pdf(), Damage())))
    out = CliRunner().invoke(cli, ["parse", str(path)])
    assert out.exit_code == 2
    assert "jixiao[ocr]" in out.output
    assert "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_images_are_recognised_by_content() -> None:
    png = as_png([Image.new("RGB", (10, 10), "white")])
    kind = kind_of(png, "whatever.bin")
    assert kind is not None
    assert kind.source_kind == "image"


def test_an_image_with_no_table_is_one_line() -> None:
    with pytest.raises(UnreadableDocument, match="没有找到表格"):
        read_tables(as_png([Image.new("RGB", (600, 400), "white")]), "blank.png")


def test_frames_over_the_scan_page_limit_are_refused() -> None:
    frames = [Image.new("RGB", (60, 40), "white")] * 3
    with pytest.raises(UnreadableDocument, match="扫描页过多"):
        read_tables(as_tiff(frames), "many.tif", ReadLimits(max_scan_pages=2))


def test_an_enormous_image_is_refused_before_decoding() -> None:
    huge = as_png([Image.new("RGB", (13_000, 8), "white")])
    with pytest.raises(UnreadableDocument, match="图像过大"):
        read_tables(huge, "huge.png")


def test_a_corrupt_image_is_one_line() -> None:
    with pytest.raises(UnreadableDocument, match="损坏"):
        read_tables(b"\x89PNG\r\n\x1a\n" + b"\x00junk" * 50, "broken.png")

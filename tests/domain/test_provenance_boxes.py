"""Page boxes in provenance: a value read from a page (PDF, scan) says where on the page it
sits, and the box survives the database and the exchange format."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.db.mapping import source_from_json, source_to_json
from jixiao.domain.provenance import PageBox, SourceRef
from jixiao.ingest.rawtable import RawCell, page_boxes

points = st.floats(0, 3000, allow_nan=False).map(lambda v: round(v, 2))
boxes = st.builds(
    PageBox,
    page=st.integers(1, 500),
    box=st.tuples(points, points, points, points),
    cell=st.sampled_from(["", "第1页 第3行第2列", "第2页 第1行第1列"]),
    text=st.none() | st.text(max_size=20),
)


@given(st.lists(boxes, max_size=4).map(tuple))
def test_boxes_round_trip_through_the_stored_json(found: tuple[PageBox, ...]) -> None:
    source = SourceRef(pages=(1,), cells=("第1页 第3行第2列",), boxes=found)
    assert source_from_json(source_to_json(source)) == source


def test_a_cell_read_from_a_page_has_its_box_and_ref() -> None:
    cell = RawCell(
        "1,714.44", 1, 3, ref="第1页 第3行第2列", page=1, box=(140.2, 99.4, 241.4, 117.4)
    )
    assert cell.page_box() == PageBox(1, (140.2, 99.4, 241.4, 117.4), "第1页 第3行第2列")
    assert cell.page_box(text=True) == PageBox(
        1, (140.2, 99.4, 241.4, 117.4), "第1页 第3行第2列", "1,714.44"
    )
    source = SourceRef(cells=(cell.ref,), boxes=page_boxes([cell, cell]))
    assert source.box_of("第1页 第3行第2列") == cell.page_box()
    assert source.as_json()["boxes"] == [
        {"page": 1, "box": [140.2, 99.4, 241.4, 117.4], "cell": "第1页 第3行第2列"}
    ]


def test_cells_not_read_from_a_page_have_no_box() -> None:
    sheet = RawCell("38.50", 1, 7, ref="Sheet1!B7")
    assert sheet.page_box() is None
    assert page_boxes([sheet]) == ()
    assert "boxes" not in SourceRef(cells=("Sheet1!B7",)).as_json()

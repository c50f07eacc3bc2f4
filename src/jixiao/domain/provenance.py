"""Where a value came from, and what the reader changed or could not settle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageBox:
    """Where a cell sits on a page: the 1-based page and the box (x0, top, x1, bottom) in PDF
    points from the page's top left (a scan's page as the reader turned it upright and
    levelled it), with the cell's ref (``第1页 第3行第2列``) when it has one and, in a
    warning about the cell, its text as read."""

    page: int
    box: Box
    cell: str = ""
    text: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"page": self.page, "box": [round(v, 2) for v in self.box]}
        if self.cell:
            out["cell"] = self.cell
        if self.text is not None:
            out["text"] = self.text
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageBox:
        x0, top, x1, bottom = (float(v) for v in data["box"])
        text = data.get("text")
        return cls(
            int(data["page"]),
            (x0, top, x1, bottom),
            str(data.get("cell", "")),
            None if text is None else str(text),
        )


@dataclass(frozen=True)
class SourceRef:
    """A place in an input: text lines (1-based), PDF pages, an Excel sheet and rows, the
    grid cells (``Sheet1!C7``, ``表1 第3行第2列``) a value was read from and, for cells read
    from a page (PDF, scan), their boxes on it."""

    lines: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    raw_text: str | None = None
    cells: tuple[str, ...] = ()
    boxes: tuple[PageBox, ...] = ()

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.lines:
            out["lines"] = list(self.lines)
        if self.pages:
            out["pages"] = list(self.pages)
        if self.sheet is not None:
            out["sheet"] = self.sheet
            out["rows"] = list(self.rows)
        if self.cells:
            out["cells"] = list(self.cells)
        if self.boxes:
            out["boxes"] = [b.as_json() for b in self.boxes]
        return out

    @staticmethod
    def boxes_from_json(data: object) -> tuple[PageBox, ...]:
        """``as_json()["boxes"]`` read back (nothing for anything else)."""
        if not isinstance(data, list):
            return ()
        return tuple(PageBox.from_json(b) for b in data if isinstance(b, dict))

    def box_of(self, cell: str) -> PageBox | None:
        """The box of the cell with ref ``cell``, if it was read from a page."""
        return next((b for b in self.boxes if b.cell == cell), None)

    def describe(self, most: int = 12) -> str:
        """Where this is, for a person: cells, else pages, else sheet rows or text lines."""
        if self.cells:
            more = "…" if len(self.cells) > most else ""
            return "单元格 " + "、".join(self.cells[:most]) + more
        if self.pages:
            return "第" + "、".join(map(str, self.pages)) + "页"
        if self.sheet is not None:
            return f"工作表“{self.sheet}”第" + "、".join(map(str, self.rows)) + "行"
        if self.lines:
            return "第" + "、".join(map(str, self.lines)) + "行"
        return ""


@dataclass(frozen=True)
class Repair:
    """A change the reader made to recover the data: field, value before and after, why."""

    field: str
    before: str | None
    after: str | None
    reason: str


@dataclass(frozen=True)
class ParseWarning:
    """Something the reader could not resolve with confidence."""

    code: str
    message: str
    source: SourceRef = field(default_factory=SourceRef)

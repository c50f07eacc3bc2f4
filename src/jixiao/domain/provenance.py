"""Where a value came from, and what the reader changed or could not settle."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceRef:
    """A place in an input: text lines (1-based), PDF pages, an Excel sheet and rows, and the
    grid cells (``Sheet1!C7``, ``表1 第3行第2列``) a value was read from."""

    lines: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    raw_text: str | None = None
    cells: tuple[str, ...] = ()

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
        return out

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

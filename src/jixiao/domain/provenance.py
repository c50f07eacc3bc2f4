"""Where a value came from, and what the reader changed or could not settle."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceRef:
    """A place in an input: text lines (1-based), PDF pages, or an Excel sheet and rows."""

    lines: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    raw_text: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.lines:
            out["lines"] = list(self.lines)
        if self.pages:
            out["pages"] = list(self.pages)
        if self.sheet is not None:
            out["sheet"] = self.sheet
            out["rows"] = list(self.rows)
        return out


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

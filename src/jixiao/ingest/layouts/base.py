"""The Layout protocol: each known table form recognises a RawTable and maps it to a Document."""

from __future__ import annotations

from typing import Protocol

from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.result import TableParse


class Layout(Protocol):
    name: str

    def detect(self, table: RawTable) -> float:
        """Confidence in [0, 1] that ``table`` is this form."""
        ...

    def extract(self, table: RawTable) -> TableParse:
        """Map ``table`` to a document (call only after ``detect`` gave a usable confidence)."""
        ...

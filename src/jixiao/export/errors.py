"""Errors of the exports, importable without loading the Excel and PDF writers."""

from __future__ import annotations

from jixiao.errors import JixiaoError


class MissingFont(JixiaoError):
    """The CJK font needed for PDF export is not installed."""

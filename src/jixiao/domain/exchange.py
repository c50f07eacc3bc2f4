"""The open exchange format ``jixiao.document/1`` (see docs/formats/document.md).

``document_to_json`` gives the structure the ``parse --format json`` contract prints;
``document_from_json`` reads it back, so the format is also an import format.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, Operator, TargetKind
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef
from jixiao.domain.target import TargetValue
from jixiao.errors import UnreadableDocument

FORMAT = "jixiao.document/1"


def document_to_json(doc: Document) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "title": doc.title,
        "department": doc.department,
        "unit": None if doc.unit is None else doc.unit.value,
        "year": doc.year,
        "projects": [project_to_json(p) for p in doc.projects],
        "warnings": [_warning(w) for w in doc.warnings],
        **_provenance(doc),
    }


def _provenance(doc: Document) -> dict[str, Any]:
    """``complete`` and ``source_kind`` for a document read from an input (contract §3)."""
    if doc.source_kind is None:
        return {} if doc.complete else {"complete": False}
    return {"complete": doc.complete, "source_kind": doc.source_kind}


def project_to_json(p: Project) -> dict[str, Any]:
    return {
        "name": p.name,
        "amounts": p.amounts.as_json(),
        "goal": p.goal,
        "indicators": [indicator_to_json(i) for i in p.indicators],
        "repairs": [
            {"field": r.field, "before": r.before, "after": r.after, "reason": r.reason}
            for r in p.repairs
        ],
        "warnings": [_warning(w) for w in p.warnings],
        "source": p.source.as_json(),
    }


def indicator_to_json(i: Indicator) -> dict[str, Any]:
    return {
        "level1": None if i.level1 is None else i.level1.as_json(),
        "level2": None if i.level2 is None else i.level2.as_json(),
        "name": i.name,
        "period": None if i.period is None else i.period.as_json(),
        "annual": None if i.annual is None else i.annual.as_json(),
    }


def _warning(w: ParseWarning) -> dict[str, str]:
    return {"code": w.code, "message": w.message}


def document_from_json(data: dict[str, Any]) -> Document:
    """Rebuild a Document from ``jixiao.document/1`` JSON; raise UnreadableDocument if malformed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnreadableDocument(f"不是 {FORMAT} 格式的 JSON")
    where = "projects"
    try:
        projects = []
        for i, p in enumerate(data["projects"]):
            where = f"projects[{i}]"
            projects.append(_project(p))
        where = "document"
        return Document(
            projects=projects,
            title=data.get("title"),
            department=data.get("department"),
            unit=MoneyUnit(data["unit"]) if data.get("unit") else None,
            year=data.get("year"),
            warnings=[ParseWarning(w["code"], w["message"]) for w in data.get("warnings", [])],
            complete=data.get("complete", True) is not False,
            source_kind=data.get("source_kind"),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise UnreadableDocument(f"{FORMAT} 数据不完整或有误：{where} {_problem(exc)}") from None


def _problem(exc: Exception) -> str:
    """What is wrong, in words (never a Python exception's repr)."""
    if isinstance(exc, KeyError):
        return f"缺少字段“{exc.args[0]}”（missing field）"
    text = str(exc)
    if isinstance(exc, ValueError | TypeError) and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    if isinstance(exc, ArithmeticError):
        return "含有无效的数值（invalid number）"
    return "字段的类型或取值不对（invalid value）"


def _dec(v: str | None) -> Decimal | None:
    """A decimal string of the contract; a JSON float, a bool, NaN or Infinity is refused."""
    if v is None:
        return None
    if not isinstance(v, str):
        raise TypeError(f"数值须写成字符串，得到 {v!r}")
    value = Decimal(v)
    if not value.is_finite():
        raise ValueError(f"不是有效的数值：{v!r}")
    return value


def _project(p: dict[str, Any]) -> Project:
    a = p["amounts"]
    src = p.get("source") or {}
    return Project(
        name=p["name"],
        amounts=Amounts(_dec(a["total"]), _dec(a["fiscal"]), _dec(a["special"]), _dec(a["other"])),
        goal=p.get("goal"),
        indicators=[_indicator(i) for i in p["indicators"]],
        repairs=[
            Repair(r["field"], r["before"], r["after"], r["reason"]) for r in p.get("repairs", [])
        ],
        warnings=[ParseWarning(w["code"], w["message"]) for w in p.get("warnings", [])],
        source=SourceRef(
            lines=tuple(src.get("lines", ())),
            pages=tuple(src.get("pages", ())),
            sheet=src.get("sheet"),
            rows=tuple(src.get("rows", ())),
            cells=tuple(src.get("cells", ())),
            boxes=SourceRef.boxes_from_json(src.get("boxes")),
        ),
    )


def _level(d: dict[str, Any] | None) -> LevelRef | None:
    return None if d is None else LevelRef(d.get("code"), d.get("name"))


def _target(d: dict[str, Any] | None) -> TargetValue | None:
    if d is None:
        return None
    kind = TargetKind(d["kind"])
    deadline = (
        date.fromisoformat(d["value"]) if kind is TargetKind.DEADLINE and d["value"] else None
    )
    return TargetValue(
        raw=d["raw"],
        kind=kind,
        op=Operator(d["op"]) if d.get("op") else None,
        value=None if deadline is not None else _dec(d["value"]),
        unit=d.get("unit"),
        deadline=deadline,
    )


def _indicator(d: dict[str, Any]) -> Indicator:
    return Indicator(
        name=d["name"],
        level1=_level(d.get("level1")),
        level2=_level(d.get("level2")),
        period=_target(d.get("period")),
        annual=_target(d.get("annual")),
    )

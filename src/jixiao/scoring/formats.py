"""File formats for monitoring and self-evaluation data: ``jixiao.monitoring/1`` and
``jixiao.selfeval/1``, as JSON or TOML (see docs/formats/monitoring.md and selfeval.md).

Numbers are read as Decimal (JSON and TOML floats included, through their text); amounts are
in the file's ``unit`` (万元 by default). Anything malformed raises ``InvalidValue`` with a
one-line message naming the field, e.g. ``projects[0].indicators[2].actual``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from jixiao.domain.enums import (
    CompletionLikelihood,
    DeviationCause,
    LabeledEnum,
    MoneyUnit,
    QualitativeTier,
)
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import (
    BudgetLine,
    FundsProgress,
    IndicatorMonitoring,
    MonitoringRound,
    ProjectMonitoring,
)
from jixiao.domain.numbers import plain
from jixiao.domain.target import parse_target
from jixiao.errors import InvalidValue, JixiaoError

SELFEVAL_FORMAT = "jixiao.selfeval/1"
MONITORING_FORMAT = "jixiao.monitoring/1"
E = TypeVar("E", bound=LabeledEnum)
T = TypeVar("T")
TIER_WORDS = {"达成": "achieved", "部分达成": "partial", "未达成": "not_achieved"}
_LEVEL = re.compile(r"^\s*(\d+)\s*[-－—]\s*(.+?)\s*$")


class _Field:
    """A position in the input, for error messages: ``projects[0].funds[1].budget``."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __truediv__(self, name: str | int) -> _Field:
        return _Field(f"{self.path}[{name}]" if isinstance(name, int) else f"{self.path}.{name}")

    def fail(self, why: str) -> InvalidValue:
        return InvalidValue(f"{self.path}：{why}")


def _decimal(value: Any, at: _Field) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise at.fail(f"须为数值，得到 {value!r}")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise at.fail(f"不是有效的数值：{value!r}") from None
    if not number.is_finite():
        raise at.fail(f"不是有效的数值：{value!r}")
    if number and number.adjusted() >= 15:
        raise at.fail(f"数值过大：{value!r}")
    return number


def _integer(value: Any, at: _Field) -> int:
    number = _decimal(value, at)
    if number != number.to_integral_value():
        raise at.fail(f"须为整数，得到 {value!r}")
    return int(number)


def _opt(data: dict[str, Any], key: str, at: _Field, read: Callable[[Any, _Field], T]) -> T | None:
    value = data.get(key)
    return None if value is None or value == "" else read(value, at / key)


def _text(value: Any, at: _Field) -> str:
    if not isinstance(value, str | int | Decimal):
        raise at.fail(f"须为文字，得到 {value!r}")
    return str(value).strip()


def _date(value: Any, at: _Field) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise at.fail(f"日期须写成 YYYY-MM-DD：{value!r}") from None


def _enum(cls: type[E], value: Any, at: _Field, words: dict[str, str] | None = None) -> E:
    text = (words or {}).get(str(value).strip(), str(value).strip())
    for member in cls:
        if text in (member.value, member.label):
            return member
    choices = "、".join(m.label for m in cls)
    raise at.fail(f"未知的取值 {value!r}（可选：{choices}）")


def _level(value: Any, at: _Field) -> LevelRef:
    if isinstance(value, dict):
        return LevelRef(value.get("code"), value.get("name"))
    text = _text(value, at)
    m = _LEVEL.match(text)
    return LevelRef(m[1], m[2]) if m else LevelRef(None, text)


def _money(value: Any, at: _Field, unit: MoneyUnit) -> Money:
    amount = _decimal(value, at)
    if amount < 0:
        raise at.fail("金额不能为负数")
    if amount and amount.adjusted() >= 12:
        raise at.fail(f"金额过大：{value!r}")
    return Money.of(amount, unit)


def _list(data: dict[str, Any], key: str, at: _Field) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise (at / key).fail("须为对象列表")
    return items


def _header(data: Any, expected: str) -> tuple[dict[str, Any], MoneyUnit]:
    if not isinstance(data, dict) or data.get("format") != expected:
        raise InvalidValue(f"不是 {expected} 格式的文件（format 字段须为 “{expected}”）")
    unit = _enum(MoneyUnit, data.get("unit", "万元"), _Field("unit"))
    return data, unit


def _common_indicator(d: dict[str, Any], at: _Field) -> dict[str, Any]:
    if not d.get("name"):
        raise (at / "name").fail("缺少指标名称")
    if d.get("target") is None:
        raise (at / "target").fail("缺少年度指标值")
    return {
        "name": _text(d["name"], at / "name"),
        "target": parse_target(_text(d["target"], at / "target")),
        "level1": _opt(d, "level1", at, _level),
        "level2": _opt(d, "level2", at, _level),
    }


def _actual_indicator(d: dict[str, Any], at: _Field) -> IndicatorActual:
    return IndicatorActual(
        **_common_indicator(d, at),
        actual=_opt(d, "actual", at, _decimal),
        actual_date=_opt(d, "actual_date", at, _date),
        actual_text=_opt(d, "actual_text", at, _text),
        tier=_opt(d, "tier", at, lambda v, f: _enum(QualitativeTier, v, f, TIER_WORDS)),
        tier_percent=_opt(d, "tier_percent", at, _decimal),
        not_applicable=bool(d.get("not_applicable", False)),
        weight=_opt(d, "weight", at, _decimal),
        deviation=_opt(d, "deviation", at, _text) or "",
        published_score=_opt(d, "published_score", at, _decimal),
    )


def _percent(value: Any, at: _Field) -> Decimal:
    """A printed rate in percent: ``95.6%`` or ``95.6``."""
    return _decimal(value.strip().removesuffix("%") if isinstance(value, str) else value, at)


def _execution(d: dict[str, Any], at: _Field, unit: MoneyUnit) -> FundsExecution:
    return FundsExecution(
        line=_enum(BudgetLine, d.get("line", "total"), at / "line"),
        budget=_money(d.get("budget"), at / "budget", unit),
        executed=_money(d.get("executed"), at / "executed", unit),
        initial_budget=_opt(d, "initial_budget", at, lambda v, f: _money(v, f, unit)),
        published_rate=_opt(d, "published_rate", at, _percent),
        published_weight=_opt(d, "published_weight", at, _decimal),
        published_score=_opt(d, "published_score", at, _decimal),
    )


def _evaluation(
    p: dict[str, Any], at: _Field, year: int | None, data: dict[str, Any], unit: MoneyUnit
) -> SelfEvaluation:
    if not p.get("name"):
        raise (at / "name").fail("缺少项目名称")
    return SelfEvaluation(
        project=_text(p["name"], at / "name"),
        year=year,
        department=p.get("department") or data.get("department"),
        unit_name=p.get("unit_name"),
        funds=[_execution(f, at / "funds" / i, unit) for i, f in enumerate(_list(p, "funds", at))],
        indicators=[
            _actual_indicator(d, at / "indicators" / i)
            for i, d in enumerate(_list(p, "indicators", at))
        ],
        goal=p.get("goal"),
        goal_result=p.get("goal_result"),
        published_total=_opt(p, "published_total", at, _decimal),
        published_grade=_opt(p, "published_grade", at, _text),
    )


def selfeval_from_data(data: Any) -> list[SelfEvaluation]:
    """Self-evaluations from parsed ``jixiao.selfeval/1`` data."""
    data, unit = _header(data, SELFEVAL_FORMAT)
    year = _opt(data, "year", _Field("year"), _integer)
    root = _Field("projects")
    try:
        return [
            _evaluation(p, root / i, year, data, unit)
            for i, p in enumerate(_list(data, "projects", _Field("")))
        ]
    except JixiaoError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidValue(f"{SELFEVAL_FORMAT} 数据有误：{exc}") from None


def _causes(value: Any, at: _Field) -> frozenset[DeviationCause]:
    items = value if isinstance(value, list) else [value]
    return frozenset(
        _enum(
            DeviationCause,
            v,
            at,
            {"经费": "funding", "制度": "institution", "人员": "staffing", "硬件": "hardware"},
        )
        for v in items
    )


def _forecast(d: dict[str, Any], at: _Field) -> tuple[Decimal | None, str | None]:
    value = d.get("forecast")
    if value is None or value == "":
        return None, None
    try:
        return _decimal(value, at / "forecast"), None
    except InvalidValue:
        return None, _text(value, at / "forecast")


def _monitored_indicator(d: dict[str, Any], at: _Field) -> IndicatorMonitoring:
    forecast, forecast_text = _forecast(d, at)
    return IndicatorMonitoring(
        **_common_indicator(d, at),
        actual=_opt(d, "actual", at, _decimal),
        actual_tier=_opt(d, "tier", at, lambda v, f: _enum(QualitativeTier, v, f, TIER_WORDS)),
        actual_text=_opt(d, "actual_text", at, _text),
        forecast=forecast,
        forecast_text=forecast_text,
        likelihood=_opt(d, "likelihood", at, lambda v, f: _enum(CompletionLikelihood, v, f)),
        causes=_opt(d, "causes", at, _causes) or frozenset(),
        cause_note=_opt(d, "cause_note", at, _text) or "",
        measures=_opt(d, "measures", at, _text) or "",
        note=_opt(d, "note", at, _text) or "",
    )


def _progress(d: dict[str, Any], at: _Field, unit: MoneyUnit) -> FundsProgress:
    return FundsProgress(
        line=_enum(BudgetLine, d.get("line", "total"), at / "line"),
        budget=_money(d.get("budget"), at / "budget", unit),
        executed=_money(d.get("executed"), at / "executed", unit),
        forecast=_opt(d, "forecast", at, lambda v, f: _money(v, f, unit)),
    )


def _round(data: dict[str, Any]) -> MonitoringRound:
    year = _opt(data, "year", _Field("year"), _integer)
    month = _opt(data, "end_month", _Field("end_month"), _integer)
    if year is None or month is None:
        raise InvalidValue("监控数据须给出 year（年度）和 end_month（截止月份）")
    return MonitoringRound(year, month, _opt(data, "deadline", _Field("deadline"), _date))


def _monitored_project(
    p: dict[str, Any], at: _Field, rnd: MonitoringRound, data: dict[str, Any], unit: MoneyUnit
) -> ProjectMonitoring:
    if not p.get("name"):
        raise (at / "name").fail("缺少项目名称")
    return ProjectMonitoring(
        project=_text(p["name"], at / "name"),
        round=rnd,
        funds=[_progress(f, at / "funds" / i, unit) for i, f in enumerate(_list(p, "funds", at))],
        indicators=[
            _monitored_indicator(d, at / "indicators" / i)
            for i, d in enumerate(_list(p, "indicators", at))
        ],
        department=data.get("department"),
        unit_name=p.get("unit_name"),
        goal=p.get("goal"),
        goal_progress=p.get("goal_progress"),
        budget_deviation=p.get("budget_deviation") or "",
    )


def monitoring_from_data(data: Any) -> list[ProjectMonitoring]:
    """Monitoring records from parsed ``jixiao.monitoring/1`` data."""
    data, unit = _header(data, MONITORING_FORMAT)
    rnd = _round(data)
    root = _Field("projects")
    try:
        return [
            _monitored_project(p, root / i, rnd, data, unit)
            for i, p in enumerate(_list(data, "projects", _Field("")))
        ]
    except JixiaoError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidValue(f"{MONITORING_FORMAT} 数据有误：{exc}") from None


def read_data_file(path: Path) -> Any:
    """Parse a ``.json`` or ``.toml`` file with exact decimals; one-line InvalidValue if not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"无法读取 {path.name}：{exc}") from None
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text, parse_float=Decimal)
        return json.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise InvalidValue(f"{path.name} 不是有效的 {kind}：{exc}") from None


def load_selfeval(path: Path) -> list[SelfEvaluation]:
    return selfeval_from_data(read_data_file(path))


def load_monitoring(path: Path) -> list[ProjectMonitoring]:
    return monitoring_from_data(read_data_file(path))


def _wan(money: Money) -> str:
    return plain(money.amount(MoneyUnit.WAN_YUAN))


def _level_text(ref: LevelRef | None) -> str | None:
    return ref.format() or None if ref is not None else None


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], False)}


def _indicator_common(
    name: str, target: str, l1: LevelRef | None, l2: LevelRef | None
) -> dict[str, Any]:
    return {"level1": _level_text(l1), "level2": _level_text(l2), "name": name, "target": target}


def monitoring_entry(pm: ProjectMonitoring) -> dict[str, Any]:
    """A project's monitoring as a ``jixiao.monitoring/1`` project entry (amounts in 万元)."""
    return _drop_empty(
        {
            "name": pm.project,
            "unit_name": pm.unit_name,
            "goal": pm.goal,
            "goal_progress": pm.goal_progress,
            "budget_deviation": pm.budget_deviation,
            "funds": [
                _drop_empty(
                    {
                        "line": f.line.value,
                        "budget": _wan(f.budget),
                        "executed": _wan(f.executed),
                        "forecast": None if f.forecast is None else _wan(f.forecast),
                    }
                )
                for f in pm.funds
            ],
            "indicators": [
                _drop_empty(
                    _indicator_common(i.name, i.target.raw, i.level1, i.level2)
                    | {
                        "actual": None if i.actual is None else plain(i.actual),
                        "tier": None if i.actual_tier is None else i.actual_tier.value,
                        "actual_text": i.actual_text,
                        "forecast": i.forecast_text
                        or (None if i.forecast is None else plain(i.forecast)),
                        "likelihood": None if i.likelihood is None else i.likelihood.value,
                        "causes": sorted(c.value for c in i.causes),
                        "cause_note": i.cause_note,
                        "measures": i.measures,
                        "note": i.note,
                    }
                )
                for i in pm.indicators
            ],
        }
    )


def _printed(value: Decimal | None) -> str | None:
    """A published figure exactly as printed (``90.00`` keeps its places)."""
    return None if value is None else format(value, "f")


def selfeval_entry(ev: SelfEvaluation) -> dict[str, Any]:
    """A project's self-evaluation as a ``jixiao.selfeval/1`` project entry (amounts in 万元)."""
    return _drop_empty(
        {
            "name": ev.project,
            "department": ev.department,
            "published_total": _printed(ev.published_total),
            "published_grade": ev.published_grade,
            "unit_name": ev.unit_name,
            "goal": ev.goal,
            "goal_result": ev.goal_result,
            "funds": [
                _drop_empty(
                    {
                        "line": f.line.value,
                        "budget": _wan(f.budget),
                        "executed": _wan(f.executed),
                        "initial_budget": None
                        if f.initial_budget is None
                        else _wan(f.initial_budget),
                        "published_rate": _printed(f.published_rate),
                        "published_weight": _printed(f.published_weight),
                        "published_score": _printed(f.published_score),
                    }
                )
                for f in ev.funds
            ],
            "indicators": [
                _drop_empty(
                    _indicator_common(i.name, i.target.raw, i.level1, i.level2)
                    | {
                        "actual": None if i.actual is None else plain(i.actual),
                        "actual_date": None if i.actual_date is None else i.actual_date.isoformat(),
                        "actual_text": i.actual_text,
                        "tier": None if i.tier is None else i.tier.value,
                        "tier_percent": None if i.tier_percent is None else plain(i.tier_percent),
                        "not_applicable": i.not_applicable,
                        "weight": None if i.weight is None else plain(i.weight),
                        "deviation": i.deviation,
                        "published_score": _printed(i.published_score),
                    }
                )
                for i in ev.indicators
            ],
        }
    )

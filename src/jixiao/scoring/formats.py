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
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

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
from jixiao.domain.provenance import Repair
from jixiao.domain.target import TargetValue, parse_target
from jixiao.errors import InvalidValue

SELFEVAL_FORMAT = "jixiao.selfeval/1"
MONITORING_FORMAT = "jixiao.monitoring/1"
E = TypeVar("E", bound=LabeledEnum)
TIER_WORDS = {"达成": "achieved", "部分达成": "partial", "未达成": "not_achieved"}
CAUSE_WORDS = {"经费": "funding", "制度": "institution", "人员": "staffing", "硬件": "hardware"}
_LEVEL = re.compile(r"^\s*(\d+)\s*[-－—]\s*(.+?)\s*$")
# Messages of pydantic's own checks (ours carry their message).
_PYDANTIC_MESSAGES = {
    "list_type": "须为对象列表",
    "model_type": "须为对象",
    "string_type": "须为文字",
}


def _fail(why: str) -> PydanticCustomError:
    return PydanticCustomError("jixiao", "{why}", {"why": why})


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise _fail(f"须为数值，得到 {value!r}")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise _fail(f"不是有效的数值：{value!r}") from None
    if not number.is_finite():
        raise _fail(f"不是有效的数值：{value!r}")
    if number and number.adjusted() >= 15:
        raise _fail(f"数值过大：{value!r}")
    return number


def _integer(value: Any) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise _fail(f"须为整数，得到 {value!r}")
    return int(number)


def _money(value: Any, info: ValidationInfo) -> Money:
    """An amount in the file's ``unit`` (the validation context)."""
    amount = _number(value)
    if amount < 0:
        raise _fail("金额不能为负数")
    if amount and amount.adjusted() >= 12:
        raise _fail(f"金额过大：{value!r}")
    return Money.of(amount, (info.context or {}).get("unit", MoneyUnit.WAN_YUAN))


def _percent(value: Any) -> Decimal:
    """A printed rate in percent: ``95.6%`` or ``95.6``."""
    return _number(value.strip().removesuffix("%") if isinstance(value, str) else value)


def _text(value: Any) -> str:
    if not isinstance(value, str | int | Decimal):
        raise _fail(f"须为文字，得到 {value!r}")
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(f"日期须写成 YYYY-MM-DD：{value!r}") from None


def _enum(cls: type[E], words: dict[str, str] | None = None) -> Callable[[Any], E]:
    def read(value: Any) -> E:
        text = (words or {}).get(str(value).strip(), str(value).strip())
        for member in cls:
            if text in (member.value, member.label):
                return member
        raise _fail(f"未知的取值 {value!r}（可选：{'、'.join(m.label for m in cls)}）")

    return read


def _level(value: Any) -> LevelRef:
    if isinstance(value, dict):
        return LevelRef(value.get("code"), value.get("name"))
    m = _LEVEL.match(text := _text(value))
    return LevelRef(m[1], m[2]) if m else LevelRef(None, text)


def _forecast(value: Any) -> Decimal | str:
    """A monitoring forecast: a number, or else words (``按时完成``)."""
    try:
        return _number(value)
    except PydanticCustomError:
        return _text(value)


def _causes(value: Any) -> frozenset[DeviationCause]:
    read = _enum(DeviationCause, CAUSE_WORDS)
    return frozenset(read(v) for v in (value if isinstance(value, list) else [value]))


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _optional(read: Callable[[Any], Any], empty: Any = None, missing: str = "") -> PlainValidator:
    """A field that may be left out, null or empty (then ``empty``), unless ``missing`` says why
    it may not."""

    def check(value: Any) -> Any:
        if not _blank(value):
            return read(value)
        if missing:
            raise _fail(missing)
        return empty

    return PlainValidator(check)


def _writes(write: Callable[[Any], Any]) -> PlainSerializer:
    """How an entry writes the field (None stays None)."""
    return PlainSerializer(lambda v: None if v is None else write(v))


def _wan(money: Money) -> str:
    return plain(money.amount(MoneyUnit.WAN_YUAN))


REQUIRED: Any = Field(default=None, validate_default=True)
Number = Annotated[Decimal | None, _optional(_number), _writes(plain)]
# A published figure is written as printed (``90.00`` keeps its places).
AsPrinted = _writes(lambda v: format(v, "f"))
Printed = Annotated[Decimal | None, _optional(_number), AsPrinted]
Text = Annotated[str | None, _optional(_text)]
Note = Annotated[str, _optional(_text, "")]
Value = _writes(lambda member: member.value)
Tier = Annotated[QualitativeTier | None, _optional(_enum(QualitativeTier, TIER_WORDS)), Value]
Level = Annotated[LevelRef | None, _optional(_level), _writes(lambda r: r.format() or None)]
Day = Annotated[date | None, _optional(_date), _writes(date.isoformat)]
Whole = Annotated[int | None, _optional(_integer)]
Amount = Annotated[Money, PlainValidator(_money), _writes(_wan)]
OptAmount = Annotated[
    Money | None, PlainValidator(lambda v, i: None if _blank(v) else _money(v, i)), _writes(_wan)
]
Line = Annotated[BudgetLine, PlainValidator(_enum(BudgetLine)), Value]
Name = Annotated[str, _optional(_text, missing="缺少项目名称")]
NAME: Any = Field(default=None, validate_default=True, alias="name")


class _Model(BaseModel):
    """Field names are the domain's (``dict(model)`` builds the domain object), in the order an
    entry writes them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class _Indicator(_Model):
    level1: Level = None
    level2: Level = None
    name: Annotated[str, _optional(_text, missing="缺少指标名称")] = REQUIRED
    target: Annotated[
        TargetValue,
        _optional(lambda v: parse_target(_text(v)), missing="缺少年度指标值"),
        _writes(lambda t: t.raw),
    ] = REQUIRED


class _Actual(_Indicator):
    actual: Number = None
    actual_date: Day = None
    actual_text: Text = None
    tier: Tier = None
    tier_percent: Number = None
    not_applicable: Annotated[bool, PlainValidator(bool)] = False
    weight: Number = None
    deviation: Note = ""
    published_score: Printed = None


class _Execution(_Model):
    line: Line = BudgetLine.TOTAL
    budget: Amount = REQUIRED
    executed: Amount = REQUIRED
    initial_budget: OptAmount = None
    published_rate: Annotated[Decimal | None, _optional(_percent), AsPrinted] = None
    published_weight: Printed = None
    published_score: Printed = None


class _Repair(_Model):
    """A change the reader made to recover a published form (``jixiao.document/1``'s shape)."""

    field: str
    before: str | None = None
    after: str | None = None
    reason: str


class _Evaluation(_Model):
    project: Name = NAME
    department: str | None = None
    published_total: Printed = None
    published_grade: Text = None
    unit_name: str | None = None
    goal: str | None = None
    goal_result: str | None = None
    funds: list[_Execution] = []
    indicators: list[_Actual] = []
    repairs: list[_Repair] = []


class _Monitored(_Indicator):
    actual: Number = None
    actual_tier: Tier = Field(default=None, alias="tier")
    actual_text: Text = None
    # A number, or else words (``按时完成``: the domain's ``forecast_text``).
    forecast: Annotated[
        Decimal | str | None,
        _optional(_forecast),
        _writes(lambda v: plain(v) if isinstance(v, Decimal) else v),
    ] = None
    likelihood: Annotated[
        CompletionLikelihood | None, _optional(_enum(CompletionLikelihood)), Value
    ] = None
    causes: Annotated[
        frozenset[DeviationCause],
        _optional(_causes, frozenset()),
        PlainSerializer(lambda c: sorted(x.value for x in c)),
    ] = frozenset()
    cause_note: Note = ""
    measures: Note = ""
    note: Note = ""


class _Progress(_Model):
    line: Line = BudgetLine.TOTAL
    budget: Amount = REQUIRED
    executed: Amount = REQUIRED
    forecast: OptAmount = None


class _Monitoring(_Model):
    project: Name = NAME
    unit_name: str | None = None
    goal: str | None = None
    goal_progress: str | None = None
    budget_deviation: Note = ""
    funds: list[_Progress] = []
    indicators: list[_Monitored] = []


class _SelfEvalFile(_Model):
    year: Whole = None
    department: str | None = None
    projects: list[_Evaluation] = []


class _MonitoringFile(_Model):
    year: Whole = None
    end_month: Whole = None
    deadline: Day = None
    department: str | None = None
    projects: list[_Monitoring] = []


M = TypeVar("M", bound=_Model)


def _where(loc: tuple[int | str, ...]) -> str:
    """``("projects", 0, "funds", 1, "budget")`` → ``projects[0].funds[1].budget``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _validated(model: type[M], data: Any, expected: str) -> M:
    """``data`` as ``model``, or one InvalidValue line naming the first wrong field."""
    if not isinstance(data, dict) or data.get("format") != expected:
        raise InvalidValue(f"不是 {expected} 格式的文件（format 字段须为 “{expected}”）")
    try:
        unit = _enum(MoneyUnit)(data.get("unit", "万元"))
        return model.model_validate(data, context={"unit": unit})
    except PydanticCustomError as exc:
        raise InvalidValue(f"unit：{exc.message()}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        mine = first["type"] == "jixiao"
        why = first["msg"] if mine else _PYDANTIC_MESSAGES.get(first["type"], "格式有误")
        raise InvalidValue(f"{_where(first['loc'])}：{why}") from None


def selfeval_from_data(data: Any) -> list[SelfEvaluation]:
    """Self-evaluations from parsed ``jixiao.selfeval/1`` data."""
    file = _validated(_SelfEvalFile, data, SELFEVAL_FORMAT)
    return [
        SelfEvaluation(
            **dict(p)
            | {
                "year": file.year,
                "department": p.department or file.department,
                "funds": [FundsExecution(**dict(f)) for f in p.funds],
                "indicators": [IndicatorActual(**dict(i)) for i in p.indicators],
                "repairs": [Repair(**dict(r)) for r in p.repairs],
            }
        )
        for p in file.projects
    ]


def _monitored(i: _Monitored) -> IndicatorMonitoring:
    number = i.forecast if isinstance(i.forecast, Decimal) else None
    text = i.forecast if isinstance(i.forecast, str) else None
    return IndicatorMonitoring(**dict(i) | {"forecast": number, "forecast_text": text})


def monitoring_from_data(data: Any) -> list[ProjectMonitoring]:
    """Monitoring records from parsed ``jixiao.monitoring/1`` data."""
    file = _validated(_MonitoringFile, data, MONITORING_FORMAT)
    year, month = file.year, file.end_month
    if year is None or month is None:
        raise InvalidValue("监控数据须给出 year（年度）和 end_month（截止月份）")
    changes = {
        "round": MonitoringRound(year, month, file.deadline),
        "department": file.department,
    }
    return [
        ProjectMonitoring(
            **dict(p)
            | changes
            | {
                "funds": [FundsProgress(**dict(f)) for f in p.funds],
                "indicators": [_monitored(i) for i in p.indicators],
            }
        )
        for p in file.projects
    ]


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


def _compact(value: Any) -> Any:
    """Without the empty fields (None, "", [], False) at every level."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v not in (None, "", [], False)}
    return [_compact(v) for v in value] if isinstance(value, list) else value


def _entry(model: type[_Model], obj: Any, **fields: Any) -> dict[str, Any]:
    made = model.model_construct(**{**vars(obj), **fields})
    entry: dict[str, Any] = _compact(made.model_dump(by_alias=True))
    return entry


def monitoring_entry(pm: ProjectMonitoring) -> dict[str, Any]:
    """A project's monitoring as a ``jixiao.monitoring/1`` project entry (amounts in 万元)."""
    return _entry(
        _Monitoring,
        pm,
        name=pm.project,
        funds=[_Progress.model_construct(**vars(f)) for f in pm.funds],
        indicators=[
            _Monitored.model_construct(
                **vars(i) | {"tier": i.actual_tier, "forecast": i.forecast_text or i.forecast}
            )
            for i in pm.indicators
        ],
    )


def repairs_json(repairs: list[Repair]) -> list[dict[str, str | None]]:
    """Repairs as ``jixiao.document/1`` writes them: every key, ``None`` kept."""
    return [
        {"field": r.field, "before": r.before, "after": r.after, "reason": r.reason}
        for r in repairs
    ]


def selfeval_entry(ev: SelfEvaluation) -> dict[str, Any]:
    """A project's self-evaluation as a ``jixiao.selfeval/1`` project entry (amounts in 万元);
    the reader's repairs, when it made any, as ``repairs`` in the shape of the target tables'."""
    entry = _entry(
        _Evaluation,
        ev,
        name=ev.project,
        funds=[_Execution.model_construct(**vars(f)) for f in ev.funds],
        indicators=[_Actual.model_construct(**vars(i)) for i in ev.indicators],
        repairs=[],
    )
    if ev.repairs:
        entry["repairs"] = repairs_json(ev.repairs)
    return entry

"""The indicator edit form: framework pickers, operator + number + unit or text, parsed to input.

The form sends ``category`` (``1|11|产出指标|数量指标``: level-1 and level-2 code and name), the
indicator ``name`` and, per period (``period``/``annual``), ``<p>_op`` (an operator, or ``text``
for a qualitative value), ``<p>_value``, ``<p>_unit`` and ``<p>_text``. Parsing never loses what
the user typed: the same dictionary re-renders the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.domain.enums import Operator, TargetKind
from jixiao.domain.framework import Framework, load_framework
from jixiao.services.indicators.schemas import IndicatorIn, TargetIn
from jixiao.services.projects.schemas import IndicatorOut, TargetOut
from jixiao.web.ui.context import small_int

TEXT = "text"
OPERATORS: tuple[tuple[str, str], ...] = (
    *((op.value, op.label) for op in Operator),
    (TEXT, "定性"),
)
PERIODS = ("period", "annual")
NOTES = ("explanation", "basis")
NOTE_MAX = 2000


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class OptionGroup:
    label: str
    options: tuple[Option, ...]


def framework_groups(framework: Framework | None = None) -> list[OptionGroup]:
    """Level-2 categories grouped under their level 1, as the picker shows them."""
    fw = framework or load_framework()
    groups = []
    for l1 in fw.level1:
        options = tuple(
            Option(
                category_value(l1.code, l2.code, l1.name, l2.name),
                f"{l1.code}-{l1.name} › {l2.code}-{l2.name}",
            )
            for l2 in fw.children(l1.code)
        )
        groups.append(OptionGroup(f"{l1.code}-{l1.name}", options))
    return groups


def category_value(
    code1: str | None, code2: str | None, name1: str | None, name2: str | None
) -> str:
    return "|".join(part or "" for part in (code1, code2, name1, name2))


def known_values(groups: list[OptionGroup]) -> set[str]:
    return {o.value for g in groups for o in g.options}


@dataclass
class FormState:
    """What the form shows: the user's text per field, errors per field, findings, notices."""

    id: int | None = None
    number: int | None = None
    version: int | None = None
    category: str = ""
    category_unknown: str | None = None
    name: str = ""
    period: dict[str, str] = field(default_factory=lambda: blank_target())
    annual: dict[str, str] = field(default_factory=lambda: blank_target())
    explanation: str = ""
    basis: str = ""
    weight: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)
    checked: bool = False
    saved: bool = False
    conflict: str | None = None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def blank_target() -> dict[str, str]:
    return {"op": Operator.GE.value, "value": "", "unit": "", "text": ""}


def _target_state(t: TargetOut | None) -> dict[str, str]:
    if t is None:
        return {**blank_target(), "op": TEXT}
    if t.kind is TargetKind.QUANTITATIVE and t.value is not None:
        op = (t.op or Operator.EQ).value
        return {"op": op, "value": _plain(t.value), "unit": t.unit or "", "text": ""}
    return {"op": TEXT, "value": "", "unit": "", "text": t.raw}


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def picker_value(ind: IndicatorOut, framework: Framework | None = None) -> str | None:
    """The picker option of a stored indicator's categories (codes or synonyms), if consistent."""
    fw = framework or load_framework()
    l2 = fw.find(ind.level2_code, ind.level2_name, 2)
    l1 = fw.parent(l2) if l2 is not None else None
    if l2 is None or l1 is None:
        return None
    if ind.level1_code or ind.level1_name:
        given = fw.find(ind.level1_code, ind.level1_name, 1)
        if given is None or given.code != l1.code:
            return None
    return category_value(l1.code, l2.code, l1.name, l2.name)


def state_of(ind: IndicatorOut, number: int, groups: list[OptionGroup]) -> FormState:
    """The form of a stored indicator."""
    value = picker_value(ind)
    unknown = None
    if value is None:
        value = category_value(ind.level1_code, ind.level2_code, ind.level1_name, ind.level2_name)
        l1 = "-".join(p for p in (ind.level1_code, ind.level1_name) if p) or "（无一级）"
        l2 = "-".join(p for p in (ind.level2_code, ind.level2_name) if p) or "（无二级）"
        unknown = f"{l1} › {l2}"
    return FormState(
        id=ind.id,
        number=number,
        version=ind.version,
        category=value,
        category_unknown=unknown,
        name=ind.name,
        period=_target_state(ind.period),
        annual=_target_state(ind.annual),
        explanation=ind.explanation or "",
        basis=ind.basis or "",
        weight="" if ind.weight is None else str(ind.weight),
    )


def state_from_form(form: dict[str, str], groups: list[OptionGroup]) -> FormState:
    """The form as the user sent it (re-rendered on errors and conflicts)."""
    category = form.get("category", "")
    unknown = None
    if category and category not in known_values(groups):
        parts = ([*category.split("|"), "", "", "", ""])[:4]
        unknown = f"{parts[0]}-{parts[2]} › {parts[1]}-{parts[3]}"
    version = form.get("version", "")
    return FormState(
        version=small_int(version),
        category=category,
        category_unknown=unknown,
        name=form.get("name", ""),
        period={k: form.get(f"period_{k}", "") for k in blank_target()},
        annual={k: form.get(f"annual_{k}", "") for k in blank_target()},
        explanation=form.get("explanation", ""),
        basis=form.get("basis", ""),
        weight=form.get("weight", ""),
    )


def _target_in(t: dict[str, str], label: str, errors: dict[str, str], key: str) -> TargetIn | None:
    op, value, unit, text = (t.get(k, "").strip() for k in ("op", "value", "unit", "text"))
    if op == TEXT or (not value and text):
        return TargetIn(raw=text) if text else None
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        errors[key] = f"{label}的数值须为数字（如 95 或 1800.5），文字说明请将运算符选为“定性”"
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 14:
        errors[key] = f"{label}的数值超出范围"
        return None
    try:
        operator = Operator(op)
    except ValueError:
        operator = Operator.EQ
    return TargetIn(kind=TargetKind.QUANTITATIVE, op=operator, value=number, unit=unit or None)


def _weight_in(text: str, errors: dict[str, str]) -> int | None:
    """权重: empty for none, else a whole number from 0 to 100."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) > 100:
        errors["weight"] = "权重须为 0 到 100 的整数，不设权重请留空"
        return None
    return int(text)


def _note_in(state: FormState, key: str, label: str, errors: dict[str, str]) -> str | None:
    text = str(state[key]).strip()
    if len(text) > NOTE_MAX:
        errors[key] = f"{label}不能超过 {NOTE_MAX} 字"
    return text or None


def to_input(state: FormState) -> tuple[IndicatorIn | None, dict[str, str]]:
    """The service input for a form, or the field errors the form itself can tell."""
    errors: dict[str, str] = {}
    parts = ([*state.category.split("|"), "", "", "", ""])[:4]
    if not state.category:
        errors["category"] = "请选择一级、二级指标"
    period = _target_in(state.period, "实施周期指标值", errors, "period")
    annual = _target_in(state.annual, "年度指标值", errors, "annual")
    explanation = _note_in(state, "explanation", "指标解释", errors)
    basis = _note_in(state, "basis", "设定依据", errors)
    weight = _weight_in(state.weight, errors)
    if errors:
        return None, errors
    data = IndicatorIn(
        level1_code=parts[0] or None,
        level2_code=parts[1] or None,
        level1_name=parts[2] or None,
        level2_name=parts[3] or None,
        name=state.name.strip()[:300],
        period=period,
        annual=annual,
        explanation=explanation,
        basis=basis,
        weight=weight,
    )
    return data, {}


SERVICE_FIELDS = {"level1_code": "category", "level2_code": "category", "level1_name": "category"}


def field_errors(fields: dict[str, str]) -> dict[str, str]:
    """Service error keys mapped to the form's fields."""
    out: dict[str, str] = {}
    for key, message in fields.items():
        out.setdefault(SERVICE_FIELDS.get(key, key.split(".")[0]), message)
    return out

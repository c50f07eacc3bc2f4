"""The monitoring form: a ``jixiao.monitoring/1`` project entry shown as flat form fields, and the
posted fields laid back over the entry, with an error next to each field that is wrong.

Field names: ``executed``, ``forecast``, ``budget_deviation``, ``goal_progress`` for the
project; ``i<n>-actual`` (number) or ``i<n>-tier`` (达成/部分达成/未达成), ``i<n>-forecast``,
``i<n>-likelihood``, ``i<n>-causes`` (several), ``i<n>-cause_note``, ``i<n>-measures`` for
indicator ``n`` (0-based, in the order of the entry).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData

from jixiao.domain.enums import CompletionLikelihood, DeviationCause, QualitativeTier
from jixiao.domain.target import parse_target
from jixiao.scoring.weights import DEFAULT_PROFILE, bundled_profiles
from jixiao.services.monitoring.shared import IssueOut, LightOut, profile_named

TIERS = [
    (t.value, label)
    for t, label in zip(QualitativeTier, ("达成", "部分达成", "未达成"), strict=True)
]
LIKELIHOODS = [(c.value, c.label) for c in CompletionLikelihood]
CAUSES = [(c.value, c.label) for c in DeviationCause]
_ENTRY_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)|funds\[\d+\]\.(\w+)|\b(budget_deviation)\b")


def profile_choices() -> list[tuple[str, str]]:
    """The bundled profiles as (id, Chinese name) for a select."""
    return [(name, profile_named(name).name) for name in bundled_profiles()]


def chosen_profile(form: dict[str, Any], errors: dict[str, str]) -> str:
    """The profile picked on the form (only a bundled one; never a path on the server)."""
    name = str(form.get("profile") or DEFAULT_PROFILE)
    if name not in bundled_profiles():
        errors["profile"] = "请选择列出的口径"
        return DEFAULT_PROFILE
    return name


@dataclass
class Row:
    """One indicator row of the form: what was promised, and the lights once saved."""

    n: int
    level1: str
    level2: str
    name: str
    target: str
    numeric: bool
    light: LightOut | None = None


def percent(value: Decimal | None) -> str:
    """A rate as ``40.00`` (exact decimal, two places), or ``—``."""
    return "—" if value is None else str(value.quantize(Decimal("0.01")))


def is_numeric(target: str) -> bool:
    """Whether progress is a number (a quantitative target with a value), else a tier."""
    parsed = parse_target(target)
    return parsed.is_quantitative and parsed.value is not None


def rows_of(entry: dict[str, Any], lights: list[LightOut] | None = None) -> list[Row]:
    """The indicator rows; each gets the light of the same name (names repeat rarely)."""
    by_name = {x.subject: x for x in lights or []}
    return [
        Row(
            n=n,
            level1=str(ind.get("level1") or ""),
            level2=str(ind.get("level2") or ""),
            name=str(ind.get("name") or ""),
            target=str(ind.get("target") or ""),
            numeric=is_numeric(str(ind.get("target") or "")),
            light=by_name.get(str(ind.get("name") or "")),
        )
        for n, ind in enumerate(entry.get("indicators", []))
    ]


def form_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The form values of a stored (or template) entry."""
    funds = (entry.get("funds") or [{}])[0]
    form: dict[str, Any] = {
        "budget": str(funds.get("budget", "")),
        "executed": str(funds.get("executed", "")),
        "forecast": str(funds.get("forecast", "")),
        "budget_deviation": entry.get("budget_deviation", ""),
        "goal_progress": entry.get("goal_progress", ""),
    }
    for n, ind in enumerate(entry.get("indicators", [])):
        for key in ("actual", "tier", "forecast", "likelihood", "cause_note", "measures"):
            form[f"i{n}-{key}"] = str(ind.get(key) or "")
        form[f"i{n}-causes"] = list(ind.get("causes") or [])
    return form


def posted(data: FormData, count: int) -> dict[str, Any]:
    """The posted form values as :func:`form_of` shapes them."""
    form: dict[str, Any] = {k: v.strip() for k, v in data.items() if isinstance(v, str)}
    for n in range(count):
        form[f"i{n}-causes"] = [v for v in data.getlist(f"i{n}-causes") if isinstance(v, str)]
    return form


def number(text: str, errors: dict[str, str], key: str, what: str) -> str | None:
    """A decimal as typed (commas allowed); an error under ``key`` when it is not one."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        errors[key] = f"{what}须为不小于 0 的数字"
        return None
    return cleaned


def _choice(value: str, allowed: list[tuple[str, str]]) -> str | None:
    return value if value in {v for v, _ in allowed} else None


def _indicator(
    base: dict[str, Any], n: int, form: dict[str, Any], errors: dict[str, str], numeric: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {k: base[k] for k in ("level1", "level2", "name", "target") if k in base}
    key = f"i{n}-"
    if numeric:
        out["actual"] = number(
            form.get(key + "actual", ""), errors, key + "actual", "截至本期完成值"
        )
    else:
        out["tier"] = _choice(form.get(key + "tier", ""), TIERS)
    out["forecast"] = form.get(key + "forecast", "")[:200] or None
    out["likelihood"] = _choice(form.get(key + "likelihood", ""), LIKELIHOODS)
    out["causes"] = [c for c in form.get(key + "causes", []) if _choice(c, CAUSES)]
    out["cause_note"] = form.get(key + "cause_note", "")
    out["measures"] = form.get(key + "measures", "")
    if base.get("note"):
        out["note"] = base["note"]
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def _funds(lines: list[dict[str, Any]], form: dict[str, Any], errors: dict[str, str]) -> list[Any]:
    """The funds lines with this period's figures on the first (年度资金总额) line.

    A project without a budget line keeps none unless figures were typed in (the service then
    says that the budget is missing)."""
    executed = number(form.get("executed", ""), errors, "executed", "截至本期执行数")
    forecast = number(form.get("forecast", ""), errors, "forecast", "全年预计执行数")
    if not lines and executed is None and forecast is None:
        return []
    if executed is None and "executed" not in errors:
        errors["executed"] = "请填写截至本期执行数（万元）"
    first = {k: v for k, v in (lines or [{"line": "total"}])[0].items() if k != "forecast"}
    first["executed"] = executed or ""
    if forecast is not None:
        first["forecast"] = forecast
    return [first, *lines[1:]]


def entry_from(
    base: dict[str, Any], form: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """``base`` (the stored or template entry) with the posted values laid over it."""
    entry = copy.deepcopy(base)
    entry["funds"] = _funds(entry.get("funds") or [], form, errors)
    entry["budget_deviation"] = form.get("budget_deviation", "")
    entry["goal_progress"] = form.get("goal_progress", "")
    entry["indicators"] = [
        _indicator(ind, n, form, errors, is_numeric(str(ind.get("target") or "")))
        for n, ind in enumerate(base.get("indicators", []))
    ]
    return entry


def issue_errors(issues: list[IssueOut], entry: dict[str, Any]) -> dict[str, str]:
    """Open issues of a saved round as messages under the fields they are about."""
    index = {str(ind.get("name")): n for n, ind in enumerate(entry.get("indicators", []))}
    found: dict[str, str] = {}
    for issue in issues:
        if issue.indicator is None:
            found.setdefault(issue.field, issue.message)
        elif issue.indicator in index:
            n = index[issue.indicator]
            numeric = is_numeric(str(entry["indicators"][n].get("target") or ""))
            name = "tier" if issue.field == "actual" and not numeric else issue.field
            found.setdefault(f"i{n}-{name}", issue.message)
    return found


def path_error(message: str, fields: dict[str, Any]) -> tuple[str, str]:
    """The form field a service error such as ``projects[0].indicators[1].actual：…`` names
    (``_``, the whole form, when ``fields`` has no such field)."""
    m = _ENTRY_PATH.search(message)
    if m is None:
        return "_", message
    key = f"i{m[1]}-{m[2]}" if m[1] is not None else (m[3] or m[4])
    return (key, message.split("：", 1)[-1]) if key in fields else ("_", message)

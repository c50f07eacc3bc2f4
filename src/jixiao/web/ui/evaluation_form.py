"""The self-evaluation form: a ``jixiao.selfeval/1`` project entry as flat form fields, and the
posted fields laid back over the entry, with an error next to each field that is wrong.

Field names: ``budget`` (全年预算数), ``executed`` (全年执行数), ``goal_result``; per indicator
``n`` (0-based): ``i<n>-actual`` (a number), ``i<n>-actual_date`` (a 时限 indicator),
``i<n>-tier`` and ``i<n>-tier_percent`` (a qualitative one, the score inside the tier's band),
``i<n>-na`` (不适用) and ``i<n>-deviation``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from starlette.datastructures import FormData

from jixiao.domain.enums import QualitativeTier, TargetKind
from jixiao.domain.target import parse_target
from jixiao.scoring.weights import ScoringProfile
from jixiao.services.monitoring.shared import IssueOut
from jixiao.web.ui.monitoring_form import TIERS, number

Kind = Literal["number", "date", "tier"]


@dataclass
class Row:
    n: int
    level1: str
    level2: str
    name: str
    target: str
    kind: Kind


def kind_of(target: str) -> Kind:
    parsed = parse_target(target)
    if parsed.kind is TargetKind.DEADLINE:
        return "date"
    return "number" if parsed.is_quantitative and parsed.value is not None else "tier"


def rows_of(entry: dict[str, Any]) -> list[Row]:
    return [
        Row(
            n=n,
            level1=str(ind.get("level1") or ""),
            level2=str(ind.get("level2") or ""),
            name=str(ind.get("name") or ""),
            target=str(ind.get("target") or ""),
            kind=kind_of(str(ind.get("target") or "")),
        )
        for n, ind in enumerate(entry.get("indicators", []))
    ]


def bands(profile: ScoringProfile) -> dict[str, str]:
    """The score band of each tier as the form explains it: ``{"achieved": "80–100"}``."""
    return {
        t.value: f"{b.low.normalize():f}–{b.high.normalize():f}"
        for t, b in profile.qualitative.items()
    }


def form_of(entry: dict[str, Any]) -> dict[str, Any]:
    funds = (entry.get("funds") or [{}])[0]
    form: dict[str, Any] = {
        "budget": str(funds.get("budget", "")),
        "executed": str(funds.get("executed", "")),
        "goal_result": entry.get("goal_result", ""),
    }
    for n, ind in enumerate(entry.get("indicators", [])):
        for key in ("actual", "actual_date", "tier", "tier_percent", "deviation"):
            form[f"i{n}-{key}"] = str(ind.get(key) or "")
        form[f"i{n}-na"] = "1" if ind.get("not_applicable") else ""
    return form


def posted(data: FormData) -> dict[str, Any]:
    return {k: v.strip() for k, v in data.items() if isinstance(v, str)}


def _tier_percent(
    tier: str, text: str, profile: ScoringProfile, errors: dict[str, str], key: str
) -> str | None:
    value = number(text, errors, key, "档内得分率")
    if value is None:
        return None
    band = profile.qualitative[QualitativeTier(tier)]
    if not band.low <= Decimal(value) <= band.high:
        label = dict(TIERS)[tier]
        errors[key] = (
            f"“{label}”的得分率须在 {band.low.normalize():f}%–{band.high.normalize():f}% 之间"
        )
    return value


def _actual(
    kind: Kind, form: dict[str, Any], k: str, profile: ScoringProfile, errors: dict[str, str]
) -> dict[str, Any]:
    """The actual of one indicator; an error when the kind it needs is missing or wrong."""
    if kind == "number":
        value = number(form.get(k + "actual", ""), errors, k + "actual", "实际完成值")
        if value is None and k + "actual" not in errors:
            errors[k + "actual"] = "请填写实际完成值（或勾选“不适用”）"
        return {"actual": value}
    if kind == "date":
        try:
            return {"actual_date": date.fromisoformat(form.get(k + "actual_date", "")).isoformat()}
        except ValueError:
            errors[k + "actual_date"] = "请填写实际完成日期（YYYY-MM-DD）"
            return {}
    tier = form.get(k + "tier", "")
    if tier not in dict(TIERS):
        errors[k + "tier"] = "请选择完成档次：达成、部分达成或未达成"
        return {}
    percent = _tier_percent(
        tier, form.get(k + "tier_percent", ""), profile, errors, k + "tier_percent"
    )
    return {"tier": tier, "tier_percent": percent}


def _indicator(
    base: dict[str, Any],
    n: int,
    form: dict[str, Any],
    profile: ScoringProfile,
    errors: dict[str, str],
) -> dict[str, Any]:
    k = f"i{n}-"
    out: dict[str, Any] = {
        key: base[key] for key in ("level1", "level2", "name", "target", "weight") if key in base
    }
    if form.get(k + "na"):
        out["not_applicable"] = True
    else:
        out.update(_actual(kind_of(str(base.get("target") or "")), form, k, profile, errors))
    out["deviation"] = form.get(k + "deviation", "")
    return {key: v for key, v in out.items() if v not in (None, "")}


def _money(form: dict[str, Any], key: str, what: str, errors: dict[str, str]) -> str:
    value = number(form.get(key, ""), errors, key, what)
    if value is None and key not in errors:
        errors[key] = f"请填写{what}（万元）"
    return value or ""


def entry_from(
    base: dict[str, Any], form: dict[str, Any], profile: ScoringProfile, errors: dict[str, str]
) -> dict[str, Any]:
    """``base`` (the stored or template entry) with the posted values laid over it."""
    entry = copy.deepcopy(base)
    funds = (entry.get("funds") or [{"line": "total"}])[0]
    funds["budget"] = _money(form, "budget", "全年预算数", errors)
    funds["executed"] = _money(form, "executed", "全年执行数", errors)
    entry["funds"] = [funds, *(entry.get("funds") or [])[1:]]
    entry["goal_result"] = form.get("goal_result", "")
    entry["indicators"] = [
        _indicator(ind, n, form, profile, errors)
        for n, ind in enumerate(base.get("indicators", []))
    ]
    return entry


def issue_errors(issues: list[IssueOut], entry: dict[str, Any]) -> dict[str, str]:
    """Open issues of a saved evaluation as messages under the fields they are about."""
    index = {str(ind.get("name")): n for n, ind in enumerate(entry.get("indicators", []))}
    found: dict[str, str] = {}
    for issue in issues:
        if issue.indicator is None or issue.indicator not in index:
            found.setdefault("_", issue.message)
            continue
        n = index[issue.indicator]
        field = issue.field
        if field == "actual":
            kind = kind_of(str(entry["indicators"][n].get("target") or ""))
            field = {"number": "actual", "date": "actual_date", "tier": "tier"}[kind]
        found.setdefault(f"i{n}-{field}", issue.message)
    return found

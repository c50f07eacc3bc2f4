"""Scoring profiles: weights, bands and thresholds of a region, held as TOML data.

Bundled profiles live in ``scoring/profiles/*.toml`` (``national`` and the stricter ``shanxi``
example); a finance bureau adds its own file instead of changing code. Every number is a
``Decimal``; percentages stay in percent (``80`` means 80%).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jixiao.domain.enums import Grade, QualitativeTier
from jixiao.errors import ProfileError

# bundled data files are read by path beside this module (importlib.resources slows start-up)
_HERE = Path(__file__).parent

DEFAULT_PROFILE = "national"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class WeightGroup:
    """A level-1 group of indicators and its points (产出指标 50 …)."""

    label: str
    weight: Decimal
    level1: tuple[str, ...]


@dataclass(frozen=True)
class BudgetRule:
    """How 预算执行率 scores: proportional, or by (min rate %, share %) bands, best first."""

    weight: Decimal
    mode: Literal["proportional", "banded"]
    bands: tuple[tuple[Decimal, Decimal], ...] = ()


@dataclass(frozen=True)
class Band:
    """A share of an indicator's points, in percent: ``low ≤ share ≤ high``."""

    low: Decimal
    high: Decimal

    def contains(self, percent: Decimal) -> bool:
        return self.low <= percent <= self.high

    def format(self) -> str:
        return f"{self.low}%–{self.high}%"


@dataclass(frozen=True)
class LightRules:
    red_below: Decimal
    yellow_below: Decimal
    blue_from: Decimal
    time_proportional: tuple[str, ...]
    bound_only: tuple[str, ...]
    proportion_rates: bool
    budget_yellow_gap: Decimal
    budget_red_gap: Decimal


@dataclass(frozen=True)
class ScoringProfile:
    id: str
    name: str
    budget: BudgetRule
    groups: tuple[WeightGroup, ...]
    qualitative: dict[QualitativeTier, Band]
    over_threshold: Decimal
    over_deduction_percent: Decimal
    zero_target_miss_percent: Decimal
    deadline_miss_percent: Decimal
    missing_weight: Literal["all", "indicators"]
    grades: tuple[tuple[Grade, Decimal], ...]
    lights: LightRules
    full_marks_percent: Decimal
    low_execution_percent: Decimal

    def grade(self, total: Decimal) -> Grade:
        """The grade whose lower bound ``total`` reaches (差 below every bound)."""
        for grade, low in self.grades:
            if total >= low:
                return grade
        return Grade.POOR


def _dec(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ProfileError(f"评分口径：{where} 须为数值，得到 {value!r}")
    try:
        # TOML floats such as 1.5 are read through their text, so no binary float error leaks in.
        number = Decimal(str(value))
    except InvalidOperation:
        raise ProfileError(f"评分口径：{where} 须为数值，得到 {value!r}") from None
    if not number.is_finite():  # TOML allows nan and inf; neither is a weight or a bound
        raise ProfileError(f"评分口径：{where} 须为有限数值，得到 {value!r}")
    return number


def _band(pair: Any, where: str) -> Band:
    if not isinstance(pair, list) or len(pair) != 2:
        raise ProfileError(f"评分口径：{where} 须为 [下限, 上限]")
    low, high = _dec(pair[0], where), _dec(pair[1], where)
    if not Decimal(0) <= low <= high <= HUNDRED:
        raise ProfileError(f"评分口径：{where} 须满足 0 ≤ 下限 ≤ 上限 ≤ 100")
    return Band(low, high)


def _budget(data: dict[str, Any]) -> BudgetRule:
    mode = data.get("mode", "proportional")
    if mode not in ("proportional", "banded"):
        raise ProfileError(f"评分口径：selfeval.budget.mode 只能是 proportional 或 banded：{mode}")
    bands = tuple(
        (_dec(b[0], "budget.bands"), _dec(b[1], "budget.bands")) for b in data.get("bands", [])
    )
    if mode == "banded" and not bands:
        raise ProfileError("评分口径：banded 模式须给出 selfeval.budget.bands")
    if list(bands) != sorted(bands, reverse=True):
        raise ProfileError("评分口径：selfeval.budget.bands 须按执行率从高到低排列")
    return BudgetRule(_dec(data["weight"], "budget.weight"), mode, bands)


def _groups(items: list[dict[str, Any]]) -> tuple[WeightGroup, ...]:
    return tuple(
        WeightGroup(str(g["label"]), _dec(g["weight"], "groups.weight"), tuple(g["level1"]))
        for g in items
    )


def _grades(data: dict[str, Any]) -> tuple[tuple[Grade, Decimal], ...]:
    bounds = tuple(
        (g, _dec(data[g.value], f"grades.{g.value}"))
        for g in (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR)
    )
    if not bounds[0][1] > bounds[1][1] > bounds[2][1]:
        raise ProfileError("评分口径：等级下限须满足 优 > 良 > 中")
    return bounds


def _lights(data: dict[str, Any]) -> LightRules:
    rules = LightRules(
        red_below=_dec(data["red_below"], "lights.red_below"),
        yellow_below=_dec(data["yellow_below"], "lights.yellow_below"),
        blue_from=_dec(data["blue_from"], "lights.blue_from"),
        time_proportional=tuple(data["time_proportional"]),
        bound_only=tuple(data["bound_only"]),
        proportion_rates=bool(data.get("proportion_rates", False)),
        budget_yellow_gap=_dec(data["budget"]["yellow_gap"], "lights.budget.yellow_gap"),
        budget_red_gap=_dec(data["budget"]["red_gap"], "lights.budget.red_gap"),
    )
    if not rules.red_below <= rules.yellow_below <= HUNDRED <= rules.blue_from:
        raise ProfileError("评分口径：预警阈值须满足 红 ≤ 黄 ≤ 100 ≤ 蓝")
    if not rules.budget_yellow_gap <= rules.budget_red_gap:
        raise ProfileError("评分口径：预算执行预警须满足 黄灯差距 ≤ 红灯差距")
    return rules


def _profile(data: dict[str, Any]) -> ScoringProfile:
    se = data["selfeval"]
    tiers = se["qualitative"]
    profile = ScoringProfile(
        id=str(data["id"]),
        name=str(data["name"]),
        budget=_budget(se["budget"]),
        groups=_groups(se["groups"]),
        qualitative={t: _band(tiers[t.value], f"qualitative.{t.value}") for t in QualitativeTier},
        over_threshold=_dec(se["over_completion"]["threshold"], "over_completion.threshold"),
        over_deduction_percent=_dec(
            se["over_completion"]["deduction_percent"], "over_completion.deduction_percent"
        ),
        zero_target_miss_percent=_dec(se.get("zero_target_miss_percent", 0), "zero_target"),
        deadline_miss_percent=_dec(se.get("deadline_miss_percent", 0), "deadline_miss"),
        missing_weight=se.get("missing_weight", "all"),
        grades=_grades(data["grades"]),
        lights=_lights(data["lights"]),
        full_marks_percent=_dec(data["reconcile"]["full_marks_percent"], "reconcile"),
        low_execution_percent=_dec(data["reconcile"]["low_execution_percent"], "reconcile"),
    )
    _check_totals(profile)
    return profile


def _check_totals(profile: ScoringProfile) -> None:
    total = profile.budget.weight + sum((g.weight for g in profile.groups), Decimal(0))
    if total != HUNDRED:
        raise ProfileError(f"评分口径“{profile.id}”：各部分分值合计须为 100，实为 {total}")
    if profile.missing_weight not in ("all", "indicators"):
        raise ProfileError("评分口径：selfeval.missing_weight 只能是 all 或 indicators")
    if profile.over_threshold <= 1:
        raise ProfileError("评分口径：超额完成阈值须大于 1")


def parse_profile(text: str, origin: str = "<text>") -> ScoringProfile:
    """Build a profile from TOML text; raise ProfileError with a one-line reason."""
    try:
        return _profile(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分口径文件 {origin} 不是有效的 TOML：{exc}") from None
    except KeyError as exc:
        raise ProfileError(f"评分口径文件 {origin} 缺少字段 {exc}") from None
    except (TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ProfileError(f"评分口径文件 {origin} 格式有误：{exc}") from None


def bundled_profiles() -> tuple[str, ...]:
    folder = _HERE / "profiles"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@cache
def _bundled(name: str) -> ScoringProfile:
    path = _HERE / "profiles" / f"{name}.toml"
    return parse_profile(path.read_text(encoding="utf-8"), f"{name}.toml")


def bundled_profile(name: str) -> ScoringProfile:
    """A bundled profile by name only (``national``, ``shanxi``); never reads another file.

    For callers that take the name from someone else (the services behind the web pages and
    the API): a path is refused like any other unknown name.
    """
    if name not in bundled_profiles():
        names = "、".join(bundled_profiles())
        raise ProfileError(f"未知的评分口径：{name}（只能选用内置口径：{names}）")
    return _bundled(name)


def load_profile_file(path: Path) -> ScoringProfile:
    """A profile from a TOML file the local user names (command line, library callers)."""
    if not path.is_file():
        raise ProfileError(f"评分口径文件不存在：{path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"无法读取评分口径文件 {path}：{exc}") from None
    return parse_profile(text, str(path))


def load_scoring_profile(name_or_path: str = DEFAULT_PROFILE) -> ScoringProfile:
    """A bundled profile by name (``national``, ``shanxi``) or a TOML file by path."""
    if name_or_path in bundled_profiles():
        return _bundled(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        names = "、".join(bundled_profiles())
        raise ProfileError(f"未知的评分口径：{name_or_path}（内置：{names}，或给出 TOML 文件路径）")
    return load_profile_file(path)

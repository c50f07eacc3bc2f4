"""Review profiles (TOML): thresholds, required categories, word lists, severity overrides.

A profile names the indicator framework it checks against. ``extends = "national"`` starts from
another profile and overrides only what it lists. Bundled profiles live in ``review/profiles/``;
``load_profile`` also accepts a path to a bureau's own file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.domain.enums import Severity
from jixiao.errors import ProfileError
from jixiao.review.text import WordList

# bundled data files are read by path beside this module (importlib.resources slows start-up)
_HERE = Path(__file__).parent

DEFAULT_PROFILE = "national"
_SECTIONS = ("thresholds", "required", "words", "severity", "grading")


@dataclass(frozen=True)
class Thresholds:
    min_indicators: int
    min_goal_chars: int
    truncation_min_chars: int
    max_name_chars: int
    money_tolerance_ratio: Decimal
    amount_tolerance: Decimal
    rate_gap: Decimal
    boilerplate_min_projects: int
    related_similarity: Decimal
    uniform_satisfaction_min_projects: int
    min_peer_count: int


@dataclass(frozen=True)
class Words:
    """Keyword lists the heuristics use; each is documented in the bundled national profile."""

    measurable_names: WordList
    measurable_name_exclusions: WordList
    vague_phrases: WordList
    lower_is_better: WordList
    higher_is_better: WordList
    direction_inverters: WordList
    growth_names: WordList
    whole_cost_names: WordList
    input_names: WordList
    must_complete_rates: WordList
    ecology_project_words: WordList
    ecology_indicator_words: WordList
    quality_fact_names: WordList
    quality_rate_names: WordList
    timeliness_words: WordList
    satisfaction_words: WordList
    generic_satisfaction_names: WordList
    count_units: WordList
    placeholder_values: WordList
    metric_suffixes: WordList
    single_ratio_suffixes: WordList
    goal_stopwords: WordList


@dataclass(frozen=True)
class ReviewProfile:
    name: str
    title: str
    framework: str
    thresholds: Thresholds
    words: Words
    required_level1: tuple[str, ...]
    required_level2: tuple[str, ...]
    severity_overrides: dict[str, Severity]
    disabled: frozenset[str]
    require_basis: bool
    grade_penalties: dict[Severity, int]
    rule_cap: int
    block_submit: frozenset[Severity] = frozenset({Severity.ERROR})

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        return self.severity_overrides.get(rule_id, default)


def load_profile(name_or_path: str | Path | None = None) -> ReviewProfile:
    """A bundled profile by name (``national``, ``guangzhou``) or a TOML file by path."""
    if name_or_path is None:
        return _bundled(DEFAULT_PROFILE)
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return _build(_read_file(Path(text)))
    return _bundled(text)


@cache
def _bundled(name: str) -> ReviewProfile:
    return _build(_raw_bundled(name))


def _raw_bundled(name: str) -> dict[str, Any]:
    path = _HERE / "profiles" / f"{name}.toml"
    if not path.is_file():
        raise ProfileError(f"未知的审核配置：{name}（可用：national、guangzhou，或 TOML 文件路径）")
    return _resolve(_parse(path.read_text(encoding="utf-8"), name))


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"无法读取审核配置文件 {path}：{exc.__class__.__name__}") from None
    return _resolve(_parse(text, str(path)))


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"审核配置 {origin} 不是有效的 TOML：{exc}") from None


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    parent = data.get("extends")
    if not parent:
        return data
    merged = dict(_raw_bundled(str(parent)))
    for key, value in data.items():
        if key in _SECTIONS and isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        elif key != "extends":
            merged[key] = value
    return merged


def _build(data: dict[str, Any]) -> ReviewProfile:
    try:
        severity = {k: Severity(v) for k, v in data.get("severity", {}).items()}
        penalties = data.get("grading", {})
        return ReviewProfile(
            name=str(data["name"]),
            title=str(data.get("title", data["name"])),
            framework=str(data.get("framework", "classic")),
            thresholds=_thresholds(data["thresholds"]),
            words=_words(data["words"]),
            required_level1=tuple(str(c) for c in data["required"]["level1"]),
            required_level2=tuple(str(c) for c in data["required"]["level2"]),
            severity_overrides=severity,
            disabled=frozenset(str(r) for r in data.get("disabled", ())),
            require_basis=bool(data.get("require_basis", False)),
            grade_penalties={
                Severity.ERROR: _count(penalties, "error", 20),
                Severity.WARNING: _count(penalties, "warning", 5),
                Severity.INFO: _count(penalties, "info", 1),
            },
            rule_cap=_count(penalties, "rule_cap", 2, least=1),
            block_submit=frozenset(Severity(v) for v in data.get("block_submit", ["error"])),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise ProfileError(f"审核配置内容有误：{exc.__class__.__name__} {exc}") from None


def _count(
    section: dict[str, Any], key: str, default: int, least: int = 0, where: str = "grading"
) -> int:
    """A whole number (points, findings, characters), at least ``least``; never truncated."""
    value = section.get(key, default)
    if isinstance(value, bool) or int(value) != value or value < least:
        raise ValueError(f"{where}.{key} 须为不小于 {least} 的整数，得到 {value!r}")
    return int(value)


def _thresholds(raw: dict[str, Any]) -> Thresholds:
    values: dict[str, Any] = {}
    for f in fields(Thresholds):
        if f.type == "Decimal":
            values[f.name] = _finite(raw[f.name])
        else:
            values[f.name] = _count(raw, f.name, raw[f.name], where="thresholds")
    return Thresholds(**values)


def _finite(value: Any) -> Decimal:
    """A threshold as Decimal; TOML's nan and inf are refused (InvalidOperation)."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(f"须为有限数值，得到 {value!r}")
    return number


def _words(raw: dict[str, Any]) -> Words:
    unknown = set(raw) - {f.name for f in fields(Words)}
    if unknown:
        raise ProfileError(f"审核配置含未知词表：{', '.join(sorted(unknown))}")
    return Words(**{f.name: WordList(str(w) for w in raw[f.name]) for f in fields(Words)})

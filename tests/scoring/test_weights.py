"""Scoring profiles: the bundled ones load with the documented numbers; bad files fail clearly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.domain.enums import Grade, QualitativeTier
from jixiao.errors import ProfileError
from jixiao.scoring.allocation import apportion
from jixiao.scoring.weights import (
    bundled_profile,
    bundled_profiles,
    load_profile_file,
    load_scoring_profile,
    parse_profile,
)

NATIONAL_PATH = (
    Path(__file__).parents[2] / "src" / "jixiao" / "scoring" / "profiles" / "national.toml"
)
NATIONAL = NATIONAL_PATH.read_text(encoding="utf-8")


def test_bundled_profiles() -> None:
    assert bundled_profiles() == ("national", "shanxi")


def test_national_profile_numbers() -> None:
    p = load_scoring_profile("national")
    assert p.budget.weight == 10
    assert p.budget.mode == "proportional"
    assert [(g.label, g.weight) for g in p.groups] == [
        ("产出指标", 50),
        ("效益指标", 30),
        ("满意度指标", 10),
    ]
    assert p.grades == ((Grade.EXCELLENT, 90), (Grade.GOOD, 80), (Grade.FAIR, 60))
    assert p.qualitative[QualitativeTier.PARTIAL].low == 60
    assert p.over_threshold == Decimal("1.5")


def test_stricter_profile_differs_where_it_should() -> None:
    national, strict = load_scoring_profile("national"), load_scoring_profile("shanxi")
    assert strict.over_threshold < national.over_threshold
    assert strict.lights.budget_red_gap < national.lights.budget_red_gap
    assert strict.budget.mode == "banded"
    assert strict.qualitative[QualitativeTier.NOT_ACHIEVED].high == 50


def test_profile_from_a_file_path(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(NATIONAL.replace('id = "national"', 'id = "local"'), encoding="utf-8")
    assert load_scoring_profile(str(path)).id == "local"
    assert load_profile_file(path).id == "local"


def test_a_missing_profile_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="评分口径文件不存在"):
        load_profile_file(tmp_path / "absent.toml")


def test_bundled_profile_by_name_only(tmp_path: Path) -> None:
    assert bundled_profile("shanxi") is load_scoring_profile("shanxi")
    path = tmp_path / "local.toml"
    path.write_text(NATIONAL, encoding="utf-8")
    for name in (str(path), str(NATIONAL_PATH), "national.toml", "atlantis"):
        with pytest.raises(ProfileError, match="只能选用内置口径：national、shanxi"):
            bundled_profile(name)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("weight = 50", "weight = 55"), "合计须为 100"),
        (("excellent = 90", "excellent = 70"), "优 > 良 > 中"),
        (("achieved = [80, 100]", "achieved = [80, 120]"), "0 ≤ 下限 ≤ 上限 ≤ 100"),
        (("threshold = 1.5", "threshold = 0.9"), "大于 1"),
        (('mode = "proportional"', 'mode = "fancy"'), "proportional 或 banded"),
        (("red_below = 60", "red_below = 90"), "红 ≤ 黄"),
        (("[grades]", "[gradez]"), "缺少字段"),
        (("[grades]", "[grades"), "不是有效的 TOML"),
        (("excellent = 90", "excellent = nan"), "须为有限数值"),
        (("achieved = [80, 100]", "achieved = [nan, 100]"), "须为有限数值"),
        (("deduction_percent = 10", "deduction_percent = nan"), "须为有限数值"),
        (("deadline_miss_percent = 0", "deadline_miss_percent = inf"), "须为有限数值"),
    ],
)
def test_malformed_profiles_fail_with_one_line(change: tuple[str, str], message: str) -> None:
    with pytest.raises(ProfileError, match=message) as info:
        parse_profile(NATIONAL.replace(*change))
    assert "\n" not in str(info.value)


def test_unknown_profile_name() -> None:
    with pytest.raises(ProfileError, match="未知的评分口径"):
        load_scoring_profile("atlantis")


@pytest.mark.parametrize(
    ("total", "shares", "expected"),
    [
        ("50", ["1", "1", "1"], ["16.67", "16.67", "16.66"]),
        ("100", ["10", "50", "30"], ["11.11", "55.56", "33.33"]),
        ("10", ["1", "2"], ["3.33", "6.67"]),
        ("0", ["1"], ["0.00"]),
        ("30", ["0", "0"], ["0", "0"]),
    ],
)
def test_apportion_adds_up_exactly(total: str, shares: list[str], expected: list[str]) -> None:
    parts = apportion(Decimal(total), [Decimal(s) for s in shares])
    assert parts == [Decimal(e) for e in expected]

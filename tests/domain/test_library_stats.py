"""The library's pure parts on hand-worked cases: keys, percentiles, ranks, met or not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.enums import Direction, QualitativeTier
from jixiao.domain.library import (
    Actual,
    category_key,
    common_wordings,
    distribution,
    met,
    name_key,
    quantile,
    rank_of,
    target_direction,
)
from jixiao.domain.target import parse_target

D = Decimal


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("资金到位率", "资金 到位率"),
        ("资金到位率", "资金到位率（%）"),
        ("资金到位率", "资金到位"),
        ("培训人数", "培训人"),
        ("ＰＰＰ项目数", "ppp项目"),
        ("群众满意度", "群众满意度："),
    ],
)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys() -> None:
    assert name_key("培训人数") != name_key("培训人次")
    assert name_key("率") == "率"  # too short to strip
    assert category_key("11-数量指标") == category_key("数 量") == "数量"


def test_quartiles_by_hand() -> None:
    # 1 2 3 4 5 6 7 8: positions 1.75, 3.5, 5.25 → 2.75, 4.5, 6.25
    dist = distribution([D(v) for v in (8, 1, 7, 2, 6, 3, 5, 4)], "%")
    assert dist is not None
    assert (dist.minimum, dist.p25, dist.median, dist.p75, dist.maximum) == (
        D(1),
        D("2.75"),
        D("4.5"),
        D("6.25"),
        D(8),
    )
    # odd count: 90 95 95 98 100 → p25 = 95, median = 95, p75 = 98
    odd = distribution([D(90), D(95), D(95), D(98), D(100)], "%")
    assert odd is not None
    assert (odd.p25, odd.median, odd.p75) == (D(95), D(95), D(98))
    assert distribution([], "%") is None
    one = distribution([D("0.1")], "%")
    assert one is not None
    assert one.median == one.p25 == one.p75 == D("0.1")


def test_quantiles_stay_exact() -> None:
    # 0.1 and 0.2: the median is exactly 0.15, no binary fraction
    assert quantile([D("0.1"), D("0.2")], D("0.5")) == D("0.15")


@given(st.lists(st.decimals(-1000, 1000, places=2), min_size=1, max_size=40))
def test_quantiles_are_ordered_and_within_range(values: list[Decimal]) -> None:
    dist = distribution(values, None)
    assert dist is not None
    assert dist.minimum <= dist.p25 <= dist.median <= dist.p75 <= dist.maximum
    assert dist.minimum == min(values)
    assert dist.maximum == max(values)


def test_rank_counts_below_and_half_of_ties() -> None:
    dist = distribution([D(v) for v in (80, 85, 90, 90, 95)], "%")
    assert dist is not None
    assert rank_of(D(100), dist) == 100
    assert rank_of(D(90), dist) == D(60)  # 2 below + 2 ties / 2 = 3 of 5
    assert rank_of(D(70), dist) == 0


def test_met_positive_reverse_deadline_and_qualitative() -> None:
    ge, le = parse_target("≥95%"), parse_target("≤5分钟")
    assert met(ge, Actual(value=D(95)), Direction.POSITIVE) is True
    assert met(ge, Actual(value=D("94.9")), Direction.POSITIVE) is False
    assert met(le, Actual(value=D(6)), Direction.REVERSE) is False
    assert met(le, Actual(value=D(4)), Direction.REVERSE) is True
    # "=" on a cost category is an upper bound; elsewhere a lower one
    cost = parse_target("120万元")
    assert target_direction(cost, "成本指标") is Direction.REVERSE
    assert met(cost, Actual(value=D(119)), Direction.REVERSE) is True
    assert met(cost, Actual(value=D(119)), Direction.POSITIVE) is False
    due = parse_target("2023年12月31日前")
    assert met(due, Actual(on=date(2023, 12, 31)), Direction.REVERSE) is True
    assert met(due, Actual(on=date(2024, 1, 1)), Direction.REVERSE) is False
    text = parse_target("效果明显")
    assert met(text, Actual(tier=QualitativeTier.ACHIEVED), Direction.NEUTRAL) is True
    assert met(text, Actual(tier=QualitativeTier.PARTIAL), Direction.NEUTRAL) is False
    assert met(ge, Actual(), Direction.POSITIVE) is None
    assert met(ge, Actual(value=D(1), not_applicable=True), Direction.POSITIVE) is None
    # a qualitative target never counts a number as met
    assert met(text, Actual(value=D(100)), Direction.NEUTRAL) is None


def test_direction_from_the_text() -> None:
    assert target_direction(parse_target("≥95%"), "质量指标") is Direction.POSITIVE
    assert target_direction(parse_target("下降5%"), "效益") is Direction.REVERSE
    assert target_direction(parse_target("效果明显"), None) is Direction.NEUTRAL


def test_common_wordings_fold_width_and_spaces() -> None:
    got = common_wordings(["效果明显", "效果 明显", "有所提高", "效果明显", ""])
    assert got == [("效果明显", 3), ("有所提高", 1)]

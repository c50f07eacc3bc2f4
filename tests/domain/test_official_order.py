"""The one indicator order: official grouping (成本 first where the framework has it as a
level-1 category, then 产出→效益→满意度), the source order kept inside a group."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.indicator import LevelRef, level_order, official_order

L1 = {"1": "产出指标", "2": "效益指标", "3": "满意度指标", "0": "成本指标"}
L2 = {"1": ["11", "12", "13", "14"], "2": ["21", "22", "23", "24"], "3": ["31"], "0": ["01"]}


def ref(code: str | None, name: str | None = None) -> LevelRef:
    return LevelRef(code, name)


def test_classic_groups_come_in_official_order_with_source_order_inside() -> None:
    items = [
        ("满意", ref("3"), ref("31")),
        ("数量甲", ref("1"), ref("11")),
        ("社会", ref("2"), ref("22")),
        ("质量", ref("1"), ref("12")),
        ("数量乙", ref("1"), ref("11")),
    ]
    ordered = official_order(items, lambda i: i[1], lambda i: i[2])
    assert [i[0] for i in ordered] == ["数量甲", "数量乙", "质量", "社会", "满意"]


def test_cost_comes_first_in_the_101_framework_and_names_without_codes_are_placed() -> None:
    items = [
        ("满意", ref(None, "满意度指标"), ref(None, "服务对象满意度指标")),
        ("产出", ref(None, "产出指标"), ref(None, "数量指标")),
        ("成本", ref(None, "成本指标"), ref(None, "经济成本指标")),
        ("效益", ref(None, "效益指标"), ref(None, "社会效益指标")),
        ("未分类", None, None),
    ]
    ordered = official_order(items, lambda i: i[1], lambda i: i[2])
    assert [i[0] for i in ordered] == ["成本", "产出", "效益", "满意", "未分类"]


def test_leading_zeros_do_not_split_a_group() -> None:
    assert level_order(ref("01"), 2) == level_order(ref("1"), 2)


levels = st.sampled_from(sorted(L1)).flatmap(
    lambda l1: st.tuples(st.just(l1), st.sampled_from(L2[l1]))
)


@given(st.lists(levels, max_size=30))
def test_order_is_a_stable_grouping(pairs: list[tuple[str, str]]) -> None:
    items = list(enumerate(pairs))
    ordered = official_order(items, lambda i: ref(i[1][0]), lambda i: ref(i[1][1]))
    assert sorted(ordered) == items
    keys = [(int(l1), int(l2)) for _, (l1, l2) in ordered]
    assert keys == sorted(keys)
    for key in set(keys):
        inside = [n for n, (l1, l2) in ordered if (int(l1), int(l2)) == key]
        assert inside == sorted(inside)

from dataclasses import dataclass

from jixiao.web.ui.indicator_table import group_rows, level_text


@dataclass
class Ind:
    name: str
    l1: tuple[str, str]
    l2: tuple[str, str]


OUT = ("1", "产出指标")
BEN = ("2", "效益指标")
SAT = ("3", "满意度指标")


def rows_of(items: list[Ind]) -> list[tuple[str, int, int]]:
    rows = group_rows(items, lambda i: i.l1, lambda i: i.l2)
    return [(r.item.name, r.level1_span, r.level2_span) for r in rows]


def test_groups_by_level_codes_with_rowspans_keeping_order_inside_groups() -> None:
    items = [
        Ind("满意度", SAT, ("31", "服务对象满意度")),
        Ind("天数", OUT, ("11", "数量指标")),
        Ind("投诉率", OUT, ("12", "质量指标")),
        Ind("台数", OUT, ("11", "数量指标")),
        Ind("形象", BEN, ("23", "生态效益")),
    ]
    assert rows_of(items) == [
        ("天数", 3, 2),
        ("台数", 0, 0),
        ("投诉率", 0, 1),
        ("形象", 1, 1),
        ("满意度", 1, 1),
    ]


def test_codes_sort_numerically_and_uncoded_groups_come_last() -> None:
    items = [
        Ind("无类", ("", ""), ("", "")),
        Ind("b", OUT, ("12", "质量指标")),
        Ind("a", OUT, ("9", "旧编码")),
    ]
    assert [name for name, _, _ in rows_of(items)] == ["a", "b", "无类"]


def test_level_text_as_the_official_table_writes_it() -> None:
    assert level_text(OUT) == "1-产出指标"
    assert level_text(("", "产出指标")) == "产出指标"
    assert level_text(("", "")) == "（未分类）"


def test_empty_list_gives_no_rows() -> None:
    assert rows_of([]) == []

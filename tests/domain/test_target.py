"""The target-value grammar: worked examples from published tables, and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.enums import Direction, Operator, TargetKind
from jixiao.domain.exchange import document_from_json, document_to_json
from jixiao.domain.indicator import Indicator
from jixiao.domain.project import Project
from jixiao.domain.target import TargetValue, normalize, parse_target

Q, L, D = TargetKind.QUANTITATIVE, TargetKind.QUALITATIVE, TargetKind.DEADLINE
GE, GT, EQ, LT, LE = Operator.GE, Operator.GT, Operator.EQ, Operator.LT, Operator.LE

# text, kind, op, value, unit
EXAMPLES: list[tuple[str, TargetKind, Operator | None, str | None, str | None]] = [
    ("≥95%", Q, GE, "95", "%"),
    (">=95%", Q, GE, "95", "%"),
    ("95%以上", Q, GE, "95", "%"),
    ("达100%", Q, GE, "100", "%"),
    ("达到95%", Q, GE, "95", "%"),
    ("不低于95%", Q, GE, "95", "%"),
    ("不少于10次", Q, GE, "10", "次"),
    ("不少于1%", Q, GE, "1", "%"),
    (">90%以上", Q, GT, "90", "%"),
    ("》90%", Q, GE, "90", "%"),
    ("≤5分钟", Q, LE, "5", "分钟"),
    ("≤5分种", Q, LE, "5", "分种"),
    ("1800台", Q, EQ, "1800", "台"),
    ("≥1500宗", Q, GE, "1500", "宗"),
    ("≥5000万", Q, GE, "5000", "万"),
    ("1次/季度", Q, EQ, "1", "次/季度"),
    ("每半年≥1次", Q, GE, "1", "次/半年"),
    ("突破300亿元", Q, GT, "300", "亿元"),
    (">49.85万户", Q, GT, "49.85", "万户"),
    (">49.85万户 (大于上一年底市场主体总量)", Q, GT, "49.85", "万户"),
    ("2023年12月31日前", D, LE, "2023-12-31", None),
    ("2023年底前", D, LE, "2023-12-31", None),
    ("2023年6月底前", D, LE, "2023-06-30", None),
    ("2023年内", D, LE, "2023-12-31", None),
    ("2024年前", D, LE, "2023-12-31", None),
    ("在2023-12-31之前", D, LE, "2023-12-31", None),
    ("1个小时内到位", Q, LE, "1", "个小时"),
    ("2个小时内到位", Q, LE, "2", "个小时"),
    ("收到销毁指令三个月内完成销毁", Q, LE, "3", "个月"),
    ("为期一年", Q, EQ, "1", "年"),
    ("1年", Q, EQ, "1", "年"),
    ("下降20%", Q, EQ, "20", "%"),
    ("同比下降", L, None, None, None),
    ("效果明显", L, None, None, None),
    ("0", Q, EQ, "0", None),
    ("0%", Q, EQ, "0", "%"),
    ("0天", Q, EQ, "0", "天"),
    ("3个平台运营壮大", Q, EQ, "3", "个"),
    ("2个(每个试点市场1个)", Q, EQ, "2", "个"),
    ("等于或低于预算价格", L, None, None, None),
    ("达≥95%", Q, GE, "95", "%"),
    ("≥100百分比", Q, GE, "100", "%"),
    ("＞９０％", Q, GT, "90", "%"),
    ("＜５％", Q, LT, "5", "%"),
    ("＝１００％", Q, EQ, "100", "%"),
    ("≧95%", Q, GE, "95", "%"),
    ("≦3天", Q, LE, "3", "天"),
    ("≥ 90%", Q, GE, "90", "%"),
    ("95%以内", Q, LE, "95", "%"),
    ("5个工作日内", Q, LE, "5", "个工作日"),
    ("10%以下", Q, LE, "10", "%"),
    ("大于50%", Q, GT, "50", "%"),
    ("高于3次", Q, GT, "3", "次"),
    ("超过100人", Q, GT, "100", "人"),
    ("小于5%", Q, LT, "5", "%"),
    ("低于3%", Q, LT, "3", "%"),
    ("不超过5%", Q, LE, "5", "%"),
    ("不高于213万元", Q, LE, "213", "万元"),
    ("1714.44万元", Q, EQ, "1714.44", "万元"),
    ("1, 714. 44万元", Q, EQ, "1714.44", "万元"),
    ("≥3000条", Q, GE, "3000", "条"),
    ("25万页", Q, EQ, "25", "万页"),
    ("3710批次", Q, EQ, "3710", "批次"),
    ("196名", Q, EQ, "196", "名"),
    ("≥80分", Q, GE, "80", "分"),
    ("2023年,全区发明专利授权量达到1400件", Q, GE, "1400", "件"),
    ("100%;", Q, EQ, "100", "%"),
    ("满意", L, None, None, None),
    ("持续优化", L, None, None, None),
    ("准时交付", L, None, None, None),
    ("达到上级部门要求的合格率", L, None, None, None),
    ("法律法规规定的时间内", L, None, None, None),
    ("一次性告知", L, None, None, None),
    ("一网通办", L, None, None, None),
    ("对4项获得第23届中国专利奖优秀奖项目等实施扶持", L, None, None, None),
    ("2023年2月30日前", L, None, None, None),
    ("", L, None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "op", "value", "unit"), EXAMPLES)
def test_worked_examples(
    text: str, kind: TargetKind, op: Operator | None, value: str | None, unit: str | None
) -> None:
    parsed = parse_target(text)
    got = parsed.as_json()
    assert (parsed.kind, got["op"], got["value"], got["unit"]) == (
        kind,
        None if op is None else op.value,
        None if value is None else str(Decimal(value)) if kind is Q else value,
        unit,
    )
    assert parsed.raw == text.strip()


def test_raw_text_is_kept_untouched() -> None:
    assert parse_target("  ≥100百分比 ").raw == "≥100百分比"
    assert parse_target("》90%").raw == "》90%"


def test_conditions_remarks_and_trends_are_kept_apart() -> None:
    burn = parse_target("收到销毁指令三个月内完成销毁")
    assert (burn.condition, burn.remark) == ("收到销毁指令", "完成销毁")
    assert parse_target("1个小时内到位").remark == "到位"
    assert parse_target("2个(每个试点市场1个)").remark == "(每个试点市场1个)"
    assert parse_target("下降20%").trend == "下降"
    assert parse_target("同比下降").trend == "下降"
    assert parse_target("较上年增长10%").condition == "较上年"


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("≥95%", Direction.POSITIVE),
        (">80%", Direction.POSITIVE),
        ("1800台", Direction.POSITIVE),
        ("≤5分钟", Direction.REVERSE),
        ("<5%", Direction.REVERSE),
        ("1个小时内到位", Direction.REVERSE),
        ("2023年12月31日前", Direction.REVERSE),
        ("下降20%", Direction.REVERSE),
        ("同比下降", Direction.REVERSE),
        ("较上年增长10%", Direction.POSITIVE),
        ("等于或低于预算价格", Direction.REVERSE),
        ("效果明显", Direction.NEUTRAL),
    ],
)
def test_direction_hint(text: str, direction: Direction) -> None:
    assert parse_target(text).direction is direction


def test_measurable_and_percent() -> None:
    assert parse_target("≥95%").is_measurable
    assert parse_target("≥95%").is_percent
    assert parse_target("≥100百分比").is_percent
    assert parse_target("2023年底前").is_measurable
    assert not parse_target("2023年底前").is_percent
    assert not parse_target("效果明显").is_measurable
    assert not parse_target("1800台").is_percent


def test_format_is_canonical() -> None:
    assert parse_target("95%以上").format() == "≥95%"
    assert parse_target("达100%").format() == "≥100%"
    assert parse_target("2023年底前").format() == "2023年12月31日前"
    assert parse_target("每半年≥1次").format() == "≥1次/半年"
    assert parse_target("效果明显").format() == "效果明显"


def test_deadline_json_value_is_an_iso_date() -> None:
    assert parse_target("2023年12月31日前").as_json() == {
        "raw": "2023年12月31日前",
        "kind": "deadline",
        "op": "<=",
        "value": "2023-12-31",
        "unit": None,
    }


@pytest.mark.parametrize(
    "text", ["下降20%", "1个小时内到位", "收到销毁指令三个月内完成销毁", "≥95%"]
)
def test_value_restored_without_details_reads_them_from_raw(text: str) -> None:
    """JSON and the database keep raw, kind, op, value and unit only."""
    parsed = parse_target(text)
    restored = TargetValue(parsed.raw, parsed.kind, parsed.op, parsed.value, parsed.unit)
    assert restored.details() == parsed.details()
    assert restored.direction is parsed.direction
    assert restored.format() == parsed.format()


def test_exchange_round_trip_keeps_what_targets_mean() -> None:
    indicators = [
        Indicator(name=f"指标{i}", period=parse_target(e[0])) for i, e in enumerate(EXAMPLES)
    ]
    doc = Document(projects=[Project(name="项目", indicators=indicators)])
    back = document_from_json(document_to_json(doc)).projects[0].indicators
    for before, after in zip(indicators, back, strict=True):
        assert before.period is not None
        assert after.period is not None
        assert after.period.details() == before.period.details(), before.period.raw
        assert after.period.direction is before.period.direction
        assert after.period.format() == before.period.format()


def test_details_are_not_taken_from_a_raw_text_that_disagrees() -> None:
    edited = TargetValue("下降20%", TargetKind.QUANTITATIVE, Operator.LE, Decimal(5), "%")
    assert edited.details() == (None, None, None)
    assert edited.direction is Direction.REVERSE
    assert edited.format() == "≤5%"


def test_normalize_folds_full_width_and_spaces() -> None:
    assert normalize("＞ ９０ ％；") == ">90%"


# --- properties ------------------------------------------------------------------------------

UNITS = [
    None, "%", "台", "次", "个", "宗", "万元", "亿元", "万户", "分钟", "分种", "个小时", "天",
    "个工作日", "年", "人次", "批次", "条", "次/季度", "次/半年", "名", "万", "平方米", "km",
]  # fmt: skip

values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
quantities = st.builds(
    TargetValue,
    raw=st.just(""),
    kind=st.just(Q),
    op=st.sampled_from(list(Operator)),
    value=values,
    unit=st.sampled_from(UNITS),
    trend=st.sampled_from([None, "下降", "增长", "提高"]),
    remark=st.sampled_from([None, "(含)", "(每个试点市场1个)"]),
)
deadlines = st.builds(
    TargetValue,
    raw=st.just(""),
    kind=st.just(D),
    op=st.just(LE),
    deadline=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)


def _meaning(t: TargetValue) -> tuple[object, ...]:
    return (t.kind, t.op, t.value, t.unit, t.deadline, t.trend, t.remark)


@settings(max_examples=300)
@given(st.one_of(quantities, deadlines))
def test_format_then_parse_round_trips(value: TargetValue) -> None:
    assert _meaning(parse_target(value.format())) == _meaning(value)


TARGET_ALPHABET = st.sampled_from(
    list(
        "0123456789.,%≥≤><=＞＜＝％０９年月日前底内以上下"
        "达到不低于少超过每次个天万元亿/()（） 效果明显"
    )
)


@settings(max_examples=500)
@given(st.text(TARGET_ALPHABET, max_size=20) | st.text(max_size=30))
def test_any_text_parses_without_error_and_keeps_raw(text: str) -> None:
    parsed = parse_target(text)
    assert parsed.raw == text.strip()
    assert parsed.kind in TargetKind


OP_WORDS = [
    "",
    "≥",
    ">=",
    ">",
    "<",
    "≤",
    "=",
    "》",
    "达",
    "达到",
    "不低于",
    "不少于",
    "不超过",
    "突破",
]
SUFFIXES = ["", "以上", "以内", "内", "以下"]
REMARKS = ["", "到位", "完成销毁", "平台运营壮大", "(含)", "(大于上一年底市场主体总量)"]
LEADS = ["", "每半年", "每季度", "全年", "收到销毁指令", "较上年增长", "同比下降"]
NUMBERS = st.decimals(min_value=0, max_value=10**7, places=2).map(str) | st.sampled_from(
    ["1, 714. 44", "三", "一", "十二", "90. 00", "０"]
)
written_values = st.tuples(
    st.sampled_from(LEADS),
    st.sampled_from(OP_WORDS),
    NUMBERS,
    st.sampled_from([u or "" for u in UNITS]),
    st.sampled_from(SUFFIXES),
    st.sampled_from(REMARKS),
).map("".join)


@settings(max_examples=500)
@given(written_values)
def test_format_of_a_parse_reads_back_the_same(text: str) -> None:
    parsed = parse_target(text)
    if parsed.is_measurable:
        assert _meaning(parse_target(parsed.format())) == _meaning(parsed)

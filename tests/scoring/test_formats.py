"""The jixiao.selfeval/1 and jixiao.monitoring/1 file formats, and the documented examples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.domain.enums import CompletionLikelihood, DeviationCause, QualitativeTier
from jixiao.domain.monitoring import BudgetLine
from jixiao.errors import InvalidValue
from jixiao.scoring.formats import (
    load_monitoring,
    load_selfeval,
    monitoring_from_data,
    selfeval_from_data,
)
from jixiao.scoring.lights import monitor_project
from jixiao.scoring.selfeval import score_evaluation

DOCS = Path(__file__).parents[2] / "docs" / "formats"


def test_documented_selfeval_example_loads_and_scores() -> None:
    [ev] = load_selfeval(DOCS / "selfeval-example.json")
    assert ev.project == "特种设备运行管理系统2021年建设项目"
    assert ev.total_funds is not None
    assert ev.total_funds.executed.fen == 76_500_000  # 76.50 万元 in 分
    assert [f.line for f in ev.funds] == [BudgetLine.TOTAL, BudgetLine.FISCAL]
    partial = ev.indicators[5]
    assert (partial.tier, partial.tier_percent) == (QualitativeTier.PARTIAL, Decimal("75"))
    assert ev.indicators[6].not_applicable
    score = score_evaluation(ev)
    assert score.issues == ()
    assert Decimal(0) < score.total <= Decimal(100)


def test_documented_monitoring_example_loads_and_lights() -> None:
    [pm] = load_monitoring(DOCS / "monitoring-example.toml")
    assert pm.round.label == "1–7月"
    assert str(pm.round.deadline) == "2023-08-15"
    first = pm.indicators[0]
    assert first.causes == frozenset({DeviationCause.STAFFING})
    assert first.likelihood is CompletionLikelihood.POSSIBLE
    assert pm.indicators[3].forecast_text == "按时完成"
    assert monitor_project(pm).issues == ()


def test_toml_floats_are_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "e.toml"
    path.write_text(
        'format = "jixiao.selfeval/1"\n[[projects]]\nname = "p"\n'
        "[[projects.funds]]\nbudget = 0.1\nexecuted = 0.3\n"
        '[[projects.indicators]]\nlevel2 = "11-数量指标"\nname = "x"\ntarget = "1个"\n'
        "actual = 0.1\n",
        encoding="utf-8",
    )
    [ev] = load_selfeval(path)
    assert ev.indicators[0].actual == Decimal("0.1")
    assert ev.total_funds is not None
    assert ev.total_funds.budget.fen == 100_000


def _selfeval(**indicator: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "x", "target": "≥1个", "level2": "11-数量指标"}
    base.update(indicator)
    return {"format": "jixiao.selfeval/1", "projects": [{"name": "p", "indicators": [base]}]}


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        ({"actual": "abc"}, r"projects\[0\]\.indicators\[0\]\.actual：不是有效的数值"),
        ({"tier": "很好"}, r"indicators\[0\]\.tier：未知的取值"),
        ({"target": None}, "缺少年度指标值"),
        ({"actual_date": "2023/1/1"}, "YYYY-MM-DD"),
        ({"tier": "partial", "tier_percent": "120"}, "0–100"),
        ({"weight": "-1"}, "不能为负数"),
        ({"actual": "3", "tier": "达成"}, "只能填写一种实际完成值"),
    ],
)
def test_bad_selfeval_input_gives_a_one_line_error(
    indicator: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message) as info:
        selfeval_from_data(json.loads(json.dumps(_selfeval(**indicator))))
    assert "\n" not in str(info.value)


def test_wrong_format_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"jixiao\.selfeval/1"):
        selfeval_from_data({"format": "jixiao.document/1"})
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidValue, match="不是有效的 JSON"):
        load_selfeval(broken)
    with pytest.raises(InvalidValue, match="end_month"):
        monitoring_from_data({"format": "jixiao.monitoring/1", "year": 2023, "projects": []})
    with pytest.raises(InvalidValue, match="1–12"):
        monitoring_from_data({"format": "jixiao.monitoring/1", "year": 2023, "end_month": 14})
    with pytest.raises(InvalidValue, match=r"funds\[0\]\.budget：金额不能为负数"):
        monitoring_from_data(
            {
                "format": "jixiao.monitoring/1",
                "year": 2023,
                "end_month": 7,
                "projects": [{"name": "p", "funds": [{"budget": "-1", "executed": "0"}]}],
            }
        )


def test_entries_round_trip_exactly() -> None:
    from jixiao.scoring.formats import (
        MONITORING_FORMAT,
        SELFEVAL_FORMAT,
        monitoring_entry,
        selfeval_entry,
    )

    evaluations = load_selfeval(DOCS / "selfeval-example.json")
    data = {
        "format": SELFEVAL_FORMAT,
        "year": 2023,
        "department": evaluations[0].department,
        "projects": [selfeval_entry(e) for e in evaluations],
    }
    assert selfeval_from_data(json.loads(json.dumps(data))) == evaluations
    records = load_monitoring(DOCS / "monitoring-example.toml")
    data = {
        "format": MONITORING_FORMAT,
        "year": 2023,
        "end_month": 7,
        "deadline": "2023-08-15",
        "department": records[0].department,
        "projects": [monitoring_entry(r) for r in records],
    }
    assert monitoring_from_data(json.loads(json.dumps(data))) == records
    assert monitoring_entry(records[0])["funds"][0]["executed"] == "61.2"


@pytest.mark.parametrize("field", ["year", "end_month"])
def test_a_fractional_year_or_month_is_refused(field: str) -> None:
    data: dict[str, object] = {
        "format": "jixiao.monitoring/1",
        "year": 2023,
        "end_month": 6,
        "projects": [],
    }
    data[field] = "6.5"
    with pytest.raises(InvalidValue, match=f"{field}：须为整数"):
        monitoring_from_data(data)
    with pytest.raises(InvalidValue, match="year：须为整数"):
        selfeval_from_data({"format": "jixiao.selfeval/1", "year": "2023.5", "projects": []})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"projects": "p"}, "projects：须为对象列表"),
        ({"projects": [{"name": "p", "funds": ["100"]}]}, r"projects\[0\]\.funds\[0\]：须为对象"),
        ({"department": 5}, "department：须为文字"),
        ({"projects": [{"name": ""}]}, r"projects\[0\]\.name：缺少项目名称"),
        ({"unit": "美元"}, "unit：未知的取值 '美元'"),
    ],
)
def test_wrong_shapes_name_their_field_in_one_chinese_line(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message) as info:
        selfeval_from_data({"format": "jixiao.selfeval/1", **data})
    assert "\n" not in str(info.value)

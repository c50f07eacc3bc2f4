"""Forms as page text (web page and PDF text-layer copies): what was printed is read back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from form_generator import (
    FormSpec,
    TargetFormSpec,
    evaluation_view,
    selfeval_specs,
    target_document_view,
    target_form_specs,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from page_text_render import NOISES, planted, render

from jixiao.cli import cli
from jixiao.domain.evaluation import IndicatorActual, SelfEvaluation
from jixiao.ingest import parse_bytes
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.readers import kind_of
from jixiao.scoring.formats import repairs_json, selfeval_from_data

SAMPLE = Path("/work/shared/samples/baiyun-amr-2023-targets.ocr.txt")


def _view(ev: SelfEvaluation) -> dict[str, object]:
    clean = replace(
        ev,
        goal=clean_text(ev.goal or ""),
        goal_result=clean_text(ev.goal_result or ""),
        indicators=[replace(i, deviation=clean_text(i.deviation)) for i in ev.indicators],
    )
    return evaluation_view(clean)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), selfeval_specs())
@pytest.mark.parametrize("noise", NOISES)
def test_self_evaluations_from_page_text(noise: str, data: st.DataObject, spec: FormSpec) -> None:
    text = render(spec.grid, noise, data.draw)
    result = parse_bytes(text.encode("utf-8"), "自评表.txt")
    assert (result.kind, result.source_kind) == ("self_evaluation", "page_text")
    assert [_view(e) for e in result.evaluations] == [_view(e) for e in spec.evaluations]
    assert [w for d in result.documents for w in d.warnings] == []
    repairs = [r for e in result.evaluations for r in e.repairs]
    assert bool(repairs) == planted(spec.grid, noise, text), text
    if "IO" in text:  # mended only because the 总分 row's 分值 confirms it
        assert ("IO", "10") in [(r.before, r.after) for r in repairs]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), target_form_specs())
@pytest.mark.parametrize("noise", NOISES)
def test_target_forms_from_page_text(noise: str, data: st.DataObject, spec: TargetFormSpec) -> None:
    text = render(spec.grid, noise, data.draw)
    result = parse_bytes(text.encode("utf-8"), "申报表.txt")
    assert (result.kind, result.source_kind) == ("project_targets", "page_text")
    assert target_document_view(result.document) == target_document_view(spec.document)
    assert result.document.warnings == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), selfeval_specs(), st.sampled_from(NOISES))
def test_jixiao_check_reads_page_text(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, spec: FormSpec, noise: str
) -> None:
    path = tmp_path_factory.mktemp("p") / "自评表.txt"
    path.write_text(render(spec.grid, noise, data.draw), encoding="utf-8")
    parsed = CliRunner().invoke(cli, ["parse", str(path), "--format", "json"])
    assert parsed.exit_code == 0, parsed.output
    data = json.loads(parsed.stdout)
    assert data["source_kind"] == "page_text"
    checked = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    projects = json.loads(checked.stdout)["projects"]
    assert [(p["project"], p["published_total"]) for p in projects] == [
        (e.project, format(e.published_total, "f")) for e in spec.evaluations
    ]
    # the reader's repairs, in the target tables' shape, in both outputs and read back as such
    read = parse_bytes(path.read_bytes(), path.name).evaluations
    expected = [repairs_json(e.repairs) for e in read]
    assert [p["repairs"] for p in data["projects"]] == expected
    assert [p["repairs"] for p in projects] == expected
    assert [e.repairs for e in selfeval_from_data(data)] == [e.repairs for e in read]


def test_the_department_ocr_text_is_not_taken_for_page_text() -> None:
    assert kind_of(SAMPLE.read_bytes(), SAMPLE.name).name == "ocr_text"  # type: ignore[union-attr]


FORM = """\
附件3  索引号：11440111-2024-00123  发布日期：2024-06-30
项目支出绩效自评表（2023年度）
项目名称 食品抽样检验经费
主管部门 白云区市场监督管理局 实施单位 白云区市场监督管理局本级
项目资金（万兀） 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 100. 00 90. 00 10 90% 9
年度总体目标 预期目标 实际完成情况
完成全年食品抽检任务，保障 - 2 - 食品安全。 完成抽检1000批次。
绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
1-产出指标 11-数量指标 抽检批次 ≥1000批次 1000批次 IO 10
12-质量指标 抽检合格率 ≥95% 96% 2O 20
总分 100 89
"""


def test_a_slip_the_totals_cannot_confirm_is_reported_not_mended() -> None:
    result = parse_bytes(FORM.encode("utf-8"), "自评表.txt")
    [ev] = result.evaluations
    assert (ev.year, ev.project, ev.funds[0].budget.fen) == (2023, "食品抽样检验经费", 100_000_000)
    assert ev.goal == "完成全年食品抽检任务，保障食品安全。"
    reasons = [r.reason for r in ev.repairs]
    assert any("文档信息" in r for r in reasons)
    assert any("页码" in r for r in reasons)
    assert ("项目资金（万兀）", "项目资金（万元）") in [(r.before, r.after) for r in ev.repairs]
    # 10 + 10 + 20 = 40, not the printed 100: neither IO nor 2O may be guessed
    assert [i.weight for i in ev.indicators] == [None, None]
    codes = [w.code for w in result.document.warnings]
    assert codes.count("ocr_slip") == 2


def test_a_slip_the_total_confirms_is_mended_and_recorded() -> None:
    text = FORM.replace("总分 100 89", "总分 40 89")
    [ev] = parse_bytes(text.encode("utf-8"), "自评表.txt").evaluations
    assert [i.weight for i in ev.indicators] == [10, 20]
    assert {("IO", "10"), ("2O", "20")} <= {(r.before, r.after) for r in ev.repairs}


def test_a_fragment_of_an_earlier_form_is_reported_not_attributed() -> None:
    fragment = "1-产出指标 11-数量指标 上一张表的指标 ≥5个 5个 10 10\n总分 100 100\n"
    result = parse_bytes((fragment + FORM).encode("utf-8"), "自评表.txt")
    [ev] = result.evaluations
    assert [i.name for i in ev.indicators] == ["抽检批次", "抽检合格率"]
    unplaced = [w for w in result.document.warnings if w.code == "unplaced_text"]
    assert len(unplaced) == 1
    assert "上一张表的指标" in unplaced[0].message


def test_text_scores_and_a_form_without_indicators_are_read_as_far_as_they_go() -> None:
    scored = FORM.replace("IO 10", "10 满分").replace("2O 20", "20 20").replace("100 89", "40 30")
    result = parse_bytes(scored.encode("utf-8"), "自评表.txt")
    [ev] = result.evaluations
    assert [(i.weight, i.published_score) for i in ev.indicators] == [(10, None), (20, 20)]
    assert "text_score" in [w.code for w in result.document.warnings]
    for bare in (FORM.split("绩效指标")[0], FORM.split("绩效指标")[0] + "三级指标\n"):
        result = parse_bytes(f"{bare}总分 100 89\n".encode(), "自评表.txt")
        [ev] = result.evaluations
        assert (ev.project, ev.indicators, ev.published_total) == ("食品抽样检验经费", [], 89)
        assert "no_indicators" in [w.code for w in result.document.warnings]


# One cell per line as a web page gives it: a title over two lines, levels without codes merged
# down, ``★`` and a template placeholder in a name, operators printed ``≧`` and ``═``.
WEB_COPY = """\
项目支出绩效自评表
（2023年度）
项目名称
★农贸市场升级改造补助
主管部门
某区市场监督管理局
实施单位
某区市场监督管理局本级
项目资金（万元）
年初预算数
全年预算数
全年执行数
分值
执行率
得分
年度资金总额
200.00
200.00
180.00
10
90.00%
9.00
其中：当年财政拨款
200.00
200.00
180.00
—
—
—
年度总体目标
预期目标
实际完成情况
完成10个农贸市场升级改造。
完成9个农贸市场升级改造。
绩效指标
一级指标
二级指标
三级指标
年度指标值
实际完成值
分值
得分
偏差原因分析及改进措施
产出指标
数量指标
★改造农贸市场数量(≥**个)
≧10个
9个
20
18
一个市场因选址调整延后，下年度完成。
质量指标
验收合格率
═100%
100%
20
20
效益指标
社会效益指标
群众满意度
≥90%
93%
40
40
总分
100
87
自评等级
良
"""


def test_a_web_copy_with_one_cell_per_line_and_codeless_levels() -> None:
    result = parse_bytes(WEB_COPY.encode("utf-8"), "自评表.txt")
    [ev] = result.evaluations
    assert (ev.project, ev.year, ev.published_total, ev.published_grade) == (
        "★农贸市场升级改造补助",
        2023,
        87,
        "良",
    )
    assert [(f.line.value, f.budget.fen, f.executed.fen) for f in ev.funds] == [
        ("total", 200_000_000, 180_000_000),
        ("fiscal", 200_000_000, 180_000_000),
    ]
    assert [_row(i) for i in ev.indicators] == [
        ("产出指标", "数量指标", "★改造农贸市场数量(≥**个)", "≧10个", "9个", 20, 18, True),
        ("产出指标", "质量指标", "验收合格率", "═100%", "100%", 20, 20, False),
        ("效益指标", "社会效益指标", "群众满意度", "≥90%", "93%", 40, 40, False),
    ]
    assert result.document.warnings == []


def _row(i: IndicatorActual) -> tuple[object, ...]:
    levels = (i.level1.name if i.level1 else None, i.level2.name if i.level2 else None)
    printed = (i.name, i.target.raw, i.actual_text, i.weight, i.published_score)
    return (*levels, *printed, bool(i.deviation))

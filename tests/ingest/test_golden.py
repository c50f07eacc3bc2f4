"""Golden documents: the reader's output must equal the reviewed expected.json of each folder.

expected.json is written by ``scripts/regen_golden.py`` and carries a ``_hash`` over the input
and the expected output, so neither can change without regenerating (and reviewing the diff).
The second half pins, by hand, the facts a human checked against the published sample.
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jixiao.domain.exchange import document_to_json
from jixiao.ingest import read_document

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = Path(__file__).resolve().parent / "documents"
FOLDERS = sorted(p for p in DOCUMENTS.iterdir() if p.is_dir())


def _regen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts/regen_golden.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REGEN = _regen()


def _expected(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_expected_file_is_generated_not_edited(folder: Path) -> None:
    expected = _expected(folder)
    source = REGEN.input_file(folder).read_bytes()
    assert expected["_hash"] == REGEN.golden_hash(source, expected)
    assert (folder / "SOURCE.md").is_file()


def _reading(data: Any) -> Any:
    """The document with each target value reduced to its raw text.

    How a raw value is interpreted (kind, operator, number, unit) belongs to the target grammar
    and is tested there (tests/domain/test_target.py); the golden file still records it, and
    ``make golden-accept`` refreshes it, but a grammar improvement must not fail the reader's
    golden.
    """
    if isinstance(data, dict):
        if set(data) == {"raw", "kind", "op", "value", "unit"}:
            return data["raw"]
        return {k: _reading(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_reading(v) for v in data]
    return data


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_parse_equals_golden(folder: Path) -> None:
    expected = _expected(folder)
    del expected["_hash"]
    actual = json.loads(
        json.dumps(document_to_json(read_document(REGEN.input_file(folder))), ensure_ascii=False)
    )
    assert _reading(actual) == _reading(expected)


# --- Facts checked by hand against the published sample (baiyun-amr-2023) -------------------

SAMPLE = DOCUMENTS / "baiyun-amr-2023" / "input.txt"
TOTALS = [
    ("综合业务监管平台建设项目含控假打假指挥调度平台", "90.00"),
    ("物业管理费", "125.00"),
    ("公务用车更新购置费", "30.00"),
    ("机构改革专项经费", "147.35"),
    ("政府雇员工资费用", "1714.44"),
    ("后勤人员专项支出", "110.00"),
    ("市场监督管理局制", "0.10"),
    ("市场监管举报奖励专项经费", "1.00"),
    ("白云区标准化战略资助", "200.00"),
    ("政府雇员公用经费", "58.80"),
    ("市场重点场所防疫视频AI分析系统2021年建设项目", "40.00"),
    ("特种设备运行管理系统2021年建设项目", "80.00"),
    ("资产综合管理信息系统建设项目费用", "1.49"),
    ("网络知识产权保护与投诉举报快速处置服务", "12.50"),
    ("办公场所维修改造项目经费", "32.00"),
    ("执法办案专项经费", "60.00"),
    ("三证一照业务政府购买服务费", "167.28"),
    ("新开办企业印章刻制经费", "117.08"),
    ("商事主体档案容e查软件产品购买项目", "42.25"),
    ("食品抽样检验经费", "154.80"),
    ("区食安办工作经费", "2.50"),
    ("综合业务经费", "200.31"),
    ("专项监督抽检经费", "229.94"),
    ("罚没物品仓储费", "249.70"),
    ("打假专项经费", "216.50"),
    ("视频会议系统设备采购项目", "78.39"),
    ("商事登记业务资料规范化处理服务费用", "192.46"),
    ("罚没物品处置费", "319.15"),
    ("后勤人员专项经费(预下达)", "32.00"),
    ("信息化运行维护项目", "91.98"),
    ("穗财商2022年55号农贸市场升级改造补助经费", "32.00"),
    ("化妆品产业专项扶持政策经费及工作经费", "3405.00"),
    ("穗财商2022年55号市知识产权专项资助资金", "22.00"),
    ("穗财商2022年55号市知识产权专项发展资金", "220.00"),
    ("穗财商2021年19号21年省促进经济高质量发展专项", "2.50"),
    ("穗财商2022年1号省促进经济高质量发展专项资金", "2.50"),
    ("穗财商2022年76号农贸市场升级改造补助经费", "150.00"),
]
# Indicator items per project, counted by hand in the sample (page-break pieces included).
COUNTS = [4, 6, 6, 4, 8, 9, 5, 6, 6, 9, 7, 6, 9, 6, 5, 6, 6, 6, 6, 7, 6, 6, 9, 6, 7, 4, 5, 6, 9]
COUNTS += [8, 6, 7, 5, 7, 8, 6, 6]


@pytest.fixture(scope="module")
def sample() -> Any:
    return read_document(SAMPLE)


def test_sample_header(sample: Any) -> None:
    assert sample.title == "项目支出绩效目标表(含转移支付项目)"
    assert sample.department == "广州市白云区市场监督管理局(本级)"
    assert sample.unit.value == "万元"


def test_sample_names_and_amounts(sample: Any) -> None:
    got = [(p.name, str(p.amounts.total)) for p in sample.projects]
    assert got == TOTALS
    for p in sample.projects:
        assert p.amounts.fiscal == p.amounts.total
        assert p.amounts.special is None
        assert p.amounts.other is None
    assert sum(p.amounts.total for p in sample.projects) == Decimal("8631.02")


def test_sample_indicator_counts(sample: Any) -> None:
    assert [len(p.indicators) for p in sample.projects] == COUNTS


def test_sample_page_break_pieces_joined(sample: Any) -> None:
    by_name = {p.name: p for p in sample.projects}
    assert by_name["市场监督管理局制"].source.lines == (15, 17)
    assert by_name["政府雇员公用经费"].source.lines == (20, 22)
    assert by_name["三证一照业务政府购买服务费"].source.lines == (30, 32)
    assert by_name["区食安办工作经费"].source.lines == (36, 38)
    assert by_name["食品抽样检验经费"].source.lines == (35,)
    assert by_name["商事登记业务资料规范化处理服务费用"].source.lines == (45, 47)
    assert by_name["信息化运行维护项目"].source.lines == (50, 52)
    food_office = by_name["区食安办工作经费"].indicators
    assert food_office[0].name == "食品安全宣传活动按要求完成率"
    assert food_office[2].annual.raw == "≥85%"
    pieces = by_name["政府雇员公用经费"].indicators[-2]
    assert (pieces.level1.format(), pieces.level2.format()) == ("2-效益指标", "23-生态效益")


def test_sample_written_values_kept(sample: Any) -> None:
    by_name = {p.name: p for p in sample.projects}
    prop = by_name["物业管理费"].indicators[0]
    assert (prop.level1.format(), prop.level2.format(), prop.name) == (
        "2-效益指标",
        "31-服务对象满意度",
        "每月考评达标率",
    )
    assert prop.period.raw == "》90%"
    jobs = by_name["后勤人员专项支出"].indicators[-1]
    assert (jobs.name, jobs.period.raw, jobs.annual.raw) == ("就业岗位招聘公开化程度", "100%", "0%")
    market = by_name["三证一照业务政府购买服务费"].indicators[-1]
    assert market.period.raw == ">49.85万户(大于上一年底市场主体总量)"
    assert market.annual.raw == market.period.raw
    duplicates = [i.name for i in by_name["资产综合管理信息系统建设项目费用"].indicators]
    assert duplicates.count("用户故障请求受理率") == 2
    inferred = by_name["白云区标准化战略资助"].indicators[2]
    assert (inferred.level1.format(), inferred.level2.format()) == ("1-产出指标", "13-时效指标")


def _copy(folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / folder.name
    copy.mkdir()
    for file in folder.iterdir():
        (copy / file.name).write_bytes(file.read_bytes())
    return copy


def test_regen_shows_the_diff_and_writes_only_with_accept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(FOLDERS[0], tmp_path)
    stored = copy / "expected.json"
    assert REGEN.main([], documents=tmp_path) == 0  # in step: nothing to show
    assert "unchanged" in capsys.readouterr().out
    edited = stored.read_text(encoding="utf-8").replace('"name": "', '"name": "改', 1)
    stored.write_text(edited, encoding="utf-8")
    assert REGEN.main([], documents=tmp_path) == 1
    out = capsys.readouterr().out
    assert f"--- {copy.name}/expected.json" in out
    assert any(line.startswith("-") and '"name": "改' in line for line in out.splitlines())
    assert "--accept" in out
    assert stored.read_text(encoding="utf-8") == edited  # nothing written
    assert REGEN.main(["--accept"], documents=tmp_path) == 0
    assert stored.read_text(encoding="utf-8") == (FOLDERS[0] / "expected.json").read_text(
        encoding="utf-8"
    )


def _without_provenance(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_provenance(v) for k, v in data.items() if k not in ("source", "_hash")}
    if isinstance(data, list):
        return [_without_provenance(v) for v in data]
    return data


def test_the_exported_workbook_reads_back_as_the_text_table() -> None:
    """The workbook golden holds the same projects as the OCR text golden; only the
    provenance differs (sheet cells instead of lines)."""
    text = _expected(DOCUMENTS / "baiyun-amr-2023")
    workbook = _expected(DOCUMENTS / "baiyun-amr-2023-exported-xlsx")
    assert len(workbook["projects"]) == 37
    for from_text, from_sheet in zip(text["projects"], workbook["projects"], strict=True):
        assert _without_provenance(from_sheet["indicators"]) == _without_provenance(
            from_text["indicators"]
        )
        for key in ("name", "goal", "amounts"):
            assert from_sheet[key] == from_text[key], key
        assert from_sheet["source"]["sheet"] == "绩效目标表"
        assert from_sheet["source"]["cells"][0].startswith("绩效目标表!A")

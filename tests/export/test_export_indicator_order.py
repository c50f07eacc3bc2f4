"""The 目标表, 自评表 and 监控表 print indicators in the official order whatever the entry order."""

from __future__ import annotations

from dataclasses import replace

from export_fixtures import monitorings, sample_document, selfevals

from jixiao.domain.indicator import official_order
from jixiao.export.grid import Sheet
from jixiao.export.tables import monitoring_sheets, selfeval_sheets, target_sheets
from jixiao.scoring.weights import bundled_profile


def names_in(sheet: Sheet, names: list[str]) -> list[str]:
    return [str(c.value) for b in sheet.blocks for row in b.rows for c in row if c.value in names]


def test_selfeval_table_is_in_official_order_for_a_shuffled_entry() -> None:
    ev = selfevals()[0]
    shuffled = replace(ev, indicators=list(reversed(ev.indicators)))
    want = [
        i.name for i in official_order(shuffled.indicators, lambda i: i.level1, lambda i: i.level2)
    ]
    assert want != [i.name for i in shuffled.indicators]
    sheet = selfeval_sheets([shuffled], bundled_profile("national"))[0]
    assert names_in(sheet, want) == want


def test_monitoring_table_is_in_official_order_for_a_shuffled_entry() -> None:
    pm = monitorings()[0]
    shuffled = replace(pm, indicators=list(reversed(pm.indicators)))
    want = [
        i.name for i in official_order(shuffled.indicators, lambda i: i.level1, lambda i: i.level2)
    ]
    sheet = monitoring_sheets([shuffled], bundled_profile("national"))[0]
    assert names_in(sheet, want) == want


def test_department_table_lists_each_project_s_indicators_in_official_order() -> None:
    doc = sample_document()
    project = next(p for p in doc.projects if p.name == "物业管理费")
    assert project.indicators[0].level1 is not None
    assert project.indicators[0].level1.name == "效益指标"  # the published table's order
    want = official_order(project.indicators, lambda i: i.level1, lambda i: i.level2)
    [sheet] = target_sheets(replace(doc, projects=[project]))
    [cell] = [c.value for b in sheet.blocks for row in b.rows for c in row if "1、" in str(c.value)]
    assert [line.split(",")[2].split(";")[0] for line in str(cell).splitlines()] == [
        i.name for i in want
    ]

"""Reading ``jixiao.document/1``: numbers are decimal strings, never floats or NaN."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.domain.document import Document
from jixiao.domain.exchange import document_from_json, document_to_json
from jixiao.domain.indicator import Indicator
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.errors import UnreadableDocument


def _data() -> dict[str, Any]:
    project = Project(
        name="项目",
        amounts=Amounts(total=Decimal("1714.44"), fiscal=Decimal("1714.44")),
        indicators=[Indicator(name="培训人次", annual=parse_target("≥300人次"))],
    )
    return document_to_json(Document(projects=[project]))


def test_amounts_and_values_read_back_exactly() -> None:
    [project] = document_from_json(_data()).projects
    assert project.amounts.total == Decimal("1714.44")
    assert project.indicators[0].annual is not None
    assert project.indicators[0].annual.value == Decimal("300")


@pytest.mark.parametrize("bad", [1714.44, "NaN", "Infinity", True])
def test_an_amount_that_is_not_a_finite_decimal_string_is_refused(bad: object) -> None:
    data = _data()
    data["projects"][0]["amounts"]["total"] = bad
    with pytest.raises(UnreadableDocument, match="数据不完整或有误"):
        document_from_json(data)


@pytest.mark.parametrize("bad", [300.1, "NaN", "-Infinity"])
def test_a_target_value_that_is_not_a_finite_decimal_string_is_refused(bad: object) -> None:
    data = _data()
    data["projects"][0]["indicators"][0]["annual"]["value"] = bad
    with pytest.raises(UnreadableDocument, match="数据不完整或有误"):
        document_from_json(data)

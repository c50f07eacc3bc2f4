"""Reading ``jixiao.document/1``: numbers are decimal strings, never floats or NaN."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside ``data`` (dict keys and list indexes)."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    out = []
    for key, value in items:
        out.append((*prefix, key))
        if isinstance(value, dict | list):
            out.extend(_paths(value, (*prefix, key)))
    return out


def test_a_missing_field_is_named_in_words() -> None:
    data = _data()
    del data["projects"][0]["amounts"]
    with pytest.raises(UnreadableDocument) as refused:
        document_from_json(data)
    assert (
        str(refused.value)
        == "jixiao.document/1 数据不完整或有误：projects[0] 缺少字段“amounts”（missing field）"
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_no_broken_document_shows_python_internals(data: st.DataObject) -> None:
    """Delete a key or replace a value anywhere: either it still reads, or the message is
    one line of words with no exception name or repr in it."""
    doc = _data()
    path = data.draw(st.sampled_from(_paths(doc)))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(st.sampled_from([None, 3, 1.5, "x", [], {}, [1], {"a": 1}]))
    try:
        document_from_json(doc)
    except UnreadableDocument as exc:
        message = str(exc)
        assert "\n" not in message
        assert "Error" not in message, message
        assert "object" not in message, message

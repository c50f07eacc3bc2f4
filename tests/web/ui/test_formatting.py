from datetime import UTC, datetime
from decimal import Decimal

import pytest

from jixiao.domain.enums import ProjectStatus
from jixiao.domain.money import Money
from jixiao.web.ui.formatting import code, label, wan, when


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (171_444_000_0, "1,714.44"),  # int = 分
        (Decimal("1714.44"), "1,714.44"),  # Decimal = 万元
        (Money(100_000), "0.10"),
        (Decimal("0.005"), "0.01"),
        (0, "0.00"),
        (None, "—"),
    ],
)
def test_wan_formats_amounts_with_thousands_separators(value: object, text: str) -> None:
    assert wan(value) == text


def test_wan_refuses_booleans() -> None:
    with pytest.raises(TypeError):
        wan(True)


def test_labels_and_codes_of_enums() -> None:
    assert label(ProjectStatus.RETURNED) == "已退回"
    assert code(ProjectStatus.RETURNED) == "returned"
    assert label(None) == ""


def test_when_shows_china_time() -> None:
    assert when(datetime(2026, 3, 1, 1, 30, tzinfo=UTC)) == "2026-03-01 09:30"
    assert when(datetime(2026, 3, 1, 1, 30)) == "2026-03-01 09:30"


def test_field_labels_are_chinese() -> None:
    from jixiao.web.ui.formatting import field_label

    assert field_label("amounts.fiscal") == "资金（财政拨款）"
    assert field_label("source") == "来源"
    assert field_label("goal") == "实施周期目标"
    assert field_label("indicators[1].annual") == "第 2 条指标·年度指标值"

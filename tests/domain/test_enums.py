import pytest

from jixiao.domain.enums import Operator, Role, Severity


def test_members_carry_value_and_chinese_label():
    assert Severity.ERROR == "error"
    assert Severity.ERROR.label == "错误"
    assert Role("dept_reviewer").label == "部门审核"
    assert Operator.GE.label == "≥"


def test_from_label_round_trips_and_rejects_unknown():
    assert Role.from_label("单位填报") is Role.UNIT_EDITOR
    with pytest.raises(ValueError, match="未知"):
        Role.from_label("超级用户")


def test_one_full_width_table() -> None:
    """Readers and the target grammar translate widths with the same table."""
    from jixiao.domain.target import parse_target
    from jixiao.domain.widths import FULL_WIDTH_TO_ASCII
    from jixiao.ingest.normalize import to_halfwidth

    assert "１２３．５％＋ＡＢ　".translate(FULL_WIDTH_TO_ASCII) == "123.5%+AB "
    assert to_halfwidth("１２３．５％，（注）") == "123.5%，（注）"  # CJK punctuation kept
    wide, plain = parse_target("≧９５．５％"), parse_target("≥95.5%")
    assert (wide.op, wide.value, wide.unit) == (plain.op, plain.value, plain.unit)

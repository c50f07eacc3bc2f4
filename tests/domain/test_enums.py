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

import pytest

from jixiao.domain.framework import load_framework, load_framework_file
from jixiao.errors import ProfileError


def test_classic_framework_codes():
    fw = load_framework("classic")
    assert [c.code for c in fw.level1] == ["1", "2", "3"]
    assert [c.code for c in fw.children("1")] == ["11", "12", "13", "14"]
    assert fw.by_code("31", 2).name == "服务对象满意度指标"
    assert fw.parent(fw.by_code("13", 2)).name == "产出指标"


def test_synonyms_match_short_names():
    fw = load_framework()
    assert fw.by_name("社会效益", 2).code == "22"
    assert fw.same_name("可持续影响", "可持续影响指标")
    assert not fw.same_name("社会效益", "经济效益")
    assert fw.find(None, "服务对象满意度", 2).code == "31"


def test_cb101_has_cost_as_level1():
    fw = load_framework("cb101")
    cost = fw.by_name("成本指标", 1)
    assert [c.name for c in fw.children(cost.code)] == [
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
    ]
    assert fw.by_code("14", 2) is None


def test_unknown_and_malformed_frameworks_raise_profile_error():
    with pytest.raises(ProfileError):
        load_framework("nope")
    with pytest.raises(ProfileError):
        load_framework_file("id = 'x'\nname = 'y'\n")
    with pytest.raises(ProfileError):
        load_framework_file("not toml ===")

"""The password policy (网络安全等级保护 口令复杂度) and the generator of passwords that pass it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from jixiao.services.errors import ValidationFailed
from jixiao.services.users.password_policy import (
    character_classes,
    check_password,
    common_passwords,
    generate_password,
)
from jixiao.settings import Settings

POLICY = Settings()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "3 类"),
        ("password", "3 类"),
        ("        ", "空白"),
        ("Ab1!", "至少 8 位"),
        ("zhangsan-Pass1", "用户名"),
        ("ZHANGSAN#2024", "用户名"),
        ("P@ssw0rd", "常见"),
        ("Admin@123", "常见"),
        ("1qaz@WSX", "常见"),
        ("Huawei@123", "常见"),
        ("x" * 201, "最多 200 位"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_password(password, "zhangsan", POLICY)
    assert message in refused.value.message
    assert refused.value.fields == {"password": refused.value.message}


@pytest.mark.parametrize(
    "password", ["correct-horse-9", "Budget#2026reviews", "绩效目标Ab12", "s3cret-pass"]
)
def test_good_passwords_pass(password: str) -> None:
    check_password(password, "zhangsan", POLICY)


def test_the_knobs_are_settings() -> None:
    strict = Settings(password_min_length=12, password_min_classes=4)
    with pytest.raises(ValidationFailed, match="至少 12 位"):
        check_password("correct-horse-9"[:11], "u1", strict)
    with pytest.raises(ValidationFailed, match="4 类"):
        check_password("correct-horse-9", "u1", strict)
    check_password("Correct-horse-9", "u1", strict)
    lenient = Settings(password_min_classes=1)
    check_password("horsebatterystaple", "u1", lenient)


def test_a_two_letter_username_is_only_refused_as_the_whole_password() -> None:
    check_password("Li-budget-2026", "li", POLICY)


def test_the_common_list_is_shipped_and_large_enough() -> None:
    common = common_passwords()
    assert len(common) >= 300
    assert {"123456", "woaini1314", "p@ssw0rd", "admin@123"} <= common


def test_character_classes_count_symbols_and_non_ascii_as_other() -> None:
    assert character_classes("abc") == 1
    assert character_classes("aB3") == 3
    assert character_classes("aB3-") == 4
    assert character_classes("密码abc") == 2


@hsettings(max_examples=200, deadline=None)
@given(st.integers(min_value=8, max_value=40), st.integers(min_value=1, max_value=4))
def test_generated_passwords_always_pass(length: int, classes: int) -> None:
    policy = Settings(password_min_length=length, password_min_classes=classes)
    password = generate_password(policy)
    check_password(password, "demo-user", policy)
    assert password[0] not in "!@#%*-_+=?"

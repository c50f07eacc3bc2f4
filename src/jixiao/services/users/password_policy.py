"""The password policy (网络安全等级保护 身份鉴别: 口令复杂度): length, character classes, not the
username, not a commonly used password. Applied whenever a password is set: account creation,
reset by a 管理员, and a user's own change.

``check_password(password, username, settings)`` raises :class:`ValidationFailed` with the
first rule broken, in Chinese; ``generate_password(settings)`` makes one that passes (the demo
accounts use it).
"""

from __future__ import annotations

import secrets
import string
from functools import cache
from importlib.resources import files

from jixiao.services.errors import ValidationFailed
from jixiao.settings import Settings

MAX_LENGTH = 200
# Usernames shorter than this are only refused as the whole password, not as a part of it.
_MIN_CONTAINED_USERNAME = 3
_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
)
_CLASS_NAMES = "大写字母、小写字母、数字、其他符号"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of commonly used passwords, lower-cased."""
    text = files("jixiao.services.users").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    found = {name for ch in password for name, test in _CLASSES if test(ch) and ch.isascii()}
    others = any(not (ch.isascii() and ch.isalnum()) for ch in password)
    return len(found) + others


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"password": message})


def check_password(password: str, username: str, settings: Settings) -> None:
    """Raise ValidationFailed unless ``password`` satisfies the policy for ``username``."""
    if len(password) < settings.password_min_length:
        raise _refuse(f"密码至少 {settings.password_min_length} 位")
    if len(password) > MAX_LENGTH:
        raise _refuse(f"密码最多 {MAX_LENGTH} 位")
    if not password.strip():
        raise _refuse("密码不能全为空白字符")
    if character_classes(password) < settings.password_min_classes:
        raise _refuse(f"密码须至少包含{_CLASS_NAMES}中的 {settings.password_min_classes} 类")
    name, lowered = username.strip().lower(), password.lower()
    if name and (lowered == name or (len(name) >= _MIN_CONTAINED_USERNAME and name in lowered)):
        raise _refuse("密码不能包含用户名")
    if lowered in common_passwords():
        raise _refuse("密码过于常见，容易被猜中，请换一个")


def generate_password(settings: Settings, length: int = 14) -> str:
    """A random password of every character class that satisfies the policy."""
    pools = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#%*-_+=?")
    size = max(length, settings.password_min_length)
    while True:
        chars = [secrets.choice(pool) for pool in pools]
        everything = "".join(pools)
        chars += [secrets.choice(everything) for _ in range(size - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if not password.lower().startswith(tuple(pools[3])):
            return password

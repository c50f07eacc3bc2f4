"""argon2id password hashing (argon2-cffi), with OWASP's recommended minimum parameters
(19 MiB memory, 2 iterations, 1 lane): slow for guessing, quick enough for a login."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return str(_HASHER.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a wrong password or a broken hash."""
    try:
        return bool(_HASHER.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return bool(_HASHER.check_needs_rehash(password_hash))

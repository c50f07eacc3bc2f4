"""Who is acting: the authenticated user as the services see them."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.db.models import User
from jixiao.domain.enums import Role


@dataclass(frozen=True)
class Principal:
    """The acting user. ``id`` None is the system itself (CLI maintenance, migrations).

    ``admin_reviews`` says whether a 管理员 may take review decisions (approve, return, waive):
    off by default (separation of duties), on with the setting ``admin_may_review``.
    """

    id: int | None
    username: str
    display_name: str
    role: Role
    org_id: int | None
    admin_reviews: bool = field(default=False, compare=False)

    @classmethod
    def of(cls, user: User, *, admin_may_review: bool = False) -> Principal:
        return cls(
            user.id, user.username, user.display_name, user.role, user.org_id, admin_may_review
        )

    @property
    def label(self) -> str:
        """How the actor appears in stamps and the audit log: ``张三（部门审核）``."""
        return f"{self.display_name}（{self.role.label}）"


SYSTEM = Principal(None, "system", "系统", Role.ADMIN, None)

"""The indicator framework (指标体系) as versioned data: level-1 and level-2 codes and names.

Frameworks live in ``domain/data/framework-*.toml``; a finance bureau adds its own file rather
than changing code. Names are matched with their synonyms (``社会效益`` = ``社会效益指标``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jixiao.errors import ProfileError

# bundled data files are read by path beside this module (importlib.resources slows start-up)
_HERE = Path(__file__).parent

DEFAULT_FRAMEWORK = "classic"


@dataclass(frozen=True)
class Category:
    """One level-1 or level-2 category of a framework."""

    code: str
    name: str
    level: int
    parent_code: str | None = None
    synonyms: tuple[str, ...] = ()

    def matches_name(self, name: str) -> bool:
        return name == self.name or name in self.synonyms


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    official: bool
    categories: tuple[Category, ...] = field(default_factory=tuple)

    @property
    def level1(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.level == 1)

    @property
    def level2(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.level == 2)

    def children(self, level1_code: str) -> tuple[Category, ...]:
        return tuple(c for c in self.level2 if c.parent_code == level1_code)

    def by_code(self, code: str, level: int) -> Category | None:
        return next((c for c in self.categories if c.level == level and c.code == code), None)

    def by_name(self, name: str, level: int) -> Category | None:
        return next((c for c in self.categories if c.level == level and c.matches_name(name)), None)

    def find(self, code: str | None, name: str | None, level: int) -> Category | None:
        """The category a (code, name) pair refers to: by code first, else by name."""
        if code:
            found = self.by_code(code, level)
            if found is not None:
                return found
        return self.by_name(name, level) if name else None

    def parent(self, level2: Category) -> Category | None:
        return self.by_code(level2.parent_code, 1) if level2.parent_code else None

    def same_name(self, a: str, b: str) -> bool:
        """Two names denote the same category (``社会效益`` and ``社会效益指标``)."""
        if a == b:
            return True
        return any(c.matches_name(a) and c.matches_name(b) for c in self.categories)


def _from_toml(data: dict[str, object]) -> Framework:
    try:
        categories: list[Category] = []
        for l1 in data["level1"]:  # type: ignore[attr-defined]
            categories.append(
                Category(str(l1["code"]), l1["name"], 1, None, tuple(l1.get("synonyms", ())))
            )
            for l2 in l1.get("level2", ()):
                categories.append(
                    Category(
                        str(l2["code"]),
                        l2["name"],
                        2,
                        str(l1["code"]),
                        tuple(l2.get("synonyms", ())),
                    )
                )
        return Framework(
            str(data["id"]), str(data["name"]), bool(data.get("official")), tuple(categories)
        )
    except (KeyError, TypeError) as exc:
        raise ProfileError(f"指标体系文件格式错误：{exc}") from None


@cache
def load_framework(framework_id: str = DEFAULT_FRAMEWORK) -> Framework:
    """Load a bundled framework by id (``classic`` or ``cb101``)."""
    path = _HERE / "data" / f"framework-{framework_id}.toml"
    if not path.is_file():
        raise ProfileError(f"未知的指标体系：{framework_id}")
    return _from_toml(tomllib.loads(path.read_text(encoding="utf-8")))


def load_framework_file(text: str) -> Framework:
    """Load a framework from TOML text (a bureau's own code table)."""
    try:
        return _from_toml(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"指标体系文件不是有效的 TOML：{exc}") from None

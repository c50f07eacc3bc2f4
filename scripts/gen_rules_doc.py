"""Write docs/rules.md from the review rule registry."""

from __future__ import annotations

from pathlib import Path

from jixiao.review.catalog import render_markdown

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def main() -> None:
    TARGET.write_text(render_markdown(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()

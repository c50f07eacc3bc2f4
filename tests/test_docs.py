"""Docs are code: the generated pages are current and every command and rule is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _gen_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["cli.md", "settings.md"])
def test_generated_page_is_current(page: str) -> None:
    gen = _gen_docs()
    assert (ROOT / "docs" / page).read_text(encoding="utf-8") == gen.PAGES[page](), (
        f"docs/{page} is stale: run `make docs`"
    )


def test_every_command_is_in_the_cli_page() -> None:
    gen = _gen_docs()
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, _ in gen._commands(gen.cli, "jixiao"):
        assert f"## `{path}`" in text


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)

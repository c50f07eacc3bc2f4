"""The files a command is given: files as they are, a folder for the visible files inside it."""

from __future__ import annotations

from pathlib import Path


def expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for the visible files directly inside it (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files

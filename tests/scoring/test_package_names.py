"""The package's public names all resolve; the file formats (pydantic) load on first use only."""

from __future__ import annotations

import subprocess
import sys

import jixiao.scoring as scoring


def test_every_public_name_loads() -> None:
    for name in scoring.__all__:
        assert getattr(scoring, name).__name__ == name


def test_importing_one_module_loads_not_the_file_formats() -> None:
    code = "import sys, jixiao.scoring.classify; print('jixiao.scoring.formats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

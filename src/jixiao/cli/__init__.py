"""The ``jixiao`` command line: a thin layer over the library and the services.

Each command group lives in its own module and registers itself on ``cli`` below.
"""

from __future__ import annotations

import click

from jixiao import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def cli() -> None:
    """jixiao：预算项目支出绩效目标全过程管理。"""


def main() -> None:
    cli()


from jixiao.cli import admin as _admin  # noqa: E402, F401  (registers `jixiao import|user|serve`)
from jixiao.cli import db as _db  # noqa: E402, F401  (registers `jixiao db`)
from jixiao.cli import export as _export  # noqa: E402, F401  (registers `jixiao export`)
from jixiao.cli import parse as _parse  # noqa: E402, F401  (registers `jixiao parse`)
from jixiao.cli import review as _review  # noqa: E402, F401  (registers `jixiao review`, `jixiao rules`)
from jixiao.cli import score as _score  # noqa: E402, F401  (registers `jixiao score`)

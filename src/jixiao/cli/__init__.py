"""The ``jixiao`` command line: a thin layer over the library and the services.

Each command group lives in its own module, which registers itself on ``cli`` when imported.
``COMMANDS`` says which module holds which command, so a run imports only the module of the
command it runs: ``jixiao parse`` on a text file never loads the database, web or export stack.
"""

from __future__ import annotations

import importlib

import click

from jixiao import __version__

# command name → the module that defines it
COMMANDS: dict[str, str] = {
    "check": "jixiao.cli.check",
    "db": "jixiao.cli.db",
    "export": "jixiao.cli.export",
    "import": "jixiao.cli.admin",
    "library": "jixiao.cli.library",
    "parse": "jixiao.cli.parse",
    "review": "jixiao.cli.review",
    "rules": "jixiao.cli.review",
    "score": "jixiao.cli.score",
    "serve": "jixiao.cli.admin",
    "user": "jixiao.cli.admin",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name])
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def cli() -> None:
    """jixiao：预算项目支出绩效目标全过程管理。"""


def main() -> None:
    cli()

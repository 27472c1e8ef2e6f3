"""The ``python -m tasks`` command line: :mod:`core.cli` plus ``--as ACCOUNT``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from core.cli import build_parser as _build_parser
from core.cli import print_json
from core.cli import run as _run

__all__ = ["build_parser", "print_json", "run"]


def _add_as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="as_account", metavar="ACCOUNT", help="以该账号的身份执行(默认以领导小组办公室身份执行)"
    )


def _use_account(args: argparse.Namespace) -> None:
    from .accounts.cli_support import use_cli_account

    use_cli_account(getattr(args, "as_account", None))


def build_parser(prog: str, description: str, commands_pkg: str = "tasks.commands") -> argparse.ArgumentParser:
    """The ``tasks`` parser: every sub-command of :mod:`tasks.commands`, and ``--as``."""
    return _build_parser(prog, description, commands_pkg, add_globals=_add_as)


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Dispatch as :func:`core.cli.run`, acting as the ``--as`` account."""
    return _run(parser, argv, before=_use_account)

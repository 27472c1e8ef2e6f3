"""Shared command-line plumbing for ``python -m tasks`` and ``python -m sim``.

Each package has a ``commands`` sub-package; every module in it defines
``register(subparsers)`` that adds one or more sub-commands whose handler is
``args.func(args) -> int``.  Errors a user can cause print one ``error: …``
line on stderr and exit 2, never a traceback (``--debug`` shows it).
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from typing import Any, Sequence

from .errors import WorkbenchError


def build_parser(prog: str, description: str, commands_pkg: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    if commands_pkg.startswith("tasks."):
        parser.add_argument("--as", dest="as_account", metavar="ACCOUNT",
                            help="以该账号的身份执行(默认以领导小组办公室身份执行)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pkg = importlib.import_module(commands_pkg)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{commands_pkg}.{info.name}").register(sub)
    return parser


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse and dispatch; map user errors to ``error: …`` + exit 2."""
    args = parser.parse_args(argv)
    try:
        if hasattr(args, "as_account"):
            from .accounts.cli_support import use_cli_account
            use_cli_account(args.as_account)
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except WorkbenchError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as err:  # unreadable input the readers did not foresee
        if args.debug:
            raise
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        return 2


def print_json(data: Any) -> None:
    """JSON on stdout, Chinese kept readable, dates as ISO strings."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")

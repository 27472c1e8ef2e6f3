"""Shared command-line plumbing for ``python -m tasks`` and ``python -m sim``.

Each package has a ``commands`` sub-package; every module in it defines
``register(subparsers)`` that adds one or more sub-commands whose handler is
``args.func(args) -> int``.  Errors a user can cause print one ``error: …``
line on stderr and exit 2, never a traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import WorkbenchError

__all__ = ["build_parser", "print_json", "run"]


def build_parser(
    prog: str,
    description: str,
    commands_pkg: str,
    add_globals: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.ArgumentParser:
    """A parser with one sub-command per module of ``commands_pkg``.

    Parameters
    ----------
    prog, description
        Shown by ``--help``.
    commands_pkg
        Dotted name of a package whose every module defines ``register(subparsers)``.
    add_globals
        Adds options common to every sub-command (before the sub-command name).

    Returns
    -------
    argparse.ArgumentParser
        With ``--debug`` (show tracebacks) and one sub-parser per command module.

    Examples
    --------
    >>> p = build_parser("python -m sim", "仿真", "sim.commands")
    >>> p.parse_args(["erlang", "--arrival-rate", "1", "--service-rate", "1"]).command
    'erlang'
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    if add_globals is not None:
        add_globals(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pkg = importlib.import_module(commands_pkg)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{commands_pkg}.{info.name}").register(sub)
    return parser


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None = None,
    before: Callable[[argparse.Namespace], None] | None = None,
) -> int:
    """Parse and dispatch; map user errors to ``error: …`` + exit 2.

    Parameters
    ----------
    parser
        From :func:`build_parser`.
    argv
        Arguments (default ``sys.argv[1:]``).
    before
        Runs first inside the same error handling (``tasks`` uses it to resolve ``--as ACCOUNT``).

    Returns
    -------
    int
        The command's exit status; 2 after a :class:`~core.errors.WorkbenchError` (or an unreadable
        input) was printed as one ``error: …`` line on stderr (``--debug`` re-raises instead).

    Examples
    --------
    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     code = run(build_parser("python -m sim", "仿真", "sim.commands"),
    ...                ["erlang", "--arrival-rate", "1", "--service-rate", "0"])
    >>> code, err.getvalue().startswith("error: ")
    (2, True)
    """
    args = parser.parse_args(argv)
    try:
        if before is not None:
            before(args)
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


def _jsonable(value: Any) -> Any:
    """Frozen records as their fields; anything else json cannot write (dates …) as ``str``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def print_json(data: Any) -> None:
    """JSON on stdout, Chinese kept readable, dates as ISO strings, dataclass records as objects.

    Parameters
    ----------
    data
        Anything :mod:`json` can write, with dates and frozen dataclass records anywhere inside
        (other unknown values are written as their ``str``).

    Examples
    --------
    >>> import datetime
    >>> from core.errors import Issue
    >>> print_json({"day": datetime.date(2021, 8, 31), "issue": Issue("应为日期", row=3)})
    {
      "day": "2021-08-31",
      "issue": {
        "message": "应为日期",
        "file": "",
        "sheet": null,
        "row": 3,
        "column": null,
        "task": null
      }
    }
    """
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_jsonable)
    sys.stdout.write("\n")

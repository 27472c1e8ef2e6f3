"""Pause Python's cyclic garbage collector while a function builds many short-lived containers.

Building a 50,000-task graph or counting 200,000 unit pairs allocates hundreds of thousands of
dicts, lists and tuples; each few hundred allocations trigger a collection, and the full ones
walk every object alive (the whole cached graph included).  Nothing in those steps makes
reference cycles that need the collector, so pausing it roughly halves their CPU time.

The pause is shared by every thread (the collector is process-wide): a counter under a lock
turns the collector off when the first paused call starts and back on when the last one ends,
and only if it was on to begin with — a thread's pause never leaves it off for good.

>>> import gc
>>> @paused_gc
... def build():
...     return gc.isenabled()
>>> build(), gc.isenabled()
(False, True)
>>> with pause_gc():
...     with pause_gc():
...         inner = gc.isenabled()
...     still_paused = gc.isenabled()
>>> inner, still_paused, gc.isenabled()
(False, False, True)
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["pause_gc", "paused_gc"]

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_restore = False


@contextmanager
def pause_gc() -> Iterator[None]:
    """The collector is off inside the block (nested and concurrent blocks share one pause)."""
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()


def paused_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run ``fn`` inside :func:`pause_gc`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with pause_gc():
            return fn(*args, **kwargs)

    return wrapper

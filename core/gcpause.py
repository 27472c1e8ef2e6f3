"""Pause Python's cyclic garbage collector while a function builds many short-lived containers.

Building a 50,000-task graph or counting 200,000 unit pairs allocates hundreds of thousands of
dicts, lists and tuples; each few hundred allocations trigger a collection, and the full ones
walk every object alive (the whole cached graph included).  Nothing in those steps makes
reference cycles that need the collector, so pausing it roughly halves their CPU time.

The pause is shared by every thread (the collector is process-wide): a counter under a lock
turns the collector off when the first paused call starts and back on when the last one ends,
and only if it was on to begin with — a thread's pause never leaves it off for good.

``pause_gc(keep=True)`` is for a block whose records outlive it (a cached snapshot of 50,000
task statuses): when the collector resumes, everything allocated meanwhile would be young, and
the first collection after the pause would walk all of it only to find it alive.  With ``keep``
the objects are moved to the oldest generation as the pause ends (``gc.freeze()`` then
``gc.unfreeze()``: two list splices, whatever the number of objects), where only the rare full
collections look at them.  Unless some other code has frozen objects of its own (a pre-forking
server): those are left frozen, and the young objects are then collected as usual.

>>> with pause_gc(keep=True):
...     kept = [[i] for i in range(1000)]
>>> gc.isenabled(), gc.get_count()[0] < 1000, gc.get_freeze_count()
(True, True, 0)

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

>>> @paused_gc(keep=True)
... def cached_build():
...     return [[i] for i in range(1000)]
>>> len(cached_build()), gc.isenabled(), gc.get_count()[0] < 1000
(1000, True, True)
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar, overload

__all__ = ["pause_gc", "paused_gc"]

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_restore = False
_keep = False


@contextmanager
def pause_gc(keep: bool = False) -> Iterator[None]:
    """The collector is off inside the block (nested and concurrent blocks share one pause);
    ``keep``: what the block built is long-lived, move it to the oldest generation when the pause ends."""
    global _depth, _restore, _keep
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
        _keep = _keep or keep
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _restore and _keep and not gc.get_freeze_count():
                    gc.freeze()  # every tracked object (the young ones too) to the permanent generation,
                    gc.unfreeze()  # and back into the oldest: no walk over them, young counts reset
                _keep = False
                if _restore:
                    gc.enable()


@overload
def paused_gc(fn: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def paused_gc(*, keep: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def paused_gc(
    fn: Callable[P, R] | None = None, /, *, keep: bool = False
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: run ``fn`` inside :func:`pause_gc` (``@paused_gc``, or ``@paused_gc(keep=True)`` for a
    function whose result is kept, as a cache keeps it)."""

    def decorate(f: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(f)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with pause_gc(keep):
                return f(*args, **kwargs)

        return wrapper

    return decorate(fn) if fn is not None else decorate

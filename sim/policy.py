"""The dynamic window-adjustment rule (窗口动态调整机制), as a pure decision function.

The hall model (:class:`sim.hall.HallEngine`) asks every ``policy.check_every``
minutes, per group that is open and has reserve windows:

* **open** one reserve window (it starts serving after ``switch_delay`` minutes,
  the time for a clerk to come from the back office) when waiting tickets per open
  window exceed ``open_per_window`` or the longest wait exceeds ``open_longest_wait``,
  and a reserve window is still free (open + already called < reserve);
* **close** one reserve window when the longest-idle window has been idle for
  ``close_idle`` minutes and no opening is under way.

Each decision carries a Chinese reason that goes into the adjustment log.

>>> from sim.scenario import Policy
>>> p = Policy(enabled=True, open_per_window=3, open_longest_wait=30)
>>> decide(p, waiting=10, open_windows=2, longest_wait=12, reserve_free=1, longest_idle=None, pending=0)
('open', '每窗等候5.0人>阈值3')
>>> decide(p, waiting=0, open_windows=3, longest_wait=0, reserve_free=0, longest_idle=25.0, pending=0,
...        reserve_active=1)
('close', '窗口空闲25分钟≥20分钟')
"""

from __future__ import annotations

from .scenario import Policy


def decide(
    policy: Policy,
    *,
    waiting: int,
    open_windows: int,
    longest_wait: float,
    reserve_free: int,
    longest_idle: float | None,
    pending: int,
    reserve_active: int = 0,
) -> tuple[str, str] | None:
    """``("open"|"close", reason)`` or ``None`` (keep as is)."""
    per = waiting / max(open_windows, 1)
    if reserve_free > 0 and (per > policy.open_per_window or longest_wait > policy.open_longest_wait):
        if per > policy.open_per_window:
            return "open", f"每窗等候{per:.1f}人>阈值{policy.open_per_window:g}"
        return "open", f"最长等候{longest_wait:.0f}分钟>阈值{policy.open_longest_wait:g}分钟"
    if reserve_active > 0 and pending == 0 and longest_idle is not None and longest_idle >= policy.close_idle:
        return "close", f"窗口空闲{longest_idle:.0f}分钟≥{policy.close_idle:g}分钟"
    return None

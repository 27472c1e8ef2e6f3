"""A service target from the numbers a form asks for (比例 %, 分钟, optional 平均分钟), with Chinese checks.

The office types "90" and "15", not ``90%<=15``; the result is the same :class:`sim.targets.Target`.

>>> t = target_from_numbers(90, 15)
>>> (t.percent, t.within, t.max_mean_wait, t.text)
(0.9, 15.0, None, '90%<=15')
>>> target_from_numbers(85, 20, mean_minutes=10).definition()[:40]
'服务目标:至少85%的群众等候时间不超过20分钟且平均等候时间不超过10分钟;按'
>>> target_from_numbers(120, 15)
Traceback (most recent call last):
...
sim.targets.TargetError: 达标比例应在1%到100%之间,而不是120%
"""

from __future__ import annotations

import math

from .targets import Target, TargetError

__all__ = ["target_from_numbers", "numbers_of"]


def _check(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TargetError(f"{name}应为数字,而不是“{value}”") from None
    if math.isnan(v):
        return None
    return v


def target_from_numbers(
    percent: float, minutes: float, *, mean_minutes: float | None = None, scope: str = "slot", counted: str = "arrivals"
) -> Target:
    """``percent`` (1–100) of people wait at most ``minutes`` (> 0); optionally a mean wait ≤ ``mean_minutes``."""
    p = _check(percent, "达标比例")
    m = _check(minutes, "等候时限")
    mean = _check(mean_minutes, "平均等候时限")
    if p is None or m is None:
        raise TargetError("请填写达标比例和等候时限,如 90% 的群众等候不超过 15 分钟")
    if not 1 <= p <= 100:
        raise TargetError(f"达标比例应在1%到100%之间,而不是{p:g}%")
    if not 0 < m <= 480:
        raise TargetError(f"等候时限应大于0且不超过480分钟,而不是{m:g}分钟")
    if mean is not None and mean <= 0:
        mean = None  # 0 or empty: no mean-wait condition
    return Target(percent=round(p / 100, 6), within=m, max_mean_wait=mean, scope=scope, counted=counted)


def numbers_of(target: Target) -> tuple[float, float, float | None]:
    """The form's numbers for ``target`` (percent 1–100, minutes, mean minutes or None).

    >>> numbers_of(target_from_numbers(90, 15, mean_minutes=8))
    (90.0, 15.0, 8.0)
    """
    return (
        round((target.percent or 0.9) * 100, 4),
        float(target.within or 15.0),
        None if target.max_mean_wait is None else float(target.max_mean_wait),
    )

"""Service targets the office states, e.g. "90%<=15", "mean<=10" or both ("90%<=15,mean<=10").

Why: the definition of "meeting the target" is a policy choice, so it is parsed once and the
written definition (Chinese) travels with every result.

>>> t = parse_target("90%<=15")
>>> (t.percent, t.within, t.max_mean_wait)
(0.9, 15.0, None)
>>> parse_target("90%<=15, mean<=10").met(0.93, 9.0)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import WorkbenchError

SCOPES = {"slot": "按每个半小时时段分别统计", "day": "按全天汇总统计"}
COUNTED = {"arrivals": "以该时段内取号的全部群众计(不限号,所有取号者均获服务)", "served": "以该时段内已办结的群众计"}


class TargetError(WorkbenchError):
    """A target string that cannot be read."""


@dataclass(frozen=True)
class Target:
    """``percent`` of customers wait ≤ ``within`` min, and/or mean wait ≤ ``max_mean_wait`` min.

    ``scope``: judged per slot ("slot") or pooled over the day ("day");
    ``counted``: over all arrivals ("arrivals", the default: nobody is turned away) or served ones.
    """

    percent: float | None = 0.9
    within: float | None = 15.0
    max_mean_wait: float | None = None
    scope: str = "slot"
    counted: str = "arrivals"

    def met(self, service_level: float | None, mean_wait: float | None) -> bool:
        """True when every stated part holds (an empty slot, both None, counts as met)."""
        if service_level is None and mean_wait is None:
            return True
        if self.percent is not None and (service_level is None or service_level < self.percent - 1e-12):
            return False
        return not (self.max_mean_wait is not None and (mean_wait is None or mean_wait > self.max_mean_wait + 1e-12))

    @property
    def text(self) -> str:
        """Short form, e.g. ``90%<=15,mean<=10``."""
        parts = []
        if self.percent is not None:
            parts.append(f"{_num(self.percent * 100)}%<={_num(self.within)}")
        if self.max_mean_wait is not None:
            parts.append(f"mean<={_num(self.max_mean_wait)}")
        return ",".join(parts)

    def definition(self) -> str:
        """The written definition shown beside every result (Chinese)."""
        parts = []
        if self.percent is not None:
            parts.append(f"至少{_num(self.percent * 100)}%的群众等候时间不超过{_num(self.within)}分钟")
        if self.max_mean_wait is not None:
            parts.append(f"平均等候时间不超过{_num(self.max_mean_wait)}分钟")
        return (
            f"服务目标:{'且'.join(parts)};{SCOPES[self.scope]};{COUNTED[self.counted]};等候时间指取号至叫号的分钟数。"
        )

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "percent": self.percent,
            "within": self.within,
            "max_mean_wait": self.max_mean_wait,
            "scope": self.scope,
            "counted": self.counted,
            "definition": self.definition(),
        }


def _num(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else f"{x:g}")


_PCT = re.compile(r"^(\d+(?:\.\d+)?)\s*%\s*(?:<=|≤|<)\s*(\d+(?:\.\d+)?)\s*(?:min|分钟)?$")
_MEAN = re.compile(r"^(?:mean|平均)\s*(?:<=|≤|<)\s*(\d+(?:\.\d+)?)\s*(?:min|分钟)?$")


def parse_target(text: str | Target, *, scope: str = "slot", counted: str = "arrivals") -> Target:
    """Parse "90%<=15", "mean<=10", or both joined by ``,`` ``;`` ``&`` ``和`` ``且``.

    Parameters
    ----------
    text : str or Target
        The target as typed; a :class:`Target` is returned unchanged.
    scope : str, default "slot"
        ``"slot"`` (judged per 30-minute slot) or ``"day"`` (pooled over the day).
    counted : str, default "arrivals"
        ``"arrivals"`` or ``"served"``.

    Returns
    -------
    Target
        The parsed target.

    Raises
    ------
    TargetError
        With a Chinese message when ``text`` is empty (服务目标为空), a part cannot be read
        (无法识别的服务目标), the percentage is outside 0..100, or ``scope``/``counted`` is unknown
        (统计口径无效).

    Examples
    --------
    >>> t = parse_target("90%<=15 且 mean<=10")
    >>> t.percent, t.within, t.max_mean_wait
    (0.9, 15.0, 10.0)
    >>> parse_target("快一点")
    Traceback (most recent call last):
    ...
    sim.targets.TargetError: 无法识别的服务目标“快一点”:请写成“90%<=15”“mean<=10”或两者用逗号连接
    """
    if isinstance(text, Target):
        return text
    if scope not in SCOPES or counted not in COUNTED:
        raise TargetError(f"统计口径无效:scope={scope}, counted={counted}")
    pct = within = mean = None
    raw = str(text or "").strip().replace(",", ",").replace(";", ";").replace("%", "%")
    parts = [p.strip() for p in re.split(r"[,;&]|和|且|\band\b", raw) if p.strip()]
    if not parts:
        raise TargetError("服务目标为空:请写成“90%<=15”(90%的群众等候不超过15分钟)或“mean<=10”")
    for part in parts:
        m = _PCT.match(part.replace(" ", ""))
        if m:
            pct, within = float(m.group(1)) / 100.0, float(m.group(2))
            if not 0 < pct <= 1:
                raise TargetError(f"服务目标“{text}”中的百分比须在0到100之间")
            continue
        m = _MEAN.match(part.replace(" ", "").lower())
        if m:
            mean = float(m.group(1))
            continue
        raise TargetError(f"无法识别的服务目标“{part}”:请写成“90%<=15”“mean<=10”或两者用逗号连接")
    return Target(percent=pct, within=within, max_mean_wait=mean, scope=scope, counted=counted)

"""Per-unit scorecards, the ranking (with its rule in words) and the reminder list (催办).

>>> snap = snapshot(store, date(2021, 11, 10))       # doctest: +SKIP
>>> [(c.rank, c.unit, c.score) for c in ranking(snap)][:3]   # doctest: +SKIP
>>> reminders(snap, "2021-10")                               # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from core.officedoc import cn_date

from ..store import parse_period
from .status import Snapshot


@dataclass
class Scorecard:
    """A unit's record as of a date; ``score`` follows ``rules.scoring_text()``.

    Parameters
    ----------
    unit : str
        The unit.
    led, joined : int, optional
        Tasks it leads, and tasks it joins as a responsible unit.
    done, done_on_time, overdue, at_risk : int, optional
        Its led tasks by state.
    duties, reported, on_time, late, missed : int, optional
        Reports it owed, and how many were sent, on time, late or not at all.
    cards : dict of str to int, optional
        Cards per level key on its led tasks.
    score : float, optional
        Its score.
    rank : int, optional
        Its place in :func:`ranking` (0 when not ranked).

    Examples
    --------
    >>> card = Scorecard("市财政局", led=2, duties=4, reported=3, on_time=2, late=1, missed=1)
    >>> card.compliance, card.on_time_rate
    (0.75, 0.5)
    """

    unit: str
    led: int = 0
    joined: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    at_risk: int = 0
    duties: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    cards: dict[str, int] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0

    @property
    def compliance(self) -> float:
        """Share of due reports that were sent (1.0 when nothing was due yet)."""
        return 1.0 if self.duties == 0 else round(self.reported / self.duties, 4)

    @property
    def on_time_rate(self) -> float:
        """Share of the unit's reporting duties met on time (1.0 when it had none), rounded to 4 places."""
        return 1.0 if self.duties == 0 else round(self.on_time / self.duties, 4)

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as JSON, with :attr:`compliance` and :attr:`on_time_rate` added.

        Returns
        -------
        dict
            Every field plus ``compliance`` and ``on_time_rate``.

        Examples
        --------
        >>> d = Scorecard("市财政局", led=2, duties=4, reported=3, on_time=2, late=1, missed=1).to_dict()
        >>> d["unit"], d["compliance"], d["on_time_rate"]
        ('市财政局', 0.75, 0.5)
        """
        d = asdict(self)
        d["compliance"], d["on_time_rate"] = self.compliance, self.on_time_rate
        return d


def scorecards(snap: Snapshot, units: list[str] | None = None, *, period: str | None = None) -> list[Scorecard]:
    """One card per unit that leads or joins a task (collective names such as 市直各相关单位 excluded).

    ``period`` (``2021-09``, ``2021-Q3``, ``2021-H2``) counts reporting duties
    (reported, late, missed) only for the months of that period, so a period
    report ranks units on that period; task states and cards are as of the
    snapshot date.  Without it every duty since the plan started counts.

    Parameters
    ----------
    snap : Snapshot
        The statuses and duties as of a date (:func:`~tasks.progress.snapshot`).
    units : list of str, optional
        Only these units; default all.
    period : str, optional
        Count reporting duties only within this period.

    Returns
    -------
    list of Scorecard
        Sorted by unit name.

    Raises
    ------
    BadPeriod
        When ``period`` is not a period (``无法识别的报告期“…”``).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> from tasks.progress import snapshot
    >>> snap = snapshot(store, date(2021, 10, 20))
    >>> [(c.unit, c.reported, c.missed, c.score) for c in scorecards(snap)]
    [('市公安局', 0, 1, 95), ('市财政局', 1, 0, 100)]
    """
    from ..units import is_collective as collective

    is_collective = lru_cache(maxsize=None)(collective)  # asked once per task, unit and period

    months = {m.key for m in parse_period(period).months()} if period else None
    cards: dict[str, Scorecard] = {}

    def card(u: str) -> Scorecard:
        if u not in cards:
            cards[u] = Scorecard(u, cards={lv.key: 0 for lv in snap.rules.levels})
        return cards[u]

    for s in snap.statuses:
        for u in s.lead_units:
            if is_collective(u):
                continue
            c = card(u)
            c.led += 1
            c.done += s.status == "done"
            c.done_on_time += s.done_on_time
            c.overdue += s.status == "overdue"
            c.at_risk += s.status == "at_risk"
            if s.card:
                c.cards[s.card] = c.cards.get(s.card, 0) + 1
        for u in s.responsible_units:
            if not is_collective(u) and u not in s.lead_units:
                card(u).joined += 1
    as_of = snap.as_of  # read once: a Snapshot attribute goes through its lazy-loading __getattribute__
    # counted per unit and period (Snapshot.duty_counts), not duty by duty: a duty not due yet and not
    # sent brings no merit and no fault
    for (_plan, unit, key, due), (n, sent, on_time) in snap.duty_counts().cells.items():
        if is_collective(unit) or (months is not None and key not in months):
            continue
        counted = n if due < as_of else sent
        if not counted:
            continue
        c = card(unit)
        c.duties += counted
        c.missed += counted - sent
        c.reported += sent
        c.on_time += on_time
        c.late += sent - on_time
    r = snap.rules
    points = {lv.key: lv.points for lv in r.levels}
    for c in cards.values():
        c.score = round(
            r.base
            - sum(points[k] * n for k, n in c.cards.items())
            - r.late_report * c.late
            - r.missed_report * c.missed
            + r.done_on_time * c.done_on_time,
            2,
        )
    out = [cards[u] for u in sorted(cards)]
    if units is not None:
        out = [c for c in out if c.unit in set(units)]
    return out


def ranking(snap: Snapshot, units: list[str] | None = None, *, period: str | None = None) -> list[Scorecard]:
    """Scorecards of units that lead tasks, best first; equal (score, on-time completions, compliance) share a rank.

    Units that only join tasks (责任单位) owe no reports and are not ranked.

    Parameters
    ----------
    snap : Snapshot
        The statuses and duties as of a date.
    units : list of str, optional
        Only these units; default all.
    period : str, optional
        Count reporting duties only within this period (as :func:`scorecards`).

    Returns
    -------
    list of Scorecard
        Best first, with ``rank`` set.

    Raises
    ------
    BadPeriod
        When ``period`` is not a period.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> from tasks.progress import snapshot
    >>> snap = snapshot(store, date(2021, 10, 20))
    >>> [(c.rank, c.unit, c.score) for c in ranking(snap)]
    [(1, '市财政局', 100), (2, '市公安局', 95)]
    """
    cards = sorted(
        (c for c in scorecards(snap, units, period=period) if c.led),
        key=lambda c: (-c.score, -c.done_on_time, -c.compliance, c.unit),
    )
    prev, rank = None, 0
    for i, c in enumerate(cards, 1):
        key = (c.score, c.done_on_time, c.compliance)
        if key != prev:
            rank, prev = i, key
        c.rank = rank
    return cards


def ranking_rule(snap: Snapshot, period: str | None = None) -> str:
    """The scoring rule in words, to print beside every ranking (``period`` as given to :func:`ranking`).

    Parameters
    ----------
    snap : Snapshot
        The snapshot ranked (its rules and date).
    period : str, optional
        The period the ranking counted duties in.

    Returns
    -------
    str
        The rule in Chinese.

    Raises
    ------
    BadPeriod
        When ``period`` is not a period.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> from tasks.progress import snapshot
    >>> snap = snapshot(store, date(2021, 10, 20))
    >>> ranking_rule(snap, "2021-09").endswith("只计2021年9月内各月,任务状态和预警截至2021年10月20日")
    True
    """
    text = snap.rules.scoring_text()
    if period:
        text += f"。报送情况(应报、迟报、未报送)只计{parse_period(period).label()}内各月,任务状态和预警截至{cn_date(snap.as_of)}"
    return text


@dataclass
class Reminder:
    """A unit that has not reported for a period, and the tasks it still owes.

    Parameters
    ----------
    unit : str
        The unit.
    period : str
        The period key (``2021-09``).
    due : date
        The period's due date.
    overdue : bool
        Whether the due date has passed.
    tasks : list of dict
        The tasks owed (``plan``, ``id``, ``title``, ``deadline``, ``status``, ``status_label``).

    Examples
    --------
    >>> Reminder("市公安局", "2021-09", date(2021, 10, 5), True, [{"id": "2"}]).text()
    '市公安局:2021-09 进展已超过报送期限(期限 2021-10-05),涉及任务 2'
    """

    unit: str
    period: str
    due: date
    overdue: bool
    tasks: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The reminder as JSON (the due date as ISO text).

        Returns
        -------
        dict
            ``unit``, ``period``, ``due``, ``overdue`` and ``tasks``.

        Examples
        --------
        >>> Reminder("市公安局", "2021-09", date(2021, 10, 5), True, [{"id": "2"}]).to_dict()["due"]
        '2021-10-05'
        """
        d = asdict(self)
        d["due"] = self.due.isoformat()
        return d

    def text(self) -> str:
        """One Chinese line for the unit: which period is missing, by when, for which tasks.

        Returns
        -------
        str
            ``单位:期 进展尚未报送(期限 …),涉及任务 …`` (``已超过报送期限`` once overdue).

        Examples
        --------
        >>> Reminder("市公安局", "2021-09", date(2021, 10, 5), False, [{"id": "2"}, {"id": "5"}]).text()
        '市公安局:2021-09 进展尚未报送(期限 2021-10-05),涉及任务 2、5'
        """
        ids = "、".join(t["id"] for t in self.tasks)
        state = "已超过报送期限" if self.overdue else "尚未报送"
        return f"{self.unit}:{self.period} 进展{state}(期限 {self.due.isoformat()}),涉及任务 {ids}"


def reminders(snap: Snapshot, period: str | None = None) -> list[Reminder]:
    """催办名单: units with open tasks that have not reported for ``period`` (default: latest period due).

    A unit is listed with every task it leads that has no report from it for
    the period as of the snapshot date.

    Parameters
    ----------
    snap : Snapshot
        The statuses and duties as of a date.
    period : str, optional
        The month (``2021-09``); default the latest period due by the snapshot date.

    Returns
    -------
    list of Reminder
        Sorted by unit; empty when no period is due yet.

    Raises
    ------
    BadPeriod
        When ``period`` is not a month.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> from tasks.progress import snapshot
    >>> snap = snapshot(store, date(2021, 10, 20))
    >>> [r.text() for r in reminders(snap)]
    ['市公安局:2021-09 进展已超过报送期限(期限 2021-10-05),涉及任务 2']
    """
    from ..units import is_collective as collective

    is_collective = lru_cache(maxsize=None)(collective)  # asked once per duty

    if period is None:
        due = [p for p in snap.periods if p.due < snap.as_of]
        if not due:
            return []
        period = due[-1].key
    key = parse_period(period, "month").key
    by_pk = {t.pk: t for t in snap.tasks}
    status = {(s.plan, s.id): s for s in snap.statuses}
    owed: dict[str, list] = defaultdict(list)
    due_of: date | None = None
    for d in snap.unreported(key):  # the kept path lists only these, not every duty
        if is_collective(d.unit):
            continue
        due_of = d.due
        t = by_pk[d.task_pk]
        st = status[(t.plan, t.id)]
        owed[d.unit].append(
            {
                "plan": t.plan,
                "id": t.id,
                "title": t.title,
                "deadline": t.deadline.isoformat() if t.deadline else None,
                "status": st.status,
                "status_label": st.status_label,
            }
        )
    pinfo = next((p for p in snap.periods if p.key == key), None)
    due_date = pinfo.due if pinfo else due_of
    if due_date is None:  # no report was owed for the period
        return []
    return [Reminder(u, key, due_date, snap.as_of > due_date, owed[u]) for u in sorted(owed)]

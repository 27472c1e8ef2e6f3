"""Status at province size (issue 18): the kept path works its figures and cards out for every task at
once (:func:`_figure_columns`, numpy) and builds the records with one positional call per task
(:func:`_kept_statuses`).  Both must give exactly what :func:`_task_status` gives task by task:
the same fields, the same types, the same Python rounding, the same card and reason.
"""

from __future__ import annotations

import gc
import random
from dataclasses import fields
from datetime import date, datetime, timedelta

import pytest

from core.gcpause import pause_gc
from tasks.progress import default_rules
from tasks.progress.lifecycle import CLAIMED, CLOSED, IN_PROGRESS, Appeal, Extension, TaskLifecycle, UnitLifecycle
from tasks.progress.rules import rules_from_dict
from tasks.progress.status import (
    TaskStatus,
    _figure_columns,
    _figures,
    _Kept,
    _kept_statuses,
    _Last,
    _task_status,
)
from tasks.store import StoredTask

AS_OF = date(2025, 3, 17)


def _case(seed: int, n: int = 400) -> tuple[list[StoredTask], _Kept]:
    rng = random.Random(seed)
    tasks: list[StoredTask] = []
    starts, dones, lcs, latest = [], [], [], {}
    n_owed, streak, missed, late = [], [], [], []
    for i in range(n):
        deadline = rng.choice([None, AS_OF + timedelta(days=rng.randrange(-400, 400)), AS_OF, date(2024, 1, 1)])
        kind = "ongoing" if deadline is None and rng.random() < 0.7 else "date"
        assigned = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 500))
        leads = rng.choice([["甲"], ["甲", "乙"], [], ["丙"]])
        t = StoredTask(
            pk=i + 1, plan=rng.choice(["p", "q"]), id=str(i + 1), title=f"任务{i}", section="", deadline=deadline,
            deadline_kind=kind, deadline_text="", lead_units=leads, responsible_units=["丁"],
            assigned_on=assigned,
        )  # fmt: skip
        tasks.append(t)
        starts.append(rng.choice([None, date(2024, 1, 1), date(2024, 7, 9), deadline]))
        lc = None
        if rng.random() < 0.8:
            lc = TaskLifecycle(t.pk, t.plan, t.id, deadline, deadline)
            for u in leads:
                ul = UnitLifecycle(u, rng.choice(["pending_sign", IN_PROGRESS, CLAIMED, CLOSED]))
                if ul.state in (CLAIMED, CLOSED):
                    ul.claim_date = AS_OF - timedelta(days=rng.randrange(0, 300))
                    ul.closed_date = ul.claim_date if ul.state == CLOSED else None
                if ul.state == IN_PROGRESS and rng.random() < 0.3:
                    ul.returned_note = "材料不全"
                lc.units[u] = ul
            if rng.random() < 0.2:
                lc.deadline = (deadline or AS_OF) + timedelta(days=30)
                lc.extensions.append(Extension(1, "甲", lc.deadline, "忙", datetime(2025, 1, 2), deadline, "approved"))
            if rng.random() < 0.2:
                lc.appeals.append(
                    Appeal(2, "甲", "red", "理由", datetime(2025, 1, 3), rng.choice(["upheld", "pending"]))
                )
        lcs.append(lc)
        closed = lc.closed_date if lc is not None and lc.units else None
        dones.append(closed if closed or rng.random() < 0.9 else AS_OF - timedelta(days=rng.randrange(0, 90)))
        if rng.random() < 0.85:
            # percents that put expected - percent on a rounding edge (x.x5) now and then
            percent = rng.choice([0, 12.5, 33.35, 50, 66.65, 99.95, 100, float(rng.randrange(0, 101))])
            latest[t.pk] = _Last(
                AS_OF - timedelta(days=rng.randrange(0, 60)), i, rng.choice(leads or ["丁"]),
                rng.choice(["未启动", "推进中", "滞后", "已完成"]), percent, "进展", rng.choice(["", "问题"]),
            )  # fmt: skip
        owed = rng.randrange(0, 14)
        n_owed.append(owed)
        streak.append(rng.randrange(0, owed + 1))
        missed.append(max(streak[-1], rng.randrange(0, owed + 1)))
        late.append(rng.randrange(0, owed + 1))
    return tasks, _Kept(latest, starts, dones, lcs, n_owed, streak, missed, late, [], {})


RULES = [
    default_rules(),
    rules_from_dict(
        {
            "status": {"at_risk_gap": 7.5},
            "supervision": {"extended_deadline_counts": True},
            "levels": [
                {"key": "blue", "name": "蓝牌", "color": "0000FF", "when": ["gap > 10", "late_reports >= 2"]},
                {"key": "yellow", "name": "黄牌", "color": "FFFF00", "when": ["status == at_risk", "gap >= 30.5"]},
                {"key": "red", "name": "红牌", "color": "FF0000", "when": ["overdue_days > 30", "missed_reports >= 3"]},
            ],
        }
    ),
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rules", RULES, ids=["default", "gap rules"])
def test_kept_statuses_equal_the_task_by_task_records(seed, rules):
    tasks, k = _case(seed)
    got = _kept_statuses(tasks, AS_OF, rules, k, {})
    want = [
        _task_status(
            t, AS_OF, rules, k.starts[j], lc.deadline if lc else t.deadline, k.dones[j], k.latest.get(t.pk),
            k.n_owed[j], k.streak[j], k.missed[j], k.late[j], lc, {},
        )
        for j, (t, lc) in enumerate(zip(tasks, k.lcs))
    ]  # fmt: skip
    assert got == want
    for a, b in zip(got, want):  # the same types too (a numpy number or an int for a float would compare equal)
        for f in fields(TaskStatus):
            assert type(getattr(a, f.name)) is type(getattr(b, f.name)), f.name
        assert a.unit_lifecycle is not b.unit_lifecycle and a.extensions is not b.extensions
    assert len({id(s.cards) for s in got}) == len(got)  # each record its own lists and dicts
    assert len({id(s.unit_lifecycle) for s in got}) == len(got)


@pytest.mark.parametrize("seed", range(4))
def test_figure_columns_equal_figures_and_cards_task_by_task(seed):
    from tasks.progress.status import _card_of

    tasks, k = _case(seed + 10)
    rules = RULES[1]
    lasts = [k.latest.get(t.pk) for t in tasks]
    for clears in (True, False):
        cols = _figure_columns(tasks, AS_OF, rules, k, lasts, done_clears_streak=clears, memo={})
        for j, (t, lc) in enumerate(zip(tasks, k.lcs)):
            deadline = lc.deadline if lc else t.deadline
            status, percent, expected, gap, overdue = _figures(
                t, AS_OF, rules, k.starts[j], deadline, k.dones[j], lasts[j], k.n_owed[j], k.streak[j]
            )
            streak = 0 if clears and status == "done" else k.streak[j]
            assert (cols.status[j], cols.percent[j], cols.expected[j], cols.gap[j], cols.overdue_days[j]) == (
                status, percent, expected, gap, overdue,
            )  # fmt: skip
            assert cols.deadlines[j] == deadline and cols.streak[j] == streak
            assert cols.cards[j] == _card_of(rules, (status, streak, k.late[j], overdue, gap if gap is not None else 0))


def test_python_rounding_not_numpys():
    """``round(2.675, 1)``-style edges: numpy's round works on x * 10 and can land on the other side."""
    import numpy as np

    from tasks.progress.status import _py_round

    values = np.array([0.05, 0.15, 0.25, 0.35, 2.675, 1.005, 66.65, 33.35, -0.05, 99.95, 12.345], dtype=np.float64)
    assert _py_round(values).tolist() == [round(v, 1) for v in values.tolist()]
    assert _py_round(values[:0]).tolist() == []


def test_pause_gc_keep_moves_what_was_built_to_the_oldest_generation():
    was = gc.isenabled()
    gc.enable()
    try:
        with pause_gc(keep=True):
            built = [[i] for i in range(5000)]
        assert gc.isenabled() and gc.get_count()[0] < 5000 and gc.get_freeze_count() == 0
        assert any(built[0] is o for o in gc.get_objects(generation=2))
        gc.collect()  # an empty young generation: the 50 lists below cannot set off a collection
        with pause_gc():  # without keep nothing moves
            young = [[i] for i in range(50)]
        assert any(young[0] is o for o in gc.get_objects(generation=0))
        gc.freeze()  # someone else's frozen objects stay frozen
        try:
            frozen = gc.get_freeze_count()
            with pause_gc(keep=True):
                more = [[i] for i in range(10)]
            assert gc.get_freeze_count() == frozen and more
        finally:
            gc.unfreeze()
    finally:
        if not was:
            gc.disable()

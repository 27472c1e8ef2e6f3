"""The store as one account may use it: every change checks the role, then runs with ``actor=account.name``.

:class:`GuardedStore` offers the same methods as :class:`tasks.store.Store`
(so library functions such as ``validate_upload``, ``commit_upload``,
``snapshot`` or ``save_rules`` accept it in place of a store) plus the
higher-level calls the dashboard and the command line use.  For a unit
account the reads are narrowed to its own tasks, uploads, scorecard and
reminders, uploads are forced to its own unit, and a file reporting on a task
where the unit has no role is refused — in the library, whatever the UI shows.
The raw store's transactions are not exposed.

>>> g = GuardedStore(store, Account("zwzx", "unit", unit="市政务服务中心"))   # doctest: +SKIP
>>> g.close_period("2021-09")                                               # doctest: +SKIP
Traceback (most recent call last):
PermissionDenied: 责任单位账号“zwzx”无权关闭报告期;如确需办理,请联系领导小组办公室
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..model import Plan, Task
from ..plan_views import unit_view
from ..store import DEFAULT_GRACE_DAYS, PeriodInfo, ReportRecord, Store, StoredTask, parse_period
from .book import AccountBook
from .guarded_notify import NotifyMethods
from .roles import ACTIONS, UNIT, Account, PermissionDenied, require

#: never handed out: with them any role could write around the checks
_HIDDEN = frozenset({"session", "engine", "dispose", "_write_engine"})


class GuardedStore(NotifyMethods):
    """``store`` seen and changed as ``account``."""

    def __init__(self, store: Store, account: Account, *, book: AccountBook | None = None):
        if isinstance(store, GuardedStore):
            store = store._store
        if account.must_change_password:  # a generated password still in use: nothing until it is changed
            require(account, "view_tasks")
        self._store = store
        self.account = account
        self._book = book
        #: months a unit account asked to register: written only with an accepted upload for them
        self._pending_periods: dict[str, int] = {}

    # -- who ------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        return self.account.name

    @property
    def url(self) -> str:
        return self._store.url

    @property
    def is_unit(self) -> bool:
        return self.account.role == UNIT

    def _own(self, unit: str | None, action: str) -> str | None:
        """The unit a scoped call is for: a unit account's own unit (asking for another is refused)."""
        if self.is_unit:
            if unit and unit != self.account.unit:
                require(self.account, action, unit)  # raises with the clear message
            return self.account.unit
        return unit

    def _book_(self) -> AccountBook:
        if self._book is None:
            self._book = AccountBook(self._store)
        return self._book

    def _own_task_pks(self) -> set[int]:
        return {t.pk for t in self._store.tasks(all_plans=True, include_archived=True, unit=self.account.unit)}

    # -- anything else the store offers -------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        """Other store reads pass through; other store *changes* (methods taking ``actor``) are
        office-only and run as the account; transactions and the engine stay hidden."""
        if name.startswith("_") or name in _HIDDEN:
            raise AttributeError(f"GuardedStore does not expose {name!r}")
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr
        sig = inspect.signature(attr)
        if "actor" not in sig.parameters:
            return attr

        def change(*args: Any, **kwargs: Any) -> Any:
            require(self.account, "change_store")
            bound = sig.bind_partial(*args, **kwargs)
            bound.arguments["actor"] = self.actor
            return attr(*bound.args, **bound.kwargs)

        return change

    # -- reads (Store-compatible) ---------------------------------------------------------
    def plans(self) -> list[dict[str, Any]]:
        return self._store.plans()

    def plan(self, key: str) -> Plan:
        """The plan ``key`` (:meth:`tasks.store.Store.plan`); for a unit account only its own unit's tasks."""
        plan = self._store.plan(key)
        if not self.is_unit:
            return plan
        require(self.account, "view_tasks", self.account.unit)
        return unit_view(plan, self.account.unit or "")

    def plan_key(self, plan: str | None = None, unit: str | None = None) -> str:
        if self.is_unit and unit and unit != self.account.unit:
            raise PermissionDenied(
                f"单位账号“{self.account.name}”只能查看和填报本单位“{self.account.unit}”的任务,"
                f"不能使用“{unit}”的填报模板或任务"
            )
        return self._store.plan_key(plan, unit=unit)

    def tasks(
        self,
        plan: str | None = None,
        *,
        all_plans: bool = False,
        include_archived: bool = False,
        unit: str | None = None,
    ) -> list[StoredTask]:
        """All tasks (or ``unit``'s); for a unit account only those where its own unit leads or takes part."""
        if not self.is_unit:
            return self._store.tasks(plan, all_plans=all_plans, include_archived=include_archived, unit=unit)
        require(self.account, "view_tasks", self.account.unit)
        rows = self._store.tasks(plan, all_plans=all_plans, include_archived=include_archived, unit=self.account.unit)
        return [t for t in rows if unit is None or t.role_of(unit)]

    def task_dicts(self, plan: str | None = None) -> list[Task]:
        rows = self._store.task_dicts(plan)
        if self.is_unit:
            mine = {t.id for t in self.tasks(plan)}
            rows = [t for t in rows if t.id in mine]
        return rows

    def units(self, *, include_collective: bool = False) -> list[str]:
        if self.is_unit:
            return [self.account.unit]  # type: ignore[list-item]
        return self._store.units(include_collective=include_collective)

    def unit_exists(self, name: str) -> bool:
        return self._store.unit_exists(name)

    def period(self, key: str) -> PeriodInfo | None:
        return self._store.period(key)

    def periods(self) -> list[PeriodInfo]:
        return self._store.periods()

    def has_upload(self, sha256: str) -> bool:
        return self._store.has_upload(sha256)

    def reports(
        self, *, as_of: date | None = None, plan: str | None = None, all_plans: bool = True
    ) -> list[ReportRecord]:
        """Accepted rows; a unit account sees those on its own tasks (co-units' rows included)."""
        rows = self._store.reports(as_of=as_of, plan=plan, all_plans=all_plans)
        if self.is_unit:
            mine = self._own_task_pks()
            rows = [r for r in rows if r.task_pk in mine]
        return rows

    def uploads(self) -> list[dict[str, Any]]:
        rows = self._store.uploads()
        if self.is_unit:
            rows = [u for u in rows if u["unit"] == self.account.unit]
        return rows

    def audit_log(self) -> list[dict[str, Any]]:
        """The audit trail (office only)."""
        require(self.account, "read_audit")
        return self._store.audit_log()

    def counts(self) -> dict[str, int]:
        return self._store.counts()

    # -- changes (Store-compatible; ``actor`` is always the account) ------------------------------
    def load_plan_into_store(
        self,
        plan: Plan,
        actor: str | None = None,
        key: str | None = None,
        *,
        start: date | None = None,
        cycle: str | None = None,
        due_day: int | None = None,
    ):
        """Load (or update) a plan and freeze a baseline; ``start``/``cycle``/``due_day`` set its calendar."""
        from ..progress.baselines import freeze_baseline
        from ..progress.lifecycle import calendar_of, set_calendar

        require(self.account, "load_plan")
        if due_day is not None and not 1 <= int(due_day) <= 31:
            from ..progress.lifecycle import LifecycleError

            raise LifecycleError(f"报送截止日“{due_day}”应为 1–31 之间的整数(如 5 表示次月5日前,25 表示当月25日前)")
        res = self._store.load_plan_into_store(plan, self.actor, key=key)
        if start is not None or cycle is not None or due_day is not None:
            cal = calendar_of(self._store, res.plan)
            set_calendar(
                self._store,
                res.plan,
                start=start or cal.start,
                cycle=cycle or cal.cycle,
                due_day=due_day if due_day is not None else cal.due_day,
                actor=self.actor,
            )
        freeze_baseline(self._store, res.plan, kind="load", label="导入时", actor=self.actor)
        return res

    def set_predecessors(
        self, plan: str | None, task_id: str, predecessors: Sequence[str], actor: str | None = None
    ) -> None:
        require(self.account, "set_predecessors")
        self._store.set_predecessors(plan, task_id, predecessors, self.actor)

    def open_period(
        self, period: str, actor: str | None = None, *, due: date | None = None, grace_days: int = DEFAULT_GRACE_DAYS
    ) -> PeriodInfo:
        """Office: open with any due date.  Units may only register a month with the default
        due date (it happens when they upload for a month nobody opened yet); for them nothing is
        written here — the month is registered by :meth:`add_upload` once their rows pass every
        check, so a refused upload (or a bare call) leaves the database unchanged."""
        require(self.account, "open_period" if due is not None or not self.is_unit else "register_period")
        if not self.is_unit:
            return self._store.open_period(period, self.actor, due=due, grace_days=grace_days)
        p = parse_period(period, "month")
        existing = self._store.period(p.key)
        if existing:
            return existing
        self._pending_periods[p.key] = grace_days
        return PeriodInfo(p.key, p.start, p.end, p.end + timedelta(days=grace_days), False)

    def close_period(self, period: str, actor: str | None = None) -> PeriodInfo:
        """Close a period (office) and freeze a baseline of every plan."""
        from ..progress.baselines import close_period_and_freeze

        require(self.account, "close_period")
        return close_period_and_freeze(self._store, period, self.actor)

    def add_upload(
        self,
        *,
        sha256: str,
        filename: str,
        unit: str,
        plan: str,
        person: str,
        period: str,
        rows: list[dict[str, Any]],
        actor: str | None = None,
    ) -> int | None:
        """Refused unless the account may upload for ``unit`` and ``unit`` has a role in every row's task."""
        self._check_rows(unit, plan, rows)
        for key in sorted({str(r["period"]) for r in rows} & set(self._pending_periods)):
            self._store.open_period(key, self.actor, grace_days=self._pending_periods.pop(key))
        return self._store.add_upload(
            sha256=sha256,
            filename=filename,
            unit=unit,
            plan=plan,
            person=person,
            period=period,
            rows=rows,
            actor=self.actor,
        )

    def _check_rows(self, unit: str, plan: str, rows: list[dict[str, Any]]) -> None:
        """Refuse (before anything is written) rows the account may not save for ``unit``."""
        require(self.account, "upload_progress", unit)
        roles = {
            t.id: t.role_of(unit)
            for t in self._store.tasks(self._store.plan_key(plan), include_archived=True, unit=unit)
        }
        foreign = sorted(
            {str(r["task_id"]) for r in rows if not roles.get(str(r["task_id"]))}, key=lambda x: (len(x), x)
        )
        if foreign:
            raise PermissionDenied(
                f"“{unit}”不是任务{'、'.join(foreign)}的牵头或责任单位,不能填报这些任务;整个文件未保存"
            )
        from ..progress.saved_rows import check_saved_rows

        check_saved_rows(rows)  # status, percent, dates, texts: checked here, whoever built the rows

    def record_action(self, actor: str | None, action: str, target: str, detail: dict | None = None) -> None:
        """Audit a change made outside the database; the action itself must be allowed (office otherwise)."""
        require(self.account, action if action in ACTIONS else "change_store")
        self._store.record_action(self.actor, action, target, detail)

    # -- progress, the way the dashboard and CLI call it ----------------------------------------------
    def template_bytes(self, unit: str | None, period: str, plan: str | None = None) -> bytes:
        """A unit's xlsx template; a unit account gets only its own."""
        from ..progress import template_bytes

        unit = self._own(unit, "download_template")
        require(self.account, "download_template", unit)
        return template_bytes(self._store, unit, period, plan)  # type: ignore[arg-type]

    def all_templates_zip(self, period: str, plan: str | None = None) -> bytes:
        from ..progress import all_templates_zip

        require(self.account, "download_template")  # unit accounts: refused (all units)
        return all_templates_zip(self._store, period, plan)

    def validate_upload(
        self, source: bytes | str | Path, filename: str | None = None, *, unit: str | None = None, **kwargs: Any
    ):
        """Check a file (nothing written); a unit account's files are checked as its own unit's,
        so another unit's template or rows for another unit's tasks are reported as problems."""
        from ..progress import validate_upload

        unit = self._own(unit, "upload_progress")
        require(self.account, "upload_progress", unit)
        return validate_upload(self._store, source, filename, unit=unit, **kwargs)

    def commit_upload(self, report) -> int | None:
        """Save a clean report as this account (checks unit and every row's task again)."""
        from ..progress import commit_upload

        # a report with problems is refused by commit_upload itself (UploadRejected, nothing written)
        require(self.account, "upload_progress", report.unit if report.ok or not self.is_unit else self.account.unit)
        if report.ok and report.rows:
            self._check_rows(report.unit, report.plan, report.store_rows())
        return commit_upload(self, report, self.actor)  # type: ignore[arg-type]

    def upload_files(
        self,
        files: Iterable[str | Path | tuple[str, bytes]],
        *,
        save: bool = False,
        unit: str | None = None,
        **kwargs: Any,
    ) -> list:
        """Validate many files (zips opened), saving the clean ones when ``save``; a unit's as its own."""
        from ..progress import upload_files

        unit = self._own(unit, "upload_progress")
        require(self.account, "upload_progress", unit)
        return upload_files(self, files, actor=self.actor, save=save, unit=unit, **kwargs)  # type: ignore[arg-type]

    def snapshot(self, as_of: date | None = None, *, plan: str | None = None, rules=None):
        """Status replay; a unit account's covers only its own tasks."""
        from ..progress import snapshot

        if not self.is_unit:
            require(self.account, "read_all")
        return snapshot(self, as_of, plan=plan, rules=rules)  # type: ignore[arg-type]

    def scorecards(self, as_of: date | None = None, *, plan: str | None = None, rules=None) -> list:
        """Scorecards with rank; a unit account gets only its own card."""
        from ..progress import ranking, snapshot

        if self.is_unit:  # its rank is among all units, so rank on everything, then keep its own card
            require(self.account, "view_units", self.account.unit)
            cards = ranking(snapshot(self._store, as_of, plan=plan, rules=rules))
            return [c for c in cards if c.unit == self.account.unit]
        require(self.account, "view_units")
        return ranking(self.snapshot(as_of, plan=plan, rules=rules))

    def reminders(
        self, as_of: date | None = None, period: str | None = None, *, plan: str | None = None, rules=None
    ) -> list:
        """催办名单; a unit account gets only its own reminder."""
        from ..progress import reminders

        items = reminders(self.snapshot(as_of, plan=plan, rules=rules), period)
        if self.is_unit:
            items = [r for r in items if r.unit == self.account.unit]
        return items

    def build_report(self, kind: str, period: str, **kwargs: Any):
        """A period report (office, planners, leaders; units lack ``view_reports``)."""
        from ..progress import build_report

        require(self.account, "view_reports")
        return build_report(self, kind, period, **kwargs)  # type: ignore[arg-type]

    def write_report(self, kind: str, period: str, out: str | Path, **kwargs: Any) -> Path:
        from ..progress import write_report

        require(self.account, "view_reports")
        return write_report(self, kind, period, out, **kwargs)  # type: ignore[arg-type]

    def save_rules(self, rules, path: str | Path | None = None):
        """Write the warning/scoring rules (office only; audited)."""
        from ..progress import save_rules

        require(self.account, "save_rules")
        return save_rules(rules, self.actor, store=self, path=path)

    # -- accounts (office) ------------------------------------------------------------------------
    def list_accounts(self) -> list[dict[str, Any]]:
        require(self.account, "manage_accounts")
        return self._book_().list()

    def add_account(
        self, name: str, role: str, *, unit: str | None = None, password: str | None = None, display_name: str = ""
    ) -> str | None:
        require(self.account, "manage_accounts")
        return self._book_().add(name, role, unit=unit, password=password, display_name=display_name, actor=self.actor)

    def update_account(self, name: str, **changes: Any):
        require(self.account, "manage_accounts")
        return self._book_().update(name, actor=self.actor, **changes)

    def disable_account(self, name: str) -> None:
        require(self.account, "manage_accounts")
        self._book_().set_disabled(name, True, actor=self.actor)

    def enable_account(self, name: str) -> None:
        require(self.account, "manage_accounts")
        self._book_().set_disabled(name, False, actor=self.actor)

    def reset_password(self, name: str) -> str:
        require(self.account, "manage_accounts")
        return self._book_().reset_password(name, actor=self.actor)

    def unlock_account(self, name: str) -> None:
        require(self.account, "manage_accounts")
        self._book_().unlock(name, actor=self.actor)

    # -- the supervision loop (督办) -------------------------------------------------------------------
    def _acting_unit(self, plan: str | None, task: str, unit: str | None, action: str) -> str | None:
        """The unit a unit-side step is for: a unit account acts only for its own unit, on tasks it leads."""
        from ..progress.lifecycle import task_units

        if not self.is_unit:
            require(self.account, action)
            return unit
        unit = self._own(unit, action)
        require(self.account, action, unit)
        key = self._store.plan_key(plan)
        ids = {t.id: t.pk for t in self._store.tasks(key, include_archived=True, unit=unit)}
        pk = ids.get(str(task))
        if pk is None or unit not in task_units(self._store, key).get(pk, []):
            raise PermissionDenied(
                f"单位账号“{self.account.name}”({unit})不是计划“{key}”任务 {task} 的牵头单位,"
                f"不能{ACTIONS[action]};只能办理本单位牵头的任务"
            )
        return unit

    def sign_task(
        self, plan: str | None, task: str, *, unit: str | None = None, note: str = "", at: datetime | None = None
    ):
        """签收 (a lead unit, or the office for it)."""
        from ..progress.lifecycle import sign

        unit = self._acting_unit(plan, task, unit, "sign_task")
        return sign(self._store, plan, task, unit=unit, actor=self.actor, note=note, at=at)

    def request_extension(
        self, plan: str | None, task: str, *, to: date, reason: str, unit: str | None = None, at: datetime | None = None
    ):
        """延期申请; the returned event's id is the request id."""
        from ..progress.lifecycle import request_extension

        unit = self._acting_unit(plan, task, unit, "request_extension")
        return request_extension(self._store, plan, task, to=to, reason=reason, unit=unit, actor=self.actor, at=at)

    def decide_extension(
        self, request_id: int, *, approve: bool, to: date | None = None, note: str = "", at: datetime | None = None
    ):
        """延期审批 (office)."""
        from ..progress.lifecycle import decide_extension

        require(self.account, "decide_extension")
        return decide_extension(self._store, request_id, approve=approve, to=to, note=note, actor=self.actor, at=at)

    def claim_done(
        self,
        plan: str | None,
        task: str,
        *,
        evidence: Sequence[tuple[str, bytes]] = (),
        unit: str | None = None,
        note: str = "",
        at: datetime | None = None,
        rules=None,
    ):
        """申请办结 with evidence files."""
        from ..progress import load_rules
        from ..progress.lifecycle import claim

        unit = self._acting_unit(plan, task, unit, "claim_done")
        rules = rules or load_rules()
        return claim(
            self._store,
            plan,
            task,
            evidence=evidence,
            unit=unit,
            note=note,
            actor=self.actor,
            at=at,
            evidence_required=rules.evidence_required,
        )

    def review_claim(
        self,
        plan: str | None,
        task: str,
        *,
        accept: bool,
        note: str = "",
        unit: str | None = None,
        at: datetime | None = None,
    ):
        """办结审核 (office): accept → 已办结, or return with a reason."""
        from ..progress.lifecycle import review

        require(self.account, "review_claim")
        return review(self._store, plan, task, accept=accept, note=note, unit=unit, actor=self.actor, at=at)

    def appeal_card(
        self,
        plan: str | None,
        task: str,
        *,
        card: str,
        reason: str,
        unit: str | None = None,
        at: datetime | None = None,
    ):
        """申诉 against a task's card (its lead unit)."""
        from ..progress.lifecycle import appeal

        unit = self._acting_unit(plan, task, unit, "appeal_card")
        return appeal(self._store, plan, task, card=card, reason=reason, unit=unit, actor=self.actor, at=at)

    def decide_appeal(self, appeal_id: int, *, uphold: bool, note: str, at: datetime | None = None):
        """申诉处理 (office)."""
        from ..progress.lifecycle import decide_appeal

        require(self.account, "decide_appeal")
        return decide_appeal(self._store, appeal_id, uphold=uphold, note=note, actor=self.actor, at=at)

    def lifecycle_events(self, plan: str | None = None, task: str | None = None, *, as_of: date | None = None):
        """The stored steps; a unit account sees those on its own tasks."""
        from ..progress.lifecycle import events

        rows = events(self._store, plan, task, as_of=as_of, all_plans=plan is None)
        if self.is_unit:
            require(self.account, "view_tasks", self.account.unit)
            mine = {
                (t.plan, t.id) for t in self._store.tasks(all_plans=True, include_archived=True, unit=self.account.unit)
            }
            rows = [e for e in rows if (e.plan, e.task) in mine]
        elif self.account.role != "office":
            require(self.account, "read_all")
        return rows

    def evidence_list(self, plan: str | None, task: str | None = None):
        """Evidence descriptions of a plan (or task); a unit account sees its own unit's."""
        from ..progress.lifecycle import evidence_list

        rows = evidence_list(self._store, plan, task)
        if self.is_unit:
            rows = [r for r in rows if r.unit == self.account.unit]
        else:
            require(self.account, "download_evidence")
        return rows

    def evidence_download(self, evidence_id: int):
        """(description, bytes) of an evidence file: the office and the owning unit only."""
        from ..progress.lifecycle import evidence_bytes, evidence_list

        found = evidence_list(self._store, ids=[evidence_id])
        owner = found[0].unit if found else None
        require(self.account, "download_evidence", owner if self.is_unit else None)
        return evidence_bytes(self._store, evidence_id)

    def set_calendar(self, plan: str | None, *, start: date, cycle: str = "month", due_day: int | None = None):
        """A plan's reporting calendar (office)."""
        from ..progress.lifecycle import set_calendar

        require(self.account, "set_calendar")
        return set_calendar(self._store, plan, start=start, cycle=cycle, due_day=due_day, actor=self.actor)

    def office_queue(self, plan: str | None):
        """Pending extension requests, claims and appeals (office)."""
        from ..progress.lifecycle import office_queue

        require(self.account, "review_claim")
        return office_queue(self._store, plan)

    def calendar(self, plan: str | None):
        """A plan's reporting calendar (anyone who may see the plan)."""
        from ..progress.lifecycle import calendar_of

        return calendar_of(self._store, self.plan_key(plan))

    def freeze_baseline(self, plan: str | None, label: str = ""):
        """Freeze a baseline on demand (office)."""
        from ..progress.baselines import freeze_baseline

        require(self.account, "freeze_baseline")
        return freeze_baseline(self._store, plan, kind="manual", label=label, actor=self.actor)

    def compare_baseline(self, plan: str | None, against: date | int | None = None):
        """Now against a baseline (office, leaders, planners: readers of all data)."""
        from ..progress.baselines import compare

        require(self.account, "read_all")
        return compare(self._store, plan, against)

    def baselines(self, plan: str | None):
        from ..progress.baselines import baselines

        require(self.account, "read_all")
        return baselines(self._store, plan)

"""Period reports: monthly check (月度检查), quarterly assessment (季度评估), half-year bulletin (半年通报).

Each is a styled Chinese xlsx and a python-docx bulletin draft (ranking table,
overdue list, cards, units to remind) that the office edits before issuing.

>>> write_report(store, "quarter", "2021-Q3", "通报.docx")   # doctest: +SKIP
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from core.officedoc import OfficialDoc, cn_date, join_words
from core.safe_export import save_workbook
from core.xlsxout import DATE, INTEGER, PERCENT, TEXT, Column, write_table

from ..errors import WorkbenchError
from ..store import StoreLike, parse_period, raw_store
from .rules import STATUS_NAMES, Rules, load_rules
from .safe import safe_text
from .scorecard import Reminder, Scorecard, ranking, ranking_rule, reminders
from .status import Snapshot, TaskStatus, snapshot

KINDS = {"month": ("月度检查", "month"), "quarter": ("季度评估", "quarter"), "half": ("半年通报", "half")}


@dataclass
class PeriodReport:
    """The figures of one period report (shared by the xlsx and the docx).

    Parameters
    ----------
    kind : str
        ``month``, ``quarter`` or ``half``.
    title : str
        The report's title (``示例2021年9月月度检查``).
    period_label : str
        The period in words (``2021年9月``).
    as_of : date
        The date the figures are as of.
    snap : Snapshot
        The statuses and duties as of that date.
    ranking : list of Scorecard
        The units' ranking for the period.
    rule_text : str
        The scoring rule in words.
    overdue, carded : list of TaskStatus
        The overdue tasks, and the tasks carrying a card (highest level first).
    reminders : list of Reminder
        The units to remind, for each month of the period.
    office : str, optional
        The issuing office (落款).
    subject : str, optional
        What the report is about (the plan, without its document-type suffix).
    baselines : list of dict, optional
        Quarterly and half-year reports: each plan against its baseline.

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
    >>> rep = build_report(store, "month", "2021-09")
    >>> rep.title, rep.as_of, rep.doc_title
    ('示例2021年9月月度检查', datetime.date(2021, 10, 6), '关于示例2021年9月任务推进情况的通报')
    """

    kind: str
    title: str
    period_label: str
    as_of: date
    snap: Snapshot
    ranking: list[Scorecard]
    rule_text: str
    overdue: list[TaskStatus]
    carded: list[TaskStatus]
    reminders: list[Reminder]
    #: the issuing office for the document's 落款 (the plan's issuer, else the leading-group office)
    office: str = "领导小组办公室"
    #: the plan (or "各项改革任务") the report is about, without its document-type suffix
    subject: str = ""

    @property
    def doc_title(self) -> str:
        """The docx title in the usual form: ``关于……2021年第三季度任务推进情况的通报``."""
        return f"关于{self.subject}{self.period_label}任务推进情况的通报"

    #: quarterly and half-year reports: each plan compared with its baseline at load (see tasks.progress.baselines)
    baselines: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many tasks are in each status as of the report's date (:meth:`Snapshot.counts`)."""
        return self.snap.counts()


def build_report(
    store: StoreLike,
    kind: str,
    period: str,
    *,
    plan: str | None = None,
    rules: Rules | None = None,
    as_of: date | None = None,
) -> PeriodReport:
    """Collect a period report; ``as_of`` defaults to the day after the due date of the period's last month.

    The day after: on the due day itself a missing report is not yet missed, so a
    report dated then could not judge the period's reporting.

    Parameters
    ----------
    store : StoreLike
        The store.
    kind : str
        ``month`` (月度检查), ``quarter`` (季度评估) or ``half`` (半年通报).
    period : str
        The period of that kind (``2021-09``, ``2021-Q3``, ``2021-H2``).
    plan : str, optional
        One plan's key; default all plans.
    rules : Rules, optional
        The rules (default :func:`load_rules`).
    as_of : date, optional
        The date the figures are as of.

    Returns
    -------
    PeriodReport
        The ranking, overdue and carded tasks, and the units to remind.

    Raises
    ------
    WorkbenchError
        When ``kind`` is unknown (``报告类型“…”无效,应为 month(月度)、quarter(季度)或 half(半年)``).
    BadPeriod
        When ``period`` is not a period of that kind.

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
    >>> rep = build_report(store, "month", "2021-09")
    >>> [c.unit for c in rep.ranking], [s.id for s in rep.overdue], [r.unit for r in rep.reminders]
    (['市财政局', '市公安局'], ['2'], ['市公安局'])
    >>> build_report(store, "year", "2021")
    Traceback (most recent call last):
    ...
    core.errors.WorkbenchError: 报告类型“year”无效,应为 month(月度)、quarter(季度)或 half(半年)
    """
    if kind not in KINDS:
        raise WorkbenchError(f"报告类型“{kind}”无效,应为 month(月度)、quarter(季度)或 half(半年)")
    name, pkind = KINDS[kind]
    p = parse_period(period, pkind)
    rules = rules or load_rules()
    as_of = as_of or min(p.end + timedelta(days=rules.grace_days + 1), date.today())
    snap = snapshot(store, as_of, plan=plan, rules=rules)
    plans = store.plans()
    plan_title = plan or (plans[0].key if len(plans) == 1 else "各项改革任务")
    info = next((x for x in plans if x.key == plan_title), None)
    rem: list[Reminder] = []
    level_rank: dict[str | None, int] = {lv.key: i for i, lv in enumerate(rules.levels)}
    registered = {x.key for x in snap.periods}
    for m in p.months():
        if m.key in registered:
            rem += reminders(snap, m.key)
    return PeriodReport(
        kind=kind,
        title=join_words(plan_title + p.label(), name),
        period_label=p.label(),
        as_of=as_of,
        snap=snap,
        ranking=ranking(snap, period=p.key),
        rule_text=ranking_rule(snap, p.key),
        overdue=[s for s in snap.statuses if s.status == "overdue"],
        carded=sorted(
            [s for s in snap.statuses if s.card],
            key=lambda s: (-level_rank[s.card], s.plan, _num(s.id)),
        ),
        reminders=rem,
        office=issuing_office(info.issuer if info else ""),
        subject=report_subject(plan_title),
        baselines=_baselines(store, snap) if kind in ("quarter", "half") else [],
    )


def issuing_office(issuer: str) -> str:
    """The 落款 of a report on a plan issued by ``issuer``: its leading group's office.

    >>> issuing_office("市优化营商环境工作领导小组"), issuing_office("某市领导小组办公室"), issuing_office("")
    ('市优化营商环境工作领导小组办公室', '某市领导小组办公室', '领导小组办公室')
    """
    issuer = (issuer or "").strip()
    if not issuer:
        return "领导小组办公室"
    return issuer + "办公室" if issuer.endswith("领导小组") else issuer


def report_subject(plan_title: str) -> str:
    """A plan's title without the table's suffix, for a document title (``…行动方案任务分解表`` → ``…行动方案``).

    >>> report_subject("某市2021年攻坚行动方案任务分解表")
    '某市2021年攻坚行动方案'
    """
    for suffix in ("任务分解表", "任务清单", "分解表"):
        if plan_title.endswith(suffix) and len(plan_title) > len(suffix):
            return plan_title[: -len(suffix)]
    return plan_title


def _baselines(store: StoreLike, snap: Snapshot) -> list[dict]:
    """Every plan of the report compared with its first baseline (plans without one are left out)."""
    from .baselines import compare
    from .lifecycle import LifecycleError

    raw = raw_store(store)
    out = []
    for plan in dict.fromkeys(s.plan for s in snap.statuses):
        try:
            out.append(compare(raw, plan))
        except LifecycleError:
            continue
    return out


def _num(task_id: str) -> tuple:
    return (0, int(task_id), "") if task_id.isdigit() else (1, 0, task_id)


# -- xlsx ----------------------------------------------------------------------
def _table(
    ws,
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    widths: list[int],
    fills: list[str | None] | None = None,
    kinds: dict[str, str] | None = None,
    notes: tuple[str, ...] = (),
) -> None:
    """A styled table (:func:`core.xlsxout.write_table`: dates as dates, percentages as numbers, autofilter,
    A4 print set-up); ``kinds`` maps a header to its column kind; text is neutralised (level names come
    from the editable rules file)."""
    kinds = kinds or {}
    write_table(
        ws,
        title,
        [Column(h, w, kinds.get(h, TEXT)) for h, w in zip(headers, widths)],
        rows,
        fills=fills,
        notes=notes,
        clean=safe_text,
    )


def _pct(value: float | None) -> float | None:
    """A 0–100 progress figure as the fraction a percent-formatted cell holds."""
    return None if value is None else round(value / 100, 4)


def report_xlsx(rep: PeriodReport) -> bytes:
    """The report as a styled Chinese workbook: overview, ranking, task states, overdue, cards, reminders.

    Parameters
    ----------
    rep : PeriodReport
        The report (:func:`build_report`).

    Returns
    -------
    bytes
        The xlsx file.

    Examples
    --------
    >>> from openpyxl import load_workbook
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
    >>> load_workbook(io.BytesIO(report_xlsx(build_report(store, "month", "2021-09")))).sheetnames
    ['概况', '单位排名', '任务状态', '逾期任务', '红黄牌预警', '催办名单']
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    counts = rep.counts
    total = sum(counts.values())
    rows = [["统计截止日期", rep.as_of], ["任务总数", total]]
    rows += [[STATUS_NAMES[k], v] for k, v in counts.items()]
    for lv in rep.snap.rules.levels:
        rows.append([lv.name, sum(1 for s in rep.snap.statuses if s.card == lv.key)])
    rows.append(["未按期报送单位(次)", len(rep.reminders)])
    rows.append(["排名规则", rep.rule_text])
    _table(ws, rep.title, ["项目", "数值"], rows, [22, 90])
    lv_names = [lv.name for lv in rep.snap.rules.levels]
    _table(
        wb.create_sheet("单位排名"),
        f"{rep.title} 单位排名",
        [
            "名次",
            "单位",
            "得分",
            "牵头任务",
            "参与任务",
            "已办结",
            "按期办结",
            "逾期",
            "有风险",
            "应报次数",
            "已报",
            "按时报",
            "迟报",
            "未报",
            "报送率",
            *lv_names,
        ],
        [
            [
                c.rank,
                c.unit,
                c.score,
                c.led,
                c.joined,
                c.done,
                c.done_on_time,
                c.overdue,
                c.at_risk,
                c.duties,
                c.reported,
                c.on_time,
                c.late,
                c.missed,
                c.compliance,
                *[c.cards.get(lv.key, 0) for lv in rep.snap.rules.levels],
            ]
            for c in rep.ranking
        ],
        [6, 24, 8, 8, 8, 8, 8, 6, 6, 8, 6, 6, 6, 6, 8, *[6] * len(lv_names)],
        kinds={"报送率": PERCENT},
        notes=("排名规则:" + rep.rule_text,),
    )
    sts = rep.snap.statuses
    _table(
        wb.create_sheet("任务状态"),
        f"{rep.title} 任务状态",
        [
            "计划",
            "编号",
            "工作要点",
            "牵头单位",
            "完成时限",
            "状态",
            "完成进度",
            "时间进度",
            "最近填报",
            "连续未报",
            "预警",
            "预警原因",
            "最新进展",
            "督办状态",
            "原定时限",
            "当前时限",
        ],
        [
            [
                s.plan,
                s.id,
                s.title,
                "、".join(s.lead_units),
                s.deadline or s.deadline_text,
                s.status_label,
                _pct(s.percent),
                _pct(s.expected),
                s.last_report_date,
                s.missed_reports,
                s.card_name,
                s.card_reason,
                s.last_progress,
                s.lifecycle_label,
                s.original_deadline,
                s.deadline,
            ]
            for s in sts
        ],
        [18, 6, 30, 22, 12, 8, 8, 8, 11, 8, 6, 24, 40, 9, 11, 11],
        [s.card_color or None for s in sts],
        kinds={
            "完成时限": DATE,
            "完成进度": PERCENT,
            "时间进度": PERCENT,
            "最近填报": DATE,
            "连续未报": INTEGER,
            "原定时限": DATE,
            "当前时限": DATE,
        },
    )
    _table(
        wb.create_sheet("逾期任务"),
        f"{rep.title} 逾期任务",
        ["编号", "工作要点", "牵头单位", "完成时限", "逾期天数", "完成进度", "存在问题", "计划"],
        [
            [
                s.id,
                s.title,
                "、".join(s.lead_units),
                s.deadline or s.deadline_text,
                s.overdue_days,
                _pct(s.percent),
                s.last_problems,
                s.plan,
            ]
            for s in rep.overdue
        ],
        [6, 36, 24, 12, 8, 8, 40, 18],
        kinds={"完成时限": DATE, "逾期天数": INTEGER, "完成进度": PERCENT},
    )
    _table(
        wb.create_sheet("红黄牌预警"),
        f"{rep.title} 预警",
        ["预警", "编号", "工作要点", "牵头单位", "状态", "原因", "计划"],
        [
            [s.card_name, s.id, s.title, "、".join(s.lead_units), s.status_label, s.card_reason, s.plan]
            for s in rep.carded
        ],
        [8, 6, 36, 24, 10, 40, 18],
        [s.card_color for s in rep.carded],
    )
    if rep.baselines:
        base_rows: list[list[Any]] = []
        for d in rep.baselines:
            b = d["baseline"]
            head = f"{b['label']}({b['at'][:10]})"
            base_rows += [[d["plan"], head, "新增任务", t, "", ""] for t in d["added"]]
            base_rows += [[d["plan"], head, "归档任务", t, "", ""] for t in d["archived"]]
            base_rows += [
                [
                    d["plan"],
                    head,
                    "调整时限",
                    m["task"],
                    f"{m['from'] or '—'} → {m['to'] or '—'}",
                    f"延期申请 {m['extension']['id']}:{m['extension']['reason']}" if m["extension"] else "",
                ]
                for m in d["deadline_moves"]
            ]
            base_rows += [
                [
                    d["plan"],
                    head,
                    "完成偏差",
                    v["task"],
                    f"较原定时限 {v['original_deadline']} 晚 {v['days_late']} 天",
                    "已办结" if v["closed"] else "未办结",
                ]
                for v in d["variance"]
                if v["days_late"]
            ]
        _table(
            wb.create_sheet("基线对比"),
            f"{rep.title} 基线对比",
            ["计划", "基线", "变化", "编号", "内容", "依据/说明"],
            base_rows,
            [18, 22, 10, 6, 36, 40],
        )
    _table(
        wb.create_sheet("催办名单"),
        f"{rep.title} 催办名单",
        ["单位", "报告期", "报送期限", "情况", "未报任务"],
        [
            [r.unit, r.period, r.due, "已逾期" if r.overdue else "未报送", "、".join(_task_ref(t) for t in r.tasks)]
            for r in rep.reminders
        ],
        [24, 10, 12, 8, 70],
        kinds={"报送期限": DATE},
    )
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()


def _task_ref(t: dict) -> str:
    """``《计划》1 工作要点``: every reminder row names the plan of each task it lists."""
    return (f"《{t['plan']}》" if t.get("plan") else "") + f"{t['id']} {t['title']}"


def reminders_xlsx(items: list[Reminder], title: str = "催办名单") -> bytes:
    """The reminder list (催办单) as a styled xlsx: one row per unit and period, text neutralised.

    Parameters
    ----------
    items : list of Reminder
        The reminders (:func:`~tasks.progress.reminders`).
    title : str, optional
        The title row (default ``催办名单``).

    Returns
    -------
    bytes
        The xlsx file; text that a spreadsheet would read as a formula is kept as text.

    Examples
    --------
    >>> from datetime import date
    >>> data = reminders_xlsx([Reminder("=市财政局", "2021-10", date(2021, 11, 5), True,
    ...                                  [{"id": "32", "title": "+健全机制"}])])
    >>> from openpyxl import load_workbook
    >>> load_workbook(io.BytesIO(data)).active["A3"].value
    "'=市财政局"
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "催办名单"
    _table(
        ws,
        title,
        ["单位", "报告期", "报送期限", "情况", "欠报任务", "催办内容"],
        [
            [
                r.unit,
                r.period,
                r.due,
                "已超期" if r.overdue else "未超期",
                "、".join(_task_ref(t) for t in r.tasks),
                r.text(),
            ]
            for r in items
        ],
        [24, 10, 12, 8, 50, 70],
        kinds={"报送期限": DATE},
    )
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()


# -- docx ----------------------------------------------------------------------
def report_docx(rep: PeriodReport) -> bytes:
    """The report as an official document (GB/T 9704 layout, :mod:`core.officedoc`), ready to send.

    Parameters
    ----------
    rep : PeriodReport
        The report (:func:`build_report`).

    Returns
    -------
    bytes
        The docx file.

    Examples
    --------
    >>> from docx import Document
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
    >>> doc = Document(io.BytesIO(report_docx(build_report(store, "month", "2021-09"))))
    >>> doc.paragraphs[0].text
    '关于示例2021年9月任务推进情况的通报'
    """
    doc = OfficialDoc(rep.doc_title, addressee="各有关单位", author=rep.office)
    counts = rep.counts
    total = sum(counts.values())
    levels = rep.snap.rules.levels
    n_cards = {lv.key: sum(1 for s in rep.snap.statuses if s.card == lv.key) for lv in levels}
    doc.paragraph(
        f"根据“每月一检查、一季一评估、半年一通报”工作安排,现将{rep.period_label}各项任务推进情况"
        f"(统计截至{cn_date(rep.as_of)})通报如下。"
    )
    doc.heading("总体情况")
    cards_text = "、".join(f"{lv.name}{n_cards[lv.key]}项" for lv in levels)
    doc.paragraph(
        f"纳入督查的任务共{total}项,其中已办结{counts['done']}项,正常推进{counts['on_track']}项,"
        f"长期推进{counts['ongoing']}项,有风险{counts['at_risk']}项,逾期{counts['overdue']}项,"
        f"未启动{counts['not_started']}项" + (f";亮牌预警{cards_text}。" if levels else "。")
    )
    doc.heading("单位排名")
    doc.table(
        ["名次", "单位", "得分", "牵头任务", "按期办结", "逾期", "报送率", *[lv.name for lv in levels]],
        [
            [
                c.rank,
                c.unit,
                f"{c.score:g}",
                c.led,
                c.done_on_time,
                c.overdue,
                f"{c.compliance:.0%}",
                *[c.cards.get(lv.key, 0) for lv in levels],
            ]
            for c in rep.ranking
        ],
    )
    doc.paragraph("排名规则:" + rep.rule_text + "。", size_pt=12)
    doc.heading("逾期任务")
    doc.table(
        ["编号", "工作要点", "牵头单位", "完成时限", "逾期天数", "完成进度"],
        [
            [s.id, s.title, "、".join(s.lead_units), s.deadline_text, s.overdue_days, f"{s.percent:g}%"]
            for s in rep.overdue
        ],
        empty="本期没有逾期任务。",
    )
    doc.heading("预警情况")
    doc.table(
        ["预警", "编号", "工作要点", "牵头单位", "原因"],
        [[s.card_name, s.id, s.title, "、".join(s.lead_units), s.card_reason] for s in rep.carded],
        empty="本期没有亮牌预警的任务。",
    )
    doc.heading("未按时报送单位")
    if rep.reminders:
        for r in rep.reminders:
            ids = "、".join(t["id"] for t in r.tasks)
            state = "已超过报送期限仍未报送" if r.overdue else "尚未报送"
            doc.paragraph(
                f"{r.unit}:{parse_period(r.period).label()}进展{state}(报送期限{cn_date(r.due)}),涉及任务{ids}。",
                align="left",
            )
    else:
        doc.paragraph("各单位均已按时报送。")
    if rep.baselines:
        doc.heading("与基线对比")
        for d in rep.baselines:
            moves = (
                "、".join(
                    f"任务{m['task']}由{m['from'] or '无'}调整为{m['to'] or '无'}"
                    + (f"(经批准的延期申请{m['extension']['id']})" if m["extension"] else "")
                    for m in d["deadline_moves"]
                )
                or "无"
            )
            late = [v for v in d["variance"] if v["days_late"]]
            doc.paragraph(
                f"{d['plan']}:与{d['baseline']['label']}基线相比,新增任务{len(d['added'])}项,"
                f"归档任务{len(d['archived'])}项;调整完成时限:{moves};"
                f"较原定时限滞后的任务{len(late)}项。"
            )
    doc.heading("下步工作要求")
    doc.paragraph(
        "请亮牌单位对照问题认真整改,逾期任务的牵头单位于5个工作日内书面说明原因和整改措施;"
        "未按时报送的单位请立即补报。领导小组办公室将持续跟踪督办。"
    )
    doc.signature(rep.office, rep.as_of)
    return doc.to_bytes()


def write_report(
    store: StoreLike,
    kind: str,
    period: str,
    out: str | Path,
    *,
    plan: str | None = None,
    rules: Rules | None = None,
    as_of: date | None = None,
) -> Path:
    """Write the report as xlsx or docx (by the file's suffix).

    Parameters
    ----------
    store : StoreLike
        The store.
    kind : str
        ``month``, ``quarter`` or ``half``.
    period : str
        The period of that kind.
    out : str or Path
        The file to write, ending in ``.xlsx`` or ``.docx``.
    plan : str, optional
        One plan's key; default all plans.
    rules : Rules, optional
        The rules (default :func:`load_rules`).
    as_of : date, optional
        The date the figures are as of.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    WorkbenchError
        When ``out`` ends otherwise (``报告文件名应以 .xlsx 或 .docx 结尾:…``; nothing is written) or
        ``kind`` is unknown.
    BadPeriod
        When ``period`` is not a period of that kind.

    Examples
    --------
    >>> import tempfile
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
    >>> write_report(store, "month", "2021-09", Path(tempfile.mkdtemp()) / "通报.docx").name
    '通报.docx'
    >>> write_report(store, "month", "2021-09", "通报.pdf")
    Traceback (most recent call last):
    ...
    core.errors.WorkbenchError: 报告文件名应以 .xlsx 或 .docx 结尾:通报.pdf
    """
    out = Path(out)
    rep = build_report(store, kind, period, plan=plan, rules=rules, as_of=as_of)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(report_xlsx(rep))
    elif suffix == ".docx":
        out.write_bytes(report_docx(rep))
    else:
        raise WorkbenchError(f"报告文件名应以 .xlsx 或 .docx 结尾:{out.name}")
    return out

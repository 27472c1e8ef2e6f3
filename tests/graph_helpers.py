"""Plans built by hand for the graph tests: the 2021 Leiyang appendix in miniature.

Deadlines are those of the seed's appendix (2021); units are simplified but
follow the seed where the tests look: 市政务服务中心 leads every task,
市审改办 co-leads 1-5, 市直各相关单位 joins all but 12, 17 and 18.
"""

from __future__ import annotations

from datetime import date

from tasks.model import DATE, ONGOING, Plan, Source, Task

ENDS = {
    "12-31": (1, 3, 7, 16, 21, 32),
    "08-31": (2, 4, 6, 8, 9, 10, 12),
    "09-30": (5, 13, 14, 15, 17, 18, 19, 20, 23),
    "06-30": (11, 25, 26, 27, 28, 31),
}
ONGOING_IDS = (22, 24, 29, 30)
SEED_DEADLINES: dict[str, date | None] = {str(i): None for i in ONGOING_IDS}
for md, ids in ENDS.items():
    for i in ids:
        SEED_DEADLINES[str(i)] = date(2021, int(md[:2]), int(md[3:]))

#: the predecessor file the seed tests write (task, predecessor)
LINKS = [("11", "10"), ("12", "11"), ("7", "6"), ("5", "2"), ("13", "5"), ("23", "22")]
LINKS_CSV = "任务,前置任务\n" + "".join(f"{t},{p}\n" for t, p in LINKS)


def seed_like_plan() -> Plan:
    tasks = []
    for i in range(1, 33):
        tid = str(i)
        lead = (["市审改办"] if i <= 5 else []) + ["市政务服务中心"]
        if i == 12:
            lead = ["市市场监督管理局", "市政务服务中心"]
        resp = [] if i in (12, 17, 18) else ["市直各相关单位"]
        if i == 12:
            resp = ["市发改局", "市公安局"]
        d = SEED_DEADLINES[tid]
        tasks.append(
            Task(
                id=tid,
                title=f"任务{tid}",
                section="一、审批改革" if i <= 5 else "二、其他",
                lead_units=lead,
                responsible_units=resp,
                deadline=d,
                deadline_text="长期坚持" if d is None else f"2021年{d.month}月底前",
                deadline_kind=ONGOING if d is None else DATE,
                source=Source("耒阳方案.txt", None, 100 + i),
            )
        )
    return Plan(title="耒阳市2021年攻坚行动方案(手工)", tasks=tasks)

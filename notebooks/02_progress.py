# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Workbench (.venv)
#     language: python
#     name: workbench
# ---

# %% [markdown]
# # 进展跟踪与考评
#
# 领导小组办公室的日常:**每月一检查、一季一评估、半年一通报**。本笔记本在一个临时数据库里走完整个流程:
#
# 1. 把 2021 年攻坚行动方案导入进展库,按单位生成填报模板;
# 2. 模拟各单位几个月的填报——有按时报的、迟报的、进度落后的,也有某个月不报的;
# 3. 按不同日期回放任务状态,看红黄牌、单位排名和催办名单;
# 4. 生成月度检查和半年通报(xlsx 与 docx 草稿)。
#
# 所有判断(状态、亮牌、扣分)都来自工作台的库(`tasks/store`、`tasks/progress`)和可编辑的规则文件
# `data/rules.toml`;笔记本只负责“假装是各单位”去填表、再把结果画出来。

# %%
import io
import random
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import Markdown, display
from openpyxl import load_workbook

from core import config
from tasks.importers import load_plan
from tasks.progress import (
    DATA_SHEET,
    FIRST_DATA_ROW,
    STATUS_NAMES,
    all_templates_zip,
    commit_upload,
    fill_template,
    load_rules,
    ranking,
    ranking_rule,
    reminders,
    snapshot,
    template_bytes,
    template_filename,
    validate_upload,
    write_report,
)
from tasks.store import Store, parse_period

SMALL = config.flag("WORKBENCH_SMALL")  # 小数据开关:自动测试时置 1
DATA = config.data_dir()  # 仓库自带的示例数据(data/)
OUT = Path(tempfile.mkdtemp(prefix="nb02_"))  # 数据库、模板和报告都写到临时目录
ACTOR = "规划人员笔记本"

# %% [markdown]
# ## 1. 导入方案,生成填报模板
#
# 进展库默认是一个 SQLite 文件(也可以用 `WORKBENCH_DB_URL` 指向 PostgreSQL)。这里用临时目录里的新库,
# 不影响看板的正式数据。

# %%
SHARED = config.shared_dir()  # WORKBENCH_SHARED,默认为仓库旁的 shared/
SEED = SHARED / "seeds" / "leiyang-2021-action-plan.txt"
SOURCE = SEED if SEED.is_file() else DATA / "plans" / "leiyang-2021-tasks.xlsx"

store = Store(f"sqlite:///{OUT / 'progress.db'}")
plan = load_plan(SOURCE)
loaded = store.load_plan_into_store(plan, actor=ACTOR)
PLAN = loaded.plan
print(loaded.summary())
print("方案发布日期:", plan.date)

# %% [markdown]
# 每个单位一份模板:本单位牵头或参与的任务已预填并锁定(编号、工作要点、时限、角色),
# 状态是下拉框,完成进度限 0–100。一次可以把所有单位的模板打成一个压缩包发下去。

# %%
FIRST_MONTH = "2021-08"
zip_path = OUT / f"{FIRST_MONTH}_全部单位填报模板.zip"
zip_path.write_bytes(all_templates_zip(store, FIRST_MONTH))
with zipfile.ZipFile(zip_path) as z:
    template_names = z.namelist()
print(f"压缩包内共 {len(template_names)} 份模板,例如:", template_names[:3])

sample_unit = "市审改办"
sample = load_workbook(io.BytesIO(template_bytes(store, sample_unit, FIRST_MONTH)))
print("工作表:", sample.sheetnames)
pd.DataFrame(sample[DATA_SHEET].iter_rows(min_row=FIRST_DATA_ROW - 1, max_col=4, values_only=True)).head(6)

# %% [markdown]
# ## 2. 模拟一季以上的填报
#
# 牵头单位的填报决定任务状态(多个牵头单位时以最新一次为准),所以这里让**牵头单位**按月填报。
# 每个单位被安排一种“作风”,都是示例,不针对任何真实单位:
#
# | 作风 | 报送日期 | 进度 |
# |---|---|---|
# | 按时 | 月末后 3 天 | 略超时间进度,到期即完成 |
# | 迟报 | 月末后 12 天(超过报送期限) | 大致跟上时间进度 |
# | 滞后 | 月末后 4 天 | 明显落后于时间进度 |
# | 漏报 | 月末后 3 天,但 9 月不报 | 大致跟上时间进度 |
#
# 填表用的是库生成的模板本身:打开模板、在可填写的列里写入、存成 xlsx,再像单位上传那样走校验和保存。

# %%
MONTHS = ["2021-08", "2021-09", "2021-10", "2021-11", "2021-12"]  # 方案 8 月印发,到年底
if SMALL:
    MONTHS = MONTHS[:3]
STYLES = {
    "按时": {"delay": 3, "skip": (), "pace": (1.0, 1.3)},
    "迟报": {"delay": 12, "skip": (), "pace": (0.85, 1.1)},
    "滞后": {"delay": 4, "skip": (), "pace": (0.3, 0.6)},
    "漏报": {"delay": 3, "skip": ("2021-09",), "pace": (0.85, 1.1)},
}
lead_units = sorted({u for t in store.tasks(PLAN) for u in t.lead_units} & set(store.units()))
style_names = list(STYLES)
style_of = {
    u: ("按时" if u == "市政务服务中心" else style_names[i % len(style_names)]) for i, u in enumerate(lead_units)
}
pd.DataFrame({"牵头单位": list(style_of), "填报作风(示例)": list(style_of.values())})

# %%
plan_start = plan.date or date(2021, 8, 1)


def unit_values(unit: str, month: str, report_day: date) -> dict[str, dict]:
    """What this unit would report on ``report_day`` for each of its tasks (by its invented style)."""
    lo, hi = STYLES[style_of[unit]]["pace"]  # type: ignore[misc]
    values = {}
    for stored in store.tasks(PLAN, unit=unit):
        task = plan.task(stored.id)
        pace = random.Random(f"{unit}/{task.id}").uniform(lo, hi)  # type: ignore[has-type]  # 每个单位每项任务的推进快慢固定
        if task.deadline:
            share = (report_day - plan_start).days / max(1, (task.deadline - plan_start).days)
        else:
            share = (report_day - plan_start).days / 365  # 长期坚持的任务按一年计
        pct = min(100, round(100 * share * pace))
        status = "已完成" if pct >= 100 else ("滞后" if pace < 0.7 else "推进中")
        values[task.id] = {
            "status": status,
            "percent": pct,
            "progress": f"{month} 按计划推进,完成约{pct}%",
            "problems": "人手紧张,部门协调慢" if status == "滞后" else "无",
            "next_steps": "加快推进" if status != "已完成" else "巩固成果",
            "date": report_day,
        }
    return values


def unit_report(unit: str, month: str, report_day: date) -> bytes:
    """The unit's own template for ``month``, filled in as the unit would (库函数 fill_template)."""
    return fill_template(
        template_bytes(store, unit, month), unit_values(unit, month, report_day), person=f"{unit}联络员"
    )


uploads = []
for month in MONTHS:
    end = parse_period(month).end
    for unit in lead_units:
        style = STYLES[style_of[unit]]
        if month in style["skip"]:  # type: ignore[operator]
            continue
        day = end + timedelta(days=style["delay"])  # type: ignore[arg-type]
        data = unit_report(unit, month, day)
        report = validate_upload(store, data, template_filename(unit, month), unit=unit, today=day)
        if report.ok:
            commit_upload(store, report, actor=ACTOR)
            last_saved = (data, report.filename, unit, day)
        uploads.append(
            {
                "月份": month,
                "单位": unit,
                "报送日期": day,
                "结果": report.outcome,
                "行数": len(report.rows),
                "问题": len(report.problems),
            }
        )
uploads_df = pd.DataFrame(uploads)
print(f"共上传 {len(uploads_df)} 份,保存 {int((uploads_df['结果'] == 'saved').sum())} 份")
uploads_df.pivot_table(index="单位", columns="月份", values="行数", aggfunc="sum", fill_value=0)

# %% [markdown]
# ### 有问题的表会被整份退回
#
# 单位常见的错误:状态写了“已完成”但进度不到 100,进度填了 120。工作台一次列出所有问题(工作表、行、列、原因),
# 这份文件**一行都不会写进库**,单位改完后整表重新上传。同一份文件重复上传也会被识别出来。

# %%
bad_month, bad_unit = "2021-10", lead_units[0]
bad_day = parse_period(bad_month).end + timedelta(days=2)
mistakes = unit_values(bad_unit, bad_month, bad_day)
first, second = list(mistakes)[:2]
mistakes[first].update(status="已完成", percent=60)
mistakes[second].update(percent=120)
bad_file = fill_template(template_bytes(store, bad_unit, bad_month), mistakes)
counts_before = store.counts()
bad = validate_upload(store, bad_file, "填错的表.xlsx", unit=bad_unit, today=bad_day)
print(bad.summary())
print("库中记录数没有变化:", store.counts() == counts_before)
data, name, unit, day = last_saved
again = validate_upload(store, data, name, unit=unit, today=day)
print("重复上传:", again.outcome)

# %% [markdown]
# ## 3. 按日期回放状态
#
# 状态不是存死的,而是从填报历史**按日期重新计算**:选哪天,就看到那天办公室看到的样子。
# 状态有六种:已完成、正常推进、有风险(进度落后于时间进度超过规则规定的百分点)、逾期、长期推进、未启动。

# %%
rules = load_rules()
AS_OF = [date(2021, 9, 6), date(2021, 10, 10), date(2021, 11, 10), date(2021, 12, 10), date(2022, 1, 10)]
AS_OF = AS_OF[: len(MONTHS)]  # 模拟到哪个月,就回放到哪个月
snaps = {d: snapshot(store, d, plan=PLAN, rules=rules) for d in AS_OF}
counts_df = pd.DataFrame(
    [
        {"日期": d.isoformat(), "状态": STATUS_NAMES[k], "任务数": n}
        for d, s in snaps.items()
        for k, n in s.counts().items()
    ]
)
counts_df.pivot(index="状态", columns="日期", values="任务数")

# %%
alt.Chart(counts_df, title="各日期的任务状态分布").mark_bar().encode(
    x=alt.X("日期:N", title="回放日期"),
    y=alt.Y("任务数:Q", title="任务数"),
    color=alt.Color("状态:N", title="状态"),
    tooltip=["日期", "状态", "任务数"],
)

# %% [markdown]
# ## 4. 红黄牌
#
# 亮牌规则写在 `data/rules.toml`,办公室可以改(颜色、等级、阈值、升级、扣分都可配置):

# %%
print("\n".join(f"{lv.name}:{lv.describe()}" for lv in rules.levels))
final_day = AS_OF[-1]
final = snaps[final_day]
cards_df = pd.DataFrame(
    [
        {
            "任务": s.id,
            "工作要点": s.title,
            "状态": s.status_label,
            "进度%": s.percent,
            "时间进度%": s.expected,
            "牌": s.card_name,
            "原因": s.card_reason,
            "牵头单位": "、".join(s.lead_units),
        }
        for s in final.statuses
        if s.card
    ]
)
print(f"{final_day} 共 {len(cards_df)} 项任务亮牌")
cards_df.head(10 if SMALL else len(cards_df))

# %%
cards_over_time = pd.DataFrame(
    [{"日期": d.isoformat(), "牌": s.card_name} for d, snap in snaps.items() for s in snap.statuses if s.card]
)
alt.Chart(cards_over_time, title="各日期亮牌数").mark_bar().encode(
    x=alt.X("日期:N", title="回放日期"),
    y=alt.Y("count():Q", title="亮牌任务数"),
    color=alt.Color(
        "牌:N",
        title="等级",
        scale=alt.Scale(domain=[lv.name for lv in rules.levels], range=[f"#{lv.color}" for lv in rules.levels]),
    ),
)

# %% [markdown]
# ## 5. 单位排名
#
# 排名只比牵头单位(报送义务在牵头单位),排名旁边总要写明计分规则,单位才服气:

# %%
print(ranking_rule(final))
rank_df = pd.DataFrame(
    [
        {
            "名次": c.rank,
            "单位": c.unit,
            "得分": c.score,
            "作风(示例)": style_of[c.unit],
            "牵头": c.led,
            "已完成": c.done,
            "按期完成": c.done_on_time,
            "逾期": c.overdue,
            "有风险": c.at_risk,
            "应报": c.duties,
            "按时报": c.on_time,
            "迟报": c.late,
            "漏报": c.missed,
            **{lv.name: c.cards.get(lv.key, 0) for lv in rules.levels},
        }
        for c in ranking(final, units=lead_units)
    ]
)
rank_df

# %%
alt.Chart(rank_df, title=f"单位得分({final_day})").mark_bar().encode(
    x=alt.X("得分:Q", title="得分", scale=alt.Scale(zero=False)),
    y=alt.Y("单位:N", title="单位", sort="-x"),
    color=alt.Color("作风(示例)", title="填报作风"),
    tooltip=["名次", "单位", "得分", "迟报", "漏报"],
)

# %% [markdown]
# ## 6. 催办名单
#
# 报送期限过后还没报的单位,连同它欠报的任务,就是催办名单。9 月有单位漏报:

# %%
REMIND_PERIOD, REMIND_DAY = "2021-09", date(2021, 10, 10)
remind = reminders(snaps[REMIND_DAY], REMIND_PERIOD)
for r in remind:
    print(r.text())
remind_df = pd.DataFrame(
    [
        {"单位": r.unit, "报告期": r.period, "报送期限": r.due, "已超期": r.overdue, "欠报任务数": len(r.tasks)}
        for r in remind
    ]
)
remind_df

# %% [markdown]
# ## 7. 月度检查与半年通报
#
# 报告是带格式的 xlsx,以及一份可以直接修改的 docx 通报草稿(排名表、逾期清单、亮牌、催办)。

# %%
reports = [
    write_report(store, "month", "2021-10", OUT / "2021年10月月度检查.xlsx", plan=PLAN),
    write_report(store, "quarter", "2021-Q4", OUT / "2021年第四季度评估.xlsx", plan=PLAN),
    write_report(store, "half", "2021-H2", OUT / "2021年下半年通报.xlsx", plan=PLAN),
    write_report(store, "half", "2021-H2", OUT / "2021年下半年通报.docx", plan=PLAN),
]
for p in reports:
    print(f"{p.name}  {p.stat().st_size // 1024} KB")
half = load_workbook(reports[2], read_only=True)
print("半年通报工作簿的工作表:", half.sheetnames)

# %% [markdown]
# ## 小结

# %%
first, last = AS_OF[0], AS_OF[-1]  # type: ignore[assignment]
c0, c1 = snaps[first].counts(), final.counts()  # type: ignore[index]
best, worst = rank_df.iloc[0], rank_df.iloc[-1]
n_red = int((cards_df["牌"] == rules.levels[-1].name).sum()) if len(cards_df) else 0
lines = [
    f"- 导入 **{len(plan.tasks)}** 项任务,为 {len(template_names)} 个单位生成了模板;"
    f"模拟 {len(lead_units)} 个牵头单位 {len(MONTHS)} 个月的填报,共保存 "
    f"{int((uploads_df['结果'] == 'saved').sum())} 份。",
    f"- 填错的表被整份退回,列出 {len(bad.problems)} 处问题,库中没有写入任何一行;"
    + ("同一文件重复上传被识别并忽略。" if again.duplicate else "重复上传没有被识别出来!"),
    f"- {first} 时{STATUS_NAMES['done']} {c0['done']} 项、{STATUS_NAMES['overdue']} {c0['overdue']} 项;"
    f"到 {last} {STATUS_NAMES['done']} **{c1['done']}** 项、{STATUS_NAMES['at_risk']} {c1['at_risk']} 项、"
    f"{STATUS_NAMES['overdue']} **{c1['overdue']}** 项。",
    f"- {last} 共 {len(cards_df)} 项任务亮牌,其中{rules.levels[-1].name} {n_red} 项。",
    f"- 排名第一的是 {best['单位']}({best['得分']} 分),末位是 {worst['单位']}({worst['得分']} 分,"
    f"迟报 {worst['迟报']} 次、漏报 {worst['漏报']} 次)——填报纪律直接反映在得分上。",
    f"- {REMIND_PERIOD} 报告期需催办 {len(remind)} 个单位:{'、'.join(r.unit for r in remind) or '无'}。",
    f"- 已生成 {len(reports)} 份报告(月度检查、季度评估、半年通报 xlsx 与 docx 草稿)。",
]
display(Markdown("### 规划人员从本笔记本得到的结论\n\n" + "\n".join(lines)))

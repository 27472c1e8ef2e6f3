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
# # 任务分解与依赖图
#
# 本笔记本带规划人员走一遍:从**政策原文**导入《耒阳市2021年优化营商环境政务服务便利化攻坚行动方案》的
# 任务分解表,检查导入警告,补充任务之间的**前置关系**,找出**完成时限倒挂**和**关键路径**,
# 再看某项任务**延误 30 天**会波及哪些后续任务和单位,最后看各单位的**任务负荷**。
#
# 所有计算都由工作台的库(`tasks/`)完成,笔记本只负责串联和画图。
# 运行前请在 Jupyter 中选择内核 **Workbench (.venv)**。

# %%
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import SVG, Markdown, display

from core import config
from tasks.graph import (
    analyse,
    build_graph,
    check_predecessors,
    collaboration_pairs,
    load_table,
    neighbourhood,
    read_predecessor_file,
    render,
    slip_impact,
    unit_centrality,
    unit_load,
    write_edge_list,
)
from tasks.importers import load_plan

SMALL = config.flag("WORKBENCH_SMALL")  # 小数据开关:自动测试时置 1
DATA = config.data_dir()  # 仓库自带的示例数据(data/)
OUT = Path(tempfile.mkdtemp(prefix="nb01_"))  # 本笔记本的导出文件都写到临时目录
pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## 1. 从政策原文导入任务分解表
#
# 原始文件在 `../shared/seeds/`(与仓库并列的共享目录)。如果本机没有该目录,就改用仓库自带的、
# 由同一份原文生成的任务分解表工作簿 `data/plans/leiyang-2021-tasks.xlsx`。
# `load_plan` 会自己判断文件类型(txt/docx/html/xlsx/xls/csv),并说明读了哪些内容。

# %%
SHARED = config.shared_dir()  # WORKBENCH_SHARED,默认为仓库旁的 shared/
SEED = SHARED / "seeds" / "leiyang-2021-action-plan.txt"
SOURCE = SEED if SEED.is_file() else DATA / "plans" / "leiyang-2021-tasks.xlsx"

plan = load_plan(SOURCE)
print("文件:", SOURCE.name)
print("标题:", plan.title)
print("发文机关:", plan.issuer or "(未识别)", " 日期:", plan.date or "(未识别)")
print("任务数:", len(plan.tasks))
print("读取范围:", plan.used)

# %%
tasks_df = pd.DataFrame(
    [
        {
            "序号": t.id,
            "分节": t.section,
            "工作要点": t.title,
            "牵头单位": "、".join(t.lead_units),
            "责任单位": "、".join(t.responsible_units),
            "完成时限(原文)": t.deadline_text,
            "完成日期": t.deadline,
            "类型": t.deadline_kind,
            "出处": t.source.label(),
        }
        for t in plan.tasks
    ]
)
tasks_df.head(8 if SMALL else len(tasks_df))

# %% [markdown]
# ### 导入警告
#
# 原文里常有录入或转换造成的损坏(比如 `20218月底前` 少了“年”字)。工作台能读懂的会照常解析,
# 读不懂或有疑问的都会列为警告,**不会悄悄丢掉**。导入后第一件事就是看这里。

# %%
task_warnings = [{"序号": t.id, "警告": w} for t in plan.tasks for w in t.warnings]
seen = {w["警告"] for w in task_warnings}
warnings_df = pd.DataFrame(
    [{"序号": "(全文)", "警告": w} for w in plan.warnings if w not in seen] + task_warnings, columns=["序号", "警告"]
)
print(f"共 {len(warnings_df)} 条警告,涉及 {len({w['序号'] for w in task_warnings})} 项任务")
warnings_df

# %% [markdown]
# 完成时限按月份分布(“长期坚持”类任务没有日期,单独计数):

# %%
by_month = (
    tasks_df.assign(月份=pd.to_datetime(tasks_df["完成日期"]).dt.strftime("%Y-%m"))
    .fillna({"月份": "长期/未定"})
    .groupby("月份")
    .size()
    .rename("任务数")
    .reset_index()
)
alt.Chart(by_month, title="各月到期的任务数").mark_bar().encode(
    x=alt.X("月份:N", title="完成月份"), y=alt.Y("任务数:Q", title="任务数"), tooltip=["月份", "任务数"]
)

# %% [markdown]
# ## 2. 补充前置关系
#
# 任务分解表通常不写任务之间的先后关系,需要领导小组办公室补上。这里按业务逻辑补几条,
# 写成一个前置任务文件(两列:`任务,前置任务`,每行一条),工作台读这个文件建图——
# 与在看板上逐条设置、或在表格里加“前置任务”列效果相同。
#
# - 办事指南标准化(10)是“一件事一次办”(11)的基础,后者又是企业开办(12)和小程序应用(13)的前提;
# - 大厅“三集中三到位”(6)之后才能推基层一门式(7)和大厅标准化管理(8);
# - 数据融合共享(21)支撑跨域通办、全程网办(14);
# - 工程建设项目综合窗口(16)先行,帮代办窗口(19)随后。

# %%
links_df = pd.DataFrame(
    [("11", "10"), ("12", "11"), ("13", "11"), ("7", "6"), ("8", "6"), ("14", "21"), ("19", "16")],
    columns=["任务", "前置任务"],
)
pred_file = OUT / "leiyang-2021.predecessors.csv"
links_df.to_csv(pred_file, index=False, encoding="utf-8-sig")
links = read_predecessor_file(pred_file)
g = build_graph(plan, links)
print(f"读入前置关系 {len(links)} 条;图中共有 {g.number_of_nodes()} 个节点、{g.number_of_edges()} 条边")

# %% [markdown]
# 在看板上设置前置任务时,工作台会先检查再保存:比如把任务 10 的前置设为 12,就会形成循环
# (10 → 11 → 12 → 10),这种设置会被拒绝,并说明循环路线。

# %%
plan_with_links = load_plan(SOURCE)
for link in links:
    plan_with_links.task(link.task).predecessors.append(link.predecessor)
problems = check_predecessors(plan_with_links, "10", ["12"])
for p in problems:
    print(p["kind"], "→", p["message"])

# %% [markdown]
# ## 3. 时限倒挂与关键路径
#
# **时限倒挂**:一项任务的完成时限早于它的前置任务——照方案执行,它不可能按期完成。
# **关键路径**:表里没有工期,只有完成时限,所以这里取“必须一个接一个完成的最长任务链”,
# 同样长时取余量最小的一条。关键路径上如果出现负的“距上一步(天)”,说明这条链本身就有倒挂,
# 要先调整时限或前置关系,再谈按期完成。

# %%
summary = analyse(g)
inversions_df = pd.DataFrame(summary["inversions"]).rename(
    columns={
        "task": "任务",
        "predecessor": "前置任务",
        "days": "倒挂天数",
        "task_due": "任务时限",
        "predecessor_due": "前置任务时限",
    }
)
print("图的规模:", summary["counts"])
print("不参与日期分析的任务(长期坚持/无日期):", "、".join(summary["excluded"]) or "无")
inversions_df

# %%
cp = summary["critical_path"]
title_of = {t.id: t.title for t in plan.tasks}
cp_df = pd.DataFrame(cp["steps"]).rename(
    columns={"task": "任务", "due": "完成时限", "days_after_previous": "距上一步(天)"}
)
cp_df.insert(1, "工作要点", cp_df["任务"].map(title_of))
print("关键路径:", " → ".join(cp["tasks"]), f"(共 {cp['length']} 项,总余量 {cp['total_slack_days']} 天)")
cp_df

# %% [markdown]
# 余量最小的任务(它们一旦延误,下游马上受影响):

# %%
slack_df = pd.DataFrame(summary["least_slack"]).rename(columns={"task": "任务", "slack_days": "余量(天)"})
slack_df.insert(1, "工作要点", slack_df["任务"].map(title_of))
slack_df

# %% [markdown]
# ## 4. 某项任务延误 30 天会波及什么
#
# 取关键路径的第一项任务,假设它比时限晚 30 天完成。规则:它的完成日推到“时限 + 30 天”;
# 后续任务不可能早于前置任务完成,于是它们的完成日取“自身时限”与“前置任务完成日”中较晚者;
# 超过自身时限的任务就是**受影响**任务。时限留有足够余量的后续任务会把延误“吸收”掉。

# %%
SLIP_DAYS = 30
slipped = cp["tasks"][0] if cp["tasks"] else plan.tasks[0].id
impact = slip_impact(g, slipped, SLIP_DAYS)
print(f"任务 {slipped}「{title_of[slipped]}」原定 {impact['due']} 完成,延误后 {impact['finish']}")
impact_df = pd.DataFrame(impact["details"]).rename(
    columns={
        "task": "任务",
        "title": "工作要点",
        "due": "原时限",
        "finish": "新完成日",
        "days_late": "超期天数",
        "lead_units": "牵头单位",
        "responsible_units": "责任单位",
    }
)
impact_df[["牵头单位", "责任单位"]] = impact_df[["牵头单位", "责任单位"]].map("、".join)
impact_df

# %%
units_hit = pd.DataFrame(impact["affected_units"]).rename(
    columns={"unit": "单位", "roles": "角色", "tasks": "受影响任务"}
)
units_hit[["角色", "受影响任务"]] = units_hit[["角色", "受影响任务"]].map("、".join)
print("延误被这些后续任务吸收:", "、".join(impact["absorbed_by"]) or "无")
units_hit

# %%
timeline = pd.DataFrame(
    [{"任务": r["任务"], "日期": r["原时限"], "口径": "原时限"} for r in impact_df.to_dict("records")]
    + [{"任务": r["任务"], "日期": r["新完成日"], "口径": "延误后完成日"} for r in impact_df.to_dict("records")]
    + [
        {"任务": slipped, "日期": impact["due"], "口径": "原时限"},
        {"任务": slipped, "日期": impact["finish"], "口径": "延误后完成日"},
    ]
)
alt.Chart(timeline, title=f"任务 {slipped} 延误 {SLIP_DAYS} 天:原时限与延误后完成日").mark_point(
    filled=True, size=90
).encode(
    x=alt.X("日期:T", title="日期"),
    y=alt.Y("任务:N", title="任务", sort=None),
    color=alt.Color("口径:N", title=""),
    tooltip=["任务", "日期", "口径"],
)

# %% [markdown]
# 延误任务及其上下游的关系图(graphviz 绘制,方框是任务、椭圆是单位):

# %%
picture = render(neighbourhood(g, slipped, radius=1), OUT / f"task-{slipped}.svg", title=f"任务{slipped}及其上下游")
SVG(filename=str(picture))

# %% [markdown]
# ## 5. 单位负荷与协作
#
# 每个单位牵头、参与多少任务,按完成月份分布;哪些单位经常一起承担任务;谁是协作网络里的“枢纽”。
# 注意“市直各相关单位”这类**集体单位**代表很多部门,单独标出。

# %%
TOP = 8 if SMALL else 15
load = unit_load(g)
load_df = (
    pd.DataFrame(load)
    .rename(
        columns={
            "unit": "单位",
            "collective": "集体单位",
            "led": "牵头",
            "joined": "参与",
            "total": "合计",
            "open": "未完成",
            "ongoing": "长期任务",
        }
    )
    .drop(columns=["by_month"])
)
load_df.head(TOP)

# %%
months, cells = load_table(g)
heat = pd.DataFrame([{"单位": u, "月份": m, "任务数": n} for u, row in cells.items() for m, n in row.items()])
top_units = load_df["单位"].head(TOP).tolist()
alt.Chart(heat[heat["单位"].isin(top_units)], title="各单位按完成月份的任务负荷(牵头+参与)").mark_rect().encode(
    x=alt.X("月份:O", title="完成月份", sort=months),
    y=alt.Y("单位:N", title="单位", sort=top_units),
    color=alt.Color("任务数:Q", title="任务数", scale=alt.Scale(scheme="oranges")),
    tooltip=["单位", "月份", "任务数"],
)

# %%
pairs_df = pd.DataFrame(collaboration_pairs(g, include_collective=False)).head(TOP)
pairs_df["单位组合"] = pairs_df["units"].map(" + ".join)
pairs_df.rename(columns={"tasks": "共同任务数", "task_ids": "任务"})[["单位组合", "共同任务数", "任务"]]

# %%
hubs = unit_centrality(g, top=5)
print(hubs["method"])
pd.DataFrame(hubs["units"])[["rank", "unit", "reason"]].rename(
    columns={"rank": "名次", "unit": "单位", "reason": "原因"}
)

# %% [markdown]
# 图和边表可以导出给 Gephi/yEd 或 Excel 继续分析:

# %%
edges_file = write_edge_list(g, OUT / "leiyang-2021-edges.xlsx")
print("边表已写入:", edges_file)

# %% [markdown]
# ## 小结

# %%
ongoing = summary["counts"]["excluded_tasks"]
n_warn = len(warnings_df)
worst = inversions_df.iloc[0] if len(inversions_df) else None
top_unit = load_df.iloc[0]
lines = [
    f"- 从《{plan.title or SOURCE.name}》导入 **{len(plan.tasks)}** 项任务,"
    f"其中 {ongoing} 项为长期坚持或无日期;导入警告 {n_warn} 条,需要逐条核对。",
    f"- 补充 {len(links)} 条前置关系后,发现 **{len(inversions_df)}** 处时限倒挂"
    + (
        f",最严重的是任务 {worst['任务']} 比前置任务 {worst['前置任务']} 早 {worst['倒挂天数']} 天到期。"
        if worst is not None
        else "。"
    ),
    f"- 关键路径为 {' → '.join(cp['tasks']) or '(无)'},共 {cp['length']} 项任务。",
    f"- 任务 {slipped} 延误 {SLIP_DAYS} 天,会让 **{len(impact['affected_tasks'])}** 项后续任务超期"
    f"({'、'.join(impact['affected_tasks']) or '无'}),波及 {len(impact['affected_units'])} 个单位;"
    f"{len(impact['absorbed_by'])} 项后续任务有余量吸收延误。",
    f"- 负荷最重的单位是 **{top_unit['单位']}**:牵头 {top_unit['牵头']} 项、参与 {top_unit['参与']} 项;"
    f"协作枢纽排第一的是 {hubs['units'][0]['unit'] if hubs['units'] else '(无)'}。",
]
display(Markdown("### 规划人员从本笔记本得到的结论\n\n" + "\n".join(lines)))

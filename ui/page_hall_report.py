"""大厅运行报告 page: upload a ticket log (and a 好差评 export), confirm skipping unreadable rows,
read the hall's statistics, download them as xlsx or docx. All figures come from sim.hall_report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.common import DOCX_MIME, XLSX_MIME, guard, page_header

page_header(
    "大厅运行报告",
    "导入叫号系统导出的叫号记录(取号/叫号/办结时间、业务、窗口、工号、状态)和好差评数据,"
    "生成按日、时段、业务、窗口、工作人员的统计和好差评情况。",
)

PCT = ("no_show_rate", "abandon_rate", "saturation", "active_rate", "bad_rate", "fix_on_time_rate", "revisit_rate")


@st.cache_data(show_spinner="正在读取叫号记录…", max_entries=4)
def _read_log(name: str, data: bytes):
    from sim.ticketlog import read_ticket_log

    return read_ticket_log(data, name)


@st.cache_data(show_spinner="正在读取好差评数据…", max_entries=4)
def _read_ratings(name: str, data: bytes):
    from sim.ratings import read_ratings

    return read_ratings(data, name)


def _show(df: pd.DataFrame) -> None:
    from sim.hall_report import CN

    out = df.copy()
    for c in out.columns:
        if c in PCT:
            out[c] = [("—" if pd.isna(v) else f"{v:.1%}") for v in out[c]]
        elif out[c].dtype.kind == "f":
            out[c] = [("—" if pd.isna(v) else round(float(v), 1)) for v in out[c]]
    st.dataframe(out.rename(columns={c: CN.get(c, c) for c in out.columns}), hide_index=True, width="stretch")


c1, c2, c3 = st.columns([2, 2, 1])
log_file = c1.file_uploader("叫号记录(xlsx 或 csv)", type=["xlsx", "xlsm", "xls", "csv"], key="hall_report_log")
rating_file = c2.file_uploader("好差评数据(可选)", type=["xlsx", "xlsm", "xls", "csv"], key="hall_report_ratings")
fix_limit = c3.number_input(
    "差评整改时限(工作日)", min_value=0, max_value=90, value=15, step=1, key="hall_report_fix_limit"
)


@st.cache_data(show_spinner="正在生成示例数据…", max_entries=1)
def _sample() -> tuple[bytes, bytes]:
    from sim.ratings import synthetic_ratings
    from sim.ticketlog import synthetic_log

    log = synthetic_log(
        20, seed=16, no_show={"户籍": 0.08, "税务": 0.04}, abandon=0.01, routes={"不动产登记": (["税务", "缴费"], 0.4)}
    )
    return (
        log.to_csv(index=False).encode("utf-8-sig"),
        synthetic_ratings(log, seed=16).to_csv(index=False).encode("utf-8-sig"),
    )


if log_file is None:
    st.info(
        "请上传叫号记录。表头可为“取号时间/取号”“叫号时间/呼叫时间”“办结时间/完成时间”“业务类型/事项名称”"
        "“窗口/窗口号”“工号”“办件编号”“票号/排队号”“状态”(正常、过号、弃号、转号)等常见写法。"
    )
    if not st.checkbox("先用示例数据看看(模拟生成的20个工作日叫号记录和好差评,非真实数据)", key="hall_report_sample"):
        st.stop()
    sample_log, sample_ratings = _sample()
    log_name, log_bytes = "示例叫号记录.csv", sample_log
    if rating_file is None:
        rating_name, rating_bytes = "示例好差评.csv", sample_ratings
else:
    log_name, log_bytes = log_file.name, log_file.getvalue()
if rating_file is not None:
    rating_name, rating_bytes = rating_file.name, rating_file.getvalue()

log = ratings = None
with guard("读取叫号记录"):
    log = _read_log(log_name, log_bytes)
if log is None:
    st.stop()
if rating_file is not None or log_file is None:
    with guard("读取好差评数据"):
        ratings = _read_ratings(rating_name, rating_bytes)

bad = list(log.problems) + (list(ratings.problems) if ratings else [])
if bad:
    st.warning(f"有 {len(bad)} 行无法读取,将不纳入统计:")
    rows = pd.DataFrame(
        {
            "文件": [log.file] * len(log.problems) + ([ratings.file] * len(ratings.problems) if ratings else []),
            "行号": [p.row for p in bad],
            "票号": [p.ticket for p in bad],
            "列": [p.column for p in bad],
            "原因": [p.why for p in bad],
        }
    )
    st.dataframe(rows, hide_index=True, width="stretch")
    if not st.checkbox(f"确认只导入可读的 {len(log.frame)} 行叫号记录", key="hall_report_confirm"):
        st.stop()

from sim.hall_report import build_hall_report, hall_report_docx, hall_report_xlsx  # noqa: E402

rep = None
with guard("生成报告"):
    rep = build_hall_report(log, ratings, int(fix_limit))
if rep is None:
    st.stop()

o = rep.overview
m = st.columns(5)
m[0].metric("取号数", f"{o['tickets']:,}")
m[1].metric("办理数", f"{o['served']:,}")
m[2].metric("过号率", f"{o['no_show_rate']:.1%}")
m[3].metric("平均等候(分钟)", "—" if pd.isna(o["mean_wait"]) else f"{o['mean_wait']:.1f}")
m[4].metric("P90等候(分钟)", "—" if pd.isna(o["p90_wait"]) else f"{o['p90_wait']:.1f}")
st.caption(
    f"统计范围 {o['first'][:10]} 至 {o['last'][:10]},共 {o['days']} 个办件日;高峰时段:"
    + "、".join(rep.peak_hours["hour"])
)

tabs = st.tabs(["按业务", "按窗口", "按日", "按时段", "工作人员", "多窗联办", "好差评"])
with tabs[0]:
    _show(
        rep.by_business[
            ["business", "tickets", "served", "no_show_rate", "abandon_rate", "mean_wait", "p90_wait", "mean_service"]
        ]
    )
with tabs[1]:
    _show(
        rep.by_window[
            ["window", "served", "mean_wait", "p90_wait", "mean_service", "busy_hours", "open_hours", "saturation"]
        ]
    )
    st.caption("窗口饱和度 = 办理时长 ÷ 在岗时长(当日首次叫号至末次办结)。")
with tabs[2]:
    _show(rep.by_day[["date", "weekday", "tickets", "served", "no_show_rate", "mean_wait", "p90_wait"]])
with tabs[3]:
    st.bar_chart(rep.by_hour.set_index("hour")["tickets_per_day"].rename("日均取号"))
with tabs[4]:
    _show(rep.by_clerk[["clerk", "served", "days", "per_day", "busy_hours", "mean_service", "windows"]])
with tabs[5]:
    _show(rep.routes)
with tabs[6]:
    if rep.join is None:
        st.info("上传好差评数据后显示评价数、主动评价率、差评率、差评整改按时率和回访率。")
    else:
        by = st.radio("统计口径", ["窗口", "工号", "业务类型", "月份"], horizontal=True, key="hall_report_by")
        _show(
            rep.rating_tables[by][
                [by, "ratings", "served", "active_rate", "bad", "bad_rate", "fix_on_time_rate", "revisit_rate"]
            ]
        )
        if len(rep.join.unmatched):
            st.warning(f"{len(rep.join.unmatched)} 条评价未能与叫号记录对应:")
            st.dataframe(
                rep.join.unmatched[["row", "评价时间", "办件编号", "票号", "窗口", "评价等级", "原因"]]
                .rename(columns={"row": "行号"})
                .astype(str),
                hide_index=True,
                width="stretch",
            )

d1, d2 = st.columns(2)
with guard("生成下载文件"):
    d1.download_button("下载统计表(xlsx)", hall_report_xlsx(rep), "大厅运行报告.xlsx", XLSX_MIME)
    d2.download_button("下载报告(docx)", hall_report_docx(rep), "大厅运行报告.docx", DOCX_MIME)

"""报告 page: monthly check, quarterly assessment and half-year bulletin as xlsx and docx downloads."""

from __future__ import annotations

import streamlit as st

from core.safe_export import safe_filename
from ui.auth import page_guard
from ui.common import DOCX_MIME, XLSX_MIME, current_as_of, get_store, guard, md, page_header

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header(
    "报告", "每月一检查、一季一评估、半年一通报:生成后先在页面上预览,再下载 Word 通报稿(公文格式)和 Excel 报表。"
)

KINDS = {"月度检查": "month", "季度评估": "quarter", "半年通报": "half"}

with guard("生成报告"):
    from tasks.progress import report_docx, report_xlsx
    from tasks.store import parse_period, period_of

    store = get_store()
    plans = [p.key for p in store.plans() if p.tasks]
    c1, c2, c3 = st.columns(3)
    kind_name = c1.radio("报告类型", list(KINDS), horizontal=True, key="rep_kind")
    kind = KINDS[kind_name]
    period_text = c2.text_input(
        "报告期",
        value=period_of(current_as_of(), kind).key,
        key=f"rep_period_{kind}",
        help="月度如 2021-09,季度如 2021-Q3,半年如 2021-H2",
    )
    plan = c3.selectbox("计划", ["全部计划"] + plans, key="rep_plan")
    period = parse_period(period_text, kind).key
    if st.button("生成报告", type="primary", key="rep_build"):
        with st.spinner("正在生成报告…"):
            rep = store.build_report(kind, period, plan=None if plan == "全部计划" else plan)
            st.session_state["rep_files"] = (
                rep.title,
                report_xlsx(rep),
                report_docx(rep),
                len(rep.overdue),
                len(rep.carded),
                len(rep.reminders),
                rep.as_of.isoformat(),
            )
    files = st.session_state.get("rep_files")
    if files:
        title, xlsx, docx, n_over, n_card, n_rem, as_of = files
        st.success(f"已生成《{md(title)}》(截至 {as_of}):逾期 {n_over} 项,红黄牌 {n_card} 项,催办 {n_rem} 家单位。")
        st.subheader("通报稿预览")
        st.caption(
            "下面是 Word 通报稿的内容(公文格式:A4,仿宋三号正文,页码居外侧);核对无误后在下方下载,可直接印发或按需修改。"
        )
        from ui.board_views import document_preview

        document_preview(docx)
        d1, d2 = st.columns(2)
        d1.download_button(
            "下载 Excel 报表",
            data=xlsx,
            file_name=safe_filename(f"{title}.xlsx"),
            mime=XLSX_MIME,
            key="rep_dl_xlsx",
            icon=":material/table:",
            on_click="ignore",
        )
        d2.download_button(
            "下载 Word 通报稿",
            data=docx,
            file_name=safe_filename(f"{title}.docx"),
            mime=DOCX_MIME,
            key="rep_dl_docx",
            icon=":material/article:",
            on_click="ignore",
        )

"""提醒与发件箱 page (offices): the outbox with retry/cancel, a send button, unit contacts, reminder
rules and templates.  Everything goes through the guarded store (tasks.notify does the work): an
office limited to a city sees and sends its own regions' messages and keeps its own units' contacts;
the rules and templates are the province's (shown to a city office, changed by the province)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tasks.accounts import allowed
from tasks.notify import (
    CHANNEL_NAMES,
    PERIODS,
    PLACEHOLDERS,
    REASONS,
    STATUS_NAMES,
    Contact,
    enabled_channels,
    mail_settings,
)
from tasks.regions import DEFAULT_REGION
from ui.auth import require_page
from ui.common import XLSX_MIME, flash, get_store, guard, md, page_header

account = require_page("view_outbox")
page_header(
    "提醒与发件箱", "催办、到期提醒和签收、延期、退回、预警通知:先预览,开启通道后由系统发送;失败的消息可重试或取消。"
)
store = get_store()


def _cell(value) -> str:
    """An edited cell as text (emptied cells come back as None/NaN)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _when(t) -> str:
    return f"{t:%Y-%m-%d %H:%M}" if t else ""


with guard("读取发送设置"):
    channels = enabled_channels()
    rules = store.notify_rules()
    on = sorted({CHANNEL_NAMES[c] for c in channels})
    st.info(
        f"已开启的通道:{'、'.join(on) if on else '无(只预览,不发送;由服务器环境变量 WORKBENCH_NOTIFY_CHANNELS 开启)'}",
        icon=":material/send:",
    )
    if "mail" in channels:
        mail = mail_settings()
        st.caption(f"邮件服务器:{md(mail.describe()) if mail else '未设置(WORKBENCH_SMTP_HOST 等)'}")
    st.caption("规则:" + rules.describe())
    if account.region:
        st.caption(f"本页只列出和发送{account.region}(含所辖县区)的消息;提醒规则和消息模板由省级办公室统一设置。")

province = allowed(account, "manage_notify")  # the rules and templates: the provincial office's
tabs = st.tabs(["发件箱", "单位联系人", "规则与模板"] if province else ["发件箱", "单位联系人"])
tab_out, tab_contacts = tabs[0], tabs[1]

with tab_out:
    c1, c2, c3 = st.columns(3)
    if c1.button("预览将要发送的提醒", key="nt_preview", icon=":material/visibility:"):
        with guard("预览"):
            rep = store.run_notify(send=False)
            st.session_state["nt_preview_rows"] = [
                {
                    "类型": REASONS[m.reason],
                    "通道": CHANNEL_NAMES[m.channel],
                    "单位": m.unit,
                    "标题": m.subject,
                    "正文": m.body,
                }
                for m in rep.planned
            ]
            st.session_state["nt_preview_text"] = rep.summary()
    if c2.button("立即发送", key="nt_send", type="primary", icon=":material/send:", disabled=not channels):
        with guard("发送提醒"):
            rep = store.run_notify(send=True)
            flash(rep.summary())
            st.rerun()
    if c3.button("生成短信发送清单", key="nt_sms", icon=":material/sms:", disabled="sms" not in channels):
        with guard("生成短信发送清单"):
            data, n = store.export_send_list("xlsx")
            st.session_state["nt_sms_file"] = (data, n)
    if "nt_sms_file" in st.session_state:
        data, n = st.session_state["nt_sms_file"]
        st.download_button(
            f"下载短信发送清单({n} 条,已标记为已发送)",
            data=data,
            file_name="短信发送清单.xlsx",
            mime=XLSX_MIME,
            key="nt_sms_dl",
            icon=":material/download:",
            on_click="ignore",
        )
    if "nt_preview_text" in st.session_state:
        st.caption(st.session_state["nt_preview_text"])
        rows = st.session_state.get("nt_preview_rows") or []
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="nt_preview_table")

    status = st.selectbox("状态", ["全部", *STATUS_NAMES.values()], key="nt_status")
    code = next((k for k, v in STATUS_NAMES.items() if v == status), None)
    with guard("读取发件箱"):
        msgs = store.outbox(status=code, limit=500)
        if not msgs:
            st.info("发件箱中没有消息。")
        else:
            df = pd.DataFrame(
                [
                    {
                        "编号": m.id,
                        "地区": m.region or DEFAULT_REGION,
                        "状态": STATUS_NAMES[m.status],
                        "类型": REASONS[m.reason],
                        "通道": CHANNEL_NAMES.get(m.channel, m.channel),
                        "单位": m.unit,
                        "联系人": m.person,
                        "地址": m.to_dict()["address"],
                        "标题": m.subject,
                        "尝试次数": m.attempts,
                        "说明": m.last_error,
                        "加入时间": _when(m.created_at),
                        "发送时间": _when(m.sent_at),
                    }
                    for m in msgs
                ]
            )
            st.dataframe(df, hide_index=True, width="stretch", key="nt_outbox")
            from ui.tables import xlsx_download

            xlsx_download(df, "发件箱", "nt_outbox_xlsx")
            actionable = [m.id for m in msgs if m.status in ("failed", "pending")]
            picked = st.multiselect("选择消息(发送失败或待发送)", actionable, key="nt_pick")
            b1, b2 = st.columns(2)
            if b1.button("重试所选", key="nt_retry", disabled=not picked):
                with guard("重试"):
                    store.retry_messages(picked)
                    flash(f"已重新排队 {len(picked)} 条,下次发送时发出。")
                    st.session_state.pop("nt_pick", None)
                    st.rerun()
            if b2.button("取消所选", key="nt_cancel", disabled=not picked):
                with guard("取消"):
                    store.cancel_messages(picked)
                    flash(f"已取消 {len(picked)} 条。")
                    st.session_state.pop("nt_pick", None)
                    st.rerun()

with tab_contacts:
    st.caption(
        "手机、邮箱、群机器人地址至少填一项;机器人地址只接受 http(s) 网址。钉钉机器人如启用“加签”,请填写加签密钥"
        "(已保存的密钥不再显示,留空表示不变)。"
    )
    with guard("读取联系人"):
        kept = store.contact_regions()
        where = st.selectbox(
            "联系人所属地区",
            kept,
            format_func=lambda r: r or f"全省({DEFAULT_REGION}计划)",
            key="nt_contacts_region",
            help="各市县办公室维护本地区单位的联系人;县(区)没有的,使用所属市的联系人。",
        )
        people = {c.unit: c for c in store.notify_contacts() if c.region == where}
        units = store.contact_units(where)
        base = pd.DataFrame(
            [
                {
                    "单位": u,
                    "联系人": people[u].person if u in people else "",
                    "手机": people[u].phone if u in people else "",
                    "邮箱": people[u].email if u in people else "",
                    "群机器人地址": people[u].webhook if u in people else "",
                    "加签密钥": "",
                }
                for u in units
            ]
        )
        edited = st.data_editor(
            base,
            hide_index=True,
            width="stretch",
            key="nt_contacts_edit",
            disabled=["单位"],
            column_config={"加签密钥": st.column_config.TextColumn(help="留空表示不变")},
        )
        if st.button("保存联系人", key="nt_contacts_save"):
            rows = [
                Contact(str(r["单位"]), *(_cell(r[k]) for k in ("联系人", "手机", "邮箱", "群机器人地址", "加签密钥")))
                for _, r in edited.iterrows()
            ]
            changed, errors = store.apply_contact_edits(rows, region=where)
            for e in errors:
                st.error(md(e), icon=":material/error:")
            if not errors:
                flash(f"已保存 {changed} 个单位的联系方式。")
                st.rerun()
    up = st.file_uploader(
        "导入联系人表(xlsx/csv:单位、联系人、手机、邮箱、群机器人地址,可加“加签密钥”列)",
        type=["xlsx", "csv"],
        key="nt_contacts_file",
    )
    if up is not None and st.button("检查并导入", key="nt_contacts_import"):
        with guard("导入联系人表"):
            import tempfile
            from pathlib import Path

            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / Path(up.name).name
                path.write_bytes(up.getvalue())
                sheet = store.import_contacts(path, name=up.name, region=where)
            if sheet.issues:
                st.error(md(sheet.summary()), icon=":material/error:")
                st.dataframe(
                    pd.DataFrame(
                        [
                            {"工作表": i.sheet or "", "行": i.row or "", "列": i.column or "", "问题": i.message}
                            for i in sheet.issues
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                    key="nt_contacts_issues",
                )
            else:
                flash("已导入:" + md(sheet.summary()))
                st.rerun()

if not province:
    st.stop()

with tabs[2]:
    with st.form("nt_rules_form"):
        reasons = st.multiselect(
            "开启的提醒", list(REASONS), default=list(rules.reasons), format_func=lambda r: REASONS[r], key="nt_reasons"
        )
        r1, r2, r3 = st.columns(3)
        days = r1.number_input("到期前几天提醒", 0, 365, rules.days_ahead, key="nt_days")
        period = r2.selectbox(
            "同一单位同类提醒至多一次/",
            list(PERIODS),
            index=list(PERIODS).index(rules.period),
            format_func=lambda p: PERIODS[p],
            key="nt_period",
        )
        attempts = r3.number_input("最多尝试次数", 1, 20, rules.max_attempts, key="nt_attempts")
        q1, q2, q3 = st.columns(3)
        qs = q1.text_input("免打扰开始(时:分)", rules.quiet_start, key="nt_qs")
        qe = q2.text_input("免打扰结束(时:分)", rules.quiet_end, key="nt_qe")
        backoff = q3.number_input("首次重试间隔(分钟,之后加倍)", 0, 1440, rules.backoff_minutes, key="nt_backoff")
        d1, d2 = st.columns(2)
        cap = d1.number_input("每日发送上限(0 为不限)", 0, 100000, rules.daily_cap, key="nt_cap")
        ucap = d2.number_input("每单位每日上限(0 为不限)", 0, 1000, rules.unit_daily_cap, key="nt_ucap")
        if st.form_submit_button("保存规则"):
            with guard("保存提醒规则"):
                saved = store.save_notify_rules(
                    {
                        "reasons": reasons,
                        "days_ahead": days,
                        "period": period,
                        "quiet_start": qs,
                        "quiet_end": qe,
                        "daily_cap": cap,
                        "unit_daily_cap": ucap,
                        "max_attempts": attempts,
                        "backoff_minutes": backoff,
                        "timeout_seconds": rules.timeout_seconds,
                    }
                )
                flash("提醒规则已保存:" + saved.describe())
                st.rerun()

    st.subheader("消息模板")
    with guard("读取模板"):
        tpls = store.notify_templates()
        reason = st.selectbox("提醒类型", list(REASONS), format_func=lambda r: REASONS[r], key="nt_tpl_reason")
        st.caption("可用占位符:" + "、".join(f"{{{k}}} {v}" for k, v in PLACEHOLDERS.items()))
        subject = st.text_input("标题", tpls[reason].subject, key=f"nt_tpl_subject_{reason}")
        body = st.text_area("正文", tpls[reason].body, height=220, key=f"nt_tpl_body_{reason}")
        t1, t2 = st.columns(2)
        if t1.button("保存模板", key="nt_tpl_save"):
            with guard("保存模板"):
                store.save_template(reason, subject, body)
                flash(f"“{REASONS[reason]}”模板已保存。")
                st.rerun()
        if t2.button("恢复默认", key="nt_tpl_reset"):
            with guard("恢复默认模板"):
                store.reset_template(reason)
                st.session_state.pop(f"nt_tpl_subject_{reason}", None)
                st.session_state.pop(f"nt_tpl_body_{reason}", None)
                flash(f"“{REASONS[reason]}”模板已恢复默认。")
                st.rerun()

"""AppTest: 大厅运行报告 — a log with an unreadable row is shown only after confirming; ratings figures appear."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ui_support import app_on

from sim.ticketlog import synthetic_log


def _files():
    log = synthetic_log(3, seed=4, businesses={"户籍": 60, "税务": 30}, no_show={"户籍": 0.1})
    df = log.astype(str).replace({"NaT": ""})
    df.loc[2, "办结时间"] = "下午"
    served = log[log["状态"] == "正常"].iloc[10:30]  # not the row made unreadable
    ratings = pd.DataFrame(
        {
            "评价时间": (served["办结时间"] + pd.Timedelta(minutes=2)).astype(str),
            "办件编号": list(served["办件编号"][:-1]) + ["BJ不存在"],
            "评价等级": np.where(np.arange(20) % 5 == 0, "不满意", "满意"),
        }
    )
    return df.to_csv(index=False).encode("gbk"), ratings.to_csv(index=False).encode("utf-8-sig")


def test_hall_report_page_confirms_bad_rows_then_reports(tmp_path, monkeypatch):
    log_bytes, rating_bytes = _files()
    at = app_on(tmp_path, monkeypatch, "ui/page_hall_report.py")
    assert not at.exception and not at.error
    at.file_uploader(key="hall_report_log").set_value(("叫号记录.csv", log_bytes, "text/csv")).run()
    at.file_uploader(key="hall_report_ratings").set_value(("好差评.csv", rating_bytes, "text/csv")).run()
    assert not at.exception and not at.error
    assert any("1 行无法读取" in w.value for w in at.warning)
    assert not at.metric  # nothing reported before the user confirms
    bad = at.dataframe[0].value
    assert list(bad["行号"]) == [4] and list(bad["列"]) == ["办结时间"]
    at.checkbox(key="hall_report_confirm").check().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["取号数"].replace(",", "")) > 100 and metrics["过号率"].endswith("%")
    shown = " ".join(" ".join(map(str, d.value.columns)) for d in at.dataframe)
    assert "主动评价率" in shown and "窗口饱和度" in shown
    assert any("1 条评价未能与叫号记录对应" in w.value for w in at.warning)
    text = " ".join(str(d.value.to_numpy().tolist()) for d in at.dataframe)
    assert "nan" not in text.lower() and "None" not in text


def test_hall_report_page_on_the_sample_data(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_hall_report.py")
    assert not at.metric
    at.checkbox(key="hall_report_sample").check().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["取号数"].replace(",", "")) > 3000
    shown = " ".join(" ".join(map(str, d.value.columns)) for d in at.dataframe)
    assert "差评整改按时率" in shown and "平均在厅时间(分钟)" in shown
    assert any(b.label == "下载报告(docx)" for b in at.get("download_button"))

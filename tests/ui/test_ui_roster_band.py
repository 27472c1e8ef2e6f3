"""AppTest: the 排班 page's hours band — a band that cannot hold the demand is refused in Chinese
before solving, naming the band and the demand (no traceback, no roster)."""

from __future__ import annotations

from ui_support import app_on


def test_an_impossible_hours_band_is_refused_before_solving(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_staffing.py", timeout=300)
    assert not at.exception and not at.error
    at.number_input(key="roster_weeks").set_value(1).run()
    at.number_input(key="roster_limit").set_value(3).run()
    at.radio(key="roster_method").set_value("Erlang C").run()
    assert at.radio(key="roster_band_mode").options == ["不限", "按需求自动确定", "自定"]
    at.radio(key="roster_band_mode").set_value("自定").run()
    at.number_input(key="roster_band_lo").set_value(1).run()
    at.number_input(key="roster_band_hi").set_value(2).run()
    at.button(key="roster_run").click().run()
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "工时区间 1–2 小时无法满足需求" in msg and "窗口小时" in msg and "至少需要" in msg, msg
    assert "Traceback" not in msg and "WorkbenchError" not in msg
    assert not [d for d in at.dataframe if "周末值班" in d.value.columns]  # no roster shown

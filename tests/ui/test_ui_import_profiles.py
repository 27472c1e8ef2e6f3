"""AppTest: on the 导入 page the office sees each task's source text, changes the reading rules,
re-parses, saves them as an import profile (database and file), and imports with it again."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import APP, log_in

# the default rules know neither 主办单位 nor 协办科室: no task gets a lead
ZHUBAN = """某区2022年重点工作安排
1.推行证照分离。
主办单位:区市场监管局
协办科室:区司法局、区商务局
完成时限:2022年9月底前
2.建设自助服务区。
主办单位:区政务服务中心
完成时限:长期坚持
"""


@pytest.fixture
def app(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans))
    monkeypatch.setenv("WORKBENCH_DB_URL", f"sqlite:///{tmp_path / 'wb.db'}")
    monkeypatch.setenv("WORKBENCH_IMPORT_PROFILES_DIR", str(tmp_path / "profiles"))
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at)
    at.run()
    at.switch_page("ui/page_import.py").run()
    return at


def _editor(at):
    return at.data_editor[0].value


def _widget(items, prefix):
    return next(w for w in items if str(w.key).startswith(prefix))


def test_rules_reparse_save_profile_and_reuse(app, tmp_path):
    from tasks.importers.profile_store import get_profile
    from tasks.importers.profiles import ImportProfile
    from tasks.store import Store

    app.file_uploader(key="imp_file_0").set_value(("安排.txt", ZHUBAN.encode(), "text/plain")).run()
    assert not app.exception
    df = _editor(app)
    assert list(df["牵头单位"]) == ["", ""]
    # the confidence summary names what the default rules did not understand
    assert any("未识别的标签:主办单位、协办科室" in w.value for w in app.warning)
    # change the mapping and re-parse the whole document
    _widget(app.text_input, "imp_rule_lead_").input("主办单位")
    _widget(app.text_input, "imp_rule_resp_").input("协办科室")
    app.button(key="imp_reparse").click().run()
    assert not app.exception
    df = _editor(app)
    assert list(df["牵头单位"]) == ["区市场监管局", "区政务服务中心"]
    assert list(df["责任单位"]) == ["区司法局、区商务局", ""]
    assert any("识别可信度:高" in s.value for s in app.success)
    # the source text of task 1 with its fields highlighted (user text escaped)
    shown = " ".join(m.value for m in app.markdown)
    assert '<mark style="background:#ffe08a" title="牵头单位">区市场监管局</mark>' in shown
    assert '<mark style="background:#c9f2c9" title="完成时限">2022年9月底前</mark>' in shown
    # save as a named profile: database and file
    _widget(app.text_input, "imp_pname_").input("主办协办")
    app.button(key="imp_save_profile").click().run()
    assert not app.exception and not app.error
    saved = get_profile(Store(f"sqlite:///{tmp_path / 'wb.db'}"), "主办协办")
    assert saved == ImportProfile("主办协办", lead_labels=("主办单位",), responsible_labels=("协办科室",))
    assert (tmp_path / "profiles" / "主办协办.toml").is_file()
    # a new upload read with the saved profile
    app.file_uploader(key="imp_file_0").set_value(
        ("安排2.txt", ZHUBAN.replace("2022", "2023").encode(), "text/plain")
    ).run()
    assert app.selectbox(key="imp_profile").value == "主办协办"
    df = _editor(app)
    assert list(df["牵头单位"]) == ["区市场监管局", "区政务服务中心"]
    app.button(key="imp_commit").click().run()
    assert not app.exception
    stored = Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks()
    assert {t.id: t.lead_units for t in stored} == {"1": ["区市场监管局"], "2": ["区政务服务中心"]}


def test_bad_rule_line_is_a_chinese_error(app):
    app.file_uploader(key="imp_file_0").set_value(("安排.txt", ZHUBAN.encode(), "text/plain")).run()
    _widget(app.text_area, "imp_rule_cols_").input("主办科室 牵头")
    app.button(key="imp_reparse").click().run()
    assert not app.exception
    assert any("应写成“表头=角色”" in e.value for e in app.error)


def test_source_text_with_markdown_and_html_stays_text(app):
    doc = "某市2021年方案\n1.推行叫号![x](http://evil.example/p.png):red[系统通知]<img src=x>。(市数字办牵头,2021年底前完成)\n"
    app.file_uploader(key="imp_file_0").set_value(("恶意.txt", doc.encode(), "text/plain")).run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    assert "市数字办</mark>" in shown
    assert "](http" not in shown and ":red[" not in shown and "<img" not in shown

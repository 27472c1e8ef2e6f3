"""AppTest: the 导入 page previews an uploaded table, commits it as a plan, and refuses a bad file."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import APP, log_in, small_plan, write_small_plan


@pytest.fixture
def app(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans))  # an empty store: nothing bundled
    monkeypatch.setenv("WORKBENCH_DB_URL", f"sqlite:///{tmp_path / 'wb.db'}")
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at)
    at.run()
    at.switch_page("ui/page_import.py").run()
    return at


def test_upload_preview_and_commit_as_new_plan(app, tmp_path):
    from tasks.store import Store

    xlsx = write_small_plan(tmp_path / "src").read_bytes()
    app.file_uploader(key="imp_file_0").set_value(("任务分解表.xlsx", xlsx, "application/octet-stream")).run()
    assert not app.exception and not app.error
    preview = app.data_editor[0].value
    assert list(preview["编号"]) == ["1", "2", "3", "4"]
    assert preview.loc[3, "完成时限"] == "长期坚持"
    name_box = next(t for t in app.text_input if t.label == "计划名称")
    assert name_box.value == "测试计划"
    name_box.input("新计划").run()
    app.button(key="imp_commit").click().run()
    assert not app.exception
    assert any("新增 4 项" in s.value for s in app.success)
    stored = Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks("新计划")
    assert [t.id for t in stored] == ["1", "2", "3", "4"]
    assert stored[1].predecessors == ["1"]


def test_bad_file_shows_chinese_error_and_writes_nothing(app, tmp_path):
    from tasks.store import Store

    app.file_uploader(key="imp_file_0").set_value(("假表格.xlsx", "这不是表格".encode(), "text/plain")).run()
    assert not app.exception
    msg = " ".join(e.value for e in app.error)
    assert "假表格.xlsx" in msg and "扩展名" in msg
    assert Store(f"sqlite:///{tmp_path / 'wb.db'}").plans() == []


def test_small_plan_fixture_is_what_the_workbook_holds():
    assert [t.id for t in small_plan().tasks] == ["1", "2", "3", "4"]


def test_reimport_as_update_changes_the_existing_plan(app, tmp_path):
    from ui_support import small_plan

    from tasks.importers.workbook_writer import write_plan_workbook
    from tasks.store import Store

    first = write_small_plan(tmp_path / "v1").read_bytes()
    app.file_uploader(key="imp_file_0").set_value(("v1.xlsx", first, "application/octet-stream")).run()
    app.button(key="imp_commit").click().run()
    assert any("新增 4 项" in s.value for s in app.success)

    plan = small_plan()
    plan.tasks[2].deadline_text = "2021年10月底前"  # task 3 moved, task 4 dropped
    plan.tasks = plan.tasks[:3]
    (tmp_path / "v2").mkdir()
    second = write_plan_workbook(plan, tmp_path / "v2" / "v2.xlsx").read_bytes()
    app.file_uploader(key="imp_file_1").set_value(("v2.xlsx", second, "application/octet-stream")).run()
    app.radio(key="imp_mode").set_value("更新已有计划").run()
    assert app.selectbox(key="imp_target").value == "测试计划"
    app.button(key="imp_commit").click().run()
    assert not app.exception
    assert any("新增 0 项" in s.value and "归档 1 项" in s.value for s in app.success)
    stored = {t.id: t for t in Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks("测试计划")}
    assert sorted(stored) == ["1", "2", "3"] and stored["3"].deadline.isoformat() == "2021-10-31"  # type: ignore[union-attr]


def test_unreachable_database_is_a_chinese_message(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from ui_support import APP

    monkeypatch.setenv("WORKBENCH_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("无法打开任务数据库" in e.value and "WORKBENCH_DB_URL" in e.value for e in at.error)


def test_policy_document_preview_lists_body_table_disagreements(app, seed_2021):
    app.file_uploader(key="imp_file_0").set_value((seed_2021.name, seed_2021.read_bytes(), "text/plain")).run()
    assert not app.exception and not app.error
    assert len(app.data_editor[0].value) == 32
    warnings = next(d.value for d in app.dataframe if "提示" in d.value.columns)
    assert any("正文与附件表" in w for w in warnings["提示"])
    assert any("附件任务分解表" in c.value for c in app.caption)  # which layout/lines were read

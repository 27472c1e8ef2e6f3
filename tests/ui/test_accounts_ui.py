"""Dashboard login page and the office's 账号管理 page (AppTest), per role; session expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from accounts_helpers import UNIT_A, dump
from progress_helpers import small_plan

from tasks.accounts import AccountBook, SessionExpired
from tasks.store import Store

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
PASSWORDS = {"ban": "Ban-Gong-Shi-01", "zwzx": "Zheng-Wu-2021x", "ld": "Ling-Dao-2021x"}


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    s = Store(url)
    s.load_plan_into_store(small_plan(), actor="cli")
    book = AccountBook(s)
    book.add("ban", "office", password=PASSWORDS["ban"], actor="cli")
    book.add("zwzx", "unit", unit=UNIT_A, password=PASSWORDS["zwzx"], actor="ban")
    book.add("ld", "leader", password=PASSWORDS["ld"], actor="ban")
    yield s
    s.dispose()


def page(script: str, token: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=120)
    if token:
        at.session_state["wb_session_token"] = token
    return at.run()


def token_for(store, name: str) -> str:
    return AccountBook(store).login(name, PASSWORDS[name]).token


def texts(at) -> str:
    parts = [
        e.value
        for kind in ("error", "warning", "info", "success", "caption", "markdown", "code")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_login_page_logs_in_and_refuses_wrong_password(store):
    at = page("ui/login.py")
    assert not at.exception
    at.text_input(key="wb_login_name").input("zwzx")
    at.text_input(key="wb_login_password").input("wrong-password-1")
    at.button[0].click().run()
    assert "账号或密码错误" in texts(at) and "wb_session_token" not in at.session_state
    at.text_input(key="wb_login_name").input("zwzx")
    at.text_input(key="wb_login_password").input(PASSWORDS["zwzx"])
    at.button[0].click().run()
    token = at.session_state["wb_session_token"]
    assert AccountBook(store).resume(token).unit == UNIT_A
    assert PASSWORDS["zwzx"] not in repr([at.session_state[k] for k in at.session_state])


def test_login_page_shows_lockout(store, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LOGIN_MAX_FAILURES", "2")
    at = page("ui/login.py")
    for _ in range(2):
        at.text_input(key="wb_login_name").input("ld")
        at.text_input(key="wb_login_password").input("wrong-password-1")
        at.button[0].click().run()
    at.text_input(key="wb_login_name").input("ld")
    at.text_input(key="wb_login_password").input(PASSWORDS["ld"])
    at.button[0].click().run()
    assert "登录失败次数过多" in texts(at) and "wb_session_token" not in at.session_state


def test_accounts_page_office_adds_account_password_shown_once(store):
    at = page("ui/accounts.py", token_for(store, "ban"))
    assert not at.exception and [t.label for t in at.tabs] == ["账号", "新增账号", "操作日志", "角色权限"]
    assert set(at.dataframe[0].value["账号"]) == {"ban", "zwzx", "ld"}
    at.text_input[0].input("gh")
    at.selectbox[1].set_value("planner")
    form_submit = [b for b in at.button if b.label == "新增账号"][0]
    form_submit.click().run()
    assert not at.exception, at.exception
    assert len(at.code) == 1
    password = at.code[0].value
    assert AccountBook(store).authenticate("gh", password).role == "planner"
    at.run()  # the next run no longer shows it
    assert len(at.code) == 0 and password not in texts(at)
    audit = at.dataframe[1].value
    assert ((audit["操作账号"] == "ban") & (audit["操作"] == "新增账号") & (audit["对象"] == "gh")).any()


def test_accounts_page_office_resets_and_disables(store):
    at = page("ui/accounts.py", token_for(store, "ban"))
    at.selectbox(key="wb_accounts_pick").set_value("zwzx")
    at.button(key="wb_acc_reset").click().run()
    new = at.code[0].value
    assert AccountBook(store).authenticate("zwzx", new).name == "zwzx"
    at.selectbox(key="wb_accounts_pick").set_value("zwzx")
    at.button(key="wb_acc_disable").click().run()
    assert "已停用" in list(at.dataframe[0].value["状态"])
    at.selectbox(key="wb_accounts_pick").set_value("ban")
    at.button(key="wb_acc_disable").click().run()
    assert "唯一在用的办公室账号" in texts(at)


@pytest.mark.parametrize("who", [None, "zwzx", "ld"])
def test_accounts_page_refused_to_other_roles(store, who):
    token = token_for(store, who) if who else None
    before = dump(store)
    at = page("ui/accounts.py", token)
    assert not at.exception
    assert ("无权查看此页面" if who else "请先登录") in texts(at)
    assert not at.tabs and not at.dataframe
    assert dump(store)["accounts"] == before["accounts"]


def test_expired_session_must_log_in_again(store, monkeypatch):
    import tasks.accounts.book as book_mod

    token = token_for(store, "ban")
    at = page("ui/accounts.py", token)
    assert at.tabs
    later = datetime.now() + timedelta(minutes=31)
    monkeypatch.setattr(book_mod, "_now", lambda: later.replace(microsecond=0))
    at.run()
    assert "请先登录" in texts(at) and not at.tabs
    assert "wb_session_token" not in at.session_state
    assert "超过 30 分钟未操作" in at.session_state["wb_login_notice"]
    monkeypatch.undo()


# -- the whole app: per-role navigation, logout, expiry ---------------------------------------------
ALL_PAGES = [
    "ui/page_overview.py",
    "ui/page_tasks.py",
    "ui/page_graph.py",
    "ui/page_import.py",
    "ui/page_progress.py",
    "ui/page_supervision.py",
    "ui/page_units.py",
    "ui/page_reports.py",
    "ui/page_hall.py",
    "ui/page_hall_report.py",
    "ui/page_staffing.py",
    "ui/accounts.py",
]
ROLE_PAGES = {
    "office": ALL_PAGES,
    "planner": [
        "ui/page_overview.py",
        "ui/page_tasks.py",
        "ui/page_graph.py",
        "ui/page_supervision.py",  # read-only, as for leaders
        "ui/page_units.py",
        "ui/page_reports.py",
        "ui/page_hall.py",
        "ui/page_hall_report.py",
        "ui/page_staffing.py",
    ],
    "unit": ["ui/page_tasks.py", "ui/page_progress.py", "ui/page_supervision.py", "ui/page_units.py"],
    "leader": ["ui/page_overview.py", "ui/page_supervision.py", "ui/page_units.py", "ui/page_reports.py"],
}


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    from ui_support import write_small_plan

    from tasks.importers import load_plan

    plans = tmp_path / "plans"
    write_small_plan(plans)
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans))
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    s = Store(url)
    s.load_plan_into_store(load_plan(plans / "测试计划.xlsx"), actor="cli")
    yield s
    s.dispose()


def app_as(role: str | None, unit: str | None = None):
    from streamlit.testing.v1 import AppTest
    from ui_support import APP, log_in

    at = AppTest.from_file(APP, default_timeout=120)
    if role:
        log_in(at, role, unit)
    return at.run()


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_sees_its_pages_and_cannot_switch_to_others(app_env, role):
    at = app_as(role, UNIT_A if role == "unit" else None)
    assert not at.exception
    for page in ALL_PAGES:
        if page in ROLE_PAGES[role]:
            at.switch_page(page).run()
            assert not at.exception, (page, [e.value for e in at.exception])
            assert not at.error, (page, [e.value for e in at.error])
            assert at.title and at.title[0].value != "政务服务改革工作台", page
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)


def test_not_logged_in_only_the_login_page(app_env):
    at = app_as(None)
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert at.text_input(key="wb_login_password")
    for page in ALL_PAGES:
        with pytest.raises(ValueError):
            at.switch_page(page)


def test_login_then_logout_through_the_app(app_env):
    AccountBook(app_env).add("ld", "leader", password=PASSWORDS["ld"], actor="cli")
    at = app_as(None)
    at.text_input(key="wb_login_name").input("ld")
    at.text_input(key="wb_login_password").input(PASSWORDS["ld"])
    at.button[0].click().run()
    assert [t.value for t in at.title] == ["总览"]  # a leader lands on the overview
    token = at.session_state["wb_session_token"]
    assert any("ld" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="wb_logout").click().run()
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert "wb_session_token" not in at.session_state
    with pytest.raises(SessionExpired):
        AccountBook(app_env).resume(token)
    assert [a.action for a in app_env.audit_log()][-2:] == ["login", "logout"]


def test_app_session_expires_after_inactivity(app_env, monkeypatch):
    import tasks.accounts.book as book_mod

    at = app_as("office")
    at.switch_page("ui/page_tasks.py").run()
    assert [t.value for t in at.title] == ["任务"]
    later = datetime.now() + timedelta(minutes=45)
    monkeypatch.setattr(book_mod, "_now", lambda: later.replace(microsecond=0))
    at.run()
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert any("未操作,登录已超时" in w.value for w in at.warning)
    with pytest.raises(ValueError):
        at.switch_page("ui/page_tasks.py")


def test_unit_account_sees_only_its_own_tasks_template_and_card(app_env):
    at = app_as("unit", UNIT_A)
    at.switch_page("ui/page_tasks.py").run()
    assert sorted(at.dataframe[0].value["编号"]) == ["3", "4"]  # 市政务服务中心 leads 3 and 4 only
    at.switch_page("ui/page_progress.py").run()
    assert at.selectbox(key="prog_unit").options == [UNIT_A]
    assert not [b for b in at.get("download_button") if "全部" in str(b.proto.label)]
    at.switch_page("ui/page_units.py").run()
    assert list(at.dataframe[0].value["单位"]) == [UNIT_A]
    assert at.selectbox(key="units_pick").options == [UNIT_A]
    assert not [e for e in at.expander if "规则" in e.label]  # the rules form is the office's only


def test_planner_cannot_edit_predecessors_in_the_page(app_env):
    at = app_as("planner")
    at.switch_page("ui/page_tasks.py").run()
    assert "前置任务" not in at.segmented_control(key="tasks_view").options  # not offered at all
    assert not at.data_editor


def test_initial_password_prompts_a_change_in_the_sidebar(app_env):
    """Issue 19: a generated password opens only the change page (the sidebar warns too)."""
    from streamlit.testing.v1 import AppTest
    from ui_support import APP

    pw = AccountBook(app_env).add("gh", "planner", actor="cli")  # generated: must be changed
    at = AppTest.from_file(APP, default_timeout=120)
    token = AccountBook(app_env).login("gh", pw).token  # type: ignore[arg-type]
    at.session_state["wb_session_token"] = token
    at.run()
    assert any("初始密码" in w.value for w in at.sidebar.warning)
    assert at.title[0].value == "修改初始密码"
    AccountBook(app_env).change_password("gh", pw, "Gui-Hua-Ren-Yuan-7", keep_token=token)  # type: ignore[arg-type]
    at.run()
    assert not any("初始密码" in w.value for w in at.sidebar.warning)


def test_oidc_identity_gets_its_mapped_role_and_unit(app_env, monkeypatch):
    """With [workbench_oidc] configured, an st.login identity is mapped to a role and unit."""
    import ui.auth

    mapping = {
        "role_claim": "groups",
        "unit_claim": "dept",
        "roles": {"wb-unit": "unit", "wb-office": "office"},
        "units": {"zwzx": UNIT_A},
    }
    claims = {"preferred_username": "wang", "groups": ["wb-unit"], "dept": "zwzx"}
    monkeypatch.setattr(ui.auth, "oidc_mapping", lambda: mapping)
    monkeypatch.setattr(ui.auth, "_oidc_claims", lambda: claims)
    at = app_as(None)
    assert any("oidc:wang" in c.value and UNIT_A in c.value for c in at.sidebar.caption)
    at.switch_page("ui/page_progress.py").run()
    assert at.selectbox(key="prog_unit").options == [UNIT_A]
    with pytest.raises(ValueError):
        at.switch_page("ui/accounts.py")
    claims["groups"] = ["staff"]  # no mapped role: back to the login page, with the reason
    at.run()
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert any("未被授权使用工作台" in w.value for w in at.warning)


# -- a page reload keeps the login (opaque token in a browser session cookie, never in the URL) ---------------
def _html(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def reload_with_cookie(monkeypatch, token: str | None):
    """A fresh browser session (what a reload is) whose request carries the ``wb_session`` cookie."""
    import ui.auth

    monkeypatch.setattr(ui.auth, "_cookie_token", lambda: token)
    return app_as(None)


def test_reload_keeps_the_login_through_the_session_cookie(app_env, monkeypatch):
    AccountBook(app_env).add("ld", "leader", password=PASSWORDS["ld"], actor="cli")
    at = app_as(None)
    at.text_input(key="wb_login_name").input("ld")
    at.text_input(key="wb_login_password").input(PASSWORDS["ld"])
    at.button[0].click().run()
    token = at.session_state["wb_session_token"]
    script = _html(at)
    assert f'encodeURIComponent("{token}")' in script and "SameSite=Strict" in script and "max-age" not in script
    assert PASSWORDS["ld"] not in script and not at.query_params  # the token is not in the URL
    again = reload_with_cookie(monkeypatch, token)
    assert [t.value for t in again.title] == ["总览"]  # still logged in after the reload
    assert any("ld" in c.value for c in again.sidebar.caption)
    assert not AccountBook(app_env).resume(token).disabled  # the same session, not a new login
    assert [a.action for a in app_env.audit_log()].count("login") == 1


def test_logout_revokes_the_cookie_token_and_deletes_the_cookie(app_env, monkeypatch):
    AccountBook(app_env).add("ld", "leader", password=PASSWORDS["ld"], actor="cli")
    token = AccountBook(app_env).login("ld", PASSWORDS["ld"]).token
    at = reload_with_cookie(monkeypatch, token)
    assert [t.value for t in at.title] == ["总览"]
    at.sidebar.button(key="wb_logout").click().run()
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert any(i.value == "已退出登录" for i in at.info)  # the stale cookie of this tab is ignored
    assert "max-age=0" in _html(at)  # the browser is told to forget it
    again = reload_with_cookie(monkeypatch, token)  # a cookie that survived anyway
    assert [t.value for t in again.title] == ["政务服务改革工作台"]
    assert "wb_session_token" not in again.session_state


def test_cookie_of_an_idle_session_must_log_in_again(app_env, monkeypatch):
    import tasks.accounts.book as book_mod

    AccountBook(app_env).add("ld", "leader", password=PASSWORDS["ld"], actor="cli")
    token = AccountBook(app_env).login("ld", PASSWORDS["ld"]).token
    later = datetime.now() + timedelta(minutes=31)
    monkeypatch.setattr(book_mod, "_now", lambda: later.replace(microsecond=0))
    at = reload_with_cookie(monkeypatch, token)
    assert [t.value for t in at.title] == ["政务服务改革工作台"]
    assert any("未操作,登录已超时" in w.value for w in at.warning)
    assert "max-age=0" in _html(at)

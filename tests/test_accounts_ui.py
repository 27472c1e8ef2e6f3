"""Dashboard login page and the office's 账号管理 page (AppTest), per role; session expiry."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from test_accounts_helpers import UNIT_A, dump
from test_progress_helpers import small_plan
from tasks.accounts import AccountBook
from tasks.store import Store

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
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
    parts = [e.value for kind in ("error", "warning", "info", "success", "caption", "markdown", "code")
             for e in getattr(at, kind)]
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
    assert "账号已锁定至" in texts(at) and "wb_session_token" not in at.session_state


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
    at.run()                                      # the next run no longer shows it
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

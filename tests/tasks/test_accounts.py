"""Accounts: argon2 hashes, lockout for its period, session expiry, logout, roles and permission matrix."""

from __future__ import annotations

import pytest
from accounts_helpers import BACKENDS, PG_URL, UNIT_A, FakeClock, make_book
from progress_helpers import small_plan
from sqlalchemy import select

from tasks.accounts import (
    ACTIONS,
    PERMISSIONS,
    ROLES,
    Account,
    AccountError,
    AccountLocked,
    AccountPolicy,
    LoginFailed,
    PermissionDenied,
    SessionExpired,
    account_from_oidc,
    allowed,
    ensure_office_account,
    require,
)
from tasks.accounts.schema import AccountRow, AccountSessionRow
from tasks.store.testing import temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        s.load_plan_into_store(small_plan(), actor="cli")
        yield s


@pytest.fixture
def clock():
    return FakeClock()


def test_password_is_stored_as_argon2_hash_only(store, clock):
    book = make_book(store, clock)
    book.add("zwzx", "unit", unit=UNIT_A, password="Qing-He-2021!x", actor="ban")
    with store.session() as s:
        row = s.scalar(select(AccountRow).where(AccountRow.name == "zwzx"))
    assert row.password_hash.startswith("$argon2id$")
    assert "Qing-He-2021!x" not in row.password_hash
    assert book.authenticate("zwzx", "Qing-He-2021!x").unit == UNIT_A
    with pytest.raises(LoginFailed, match="账号或密码错误"):
        book.authenticate("zwzx", "qing-he-2021!x")


def test_generated_password_returned_once_and_must_be_changed(store, clock):
    book = make_book(store, clock)
    pw = book.add("ban", "office", actor="bootstrap")
    assert len(pw) == 16 and book.list()[0]["must_change_password"] is True  # type: ignore[arg-type]
    book.change_password("ban", pw, "Xin-Mi-Ma-2021")  # type: ignore[arg-type]
    assert book.list()[0]["must_change_password"] is False
    with pytest.raises(LoginFailed):
        book.authenticate("ban", pw)  # type: ignore[arg-type]
    assert book.authenticate("ban", "Xin-Mi-Ma-2021").role == "office"


def test_account_validation_messages(store, clock):
    book = make_book(store, clock)
    with pytest.raises(AccountError, match="单位账号须指定所属单位"):
        book.add("u1", "unit", actor="ban")
    with pytest.raises(AccountError, match="不在任务分解表中"):
        book.add("u1", "unit", unit="市不存在局", actor="ban")
    with pytest.raises(AccountError, match="角色“admin”无效"):
        book.add("u1", "admin", actor="ban")
    with pytest.raises(AccountError, match="只有单位账号才绑定单位"):
        book.add("u1", "leader", unit=UNIT_A, actor="ban")
    with pytest.raises(AccountError, match="至少 10 位"):
        book.add("u1", "leader", password="short", actor="ban")
    with pytest.raises(AccountError, match="账号名"):
        book.add("a b", "leader", actor="ban")
    book.add("u1", "leader", actor="ban")
    with pytest.raises(AccountError, match="已存在"):
        book.add("u1", "planner", actor="ban")
    assert [a["name"] for a in book.list()] == ["u1"]


@pytest.mark.slow
def test_locked_account_stays_locked_for_its_period(store, clock):
    """Issue 19: a wait (backoff) per name and source instead of a hard lock, one message for all failures."""
    book = make_book(store, clock, max_failures=3, lockout_minutes=15)
    book.add("zwzx", "unit", unit=UNIT_A, password="Right-Pass-2021", actor="ban")
    for _ in range(2):
        with pytest.raises(LoginFailed) as err:
            book.authenticate("zwzx", "wrong-pass-0000")
        assert str(err.value) == "账号或密码错误"
    with pytest.raises(AccountLocked) as err:
        book.authenticate("zwzx", "wrong-pass-0000")
    assert "请于 2021-10-08 09:01:00 后再试" in str(err.value)
    # the right password does not open it during the wait, not even a second before the end
    for seconds in (0, 30, 59):
        clock.now = clock.now.replace(minute=0, second=seconds)
        with pytest.raises(AccountLocked):
            book.authenticate("zwzx", "Right-Pass-2021")
    assert book.list()[0]["locked_until"] is not None
    clock.now = clock.now.replace(minute=1, second=0)
    assert book.authenticate("zwzx", "Right-Pass-2021").name == "zwzx"
    assert book.list()[0]["locked_until"] is None and book.list()[0]["failed_logins"] == 0
    actions = [a.action for a in store.audit_log()]
    assert actions.count("account_locked") == 1 and actions.count("login_refused_locked") == 3


def test_success_resets_the_failure_count_and_unlock_by_office(store, clock):
    book = make_book(store, clock, max_failures=3)
    book.add("zwzx", "unit", unit=UNIT_A, password="Right-Pass-2021", actor="ban")
    for _ in range(2):
        with pytest.raises(LoginFailed):
            book.authenticate("zwzx", "nope-nope-nope")
    book.authenticate("zwzx", "Right-Pass-2021")
    for _ in range(2):  # two more failures: still not locked, the count started again
        with pytest.raises(LoginFailed) as err:
            book.authenticate("zwzx", "nope-nope-nope")
        assert not isinstance(err.value, AccountLocked)
    with pytest.raises(AccountLocked):
        book.authenticate("zwzx", "nope-nope-nope")
    book.unlock("zwzx", actor="ban")
    assert book.authenticate("zwzx", "Right-Pass-2021").name == "zwzx"


def test_unknown_name_same_message_and_not_recorded(store, clock):
    book = make_book(store, clock)
    with pytest.raises(LoginFailed) as err:
        book.authenticate("Secret-Typed-In-Name-Box", "x")
    assert str(err.value) == "账号或密码错误"
    assert "Secret-Typed-In-Name-Box" not in repr(store.audit_log())


def test_expired_session_must_log_in_again(store, clock):
    book = make_book(store, clock, session_idle_minutes=30)
    book.add("ban", "office", password="Right-Pass-2021", actor="bootstrap")
    login = book.login("ban", "Right-Pass-2021")
    assert "Right-Pass" not in repr(login) and login.token not in repr(login)
    clock.advance(minutes=29)
    assert book.resume(login.token).name == "ban"  # activity keeps it alive…
    clock.advance(minutes=29)
    assert book.resume(login.token).name == "ban"
    clock.advance(minutes=31)  # …inactivity ends it
    with pytest.raises(SessionExpired, match="超过 30 分钟未操作"):
        book.resume(login.token)
    clock.advance(seconds=1)
    with pytest.raises(SessionExpired, match="登录已失效"):  # stays ended
        book.resume(login.token)
    again = book.login("ban", "Right-Pass-2021")
    assert book.resume(again.token).name == "ban"


def test_session_max_age_logout_and_disable(store, clock):
    book = make_book(store, clock, session_idle_minutes=30, session_max_hours=2)
    book.add("ban", "office", password="Right-Pass-2021", actor="bootstrap")
    book.add("li", "leader", password="Right-Pass-2022", actor="ban")
    s1 = book.login("ban", "Right-Pass-2021")
    for _ in range(5):
        clock.advance(minutes=25)
        if _ < 4:
            book.resume(s1.token)
    with pytest.raises(SessionExpired, match="超过 2 小时"):
        book.resume(s1.token)
    s2 = book.login("li", "Right-Pass-2022")
    book.logout(s2.token)
    with pytest.raises(SessionExpired):
        book.resume(s2.token)
    s3 = book.login("li", "Right-Pass-2022")
    book.set_disabled("li", True, actor="ban")
    with pytest.raises(SessionExpired):
        book.resume(s3.token)
    with pytest.raises(LoginFailed, match="已停用"):
        book.login("li", "Right-Pass-2022")
    with store.session() as s:
        tokens = [r.token_hash for r in s.scalars(select(AccountSessionRow))]
    assert s1.token not in tokens and all(len(t) == 64 for t in tokens)


def test_reset_ends_sessions_and_clears_lockout(store, clock):
    book = make_book(store, clock, max_failures=2)
    book.add("ban", "office", password="Right-Pass-2021", actor="bootstrap")
    book.add("zwzx", "unit", unit=UNIT_A, password="Right-Pass-2022", actor="ban")
    s = book.login("zwzx", "Right-Pass-2022")
    for _ in range(2):
        with pytest.raises(LoginFailed):
            book.authenticate("zwzx", "bad-bad-bad-bad")
    new = book.reset_password("zwzx", actor="ban")
    with pytest.raises(SessionExpired):
        book.resume(s.token)
    assert book.authenticate("zwzx", new).name == "zwzx"


def test_last_office_account_cannot_be_disabled_or_demoted(store, clock):
    book = make_book(store, clock)
    book.add("ban", "office", actor="bootstrap")
    with pytest.raises(AccountError, match="唯一在用的办公室账号"):
        book.set_disabled("ban", True, actor="ban")
    with pytest.raises(AccountError, match="唯一在用的办公室账号"):
        book.update("ban", role="leader", actor="ban")
    book.add("ban2", "office", actor="ban")
    book.set_disabled("ban", True, actor="ban2")
    assert [a["disabled"] for a in book.list() if a["name"] == "ban"] == [True]


def test_first_start_office_account_only_when_empty(store):
    pw = ensure_office_account(store)
    assert pw and len(pw) == 16
    assert ensure_office_account(store) is None
    book = make_book(store)
    assert book.authenticate("office", pw).role == "office"


def test_policy_from_env():
    p = AccountPolicy.from_env({"WORKBENCH_LOGIN_MAX_FAILURES": "3", "WORKBENCH_LOCKOUT_MINUTES": "60"})
    assert (p.max_failures, p.lockout_minutes, p.session_idle_minutes) == (3, 60.0, 30)
    with pytest.raises(AccountError, match="不是数字"):
        AccountPolicy.from_env({"WORKBENCH_SESSION_IDLE_MINUTES": "半小时"})


# -- roles ------------------------------------------------------------------------------------
def test_permission_matrix_shape():
    assert PERMISSIONS["office"] == frozenset(ACTIONS)
    writes = {
        "load_plan",
        "set_predecessors",
        "upload_progress",
        "open_period",
        "close_period",
        "save_rules",
        "manage_accounts",
    }
    assert not writes & PERMISSIONS["planner"] and not writes & PERMISSIONS["leader"]
    assert writes & PERMISSIONS["unit"] == {"upload_progress"}
    assert {"view_hall", "view_staffing", "read_all", "compare_regions"} <= PERMISSIONS["planner"]
    assert PERMISSIONS["leader"] == {"view_overview", "view_units", "view_reports", "read_all", "compare_regions"}


def test_require_messages_are_chinese_and_specific():
    unit = Account("zwzx", "unit", unit=UNIT_A)
    require(unit, "upload_progress", UNIT_A)
    with pytest.raises(PermissionDenied, match="只能为本单位“市政务服务中心”上传进展填报,不能为“市公安局”"):
        require(unit, "upload_progress", "市公安局")
    with pytest.raises(PermissionDenied, match="不能为其他单位"):
        require(unit, "download_template")
    with pytest.raises(PermissionDenied, match="责任单位账号“zwzx”无权关闭报告期"):
        require(unit, "close_period")
    with pytest.raises(PermissionDenied, match="请先登录"):
        require(None, "view_overview")
    with pytest.raises(PermissionDenied, match="已停用"):
        require(Account("ban", "office", disabled=True), "view_overview")
    assert allowed(Account("li", "leader"), "view_reports") and not allowed(Account("li", "leader"), "view_tasks")
    with pytest.raises(ValueError):
        require(unit, "fly")


def test_oidc_mapping():
    mapping = {
        "name_claim": "preferred_username",
        "role_claim": "groups",
        "unit_claim": "dept",
        "roles": {"wb-office": "office", "wb-unit": "unit", "wb-leader": "leader"},
        "units": {"zwzx": UNIT_A},
    }
    a = account_from_oidc({"preferred_username": "wang", "name": "王五", "groups": "wb-unit,wb-leader"}, mapping)
    assert (a.name, a.role, a.unit, a.display_name) == ("oidc:wang", "leader", None, "王五")  # most privileged
    a = account_from_oidc(
        {"preferred_username": "li", "groups": ["wb-unit"], "dept": "zwzx"}, mapping, known_units=[UNIT_A]
    )
    assert (a.role, a.unit) == ("unit", UNIT_A)
    with pytest.raises(PermissionDenied, match="未被授权"):
        account_from_oidc({"preferred_username": "x", "groups": ["staff"]}, mapping)
    with pytest.raises(PermissionDenied, match="没有所属单位"):
        account_from_oidc({"preferred_username": "x", "groups": ["wb-unit"]}, mapping)
    with pytest.raises(PermissionDenied, match="不在任务分解表中"):
        account_from_oidc(
            {"preferred_username": "x", "groups": ["wb-unit"], "dept": "公安"}, mapping, known_units=[UNIT_A]
        )
    with pytest.raises(PermissionDenied, match="不是有效角色"):
        account_from_oidc({"preferred_username": "x", "groups": ["g"]}, {"roles": {"g": "root"}})
    assert set(ROLES) == {"office", "planner", "unit", "leader"}

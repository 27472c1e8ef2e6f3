"""Issue 19, secrets and sessions: whole argon2 hashes masked in logs, private files, sessions ended
on a password change, the first password changed before anything else, weak passwords refused, one
login message for every failure, and a backoff per account and source instead of a hard lock."""

from __future__ import annotations

import logging
import os
import stat
from datetime import timedelta

import pytest
from accounts_helpers import BACKENDS, PG_URL, UNIT_A, FakeClock, make_book
from progress_helpers import small_plan

from tasks.accounts import (
    AccountError,
    AccountLocked,
    GuardedStore,
    LoginFailed,
    PermissionDenied,
    SessionExpired,
    ensure_office_account,
    hash_password,
    require,
)
from tasks.store import Store
from tasks.store.testing import temporary_store

GOOD = "Right-Pass-2021"
ATTACKER, OFFICE_PC = "203.0.113.9", "10.0.0.5"


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        s.load_plan_into_store(small_plan(), actor="cli")
        yield s


@pytest.fixture
def clock():
    return FakeClock()


# -- logs ------------------------------------------------------------------------------------
def test_log_filter_masks_the_whole_argon2_hash(caplog):
    from tasks.accounts.redact import ENGINE_LOGGER, install

    install()
    h = hash_password("Some-Password-2021")
    salt, digest = h.split("$")[-2:]
    caplog.set_level(logging.INFO, logger=ENGINE_LOGGER)
    logging.getLogger(ENGINE_LOGGER).info("[generated in 0.1s] ('zwzx', %r, 'unit')", h)
    logging.getLogger(ENGINE_LOGGER).info("params %s", {"password_hash": h, "name": "zwzx"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "zwzx" in text and "[已隐藏]" in text
    assert salt not in text and digest not in text and "m=65536" not in text and "$argon2" not in text


# -- files -----------------------------------------------------------------------------------
def test_sqlite_database_wal_and_var_dir_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        var = tmp_path / "var"
        store = Store(f"sqlite:///{var / 'workbench.db'}")
        store.load_plan_into_store(small_plan(), actor="cli")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in var.iterdir()}
        assert stat.S_IMODE(var.stat().st_mode) == 0o700
        assert modes["workbench.db"] == 0o600 and modes.get("workbench.db-wal", 0o600) == 0o600
        assert all(m & 0o077 == 0 for m in modes.values()), modes
        store.dispose()
    finally:
        os.umask(old)


def test_private_dir_helper_for_evidence_files(tmp_path):
    from core.private_files import private_dir, write_private

    old = os.umask(0o022)
    try:
        d = private_dir(tmp_path / "var" / "files" / "ab")
        f = write_private(d / "x.bin", b"evidence")
        assert stat.S_IMODE(d.stat().st_mode) == 0o700 and stat.S_IMODE(f.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    finally:
        os.umask(old)


# -- sessions --------------------------------------------------------------------------------
def test_password_change_ends_the_other_sessions(store, clock):
    book = make_book(store, clock)
    book.add("zwzx", "unit", unit=UNIT_A, password=GOOD, actor="ban")
    here, other = book.login("zwzx", GOOD), book.login("zwzx", GOOD)
    book.change_password("zwzx", GOOD, "Xin-Mi-Ma-2021", keep_token=here.token)
    with pytest.raises(SessionExpired):
        book.resume(other.token)
    assert book.resume(here.token).name == "zwzx"


def test_reset_disable_and_role_change_end_every_session(store, clock):
    book = make_book(store, clock)
    book.add("ban", "office", password=GOOD, actor="bootstrap")
    book.add("zwzx", "unit", unit=UNIT_A, password="Right-Pass-2022", actor="ban")
    for change in (
        lambda: book.reset_password("zwzx", actor="ban"),
        lambda: book.update("zwzx", role="leader", actor="ban"),
        lambda: book.set_disabled("zwzx", True, actor="ban"),
    ):
        book.set_disabled("zwzx", False, actor="ban")
        book.update("zwzx", role="unit", unit=UNIT_A, actor="ban")
        pw = book.reset_password("zwzx", actor="ban")
        book.change_password("zwzx", pw, "Right-Pass-2022")
        s = book.login("zwzx", "Right-Pass-2022")
        change()
        with pytest.raises(SessionExpired):
            book.resume(s.token)


def test_first_office_password_must_be_changed_before_anything_else(store, clock):
    pw = ensure_office_account(store)
    assert pw
    book = make_book(store, clock)
    session = book.login("office", pw)
    account = book.resume(session.token)
    assert account.must_change_password
    for call in (
        lambda g: g.tasks(),
        lambda g: g.list_accounts(),
        lambda g: g.close_period("2021-09"),
        lambda g: g.add_account("x1", "leader"),
    ):
        with pytest.raises(PermissionDenied, match="请先修改初始密码"):
            call(GuardedStore(store, account))
    with pytest.raises(PermissionDenied, match="请先修改初始密码"):
        require(account, "view_tasks")
    book.change_password("office", pw, "Ban-Gong-Shi-01", keep_token=session.token)
    account = book.resume(session.token)
    assert not account.must_change_password and GuardedStore(store, account).tasks()


# -- passwords -------------------------------------------------------------------------------
@pytest.mark.parametrize("weak", ["1234567890", "qwertyuiop", "password12", "abcdefghij", "admin12345", "iloveyou12"])
def test_weak_passwords_are_refused(store, clock, weak):
    book = make_book(store, clock)
    with pytest.raises(AccountError, match="密码"):
        book.add("zwzx", "unit", unit=UNIT_A, password=weak, actor="ban")
    book.add("zwzx", "unit", unit=UNIT_A, password=GOOD, actor="ban")
    with pytest.raises(AccountError, match="密码"):
        book.change_password("zwzx", GOOD, weak)
    assert book.authenticate("zwzx", GOOD).name == "zwzx"


# -- logging in ------------------------------------------------------------------------------
def test_login_error_is_the_same_for_existing_and_unknown_accounts(store, clock):
    book = make_book(store, clock, max_failures=3)
    book.add("zwzx", "unit", unit=UNIT_A, password=GOOD, actor="ban")
    for _ in range(5):
        messages = []
        for name in ("zwzx", "nobody-here"):
            with pytest.raises(LoginFailed) as err:
                book.authenticate(name, "wrong-pass-0000", source=ATTACKER)
            messages.append((type(err.value), str(err.value)))
        assert messages[0] == messages[1]


def test_guessing_from_one_source_does_not_lock_the_office_out(store, clock):
    book = make_book(store, clock, max_failures=5, lockout_minutes=15)
    book.add("office", "office", password=GOOD, actor="bootstrap")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            book.authenticate("office", "wrong-pass-0000", source=ATTACKER)
    # the attacker's source now waits (even with the right password)…
    with pytest.raises(AccountLocked):
        book.authenticate("office", GOOD, source=ATTACKER)
    # …but the office, from its own computer, logs in at once
    assert book.login("office", GOOD, source=OFFICE_PC).account.name == "office"
    # the wait grows with each further failure, up to the policy's limit, and then ends
    waits = []
    for _ in range(6):
        with pytest.raises(AccountLocked) as err:
            book.authenticate("office", GOOD, source=ATTACKER)
        until = err.value.until
        waits.append(until - clock.now)
        clock.now = until
        with pytest.raises(LoginFailed):
            book.authenticate("office", "wrong-pass-0000", source=ATTACKER)
    assert waits[0] < waits[1] < waits[2] and max(waits) <= timedelta(minutes=15)
    clock.advance(minutes=15)
    assert book.authenticate("office", GOOD, source=ATTACKER).name == "office"


def test_spraying_many_names_from_one_source_is_slowed(store, clock):
    book = make_book(store, clock, max_failures=3)
    book.add("zwzx", "unit", unit=UNIT_A, password=GOOD, actor="ban")
    for i in range(100):
        try:
            book.authenticate(f"guess{i:03d}", "wrong-pass-0000", source=ATTACKER)
        except AccountLocked:
            break
        except LoginFailed:
            continue
    assert i < 50, "a source trying many names must be made to wait"
    with pytest.raises(AccountLocked):
        book.authenticate("zwzx", GOOD, source=ATTACKER)
    assert book.authenticate("zwzx", GOOD, source=OFFICE_PC).name == "zwzx"

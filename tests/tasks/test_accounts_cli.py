"""``python -m tasks users …`` and ``--as``; no password or hash ever reaches output, logs or exports."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
import zipfile

import pytest
from accounts_helpers import UNIT_A, dump
from progress_helpers import small_plan

from tasks.__main__ import main
from tasks.accounts import AccountBook, LoginFailed
from tasks.store import Store

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
HASH = re.compile(r"\$argon2")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = Store(url)
    store.load_plan_into_store(small_plan(), actor="cli")
    yield store
    store.dispose()


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _password(out: str) -> str:
    return re.search(r"的密码:(\S+)", out).group(1)  # type: ignore[union-attr]


def test_add_list_reset_print_the_password_once_and_never_a_hash(db, capsys):
    code, out, _ = run(capsys, "users", "add", "zwzx", "--role", "unit", "--unit", UNIT_A, "--display-name", "王五")
    assert code == 0 and "已创建账号“zwzx”(责任单位·市政务服务中心)" in out
    pw = _password(out)
    assert len(pw) == 16 and out.count(pw) == 1
    book = AccountBook(db)
    assert book.authenticate("zwzx", pw).unit == UNIT_A
    for args in (("users", "list"), ("users", "list", "--json"), ("users", "audit"), ("users", "audit", "--json")):
        code, out, err = run(capsys, *args)
        assert code == 0 and "zwzx" in out
        assert pw not in out + err and not HASH.search(out + err)
    rows = json.loads(run(capsys, "users", "list", "--json")[1])
    assert rows[0]["name"] == "zwzx" and not any("hash" in k or k == "password" for k in rows[0])
    code, out, _ = run(capsys, "users", "reset", "zwzx")
    new = _password(out)
    assert code == 0 and new != pw and "原有登录会话已结束" in out
    assert book.authenticate("zwzx", new).name == "zwzx"
    with pytest.raises(LoginFailed):
        book.authenticate("zwzx", pw)


def test_password_from_stdin_disable_enable_unlock(db, capsys, monkeypatch):
    code, out, _ = run(
        capsys,
        "users",
        "add",
        "li",
        "--role",
        "leader",
        "--password-stdin",
        stdin="Wang-Dao-2021x\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "Wang-Dao-2021x" not in out and "密码" not in out
    assert run(capsys, "users", "disable", "li")[0] == 0
    assert "已停用" in run(capsys, "users", "list")[1]
    assert run(capsys, "users", "enable", "li")[0] == 0
    assert run(capsys, "users", "unlock", "li")[0] == 0
    assert AccountBook(db).authenticate("li", "Wang-Dao-2021x").role == "leader"
    code, _, err = run(capsys, "users", "add", "x1", "--role", "unit")
    assert code == 2 and err.startswith("error: ") and "单位账号须指定所属单位" in err


def test_as_account_is_refused_what_its_role_may_not_do(db, capsys):
    _, out, _ = run(capsys, "users", "add", "zwzx", "--role", "unit", "--unit", UNIT_A)
    before = dump(db)
    for args in (
        ("users", "list"),
        ("users", "add", "x2", "--role", "office"),
        ("users", "reset", "zwzx"),
        ("users", "audit"),
    ):
        code, out, err = run(capsys, "--as", "zwzx", *args)
        assert code == 2 and "责任单位账号“zwzx”无权" in err and "Traceback" not in err, err
    assert dump(db) == before
    code, _, err = run(capsys, "--as", "nobody", "users", "list")
    assert code == 2 and "--as 指定的账号“nobody”不存在" in err
    code, out, _ = run(capsys, "users", "list")  # without --as: the office again
    assert code == 0 and "zwzx" in out


def test_audit_export_files_have_no_secrets(db, capsys, tmp_path):
    _, out, _ = run(capsys, "users", "add", "zwzx", "--role", "unit", "--unit", UNIT_A)
    pw = _password(out)
    AccountBook(db).login("zwzx", pw)
    run(capsys, "users", "reset", "zwzx")
    for name in ("log.xlsx", "log.csv"):
        code, out, _ = run(capsys, "users", "audit", "--out", str(tmp_path / name))
        assert code == 0 and "已导出" in out
    text = (tmp_path / "log.csv").read_text(encoding="utf-8-sig")
    assert "新增账号" in text and "登录" in text and "重置密码" in text
    with zipfile.ZipFile(tmp_path / "log.xlsx") as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "zwzx" in xml
    for blob in (text, xml):
        assert pw not in blob and not HASH.search(blob)


@pytest.mark.slow
def test_no_password_or_hash_in_logs(db, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL with parameters, as when debugging
    try:
        book = AccountBook(db)
        pw = book.add("zwzx", "unit", unit=UNIT_A, actor="ban")
        login = book.login("zwzx", pw)  # type: ignore[arg-type]
        book.resume(login.token)
        with pytest.raises(LoginFailed):
            book.login("zwzx", "Wrong-Password-1")
        new = book.reset_password("zwzx", actor="ban")
        book.change_password("zwzx", new, "Zi-Ji-De-Mi-Ma-9")
        run(capsys, "users", "reset", "zwzx")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "INSERT INTO accounts" in text  # the SQL was logged…
    for secret in (pw, new, "Zi-Ji-De-Mi-Ma-9", "Wrong-Password-1", login.token):
        assert secret not in text  # type: ignore[operator]
    assert not HASH.search(text) and "[已隐藏]" in text  # …with the hashes blanked


@pytest.mark.slow
def test_bootstrap_prints_a_random_office_password_once(tmp_path):
    env = {"WORKBENCH_DB_URL": f"sqlite:///{tmp_path / 'first.db'}", "PATH": "/usr/bin:/bin"}
    first = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bootstrap.py")], capture_output=True, text=True, env=env, timeout=300
    )
    assert first.returncode == 0, first.stderr
    pw = re.search(r"初始密码:(\S+)", first.stdout).group(1)  # type: ignore[union-attr]
    second = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bootstrap.py")], capture_output=True, text=True, env=env, timeout=300
    )
    assert "初始密码" not in second.stdout and pw not in second.stdout
    store = Store(env["WORKBENCH_DB_URL"])
    assert AccountBook(store).authenticate("office", pw).role == "office"
    store.dispose()


def test_no_default_password_anywhere():
    """No fixed password in the code or docs that could open a fresh install."""
    files = [
        *ROOT.glob("tasks/accounts/*.py"),
        ROOT / "scripts" / "bootstrap.py",
        ROOT / "README.md",
        ROOT / "tasks" / "commands" / "users_cmd.py",
    ]
    text = "\n".join(f.read_text(encoding="utf-8") for f in files if f.exists())
    assert not re.search(r"(?i)(default|默认)[ _]?(password|密码)\s*[=:]", text)
    assert "admin123" not in text and "123456" not in text


def test_progress_commands_run_as_the_given_account(db, capsys, tmp_path):
    from datetime import date

    from progress_helpers import fill, plain_sheet

    run(capsys, "users", "add", "zwzx", "--role", "unit", "--unit", UNIT_A)
    other = tmp_path / "市审改办.xlsx"
    assert run(capsys, "template", "--unit", "市审改办", "--period", "2021-09", "--out", str(other))[0] == 0
    other.write_bytes(fill(other.read_bytes(), {"2": {"status": "推进中", "percent": 30, "date": date(2021, 9, 28)}}))
    hand = tmp_path / "自制.xlsx"
    hand.write_bytes(plain_sheet([["任务编号", "状态", "完成进度", "填报日期"], ["2", "推进中", 30, "2021-09-28"]]))
    before = dump(db)
    for args in (
        ("template", "--unit", "市审改办", "--period", "2021-09", "--out", str(tmp_path / "x.xlsx")),
        ("upload", str(other), "--yes"),
        ("upload", str(hand), "--unit", "市审改办", "--period", "2021-09", "--yes"),
        ("upload", str(hand), "--period", "2021-09", "--yes"),
        ("periods", "--close", "2021-09"),
        ("load", str(tmp_path / "nothing.xlsx")),
    ):
        code, out, err = run(capsys, "--as", "zwzx", *args)
        assert code != 0, (args, out, err)
        assert "Traceback" not in err
    assert dump(db) == before
    assert not (tmp_path / "x.xlsx").exists()
    # "all templates" for a unit account holds its own template only
    assert (
        run(capsys, "--as", "zwzx", "template", "--all", "--period", "2021-09", "--out", str(tmp_path / "all.zip"))[0]
        == 0
    )
    with zipfile.ZipFile(tmp_path / "all.zip") as z:
        assert len(z.namelist()) == 1 and UNIT_A in z.namelist()[0]
    # its own template and upload work, recorded under its name
    mine = tmp_path / "mine.xlsx"
    assert run(capsys, "--as", "zwzx", "template", "--unit", UNIT_A, "--period", "2021-09", "--out", str(mine))[0] == 0
    mine.write_bytes(fill(mine.read_bytes(), {"3": {"status": "推进中", "percent": 30, "date": date(2021, 9, 28)}}))
    code, out, err = run(capsys, "--as", "zwzx", "upload", str(mine), "--yes")
    assert code == 0 and "已保存" in out, out + err
    assert db.uploads()[-1].actor == "zwzx"
    code, out, _ = run(capsys, "--as", "zwzx", "status", "--as-of", "2021-10-20", "--json")
    assert sorted(t["id"] for t in json.loads(out)["tasks"]) == ["1", "3"]
    code, out, _ = run(capsys, "status", "--as-of", "2021-10-20", "--json")
    assert sorted(t["id"] for t in json.loads(out)["tasks"]) == ["1", "2", "3"]


def test_set_changes_role_and_unit(db, capsys):
    run(capsys, "users", "add", "zwzx", "--role", "unit", "--unit", UNIT_A)
    code, out, _ = run(capsys, "users", "set", "zwzx", "--role", "leader")
    assert code == 0 and "领导(只读)" in out
    assert AccountBook(db).get("zwzx").unit is None and AccountBook(db).get("zwzx").role == "leader"  # type: ignore[union-attr]
    code, out, _ = run(capsys, "users", "set", "zwzx", "--role", "unit", "--unit", "市审改办")
    assert code == 0 and AccountBook(db).get("zwzx").unit == "市审改办"  # type: ignore[union-attr]
    code, _, err = run(capsys, "users", "set", "zwzx")
    assert code == 2 and "请指定要修改的内容" in err

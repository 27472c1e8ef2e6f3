"""Reminder command line: contacts import (row-level errors, nothing written), contacts list --json,
notify (dry run by default; --send twice sends each message once), outbox retry/cancel, send list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from accounts_helpers import dump
from notify_helpers import DING_PATH, UNIT_A, UNIT_B, UNIT_C, WECOM_PATH, HttpSink, SmtpSink, plan_store
from openpyxl import Workbook

from tasks.__main__ import main
from tasks.notify import contacts, outbox

NOW = ["--now", "2021-10-08 09:00"]


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TLS"):
        monkeypatch.delenv(f"WORKBENCH_SMTP_{key}", raising=False)
    monkeypatch.delenv("WORKBENCH_NOTIFY_CHANNELS", raising=False)
    store = plan_store(url)
    yield store
    store.dispose()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def sheet(path: Path, rows: list[list], header=("单位", "联系人", "手机", "邮箱", "群机器人地址")) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "联系人"
    ws.append(["各单位联系人表"])  # a title row above the header, as offices make them
    ws.append(list(header))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def good_sheet(tmp_path: Path, http: HttpSink | None = None) -> Path:
    ding = http.url if http else "https://oapi.dingtalk.com"
    wecom = http.url if http else "https://qyapi.weixin.qq.com"
    return sheet(
        tmp_path / "联系人.xlsx",
        [
            [UNIT_A, "王五", 13800000001, "wangwu@example.gov.cn", f"{ding}{DING_PATH}?access_token=tok-a"],
            [UNIT_B, "赵六", "138-0000-0002", "zhaoliu@example.gov.cn", f"{wecom}{WECOM_PATH}?key=key-b"],
            [None, None, None, None, None],
            [UNIT_C, "钱七", "0734-8221234", "qianqi@example.gov.cn", ""],
        ],
    )


def test_contacts_import_and_list(db, tmp_path, capsys):
    code, out, err = run(capsys, "contacts", "import", str(good_sheet(tmp_path)))
    assert code == 0 and "3 个单位" in out and not err
    got = {c.unit: c for c in contacts(db)}
    assert got[UNIT_A].phone == "13800000001" and got[UNIT_B].phone == "13800000002"
    assert got[UNIT_C].phone == "0734-8221234"
    code, out, _ = run(capsys, "contacts", "list", "--json")
    rows = {r["unit"]: r for r in json.loads(out)}
    assert code == 0 and rows[UNIT_A]["email"] == "wangwu@example.gov.cn"
    assert rows[UNIT_A]["webhook_kind"] == "dingtalk" and "tok-a" not in rows[UNIT_A]["webhook"]  # token masked
    assert rows[UNIT_B]["webhook_kind"] == "wecom"


def test_contacts_import_bad_rows_named_and_nothing_written(db, tmp_path, capsys):
    before = dump(db)
    bad = sheet(
        tmp_path / "坏表.xlsx",
        [
            ["市不存在局", "甲", "13800000001", "", ""],
            [UNIT_A, "乙", "12345", "a@b", "ftp://robot.example.cn/x"],
            [UNIT_B, "丙", "", "", ""],
            [UNIT_B, "丁", "13800000002", "", ""],
            [UNIT_C, "戊", "13800000003", "ok@example.gov.cn", "https://oapi.dingtalk.com/robot/send?access_token=1"],
        ],
    )
    code, out, err = run(capsys, "contacts", "import", str(bad))
    assert code == 2 and "Traceback" not in err
    lines = err.splitlines()
    assert "error: 坏表.xlsx / 联系人 / 第3行 / “单位”列: 单位“市不存在局”不在任务分解表中" in lines[0]
    assert any("第4行 / “手机”列" in line and "12345" in line for line in lines)
    assert any("第4行 / “邮箱”列" in line and "a@b" in line for line in lines)
    assert any("第4行 / “群机器人地址”列" in line and "http://" in line for line in lines)
    assert any("第5行" in line and "至少填写一项" in line for line in lines)
    assert any("第6行 / “单位”列" in line and "重复,第5行已填写" in line for line in lines)
    assert lines[-1] == "error: 坏表.xlsx:发现 6 处问题,未导入任何联系人"
    assert dump(db) == before  # the good row 7 was not imported either
    code, out, _ = run(capsys, "contacts", "import", str(bad), "--json")
    data = json.loads(out)
    assert code == 2 and not data["ok"] and data["issues"][0]["row"] == 3 and data["issues"][0]["column"] == "单位"


def test_contacts_import_missing_column_and_wrong_type(db, tmp_path, capsys):
    no_mail = sheet(
        tmp_path / "缺列.xlsx", [[UNIT_A, "甲", "13800000001", ""]], header=("单位", "联系人", "手机", "群机器人地址")
    )
    code, _, err = run(capsys, "contacts", "import", str(no_mail))
    assert code == 2 and "缺少列:邮箱" in err and "第2行" in err
    txt = tmp_path / "联系人.txt"
    txt.write_text("单位", encoding="utf-8")
    code, _, err = run(capsys, "contacts", "import", str(txt))
    assert code == 2 and "应为 .xlsx 或 .csv" in err
    code, _, err = run(capsys, "contacts", "import", str(tmp_path / "没有.xlsx"))
    assert code == 2 and err.startswith("error: 文件不存在")
    assert contacts(db) == []


def test_notify_is_a_dry_run_by_default(db, tmp_path, capsys, monkeypatch):
    run(capsys, "contacts", "import", str(good_sheet(tmp_path)))
    before = dump(db)
    code, out, _ = run(capsys, "notify", *NOW)
    assert code == 0 and "未开启任何发送通道" in out and "【催办】市审改办" in out
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail,webhook")
    code, out, _ = run(capsys, "notify", "--dry-run", "--json", *NOW)
    data = json.loads(out)
    assert code == 0 and data["dry_run"] and {m["unit"] for m in data["planned"]} == {UNIT_A, UNIT_B}
    assert dump(db) == before


def test_notify_send_twice_sends_each_message_once(db, tmp_path, capsys, monkeypatch):
    with SmtpSink() as smtp, HttpSink() as http:
        run(capsys, "contacts", "import", str(good_sheet(tmp_path, http)))
        monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail,webhook")
        monkeypatch.setenv("WORKBENCH_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WORKBENCH_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("WORKBENCH_SMTP_FROM", "领导小组办公室 <ban@example.gov.cn>")
        monkeypatch.setenv("WORKBENCH_SMTP_TLS", "none")
        monkeypatch.setenv("WORKBENCH_SMTP_PASSWORD", "never-printed-Pa55")
        code, out, err = run(capsys, "notify", "--send", "--json", *NOW)
        first = json.loads(out)
        assert code == 0 and len(first["sent"]) == 4 and not first["failed"], err
        code, out, err = run(capsys, "notify", "--send", "--json", *NOW)
        second = json.loads(out)
        assert code == 0 and second["sent"] == [] and second["queued"] == []
        code, out, _ = run(capsys, "notify", "--send", "--now", "2021-10-08 17:00")
        assert code == 0 and "新加入发件箱 0 条" in out
    assert sorted(tuple(m.rcpt) for m in smtp.mails) == [("wangwu@example.gov.cn",), ("zhaoliu@example.gov.cn",)]
    assert len(http.at(DING_PATH)) == 1 and len(http.at(WECOM_PATH)) == 1
    assert "never-printed" not in json.dumps(first) + json.dumps(dump(db), default=str)
    code, out, _ = run(capsys, "outbox", "--json")
    assert {m["status"] for m in json.loads(out)} == {"sent"}


def test_outbox_retry_cancel_and_send_list(db, tmp_path, capsys, monkeypatch):
    run(capsys, "contacts", "import", str(good_sheet(tmp_path)))
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail,sms")  # mail on but no server configured
    code, out, _ = run(capsys, "notify", "--send", *NOW)
    assert code == 0 and "未设置邮件服务器" in out
    ids = [m.id for m in outbox(db, status="pending") if m.channel == "mail"]
    code, _, err = run(capsys, "outbox", "--retry", str(ids[0]))
    assert code == 2 and "状态不能重试" in err
    code, out, _ = run(capsys, "outbox", "--cancel", *map(str, ids))
    assert code == 0 and {m.status for m in outbox(db) if m.channel == "mail"} == {"skipped"}
    code, _, err = run(capsys, "outbox", "--cancel", "999")
    assert code == 2 and "没有编号为 999" in err
    out_file = tmp_path / "短信.csv"
    code, out, _ = run(capsys, "notify", "--send-list", str(out_file))
    assert code == 0 and "短信 2 条" in out
    lines = out_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "单位,联系人,手机,短信内容" and any(
        line.startswith(f"{UNIT_A},王五,13800000001") for line in lines
    )
    code, _, err = run(capsys, "notify", "--send-list", str(tmp_path / "x.pdf"))
    assert code == 2 and ".xlsx 或 .csv" in err


def test_bad_settings_are_one_error_line(db, capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail,fax")
    code, _, err = run(capsys, "notify", "--send", *NOW)
    assert code == 2 and err.strip() == "error: WORKBENCH_NOTIFY_CHANNELS 中的“fax”无效,可用:mail、webhook、sms"
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail")
    monkeypatch.setenv("WORKBENCH_SMTP_HOST", "smtp.example.gov.cn")
    monkeypatch.setenv("WORKBENCH_SMTP_TLS", "tls1.3")
    code, _, err = run(capsys, "notify", "--send", *NOW)
    assert code == 2 and "WORKBENCH_SMTP_TLS 应为 none、starttls 或 ssl" in err
    with pytest.raises(SystemExit) as exit_:
        main(["notify", "--now", "明天"])
    assert exit_.value.code == 2 and "时间“明天”无法识别" in capsys.readouterr().err


def test_load_queues_sign_notices_for_new_tasks_when_a_channel_is_on(db, tmp_path, capsys, monkeypatch):
    from datetime import date

    from progress_helpers import small_plan

    from tasks.importers.workbook_writer import write_plan_workbook
    from tasks.model import Task

    run(capsys, "contacts", "import", str(good_sheet(tmp_path)))
    plan = small_plan()
    plan.tasks.append(
        Task(
            id="4",
            title="周末轮班",
            lead_units=[UNIT_B],
            deadline=date(2021, 10, 31),
            deadline_text="2021年10月底前",
            deadline_kind="date",
        )
    )
    path = write_plan_workbook(plan, tmp_path / "v2.xlsx")
    code, out, _ = run(capsys, "load", str(path), "--plan", "测试方案")
    assert code == 0 and "签收通知" not in out and outbox(db) == []  # channels off: nothing queued
    plan.tasks.append(
        Task(id="5", title="综合窗口", lead_units=[UNIT_B], deadline_kind="ongoing", deadline_text="长期坚持")
    )
    path = write_plan_workbook(plan, tmp_path / "v3.xlsx")
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "mail")
    code, out, _ = run(capsys, "load", str(path), "--plan", "测试方案")
    assert code == 0 and "已将 1 条签收通知加入发件箱" in out
    (m,) = outbox(db)
    assert (m.reason, m.unit, m.channel, m.task_id) == ("sign", UNIT_B, "mail", "5")
    monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "pager")
    plan.tasks.append(
        Task(id="6", title="预约服务", lead_units=[UNIT_B], deadline_kind="ongoing", deadline_text="长期坚持")
    )
    code, out, _ = run(capsys, "load", str(write_plan_workbook(plan, tmp_path / "v4.xlsx")), "--plan", "测试方案")
    assert code == 0 and "提示:签收通知未加入发件箱:WORKBENCH_NOTIFY_CHANNELS 中的“pager”无效" in out

"""The staff workbook carries AB岗 backups and leave requests: written, read back equal, header
spellings accepted, and each mistake named by sheet, row and column in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from sim.roster import Person
from sim.roster_io import StaffInvalid, read_staff, write_staff

D = dt.date


def _people() -> list[Person]:
    return [
        Person(
            "张三", "户籍", ("户籍", "交警"), 40.0, frozenset({D(2026, 11, 3)}), ("李四",), frozenset({D(2026, 11, 5)})
        ),
        Person("李四", "户籍", ("户籍",), 36.0, frozenset(), ("张三", "王五"), frozenset()),
        Person(
            "王五", "交警", ("交警", "户籍"), 40.0, frozenset(), ("张三",), frozenset({D(2026, 11, 9), D(2026, 11, 10)})
        ),
    ]


def test_backups_and_leave_round_trip(tmp_path):
    path = tmp_path / "staff.xlsx"
    write_staff(_people(), path)
    people, _shifts = read_staff(path, ["户籍", "交警"])
    assert people == _people()


def test_header_variants_and_ranges(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(["人员姓名", "所属组", "可办窗口组", "周工时", "B岗 人员", "请假申请"])
    ws.append(["张三", "户籍", "户籍", 40, "李四", "2026-11-05至2026-11-06"])
    ws.append(["李四", "户籍", "户籍", 40, "张三", dt.datetime(2026, 11, 9)])
    path = tmp_path / "variants.xlsx"
    wb.save(path)
    people, _ = read_staff(path)
    assert [(p.name, p.backups, sorted(p.leave_requests)) for p in people] == [
        ("张三", ("李四",), [D(2026, 11, 5), D(2026, 11, 6)]),
        ("李四", ("张三",), [D(2026, 11, 9)]),
    ]


def test_backup_and_leave_mistakes_are_named(tmp_path):
    path = tmp_path / "staff.xlsx"
    write_staff(_people(), path)
    wb = load_workbook(path)
    ws = wb["人员"]
    ws.append(["赵六", "交警", "交警", 40, "", "赵六、钱七", "2026-11-31"])
    ws.append(["孙八", "交警", "交警", 40, "", "李四", "下周一"])
    wb.save(path)
    with pytest.raises(StaffInvalid) as err:
        read_staff(path, ["户籍", "交警"])
    msg = str(err.value)
    assert "人员 / 第5行 / “请假日期”列: 日期“2026-11-31”不存在" in msg
    assert "人员 / 第6行 / “请假日期”列: 日期“下周一”无法识别" in msg
    assert "人员 / 第5行 / “AB岗备岗”列: 备岗人员不能是本人“赵六”" in msg
    assert "人员 / 第5行 / “AB岗备岗”列: 备岗人员“钱七”不在“人员”表中" in msg
    assert "人员 / 第6行 / “AB岗备岗”列: 备岗人员“李四”不能办理“交警”窗口组" in msg
    assert "None" not in msg and "nan" not in msg

"""The roster page's staff table shows the staff workbook's AB岗 and leave columns, without None/nan."""

from __future__ import annotations

import datetime as dt

from sim.roster import Person
from sim.roster_io import read_staff, write_staff
from ui.roster_views import staff_table


def test_staff_table_shows_backups_and_leave(tmp_path):
    people = [
        Person(
            "张三",
            "户籍",
            ("户籍", "交警"),
            40.0,
            frozenset({dt.date(2026, 11, 3)}),
            ("李四",),
            frozenset({dt.date(2026, 11, 6), dt.date(2026, 11, 5)}),
        ),
        Person("李四", "户籍", ("户籍",), 36.0),
    ]
    path = tmp_path / "staff.xlsx"
    write_staff(people, path)
    read, _ = read_staff(path)
    table = staff_table(read)
    assert list(table.columns)[-2:] == ["AB岗备岗", "请假日期"]
    assert table.astype(str).values.tolist() == [
        ["张三", "户籍", "户籍、交警", "40.0", "2026-11-03", "李四", "2026-11-05、2026-11-06"],
        ["李四", "户籍", "户籍", "36.0", "", "", ""],
    ]
    text = table.to_string()
    assert "None" not in text and "nan" not in text.lower()

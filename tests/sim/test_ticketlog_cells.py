"""Ticket logs whose cells are Excel dates, numbers and text mixed: the column-wise reader gives the
same tickets as the text export, and every bad cell is still named by row and column."""

from __future__ import annotations

import io
from datetime import datetime, time

import openpyxl
import pandas as pd
import pytest

from core.errors import InputError
from sim.ticketlog import accept, read_ticket_log, synthetic_log

HEAD = ["票号", "取号时间", "叫号时间", "办结时间", "业务类型", "窗口", "工号", "状态"]


def _book(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_date_cells_read_as_the_same_log_as_text(tmp_path):
    log = synthetic_log(2, seed=4, businesses={"户籍": 60, "税务": 40}, no_show={"户籍": 0.1}, abandon=0.05)
    cols = ["票号", "取号时间", "叫号时间", "办结时间", "业务类型", "窗口", "工号", "状态"]
    rows: list[list[object]] = [
        [None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in r]
        for r in log[cols].itertuples(index=False)
    ]
    rows = [[int(str(v)) if c == "工号" and v else v for c, v in zip(cols, r, strict=True)] for r in rows]
    a = read_ticket_log(_book(rows), "dates.xlsx")
    csv = tmp_path / "log.csv"
    log.to_csv(csv, index=False, encoding="gbk")
    b = read_ticket_log(csv)
    assert not a.problems and not b.problems and len(a.frame) == len(b.frame) == len(log)
    for c in ("取号时间", "叫号时间", "办结时间", "业务类型", "窗口", "票号", "状态", "row"):
        assert a.frame[c].tolist() == b.frame[c].tolist(), c
    assert a.frame["工号"].tolist() == b.frame["工号"].tolist()  # 1012 (a number cell) reads as "1012"


def test_mixed_cells_and_bad_cells_are_named():
    d = datetime(2026, 11, 2, 9, 0)
    rows: list[list[object]] = [
        ["A1", d, datetime(2026, 11, 2, 9, 5), datetime(2026, 11, 2, 9, 15), "户籍", "A01", 1001, "正常"],
        ["A2", "2026/11/2 9:10", "2026-11-02 09:20:00", " 2026-11-02 09:30:00 ", "户籍", "A01", "1001", "正常"],
        ["A3", "9点", "", "", "户籍", "", "", "弃号"],
        ["A4", d, datetime(2026, 11, 2, 8, 0), datetime(2026, 11, 2, 9, 30), "户籍", "A02", 1002, "正常"],
        ["A5", d, time(9, 30), None, "户籍", "A02", 1002, "过号"],
        [None, None, None, None, None, None, None, None],
        ["A6", d, None, None, "", "", "", "弃号"],
    ]
    log = read_ticket_log(_book(rows), "mixed.xlsx")
    assert log.frame["票号"].tolist() == ["A1", "A2"]
    assert log.frame["取号时间"].tolist() == [pd.Timestamp(d), pd.Timestamp("2026-11-02 09:10")]
    assert log.frame["办结时间"].iloc[1] == pd.Timestamp("2026-11-02 09:30")
    assert log.frame["工号"].tolist() == ["1001", "1001"]
    found = [(p.row, p.column, p.ticket) for p in log.problems]
    assert found == [(4, "取号时间", "A3"), (5, "叫号时间", "A4"), (6, "叫号时间", "A5"), (8, "业务类型", "A6")]
    assert "“9点”无法识别" in log.problems[0].why and "早于取号时间" in log.problems[1].why
    assert "“09:30”无法识别" in log.problems[2].why  # a time of day with no 日期 column beside it
    assert log.rows_read == 6  # the blank row is neither read nor a problem
    with pytest.raises(InputError, match="mixed.xlsx / Sheet / 第4行 / “取号时间”列: 时间“9点”无法识别"):
        accept(log, confirmed=False)
    assert len(accept(log, confirmed=True).frame) == 2

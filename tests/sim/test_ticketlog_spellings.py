"""Ticket times written the Chinese way (2026年11月2日 9:05, 2026.11.02 …) are read; text that is
not a time is marked unreadable, an empty cell is not."""

from __future__ import annotations

import pandas as pd

from sim.ticketlog import parse_times


def test_other_spellings_of_a_time_are_read_and_junk_is_marked():
    cells = ["2026年11月2日 9:05", "2026.11.02 10:30", "2026-11-02 08:00:00", "", "abc"]
    t, bad = parse_times(pd.Series(cells, dtype="string"))
    assert t.tolist()[:3] == [
        pd.Timestamp("2026-11-02 09:05"),
        pd.Timestamp("2026-11-02 10:30"),
        pd.Timestamp("2026-11-02 08:00"),
    ]
    assert t.isna().tolist() == [False, False, False, True, True]
    assert bad.tolist() == [False, False, False, False, True]

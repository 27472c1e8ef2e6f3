"""Dashboard downloads never carry live formulas (formula injection)."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from ui.tables import table_xlsx


def test_xlsx_download_neutralises_formula_like_text():
    df = pd.DataFrame({"任务": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "正常"], "数": [1, 2, 3, 4, 5]})
    ws = load_workbook(io.BytesIO(table_xlsx({"表": df}))).active
    cells = [ws.cell(r, 1) for r in range(3, 8)]  # title row, header row, then the table
    assert all(c.data_type == "s" for c in cells)  # text, not formulas
    assert [c.value for c in cells][:4] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"]
    assert cells[4].value == "正常" and ws.cell(3, 2).value == 1  # numbers stay numbers

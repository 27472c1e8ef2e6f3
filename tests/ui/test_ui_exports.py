"""Dashboard downloads never carry live formulas (formula injection)."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from ui.common import xlsx_bytes


def test_xlsx_download_neutralises_formula_like_text():
    df = pd.DataFrame({"任务": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "正常"], "数": [1, 2, 3, 4, 5]})
    ws = load_workbook(io.BytesIO(xlsx_bytes({"表": df}))).active
    cells = [ws.cell(r, 1) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in cells)  # text, not formulas
    assert [c.value for c in cells][:4] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"]
    assert cells[4].value == "正常" and ws.cell(2, 2).value == 1  # numbers stay numbers

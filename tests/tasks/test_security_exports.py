"""Issue 19, injection into what others open: every export neutralises formulas, every generated
file name and zip entry is a plain name (hostile unit names with ``../`` or ``\\..\\``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from progress_helpers import small_plan

from tasks.model import Plan, Task

EVIL = ['=HYPERLINK("http://evil.example/x","点此")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def _live(value) -> bool:
    """True when a spreadsheet would run the cell as a formula."""
    return isinstance(value, str) and value != "" and (value[:1] in "=+-@\t\r" or value.lstrip()[:1] in "=+-@")


def _xlsx_cells(data_or_path) -> list:
    wb = load_workbook(io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                out.append(c.value)
    return out


def _evil_plan() -> Plan:
    return Plan(
        title="测试",
        tasks=[
            Task(
                id=str(i + 1),
                title=t,
                lead_units=[EVIL[(i + 1) % len(EVIL)]],
                responsible_units=["市审改办"],
                deadline=dt.date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            )
            for i, t in enumerate(EVIL)
        ],
    )


def test_graph_edge_list_xlsx_and_csv_are_neutralised(tmp_path):
    from tasks.graph import build_graph
    from tasks.graph.export import write_edge_list

    g = build_graph(_evil_plan())
    cells = _xlsx_cells(write_edge_list(g, tmp_path / "e.xlsx"))
    assert any(isinstance(v, str) and "HYPERLINK" in v for v in cells)
    assert not any(_live(v) for v in cells)
    with (write_edge_list(g, tmp_path / "e.csv")).open(encoding="utf-8-sig", newline="") as f:
        values = [v for row in csv.reader(f) for v in row]
    assert any("HYPERLINK" in v for v in values) and not any(_live(v) for v in values)


def test_scenario_xlsx_is_neutralised_including_names(tmp_path):
    import dataclasses

    from sim.scenario_io import load_scenario, write_xlsx

    s = load_scenario(Path(__file__).resolve().parents[2] / "data/hall/sample-hall.json")
    s = dataclasses.replace(s, name=EVIL[0], description=EVIL[1])
    out = tmp_path / "s.xlsx"
    write_xlsx(s, out)
    cells = _xlsx_cells(out)
    assert any(isinstance(v, str) and "HYPERLINK" in v for v in cells)
    assert not any(_live(v) for v in cells)


def test_roster_and_staff_xlsx_are_neutralised(tmp_path):
    from sim.roster import Day, Person, default_shifts, solve_roster
    from sim.roster_io import export_roster, write_staff

    days = [dt.date(2026, 11, 9) + dt.timedelta(days=k) for k in range(3)]
    people = [Person(EVIL[0], "户籍", ("户籍",)), Person("@cmd", "户籍", ("户籍",))]
    result = solve_roster(
        people,
        default_shifts(),
        [Day(d, workday=True) for d in days],
        {("户籍", d, 600): 1 for d in days},
        time_limit=10,
    )
    out = tmp_path / "roster.xlsx"
    export_roster(result, people, default_shifts(), out, definition="=1+1")
    cells = _xlsx_cells(out)
    assert any(isinstance(v, str) and "HYPERLINK" in v for v in cells)
    assert not any(_live(v) for v in cells)
    write_staff(people, tmp_path / "staff.xlsx")
    assert not any(_live(v) for v in _xlsx_cells(tmp_path / "staff.xlsx"))


@pytest.mark.parametrize("unit", ["../../etc/市局", "..\\..\\Windows\\市局", "/abs/市局", "市局:*?<>|"])
def test_template_file_and_zip_entry_names_are_plain(tmp_path, unit):
    from tasks.progress import all_templates_zip, template_filename
    from tasks.store.testing import temporary_store

    name = template_filename(unit, "2021-09")
    assert "/" not in name and "\\" not in name and not name.startswith(".") and name.endswith(".xlsx")
    assert not set(name) & set(':*?"<>|')
    plan = small_plan()
    plan.tasks[0].lead_units = [unit]
    with temporary_store("sqlite", tmp_path) as store:
        store.load_plan_into_store(plan, actor="cli")
        with zipfile.ZipFile(io.BytesIO(all_templates_zip(store, "2021-09"))) as z:
            names = z.namelist()
    assert names and all("/" not in n and "\\" not in n and ".." not in n.split("_")[1][:2] for n in names)
    assert any("市局" in n for n in names)


def test_sheet_titles_from_user_text_are_inert_and_legal():
    from openpyxl import Workbook

    from core.safe_export import save_workbook

    wb = Workbook()
    wb.active.title = "=HYPERLINK(1)"
    wb.create_sheet("+cmd")
    wb.create_sheet("@SUM")
    data = save_workbook(wb)
    assert isinstance(data, bytes)
    titles = load_workbook(io.BytesIO(data)).sheetnames
    assert len(titles) == 3 and not any(t[:1] in "=+-@" for t in titles), titles

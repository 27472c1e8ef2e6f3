"""AppTest: on a plan with more tasks than a select box should list (issue 18: 50,000 options were sent
on every run), the 依赖图 page's task pickers list at most PICK_LIMIT tasks and a search box narrows
them by number or title; a small plan keeps its plain select boxes (test_ui_graph_readable)."""

from __future__ import annotations

from datetime import date, timedelta

from ui_support import app_on

from ui.graph_readable import PICK_LIMIT

N = PICK_LIMIT + 60


def write_big_plan(directory):
    from tasks.importers.workbook_writer import write_plan_workbook
    from tasks.model import DATE, Plan, Task

    tasks = []
    for i in range(1, N + 1):
        d = date(2024, 1, 1) + timedelta(days=3 * i)
        t = Task(
            id=str(i),
            title="建设一网通办专区" if i == N - 3 else f"推进第{i}项改革",
            lead_units=[f"局{i % 7}"],
            deadline=d,
            deadline_kind=DATE,
            deadline_text=f"{d.year}年{d.month}月{d.day}日前",
        )
        if i > 1:
            t.predecessors = [str(i - 1)]
        tasks.append(t)
    directory.mkdir(parents=True, exist_ok=True)
    write_plan_workbook(Plan(title="大计划", tasks=tasks), directory / "大计划.xlsx")
    return directory


def test_big_plan_pickers_are_narrowed_by_a_search_box(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_graph.py", plans_dir=write_big_plan(tmp_path / "plans"))
    assert not at.exception and not at.error
    focus = at.selectbox(key="graph_readable_focus")
    assert len(focus.options) <= PICK_LIMIT + 2 and focus.value == "1"  # starts on the critical path
    slip = at.selectbox(key="graph_slip_task")
    assert len(slip.options) <= PICK_LIMIT + 2
    # by title: the one task whose title has the words, the picked one kept beside it
    at.text_input(key="graph_readable_focus_q").set_value("一网通办").run()
    focus = at.selectbox(key="graph_readable_focus")
    assert set(focus.options) == {f"1. {'推进第1项改革'}", f"{N - 3}. 建设一网通办专区"}
    focus.set_value(str(N - 3)).run()
    assert not at.exception and not at.error
    assert f"{N - 3}. 建设一网通办专区" in at.get("graphviz_chart")[0].proto.spec
    # by number: the exact id first, then the ids that contain it
    at.text_input(key="graph_slip_task_q").set_value(str(N - 1)).run()
    slip = at.selectbox(key="graph_slip_task")
    assert slip.options[1].startswith(f"{N - 1} ") and slip.value == "1"
    slip.set_value(str(N - 1)).run()
    assert not at.exception and not at.error
    assert any(f"任务 {N - 1} 原定" in m.value for m in at.markdown)

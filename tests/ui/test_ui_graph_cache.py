"""AppTest: the 依赖图 page builds its dated DAG and analyses once per plan data version (issue 18).

A rerun, a slip, another session and a login reuse them; a change of the plan's data makes new ones.
"""

from __future__ import annotations

from ui_support import app_on, log_in


def test_graph_analyses_once_per_data_version(tmp_path, monkeypatch):
    import streamlit as st

    import tasks.graph as graph

    st.cache_resource.clear()
    st.cache_data.clear()
    calls: list[str] = []
    real_dag, real_slip = graph.dated_dag, graph.slip_impact

    def counting_dag(g):
        calls.append("dag")
        return real_dag(g)

    def checked_slip(g, task_id, days, dag=None):
        assert dag is not None, "the page passes its kept dated DAG"
        calls.append("slip")
        return real_slip(g, task_id, days, dag)

    monkeypatch.setattr(graph, "dated_dag", counting_dag)
    monkeypatch.setattr(graph, "slip_impact", checked_slip)
    at = app_on(tmp_path, monkeypatch, "ui/page_graph.py")
    assert not at.exception and not at.error
    assert calls.count("dag") == 1
    at.run()
    at.selectbox(key="graph_slip_task").set_value("1").run()
    at.number_input(key="graph_slip_days").set_value(90).run()
    assert not at.exception and not at.error
    assert any("1 项后续任务" in w.value for w in at.warning)
    assert calls.count("dag") == 1 and calls.count("slip") >= 1

    other = log_in(type(at).from_file(at._script_path, default_timeout=120), "office", name="another-office")
    other.run()
    other.switch_page("ui/page_graph.py").run()  # another session, after another login: nothing recomputed
    assert not other.exception and calls.count("dag") == 1

    from tasks.store import Store, default_url

    store = Store(default_url())
    plan = store.plans()[0].key
    store.set_predecessors(plan, "3", ["2"], actor="test")  # the plan's data changes
    store.dispose()
    at.run()
    assert not at.exception and calls.count("dag") == 2
    assert {m.label: m.value for m in at.metric}["前置关系"] == "2"

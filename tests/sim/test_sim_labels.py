"""One Chinese label table for the hall library: the module tables are the ones in sim.labels and
every KPI a run reports, every distribution and lunch practice a scenario can hold has words there."""

from __future__ import annotations

from sim import calendar, labels, results, sample_scenario, scenario, scenario_io, simulate
from sim.commands import sim_cmd


def test_module_tables_are_the_shared_ones():
    assert results.KPI_LABELS_CN is labels.KPI and results.TABLE_CN is labels.TABLE
    assert results.ADJ_CN is labels.ADJUSTMENT and results.ACTION_CN is labels.ADJUSTMENT_ACTION
    assert sim_cmd.LOG_CN is labels.CUSTOMER_LOG and calendar.KINDS_CN is labels.DAY_KIND
    assert scenario_io.DIST_CN is labels.DISTRIBUTION and scenario_io.LUNCH_CN is labels.LUNCH
    assert scenario_io.CALKIND_CN is labels.CALENDAR_OVERRIDE
    assert scenario_io.NO_SHOW_CN is labels.NO_SHOW_POLICY and scenario_io.PRIORITY_CN is labels.PRIORITY_LANE


def test_every_kpi_and_choice_has_words():
    run = simulate(sample_scenario(), days=1, seed=0)
    tables = results.kpis(run)
    assert set(tables["overall"]) <= set(labels.KPI)
    assert run.adjustments, "the sample hall adjusts its windows on a day"
    shown = results.adjustments_frame(list(run.adjustments))
    assert set(shown.columns) <= set(labels.ADJUSTMENT.values())  # every column has its Chinese name
    assert set(shown[labels.ADJUSTMENT["action"]]) <= set(labels.ADJUSTMENT_ACTION.values())
    assert set(scenario.SERVICE_DISTS) == set(labels.DISTRIBUTION)
    assert set(scenario.LUNCH_MODES) == set(labels.LUNCH)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in v) for v in labels.KPI.values())
    assert labels.label(labels.KPI, None) == "—"

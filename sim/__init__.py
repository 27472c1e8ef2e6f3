"""Service-hall simulation (SimPy), staffing (Erlang C and simulation) and rosters (CP-SAT).

No Streamlit here: the dashboard (``ui/``) and the notebooks call these functions. The public names
are listed in ``__all__`` and imported on first use. ``compare`` and ``replicate`` share their names
with their modules, so they are imported from those: ``from sim.compare import compare``,
``from sim.replicate import replicate``.

>>> import sim
>>> run = sim.simulate(sim.sample_scenario(), days=1, seed=1)
>>> isinstance(run, sim.HallRun), sim.__all__ == sorted(sim.__all__)
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports

if TYPE_CHECKING:
    from .arrivals import Customers, generate
    from .erlang import evaluate, min_servers, sqrt_staffing
    from .hall import Cancelled, HallEngine, simulate
    from .replicate import rep_seeds
    from .results import (
        ACTION_CN,
        ADJ_CN,
        KPI_LABELS_CN,
        TABLE_CN,
        Adjustment,
        HallRun,
        adjustments_frame,
        kpis,
        queue_length,
        slot_service_levels,
        weekday_slot_table,
    )
    from .roster import Balance, default_shifts, solve_roster
    from .roster_io import export_roster, read_staff, roster_marks, sample_staff
    from .sample_hall import policy_variant, pooled_variant, sample_scenario, weekend_rota_variant
    from .scenario import WEEKDAYS_CN, Scenario, ServiceType, WindowGroup, min_to_hm
    from .scenario_io import (
        LUNCH_CN,
        LUNCH_FROM_CN,
        ScenarioInvalid,
        groups_table,
        load_scenario,
        practice_table,
        scenario_from_bytes,
        scenario_from_tables,
        split_names,
        types_table,
        validate,
        write_xlsx,
    )
    from .schedule import Change
    from .staffing import (
        PlanSummary,
        StaffingReport,
        attach,
        compare_rows,
        measure,
        simulation_corrected,
        sipp,
        staffing_report,
    )
    from .targets import parse_target
    from .verify import horizon, requirement_from_plan, roster_for_scenario, verify_roster

__all__ = [
    "ACTION_CN",
    "ADJ_CN",
    "Adjustment",
    "Balance",
    "Cancelled",
    "Change",
    "Customers",
    "HallEngine",
    "HallRun",
    "KPI_LABELS_CN",
    "LUNCH_CN",
    "LUNCH_FROM_CN",
    "PlanSummary",
    "Scenario",
    "ScenarioInvalid",
    "ServiceType",
    "StaffingReport",
    "TABLE_CN",
    "WEEKDAYS_CN",
    "WindowGroup",
    "adjustments_frame",
    "attach",
    "compare_rows",
    "default_shifts",
    "evaluate",
    "export_roster",
    "generate",
    "groups_table",
    "horizon",
    "kpis",
    "load_scenario",
    "measure",
    "min_servers",
    "min_to_hm",
    "parse_target",
    "policy_variant",
    "pooled_variant",
    "practice_table",
    "queue_length",
    "read_staff",
    "rep_seeds",
    "requirement_from_plan",
    "roster_for_scenario",
    "roster_marks",
    "sample_scenario",
    "sample_staff",
    "scenario_from_bytes",
    "scenario_from_tables",
    "simulate",
    "simulation_corrected",
    "sipp",
    "slot_service_levels",
    "solve_roster",
    "split_names",
    "sqrt_staffing",
    "staffing_report",
    "types_table",
    "validate",
    "verify_roster",
    "weekday_slot_table",
    "weekend_rota_variant",
    "write_xlsx",
]

# everything but the model is imported on first use, so ``import sim`` stays cheap
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Customers": "sim.arrivals",
        "generate": "sim.arrivals",
        "evaluate": "sim.erlang",
        "min_servers": "sim.erlang",
        "sqrt_staffing": "sim.erlang",
        "Cancelled": "sim.hall",
        "HallEngine": "sim.hall",
        "simulate": "sim.hall",
        "rep_seeds": "sim.replicate",
        "ACTION_CN": "sim.results",
        "ADJ_CN": "sim.results",
        "Adjustment": "sim.results",
        "adjustments_frame": "sim.results",
        "HallRun": "sim.results",
        "KPI_LABELS_CN": "sim.results",
        "TABLE_CN": "sim.results",
        "kpis": "sim.results",
        "queue_length": "sim.results",
        "slot_service_levels": "sim.results",
        "weekday_slot_table": "sim.results",
        "Balance": "sim.roster",
        "default_shifts": "sim.roster",
        "solve_roster": "sim.roster",
        "export_roster": "sim.roster_io",
        "read_staff": "sim.roster_io",
        "roster_marks": "sim.roster_io",
        "sample_staff": "sim.roster_io",
        "policy_variant": "sim.sample_hall",
        "pooled_variant": "sim.sample_hall",
        "sample_scenario": "sim.sample_hall",
        "weekend_rota_variant": "sim.sample_hall",
        "Scenario": "sim.scenario",
        "ServiceType": "sim.scenario",
        "WEEKDAYS_CN": "sim.scenario",
        "WindowGroup": "sim.scenario",
        "min_to_hm": "sim.scenario",
        "LUNCH_CN": "sim.scenario_io",
        "LUNCH_FROM_CN": "sim.scenario_io",
        "ScenarioInvalid": "sim.scenario_io",
        "groups_table": "sim.scenario_io",
        "load_scenario": "sim.scenario_io",
        "practice_table": "sim.scenario_io",
        "scenario_from_tables": "sim.scenario_io",
        "types_table": "sim.scenario_io",
        "scenario_from_bytes": "sim.scenario_io",
        "split_names": "sim.scenario_io",
        "validate": "sim.scenario_io",
        "write_xlsx": "sim.scenario_io",
        "Change": "sim.schedule",
        "PlanSummary": "sim.staffing",
        "StaffingReport": "sim.staffing",
        "attach": "sim.staffing",
        "compare_rows": "sim.staffing",
        "measure": "sim.staffing",
        "simulation_corrected": "sim.staffing",
        "sipp": "sim.staffing",
        "staffing_report": "sim.staffing",
        "parse_target": "sim.targets",
        "horizon": "sim.verify",
        "requirement_from_plan": "sim.verify",
        "roster_for_scenario": "sim.verify",
        "verify_roster": "sim.verify",
    },
)

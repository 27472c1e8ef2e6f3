"""Who may compare regions (issue 18): offices, leaders and planners read the comparison, each over the
regions it sees — the province every city, a city itself and its counties, a county itself — and unit
accounts are refused with nothing written.  Every figure is checked against counts made here from the
raw snapshot and the test's own plan → region table (the fixture of ``test_region_scoping``)."""

from __future__ import annotations

import pytest
from accounts_helpers import dump
from test_region_scoping import REGION_OF, RULES, TODAY, _env

from tasks.accounts import Account, GuardedStore, PermissionDenied
from tasks.accounts.roles import LEADER, OFFICE, PLANNER
from tasks.progress import snapshot
from tasks.regions import DEFAULT_REGION

FIELDS = ("plans", "tasks", "done", "overdue", "red_cards", "duties", "reported")
#: the fixture's regions: 乙县 belongs to 甲市
CITY_OF = {"甲市": "甲市", "乙县": "甲市", "丙市": "丙市", DEFAULT_REGION: DEFAULT_REGION}
#: what each scope sees (None: the province)
SEES = {None: set(CITY_OF), "甲市": {"甲市", "乙县"}, "乙县": {"乙县"}, "丙市": {"丙市"}}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def env(request, tmp_path, monkeypatch):
    from accounts_helpers import PG_URL

    if request.param == "postgresql" and not PG_URL:
        pytest.skip("WORKBENCH_TEST_PG_URL is not set")
    yield from _env(request.param, tmp_path, monkeypatch)


def independent(store, scope: str | None, by_city: bool) -> dict[str, dict[str, int]]:
    """Per group: counts over the raw (unguarded) snapshot of the plans whose region the scope sees; a
    county is summed into its city only when the city is seen too."""
    seen = SEES[scope]

    def group(region: str) -> str:
        city = CITY_OF[region]
        return city if by_city and city in seen else region

    snap = snapshot(store, TODAY, rules=RULES)
    plan_of = {t.pk: t.plan for t in snap.tasks}
    period = snap.latest_due_period()
    out: dict[str, dict[str, int]] = {}
    for region in sorted(seen):
        g = group(region)
        row = out.setdefault(g, dict.fromkeys(FIELDS, 0))
        plans = [p for p, r in REGION_OF.items() if r == region]
        mine = [s for s in snap.statuses if s.plan in plans]
        owed = [d for d in snap.duties if d.period == period and plan_of[d.task_pk] in plans]
        row["plans"] += len(plans)
        row["tasks"] += len(mine)
        row["done"] += sum(s.lifecycle == "closed" for s in mine)
        row["overdue"] += sum(s.status == "overdue" for s in mine)
        row["red_cards"] += sum(s.card == "red" for s in mine)
        row["duties"] += len(owed)
        row["reported"] += sum(d.reported is not None for d in owed)
    return out


@pytest.mark.parametrize("role", [OFFICE, LEADER, PLANNER])
@pytest.mark.parametrize("scope", [None, "甲市", "乙县", "丙市"])
def test_each_reading_role_compares_the_regions_it_sees(env, role, scope):
    store, _g, _ = env
    reader = GuardedStore(store, Account(f"{role}-{scope}", role, region=scope))
    all_plans = snapshot(store, TODAY, rules=RULES)  # a caller handing over the whole province's snapshot
    for by in ("city", "region"):
        expected = independent(store, scope, by == "city")
        for snap in (None, all_plans):
            rows, period = reader.compare_regions(TODAY, by=by, rules=RULES, snap=snap)
            assert {r.region: {k: getattr(r, k) for k in FIELDS} for r in rows} == expected, (by, snap is None)
            assert period == "2021-09"
    if scope == "甲市":  # the city's own plans beside its county's, or summed with the county
        by_region, _ = reader.compare_regions(TODAY, by="region", rules=RULES)
        assert [r.region for r in by_region] == ["甲市", "乙县"]
        by_city, _ = reader.compare_regions(TODAY, by="city", rules=RULES)
        assert [(r.region, r.counties, r.tasks) for r in by_city] == [("甲市", ("乙县",), 6)]
    if scope == "乙县":  # its city is not its to see: the county stands alone, also when summed by city
        rows, _ = reader.compare_regions(TODAY, by="city", rules=RULES)
        assert [(r.region, r.kind, r.tasks) for r in rows] == [("乙县", "county", 3)]


@pytest.mark.parametrize("scope", [None, "甲市"])
def test_units_are_refused_and_nothing_is_written(env, scope):
    store, _g, _ = env
    unit = GuardedStore(store, Account("zw", "unit", unit="市政务服务中心", region=scope))
    before, counts = dump(store), store.counts()
    for by in ("city", "region"):
        with pytest.raises(PermissionDenied, match="责任单位账号“zw”无权比较各地区"):
            unit.compare_regions(TODAY, by=by, rules=RULES)
    assert dump(store) == before and store.counts() == counts

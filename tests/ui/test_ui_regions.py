"""各地区比较 page and region fields of 账号管理 (AppTest): the provincial office compares cities with the
library's figures; leaders and planners read the same page without the register; a city's leader
compares its city with its counties; a unit is not offered the page and is refused when it opens it
anyway; a city's office manages only its own region's accounts."""

from __future__ import annotations

from datetime import date

import pytest
from accounts_helpers import dump, must
from progress_helpers import small_plan

from tasks.accounts import Account, AccountBook, GuardedStore
from tasks.regions import add_region, plan_regions
from tasks.store import Store

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
PW = "Vq8#Lm2x-Rt6pZw"
AS_OF = date(2021, 10, 10)


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    s = Store(url)
    add_region(s, "甲市", actor="cli")
    add_region(s, "乙县", parent="甲市", actor="cli")
    add_region(s, "丙市", actor="cli")
    prov = GuardedStore(s, Account("cli", "office"))
    for key, region in (("甲市方案", "甲市"), ("乙县方案", "乙县"), ("丙市方案", "丙市")):
        prov.load_plan_into_store(small_plan(key), region=region)
    book = AccountBook(s)
    book.add("sheng", "office", password=PW, actor="cli")
    book.add("jia", "office", region="甲市", password=PW, actor="cli")
    book.add("bing", "office", region="丙市", password=PW, actor="cli")
    book.add("ld", "leader", password=PW, actor="cli")
    book.add("gh", "planner", password=PW, actor="cli")
    book.add("jld", "leader", region="甲市", password=PW, actor="cli")
    book.add("zw", "unit", unit="市政务服务中心", password=PW, actor="cli")
    yield s
    s.dispose()


def page(store, script: str, name: str, token: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=120)
    at.session_state["wb_session_token"] = token or AccountBook(store).login(name, PW).token
    at.session_state["_as_of"] = AS_OF
    return at.run()


def texts(at) -> str:
    kinds = ("error", "warning", "info", "success", "caption", "markdown")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_province_compares_cities_with_the_librarys_figures(store):
    at = page(store, "ui/page_regions.py", "sheng")
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    rows, _period = GuardedStore(store, Account("sheng", "office")).compare_regions(AS_OF)
    table = at.dataframe[0].value
    assert list(table["地区"]) == [r.region for r in rows] == ["丙市", "甲市"]
    assert list(table["任务"]) == [r.tasks for r in rows] == [3, 6]
    assert list(table["逾期"]) == [r.overdue for r in rows]
    assert list(table["红牌"]) == [r.red_cards for r in rows]
    assert list(table["所辖县(区)"]) == ["—", "乙县"]  # an empty cell reads —
    assert not table.isna().any().any() and "None" not in table.astype(str).to_numpy().ravel()
    assert len(at.get("vega_lite_chart")) >= 1
    from tasks.regions import comparison_conclusion

    assert comparison_conclusion(rows) in texts(at)
    at.radio(key="regions_by").set_value("region").run()
    assert list(at.dataframe[0].value["地区"]) == ["丙市", "甲市", "乙县"]


def test_province_registers_a_county_and_moves_a_plan(store):
    at = page(store, "ui/page_regions.py", "sheng")
    at.text_input[0].input("丁县")
    at.selectbox[0].set_value("丙市")
    [b for b in at.button if b.label == "登记"][0].click().run()
    assert not at.exception
    assert "已登记丁县(丙市)" in texts(at)
    at.selectbox(key="regions_plan_pick").set_value("甲市方案")
    at.selectbox(key="regions_plan_target").set_value("丁县")
    [b for b in at.button if b.label == "调整所属地区"][0].click().run()
    assert plan_regions(store)["甲市方案"] == "丁县"


@pytest.mark.parametrize("name", ["ld", "gh"])
def test_leader_and_planner_read_the_comparison_without_the_register(store, name):
    from ui.nav import pages_for

    account = must(AccountBook(store).get(name))
    assert "ui/page_regions.py" in pages_for(account.role, account)
    token = AccountBook(store).login(name, PW).token
    before = dump(store)
    at = page(store, "ui/page_regions.py", name, token)
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    rows, _period = GuardedStore(store, account).compare_regions(AS_OF)
    table = at.dataframe[0].value
    assert list(table["地区"]) == [r.region for r in rows] == ["丙市", "甲市"]
    assert list(table["任务"]) == [r.tasks for r in rows] == [3, 6]
    assert list(table["逾期"]) == [r.overdue for r in rows] and list(table["红牌"]) == [r.red_cards for r in rows]
    assert len(at.get("vega_lite_chart")) >= 1
    # the register of regions is the provincial office's: neither offered nor hinted at
    assert not at.text_input and not [b for b in at.button if b.label in ("登记", "调整所属地区")]
    assert "登记市县" not in texts(at) and "账号管理" not in texts(at)
    assert dump(store) == before  # reading writes nothing
    at.radio(key="regions_by").set_value("region").run()
    assert list(at.dataframe[0].value["地区"]) == ["丙市", "甲市", "乙县"]


def test_city_leader_compares_its_city_with_its_counties(store):
    account = must(AccountBook(store).get("jld"))
    at = page(store, "ui/page_regions.py", "jld")
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    rows, _period = GuardedStore(store, account).compare_regions(AS_OF, by="region")
    table = at.dataframe[0].value
    assert list(table["地区"]) == [r.region for r in rows] == ["甲市", "乙县"]
    assert list(table["任务"]) == [3, 3]
    assert not at.radio  # its own city summed up would be one row: the regions are shown side by side
    shown = texts(at) + table.astype(str).to_csv()
    assert "丙市" not in shown and "甲市及所辖县(区)" in shown


def test_page_not_offered_and_refused_to_a_unit(store):
    from ui.nav import pages_for

    account = must(AccountBook(store).get("zw"))
    assert "ui/page_regions.py" not in pages_for(account.role, account)
    assert "ui/page_regions.py" in pages_for("office", AccountBook(store).get("sheng"))
    assert "ui/page_regions.py" in pages_for("office", AccountBook(store).get("jia"))
    token = AccountBook(store).login("zw", PW).token
    before = dump(store)
    at = page(store, "ui/page_regions.py", "zw", token)
    assert not at.exception and "无权查看此页面" in texts(at)
    assert not at.dataframe
    assert dump(store) == before


def test_no_page_offers_a_link_its_viewer_cannot_open(store):
    """Every role and scope: each page in its navigation is one the library lets it open, and the
    comparison is in the navigation exactly when the library lets it compare."""
    from tasks.accounts import allowed
    from ui.auth import role_may_see
    from ui.nav import pages_for

    for name in ("sheng", "jia", "ld", "gh", "jld", "zw"):
        account = must(AccountBook(store).get(name))
        offered = pages_for(account.role, account)
        assert all(role_may_see(account.role, p) for p in offered), name
        assert ("ui/page_regions.py" in offered) == allowed(account, "compare_regions"), name


def test_accounts_page_with_regions(store):
    at = page(store, "ui/accounts.py", "jia")
    assert not at.exception
    assert set(at.dataframe[0].value["账号"]) == {"jia", "jld"}  # a city office: its own region's accounts
    assert list(at.dataframe[0].value["所属地区"]) == ["甲市", "甲市"]
    at.text_input[0].input("yiban")
    assert at.selectbox[1].options == ["甲市", "乙县"]  # the list tab's region picker: its own regions only
    at.selectbox[2].set_value("office")
    at.selectbox[4].set_value("乙县")
    assert "全省" not in at.selectbox[4].options
    [b for b in at.button if b.label == "新增账号"][0].click().run()
    assert not at.exception
    assert must(AccountBook(store).get("yiban")).region == "乙县"
    prov = page(store, "ui/accounts.py", "sheng")
    assert set(prov.dataframe[0].value["账号"]) >= {"sheng", "jia", "bing", "ld", "yiban"}
    prov.selectbox(key="wb_accounts_pick").set_value("yiban")
    prov.selectbox(key="wb_acc_region").set_value("全省")
    prov.button(key="wb_acc_set_region").click().run()
    assert must(AccountBook(store).get("yiban")).region is None


@pytest.mark.slow
def test_every_page_a_city_office_may_open_shows_only_its_regions_plans(store):
    """Each page offered to 甲市's office opens without an error and never names 丙市's plan."""
    from streamlit.testing.v1 import AppTest

    from ui.nav import pages_for

    account = must(AccountBook(store).get("jia"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["wb_session_token"] = AccountBook(store).login("jia", PW).token
    at.session_state["_as_of"] = AS_OF
    at.run()
    problems = []
    for script in pages_for(account.role, account):
        at.switch_page(script).run()
        if at.exception or at.error:
            problems.append(f"{script}: {[e.value for e in at.exception] + [e.value for e in at.error]}")
        shown = texts(at) + "".join(d.value.astype(str).to_csv() for d in at.dataframe)
        shown += "".join(str(s.options) for s in at.selectbox) + "".join(str(m.options) for m in at.multiselect)
        if "丙市方案" in shown:
            problems.append(f"{script}: shows 丙市方案")
    assert not problems, "\n".join(problems)

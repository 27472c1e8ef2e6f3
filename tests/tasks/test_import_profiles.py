"""Issue 14: import profiles — one test per option, files and database, and the command-line round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tasks.errors import InputError
from tasks.importers import load_plan
from tasks.importers.profiles import (
    ImportProfile,
    find_profile,
    load_profile_file,
    profile_from_dict,
    profile_to_toml,
    save_profile_file,
)

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.pg,
            pytest.mark.skipif(
                not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
            ),
        ],
    ),
]

ZHUBAN = """某区2022年重点工作安排
1.推行证照分离。
主办单位:区市场监管局
协办科室:区司法局、区商务局
包联领导:周某
完成时限:2022年9月底前
2.建设自助服务区。
主办单位:区政务服务中心
完成时限:长期坚持
"""
UNLABELLED = "某省2022年方案\n1.建立清单。(省发展改革委、省财政厅负责,2022年底前完成)\n"
RULED = "某省2022年方案\n排在第一位的部门为牵头部门。\n1.建立清单。(省发展改革委、省财政厅负责)\n"


def _doc(tmp_path: Path, text: str, name: str = "doc.txt") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _rows(plan):
    return [(t.id, t.lead_units, t.responsible_units) for t in plan.tasks]


def test_without_a_profile_the_unknown_labels_are_missed(tmp_path):
    plan = load_plan(_doc(tmp_path, ZHUBAN))
    assert _rows(plan) == [("1", [], []), ("2", [], [])]
    assert plan.used["unknown_labels"] == ["主办单位", "协办科室", "包联领导"]


def test_option_lead_labels(tmp_path):
    plan = load_plan(_doc(tmp_path, ZHUBAN), profile=ImportProfile("p", lead_labels=("主办单位",)))
    assert _rows(plan) == [("1", ["区市场监管局"], []), ("2", ["区政务服务中心"], [])]
    assert plan.used["profile"] == "p" and plan.used["unknown_labels"] == ["协办科室", "包联领导"]


def test_option_responsible_labels(tmp_path):
    plan = load_plan(
        _doc(tmp_path, ZHUBAN), profile=ImportProfile("p", lead_labels=("主办单位",), responsible_labels=("协办科室",))
    )
    assert _rows(plan) == [("1", ["区市场监管局"], ["区司法局", "区商务局"]), ("2", ["区政务服务中心"], [])]


def test_option_responsible_label_overrides_a_default_lead_label(tmp_path):
    text = "某市2021年方案\n1.推行叫号。\n牵头单位:市数字办\n完成时限:2021年底前\n"
    plan = load_plan(_doc(tmp_path, text), profile=ImportProfile("p", responsible_labels=("牵头单位",)))
    assert _rows(plan) == [("1", [], ["市数字办"])]


def test_option_person_labels(tmp_path):
    plan = load_plan(
        _doc(tmp_path, ZHUBAN),
        profile=ImportProfile(
            "p", lead_labels=("主办单位",), responsible_labels=("协办科室",), person_labels=("包联领导",)
        ),
    )
    assert plan.tasks[0].persons == ["周某"] and "周某" not in plan.tasks[0].units


def test_option_first_listed_leads_true_without_the_sentence(tmp_path):
    assert _rows(load_plan(_doc(tmp_path, UNLABELLED))) == [("1", [], ["省发展改革委", "省财政厅"])]
    plan = load_plan(_doc(tmp_path, UNLABELLED), profile=ImportProfile("p", first_listed_leads=True))
    assert _rows(plan) == [("1", ["省发展改革委"], ["省财政厅"])]


def test_option_first_listed_leads_false_ignores_the_sentence(tmp_path):
    assert _rows(load_plan(_doc(tmp_path, RULED))) == [("1", ["省发展改革委"], ["省财政厅"])]
    plan = load_plan(_doc(tmp_path, RULED), profile=ImportProfile("p", first_listed_leads=False))
    assert _rows(plan) == [("1", [], ["省发展改革委", "省财政厅"])]


def test_option_columns_in_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "事项", "主办科室", "协办科室", "办结期限"])
    ws.append([1, "推行叫号", "市数字办", "市公安局", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    profile = ImportProfile(
        "p", columns=(("事项", "title"), ("主办科室", "lead"), ("协办科室", "responsible"), ("办结期限", "deadline"))
    )
    plan = load_plan(tmp_path / "t.xlsx", profile=profile)
    t = plan.tasks[0]
    assert (t.id, t.title, t.lead_units, t.responsible_units, t.deadline) == (
        "1",
        "推行叫号",
        ["市数字办"],
        ["市公安局"],
        date(2021, 12, 31),
    )


def test_option_columns_reassign_a_known_header(tmp_path):
    """A table whose 责任单位 column is really the lead (配合单位 the others)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "任务名称", "责任单位", "配合单位", "完成时限"])
    ws.append([1, "推行叫号", "市数字办", "市公安局", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    assert load_plan(tmp_path / "t.xlsx").tasks[0].lead_units == []
    plan = load_plan(tmp_path / "t.xlsx", profile=ImportProfile("p", columns=(("责任单位", "lead"),)))
    assert (plan.tasks[0].lead_units, plan.tasks[0].responsible_units) == (["市数字办"], ["市公安局"])


def test_option_columns_in_a_text_table(tmp_path):
    text = "序号\t事项\t主办科室\t完成时限\n1\t推行叫号\t市数字办\t2021年底前\n2\t推行预约\t市政务服务中心\t长期坚持\n"
    profile = ImportProfile("p", columns=(("事项", "title"), ("主办科室", "lead")))
    plan = load_plan(_doc(tmp_path, text), profile=profile)
    assert _rows(plan) == [("1", ["市数字办"], []), ("2", ["市政务服务中心"], [])]


def test_profile_files_toml_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_IMPORT_PROFILES_DIR", str(tmp_path / "profiles"))
    p = ImportProfile(
        "主办协办",
        lead_labels=("主办单位",),
        responsible_labels=("协办科室",),
        first_listed_leads=True,
        columns=(("主办科室", "lead"),),
    )
    path = save_profile_file(p)
    assert path == tmp_path / "profiles" / "主办协办.toml"
    assert load_profile_file(path) == p and find_profile("主办协办") == p
    js = tmp_path / "x.json"
    js.write_text(json.dumps({"lead_labels": ["主办单位"]}, ensure_ascii=False), encoding="utf-8")
    assert load_profile_file(js) == ImportProfile("x", lead_labels=("主办单位",))


def test_bundled_profiles_are_valid():
    from tasks.importers.profiles import list_profile_files

    files = list_profile_files(ROOT / "data" / "import_profiles")
    assert {"national-first-listed", "zhuban-xieban"} <= set(files)
    for path in files.values():
        assert load_profile_file(path).name == path.stem


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "a", "lead_label": ["x"]}, "无法识别的项:lead_label"),
        ({"name": "a", "columns": {"主办": "boss"}}, "角色“boss”无效"),
        ({"name": "a", "first_listed_leads": "yes"}, "first_listed_leads 只能是"),
        ({"name": "../etc"}, "名称“../etc”无效"),
        ({"name": "a", "lead_labels": ["很" * 21]}, "过长"),
    ],
)
def test_bad_profiles_are_refused_in_chinese(data, message):
    with pytest.raises(InputError, match=message):
        profile_from_dict(data)


def test_bad_toml_file_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("lead_labels = [主办单位", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 TOML"):
        load_profile_file(bad)
    assert "lead_labels" in profile_to_toml(ImportProfile("a"))


def test_profiles_in_the_database_and_roles():
    from tasks.accounts import Account, GuardedStore, PermissionDenied
    from tasks.importers.profile_store import delete_profile, get_profile, profile_names, save_profile
    from tasks.store import Store

    store = Store("sqlite://")
    office = GuardedStore(store, Account("ban", "office"))
    unit = GuardedStore(store, Account("zwzx", "unit", unit="市政务服务中心"))
    p = ImportProfile("主办协办", lead_labels=("主办单位",))
    save_profile(office, p)
    assert profile_names(office) == ["主办协办"] and get_profile(office, "主办协办") == p
    save_profile(office, ImportProfile("主办协办", lead_labels=("主办科室",)))  # replaced, not doubled
    assert get_profile(store, "主办协办") == ImportProfile("主办协办", lead_labels=("主办科室",))
    with pytest.raises(PermissionDenied):
        save_profile(unit, p)
    with pytest.raises(PermissionDenied):
        delete_profile(unit, "主办协办")
    assert find_profile("主办协办", store=office).lead_labels == ("主办科室",)
    assert delete_profile(office, "主办协办") and profile_names(store) == []
    with pytest.raises(InputError, match="找不到导入方案“主办协办”"):
        find_profile("主办协办", store=store)


@pytest.mark.parametrize("backend", BACKENDS)
def test_profiles_on_each_backend(backend, tmp_path):
    from tasks.importers.profile_store import get_profile, profile_names, save_profile
    from tasks.store.testing import temporary_store

    with temporary_store(backend, tmp_path, PG_URL) as store:
        save_profile(store, ImportProfile("国家部委", first_listed_leads=True), actor="test")
        save_profile(store, ImportProfile("国家部委", first_listed_leads=False), actor="test")
        assert profile_names(store) == ["国家部委"]
        assert get_profile(store, "国家部委") == ImportProfile("国家部委", first_listed_leads=False)


# ---------------------------------------------------------------- command line round trip
def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tasks", "import", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_round_trip_with_a_profile_saved_in_the_database(tmp_path):
    from tasks.importers.profile_store import save_profile
    from tasks.store import Store

    db = f"sqlite:///{tmp_path / 'wb.db'}"
    doc = _doc(tmp_path, ZHUBAN)
    env = {"WORKBENCH_DB_URL": db, "WORKBENCH_IMPORT_PROFILES_DIR": str(tmp_path / "none")}
    plain = json.loads(_cli(str(doc), "--json", env=env).stdout)
    assert [t["lead_units"] for t in plain] == [[], []]
    store = Store(db)
    save_profile(
        store,
        ImportProfile(
            "主办协办", lead_labels=("主办单位",), responsible_labels=("协办科室",), person_labels=("包联领导",)
        ),
        actor="test",
    )
    store.dispose()
    proc = _cli(str(doc), "--profile", "主办协办", "--json", "--confidence", env=env)
    assert proc.returncode == 0, proc.stderr
    tasks = json.loads(proc.stdout)
    assert isinstance(tasks, list)
    assert [(t["id"], t["lead_units"], t["responsible_units"], t["deadline"]) for t in tasks] == [
        ("1", ["区市场监管局"], ["区司法局", "区商务局"], "2022-09-30"),
        ("2", ["区政务服务中心"], [], None),
    ]
    assert tasks[0]["persons"] == ["周某"]
    summary = json.loads(proc.stderr)
    assert summary["level"] == "high" and summary["profile"] == "主办协办" and summary["no_lead"] == []


def test_cli_profile_from_a_file_and_the_readable_summary(tmp_path):
    doc = _doc(tmp_path, UNLABELLED)
    proc = _cli(str(doc), "--profile", str(ROOT / "data" / "import_profiles" / "national-first-listed.toml"))
    assert proc.returncode == 0, proc.stderr
    assert "识别可信度" in proc.stdout and "牵头:省发展改革委 | 责任:省财政厅" in proc.stdout
    proc = _cli(str(doc), "--json")
    assert proc.stderr == ""  # no summary on stderr unless asked: the --json contract is unchanged


def test_cli_unknown_profile_is_one_error_line(tmp_path):
    env = {
        "WORKBENCH_DB_URL": f"sqlite:///{tmp_path / 'wb.db'}",
        "WORKBENCH_IMPORT_PROFILES_DIR": str(tmp_path / "none"),
    }
    proc = _cli(str(_doc(tmp_path, ZHUBAN)), "--profile", "没有这个", "--json", env=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and "找不到导入方案“没有这个”" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_json_profile_that_is_not_an_object_is_refused(tmp_path):
    bad = tmp_path / "list.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="list.json: 导入方案应为键值表"):
        load_profile_file(bad)

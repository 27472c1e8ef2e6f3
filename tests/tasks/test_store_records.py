"""The store lists plans, uploads and audit entries as frozen records (``StoredPlan``, ``StoredUpload``,
``AuditEntry``) that go straight into pandas; the guarded store returns the same records narrowed; the
``users audit --json`` output keeps its keys; ``StoreLike`` is what both stores are."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest
from accounts_helpers import UNIT_A, UNIT_B
from progress_helpers import small_plan

import tasks.store
from tasks.__main__ import main
from tasks.accounts import Account, GuardedStore
from tasks.store import AuditEntry, Store, StoredPlan, StoredUpload, StoreLike, raw_store

UPLOAD_FIELDS = ["id", "unit", "person", "filename", "sha256", "period", "uploaded_at", "actor", "rows"]


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    s = Store(url)
    s.load_plan_into_store(small_plan(), actor="cli", key="测试方案")
    for unit, tid in ((UNIT_A, "3"), (UNIT_B, "2")):
        assert s.tasks()[int(tid) - 1].role_of(unit) == "lead"
        s.add_upload(
            sha256=hashlib.sha256(unit.encode()).hexdigest(),
            filename=f"{unit}.xlsx",
            unit=unit,
            plan="测试方案",
            person="王五",
            period="2021-09",
            rows=[
                {
                    "task_id": tid,
                    "status": "推进中",
                    "percent": 40,
                    "report_date": date(2021, 9, 28),
                    "period": "2021-09",
                    "source_row": 4,
                }
            ],
            actor="cli",
        )
    yield s
    s.dispose()


def test_records_are_frozen_slotted_and_go_into_pandas(store):
    plans, uploads, audit = store.plans(), store.uploads(), store.audit_log()
    assert [type(x) for x in (plans[0], uploads[0], audit[0])] == [StoredPlan, StoredUpload, AuditEntry]
    assert (plans[0].key, plans[0].tasks, plans[0].source_file) == ("测试方案", 3, "plan.xlsx")
    assert [(u.unit, u.rows, u.person, u.actor) for u in uploads] == [
        (UNIT_A, 1, "王五", "cli"),
        (UNIT_B, 1, "王五", "cli"),
    ]
    assert [a.action for a in audit] == ["load_plan", "upload", "upload"]
    assert audit[1].detail["unit"] == UNIT_A and isinstance(audit[1].at, datetime)
    for record in (plans[0], uploads[0], audit[0]):
        assert not hasattr(record, "__dict__")  # slots
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, dataclasses.fields(record)[0].name, "x")
    frame = pd.DataFrame(uploads)
    assert list(frame.columns) == UPLOAD_FIELDS and frame["unit"].tolist() == [UNIT_A, UNIT_B]
    assert list(pd.DataFrame(plans).columns) == [
        "key", "title", "issuer", "date", "source_file", "loaded_at", "tasks"
    ]  # fmt: skip
    assert pd.DataFrame(audit)["action"].tolist() == ["load_plan", "upload", "upload"]


def test_guarded_store_narrows_the_same_records(store):
    unit = GuardedStore(store, Account("zwzx", "unit", unit=UNIT_A))
    office = GuardedStore(store, Account("ban", "office"))
    assert unit.uploads() == [u for u in store.uploads() if u.unit == UNIT_A] and len(unit.uploads()) == 1
    assert office.uploads() == store.uploads() and office.plans() == store.plans()
    assert office.audit_log() == store.audit_log()


def test_audit_json_keeps_its_keys(store, capsys):
    assert main(["users", "audit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [list(r) for r in rows] == [["at", "actor", "action", "target", "detail"]] * 3
    assert rows[1]["action"] == "upload" and rows[1]["detail"]["unit"] == UNIT_A
    assert rows[0]["at"] == str(store.audit_log()[0].at)  # as the dicts were written


def test_both_stores_are_store_like_and_the_raw_store_is_found(store):
    guarded = GuardedStore(store, Account("ban", "office"))
    assert isinstance(store, StoreLike) and isinstance(guarded, StoreLike)
    assert not isinstance(object(), StoreLike)
    assert raw_store(store) is store and raw_store(guarded) is store
    not_a_store: Any = object()
    with pytest.raises(TypeError):
        raw_store(not_a_store)
    names = {"AuditEntry", "StoredPlan", "StoredUpload", "StoreLike", "raw_store"}
    assert names <= set(tasks.store.__all__)

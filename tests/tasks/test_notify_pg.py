"""The outbox on SQLite and PostgreSQL: two sending runs at the same time still deliver each message once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

import pytest
from accounts_helpers import PG_URL
from notify_helpers import add_contacts, plan_store

from tasks.notify import NotifyRules, outbox, run_notify
from tasks.store.testing import temporary_database

T0 = datetime(2021, 10, 8, 9, 0)
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


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wb.db'}"
        return
    with temporary_database(PG_URL) as u:
        yield u


def test_parallel_runs_deliver_each_message_once(url):
    store = plan_store(url)
    add_contacts(store)
    rules = NotifyRules(reasons=("urge", "deadline"), days_ahead=100, quiet_start="00:00", quiet_end="00:00")
    delivered: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def deliver(m, c):
        with lock:
            delivered[m.key] += 1

    def worker():
        try:
            start.wait()
            for _ in range(3):
                run_notify(
                    store,
                    T0,
                    send=True,
                    channels={"mail", "dingtalk", "wecom", "webhook"},
                    rules=rules,
                    deliver=deliver,
                )
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    msgs = outbox(store)
    assert len(msgs) == len({m.key for m in msgs}) >= 6
    assert all(m.status == "sent" for m in msgs) and set(delivered) == {m.key for m in msgs}
    assert set(delivered.values()) == {1}
    store.dispose()

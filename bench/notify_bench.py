"""Reminder benchmark: 300 units × 10 tasks, a period due and nobody reported; then one ``notify --send``
cycle (plan, queue, send) over a real local HTTP robot, and a second cycle that must send nothing.

Prints seconds and counts; asserts nothing.

    .venv/bin/python bench/notify_bench.py
"""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tasks.model import Plan, Task
from tasks.notify import Contact, NotifyRules, run_notify, save_contact
from tasks.store import Store

UNITS, PER_UNIT = 300, 10


class Robot(BaseHTTPRequestHandler):
    hits = 0

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Robot.hits += 1
        body = b'{"errcode":0}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    units = [f"基准单位{i:03d}" for i in range(UNITS)]
    tasks = [
        Task(
            id=str(i + 1),
            title=f"基准任务{i + 1}",
            lead_units=[units[i // PER_UNIT]],
            deadline=date(2021, 10, 1 + i % 28),
            deadline_text="",
            deadline_kind="date",
        )
        for i in range(UNITS * PER_UNIT)
    ]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=k"
    with tempfile.TemporaryDirectory() as d:
        store = Store(f"sqlite:///{Path(d) / 'bench.db'}")
        store.load_plan_into_store(Plan(title="基准计划", date=date(2021, 8, 1), tasks=tasks), actor="bench")
        store.open_period("2021-09", "bench")
        for u in units:
            save_contact(store, Contact(u, "联系人", webhook=url), "bench")
        rules = NotifyRules(daily_cap=0, unit_daily_cap=0, quiet_start="00:00", quiet_end="00:00", days_ahead=30)
        now = datetime(2021, 10, 8, 9, 0)
        t0 = time.perf_counter()
        rep = run_notify(store, now, send=True, channels={"wecom"}, rules=rules)
        t1 = time.perf_counter()
        again = run_notify(store, now, send=True, channels={"wecom"}, rules=rules)
        t2 = time.perf_counter()
        store.dispose()
    server.shutdown()
    print(f"units {UNITS}, tasks {UNITS * PER_UNIT}")
    print(
        f"first cycle: queued {len(rep.queued)}, sent {len(rep.send.sent)}, "
        f"robot received {Robot.hits}: {t1 - t0:.2f} s"
    )
    print(f"second cycle: queued {len(again.queued)}, sent {len(again.send.sent)}: {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()

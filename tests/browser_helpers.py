"""Shared helpers for the browser tests: a real `streamlit run app.py` on a free port, headless Debian
chromium through Playwright (no browser download), logging in and switching pages through the sidebar."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ui_support import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    db_url: str, log_dir: Path, *, script: str = "app.py", env: dict[str, str] | None = None
) -> Iterator[str]:
    """``streamlit run script`` (the dashboard by default) on a free port against ``db_url``, file
    watcher off, with ``env`` added to the environment; yields its base address."""
    port = free_port()
    env = {**os.environ, "WORKBENCH_DB_URL": db_url, "PYTHONUNBUFFERED": "1", **(env or {})}
    log_path = log_dir / "streamlit.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError("streamlit did not start:\n" + log_path.read_text())
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def settle(page, timeout: float = 120) -> None:
    """Wait until the app has drawn the page and no script run is in progress."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout * 1000)
    end = time.time() + timeout
    quiet = 0
    while time.time() < end:
        running = (
            page.locator('[data-testid="stStatusWidget"]').count() > 0
            or page.locator('[data-testid="stSkeleton"]').count() > 0
        )
        quiet = 0 if running else quiet + 1
        if quiet >= 4:
            return
        time.sleep(0.3)


def login(page, base: str, name: str, password: str) -> None:
    page.goto(base)
    page.get_by_label("账号").wait_for(timeout=60_000)
    settle(page)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
    settle(page)


def open_page(page, title: str) -> None:
    """Switch page through the sidebar navigation (a reload would start a new session)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    link = nav.locator('[data-testid="stSidebarNavLink"]').filter(has_text=re.compile(rf"{title}$"))
    more = nav.get_by_role("button", name=re.compile("View|more|更多", re.I))
    if more.count() and link.count() == 0:
        more.first.click()
    link.first.click()
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))", arg=title, timeout=120_000
    )
    settle(page)

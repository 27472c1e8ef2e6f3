"""The dashboard's connection to the task store: one cached :class:`tasks.store.Store` per URL.

Kept apart from :mod:`ui.common` (display helpers) and :mod:`ui.auth` (accounts), which both use it,
so the UI modules import each other in one direction only.
"""

from __future__ import annotations

import logging

import streamlit as st

from tasks import load_bundled_plans
from tasks.errors import WorkbenchError
from tasks.store import Store, default_url

log = logging.getLogger("workbench.ui")

ACTOR = "dashboard"


@st.cache_resource(show_spinner="正在连接数据库…")
def store_at(url: str) -> Store:
    """The store at ``url``, opened once per process (seeded with the bundled plans when empty)."""
    store = Store(url)
    if not store.plans():  # an empty store opens on the bundled sample plans
        load_bundled_plans(store, actor=ACTOR)
    return store


def get_raw_store() -> Store:
    """The unguarded store (logging in, cached reads); pages use :func:`ui.common.get_store`.

    When the database cannot be reached the page says so in Chinese and stops (no traceback).
    """
    try:
        store = store_at(default_url())
    except Exception as exc:
        log.exception("cannot open the store")
        detail = str(exc) if isinstance(exc, WorkbenchError) else "连接失败(详情见日志)"
        st.error(
            f"无法打开任务数据库:{detail}。请检查环境变量 WORKBENCH_DB_URL 或数据库服务是否可用,修正后刷新页面。",
            icon=":material/database_off:",
        )
        st.stop()
    return store

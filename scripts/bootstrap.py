"""Prepare the bundled sample data before `make run` starts the dashboard.

Loads every sample plan in ``data/plans/`` into the default store
(``WORKBENCH_DB_URL`` or ``var/workbench.db``) when the store has no plan yet,
so the dashboard opens on real data.  An existing store is left alone.
When the store has no account yet, it creates the first office account with a
random password printed once here (there is no default password).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tasks.samples import load_bundled_plans
    from tasks.store import Store

    store = Store()
    if store.plans():
        print(f"进度库已有 {len(store.plans())} 个计划,跳过示例数据导入({store.url})")
    else:
        print("\n".join(load_bundled_plans(store, actor="bootstrap")))
    first_account(store)
    return 0


def first_account(store) -> None:
    """First start: an office account with a random password, printed once (never stored in clear)."""
    from tasks.accounts import FIRST_ACCOUNT, ensure_office_account, first_start_message

    password = ensure_office_account(store)
    if password:
        print("=" * 60)
        print(first_start_message(FIRST_ACCOUNT, password))
        print("=" * 60)


if __name__ == "__main__":
    sys.exit(main())

"""Ready objects for the docstring examples of ``core/``, ``tasks/`` and ``sim/`` (``--doctest-modules``).

The examples of store-backed methods (``Store``, ``GuardedStore``, ``AccountBook``) would each need a
dozen lines of set-up; instead a doctest may use these names, which are put in its namespace when its
text mentions them (each doctest gets fresh copies, so one example's changes never reach another):

``store``
    A :class:`tasks.store.Store` (SQLite) holding :data:`DOCTEST_PLAN` under the key ``"demo"``,
    the report period ``2021-09`` and one upload: 市财政局 reports task 1 推进中 at 50 % on
    2021-09-28 (saved by ``ban``).
``book``
    Its :class:`tasks.accounts.AccountBook` with the fixed clock :data:`DOCTEST_NOW` and two accounts:
    ``ban`` (office, password ``Xq7-tomato-harbour``) and ``czj`` (unit 市财政局, password
    ``Lm4-river-lantern-9``).
``office``
    ``GuardedStore(store, book.get("ban"), book=book)``: the office account.
``unit``
    ``GuardedStore(store, book.get("czj"), book=book)``: 市财政局's unit account.

Evidence files such examples save go to a temporary ``WORKBENCH_FILES_DIR``.

The class docstrings of ``Store``, ``GuardedStore`` and ``AccountBook`` show this set-up written out.
The database is built once per test session and copied for each doctest that uses it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

#: the names a doctest may use without building them (see the module docstring)
DOCTEST_NAMES = ("store", "book", "office", "unit")
#: the doctest accounts' clock (their creation and login times)
DOCTEST_NOW = datetime(2021, 9, 28, 9, 0)
_WORD = re.compile(r"\b(" + "|".join(DOCTEST_NAMES) + r")\b")


def doctest_plan() -> Any:
    """The three-task plan the doctest store holds (tasks.model is imported lazily)."""
    from tasks.model import Plan, Task

    return Plan(
        title="示例方案",
        issuer="示例市人民政府办公室",
        date=date(2021, 8, 9),
        source_file="示例方案.xlsx",
        tasks=[
            Task(
                id="1",
                title="推进简政放权",
                lead_units=["市财政局"],
                responsible_units=["市司法局"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                title="清单管理",
                lead_units=["市司法局"],
                deadline=date(2021, 8, 31),
                deadline_text="2021年8月底前",
                deadline_kind="date",
            ),
            Task(
                id="3",
                title="窗口动态调整",
                lead_units=["市政务服务中心"],
                deadline_kind="ongoing",
                deadline_text="长期坚持",
            ),
        ],
    )


def _build(path: Path) -> None:
    """Write the doctest database to ``path`` (see the module docstring)."""
    from tasks.accounts import AccountBook
    from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    from tasks.store import Store

    store = Store(f"sqlite:///{path}")
    store.load_plan_into_store(doctest_plan(), actor="ban", key="demo")
    data = fill_template(
        template_bytes(store, "市财政局", "2021-09"),
        {"1": {"status": "推进中", "percent": 50, "progress": "已梳理事项清单", "date": date(2021, 9, 28)}},
        person="王敏",
    )
    report = validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28))
    assert report.ok, report.summary()
    commit_upload(store, report, actor="ban")
    book = AccountBook(store, clock=lambda: DOCTEST_NOW)
    book.add("ban", "office", password="Xq7-tomato-harbour", actor="admin")
    book.add("czj", "unit", unit="市财政局", password="Lm4-river-lantern-9", actor="ban")
    store.dispose()


def _account(book: Any, name: str) -> Any:
    account = book.get(name)
    assert account is not None, name
    return account


def pytest_configure(config: pytest.Config) -> None:
    """Passwords hashed at argon2's cheapest cost in tests, as argon2-cffi advises (0.1 s → 0.1 ms each).

    The workbench's own cost is checked in a fresh process by ``tests/tasks/test_password_cost.py``.
    """
    from argon2 import profiles

    from tasks.accounts import passwords

    passwords.use_parameters(profiles.CHEAPEST)


@pytest.fixture(scope="session")
def _doctest_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doctest-store") / "template.db"
    _build(path)
    return path


@pytest.fixture(autouse=True)
def _doctest_objects(request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]) -> Iterator[None]:
    """Fresh ``store``/``book``/``office``/``unit`` for a doctest whose text uses them."""
    item = request.node
    if not isinstance(item, DoctestItem) or item.dtest is None:
        yield
        return
    source = "\n".join(example.source for example in item.dtest.examples)
    if not _WORD.search(source):
        yield
        return
    from tasks.accounts import AccountBook, GuardedStore
    from tasks.store import Store

    tmp = request.getfixturevalue("tmp_path")
    request.getfixturevalue("monkeypatch").setenv("WORKBENCH_FILES_DIR", str(tmp / "files"))  # evidence files
    copy = tmp / "doctest.db"
    shutil.copyfile(request.getfixturevalue("_doctest_database"), copy)
    store = Store(f"sqlite:///{copy}")
    book = AccountBook(store, clock=lambda: DOCTEST_NOW)
    ready = {
        "store": store,
        "book": book,
        "office": GuardedStore(store, _account(book, "ban"), book=book),
        "unit": GuardedStore(store, _account(book, "czj"), book=book),
    }
    doctest_namespace.update(ready)
    try:
        yield
    finally:
        for name in ready:
            doctest_namespace.pop(name, None)
        store.dispose()

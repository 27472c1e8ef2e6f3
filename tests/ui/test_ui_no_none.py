"""AppTest: on every page, in every role, no table cell is missing (it would be drawn "None") and no text
shows None/nan — the bundled plans with four months of demo reports, as of a day inside them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import demo_copy
from ui_support import APP, ROOT, log_in

BAD = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT)(?![A-Za-z])|Traceback")
ROLES = {"office": None, "planner": None, "leader": None, "unit": "市政务服务中心"}


@pytest.fixture(scope="module")
def demo_url(demo_template, tmp_path_factory):
    """The bundled plans with four months of demo reports (the same data the browser sweep uses): this
    module's copy of the shared demo store (tests/conftest.py)."""
    return demo_copy(demo_template, tmp_path_factory.mktemp("no-none"))


def _texts(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "info", "success", "warning", "title", "subheader"):
        out += [str(e.value) for e in getattr(at.main, kind)]
    out += [f"{m.label} {m.value}" for m in at.main.metric]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_shows_none_or_nan(role, demo_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui.nav import pages_for

    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(ROOT / "data" / "plans"))
    monkeypatch.setenv("WORKBENCH_DB_URL", demo_url)
    at = AppTest.from_file(APP, default_timeout=300)
    log_in(at, role, ROLES[role], name=f"none-{role}")
    at.session_state["_as_of"] = date(2021, 11, 30)
    at.run()
    problems = []
    for page in pages_for(role):
        at.switch_page(page).run()
        if at.exception or at.error:
            problems.append(f"{page}: {[e.value for e in at.exception] + [e.value for e in at.error]}")
        for i, d in enumerate(at.dataframe):
            if d.proto.editing_mode:  # an input table (data editor): its empty cells are for typing into
                continue
            df = d.value
            holes = [(c, int(df[c].isna().sum())) for c in df.columns if df[c].isna().any()]
            if holes:
                problems.append(f"{page} table {i}: missing values {holes}")
            words = {str(v) for v in df.astype(str).to_numpy().ravel() if BAD.search(str(v))}
            if words:
                problems.append(f"{page} table {i}: {sorted(words)[:5]}")
        for text in _texts(at):
            if BAD.search(text):
                problems.append(f"{page}: {text[:120]!r}")
    assert not problems, "\n".join(problems)

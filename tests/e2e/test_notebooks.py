"""Execute every planners' notebook top to bottom, as `make test` must.

Notebooks are stored as jupytext ``py:percent`` files alone (``notebooks/NN_*.py``);
each is converted in memory and run with nbclient on the project's kernel
(``workbench``, registered by the Makefile; ``python3`` when that spec is missing
or points at an interpreter that is gone) with ``WORKBENCH_SMALL=1`` so the
whole run stays short.  A failing cell fails that notebook's test and the
message shows the cell's source and its error.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
from conftest import ROOT  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.py"))
#: the planners' notebooks, in reading order (issue 8)
EXPECTED = ["01_tasks_graph", "02_progress", "03_hall_sim", "04_staffing_roster"]
CELL_TIMEOUT = 300


def kernel_name() -> str:
    """``workbench`` when it is registered with a live interpreter, else ``python3``."""
    try:
        spec = KernelSpecManager().get_kernel_spec("workbench")
    except NoSuchKernel:
        return "python3"
    exe = spec.argv[0] if spec.argv else ""
    if os.path.isabs(exe) and not os.path.exists(exe):
        return "python3"
    return "workbench"


def run_notebook(path: Path) -> nbformat.NotebookNode:  # type: ignore[name-defined]  # noqa: F821
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_name(),
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return nb


def test_notebooks_are_there_as_jupytext_files_only():
    """The notebooks exist as py:percent files; no .ipynb is committed beside them."""
    assert [p.stem for p in PATHS] == EXPECTED, [p.name for p in PATHS]
    for p in PATHS:
        head = p.read_text(encoding="utf-8").splitlines()[:12]
        assert any("format_name: percent" in line for line in head), f"{p.name} is not py:percent"
    assert not list(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_SMALL", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    try:
        nb = run_notebook(path)
    except CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell failed\n{err}", pytrace=False)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    # it ends with the summary: a Markdown display computed in the last code cell
    last = code[-1]
    shown = [o for o in last.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")]
    texts = [o["data"].get("text/markdown", "") for o in shown]
    summary = "\n".join(texts)
    assert re.search(r"[\u4e00-\u9fff]", summary), "the last cell must display a Chinese summary"
    assert re.search(r"\d", summary), "the summary must carry figures computed above"
    assert not hard_coded_numbers(last.source), "the summary's prose must take its figures from variables"


def hard_coded_numbers(source: str) -> list[str]:
    """Chinese string literals of a cell that carry digits outside ``{...}`` replacement fields."""
    bad = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or not re.search(r"[\u4e00-\u9fff]", tok.string):
            continue
        is_f = bool(re.match(r"[rRbB]*[fF]", tok.string))
        prose = re.sub(r"\{[^{}]*\}", "", tok.string) if is_f else tok.string
        if re.search(r"\d", prose):
            bad.append(tok.string)
    return bad


def test_hard_coded_number_check_itself():
    assert hard_coded_numbers('md = f"共{n}项任务,延误{days}天"') == []
    assert hard_coded_numbers('md = f"共32项任务"') == ['f"共32项任务"']
    assert hard_coded_numbers('n = int(df["牌"].sum()) if len(df) else 0') == []
    assert hard_coded_numbers('x = "第3项"') == ['"第3项"']


#: what notebook code may import: the workbench libraries, plotting/table glue and the standard library
ALLOWED_IMPORTS = {
    "tasks",
    "sim",
    "core",
    "altair",
    "pandas",
    "openpyxl",
    "IPython",
    "os",
    "sys",
    "io",
    "random",
    "tempfile",
    "zipfile",
    "datetime",
    "pathlib",
}


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_code_calls_the_libraries_only(path: Path):
    """Notebooks hold glue, not logic: they import the workbench (tasks/, sim/, core/ for settings and
    data paths) and plotting only."""
    import ast

    nb = jupytext.read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(code)
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            used |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            used.add((node.module or "").split(".")[0])
    assert used - ALLOWED_IMPORTS == set()
    assert used & {"tasks", "sim"}, "a notebook must use the workbench libraries"
    assert "WORKBENCH_SMALL" in code, "every notebook honours the small-data switch"

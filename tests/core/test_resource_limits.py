"""Issue 19 "resource exhaustion from small files": each bomb is built here, read on the command line
(``python -m tasks import`` / ``upload``) and through the library call the dashboard's upload makes,
in a child process whose peak RSS is measured; each refusal is one Chinese message, no traceback,
and the peak stays under 500 MB.  On the code before the one reader, each of these took GBs (or hit
the child's 3 GB cap), ran for minutes, or printed a traceback."""

from __future__ import annotations

from pathlib import Path

import bombs
import pytest

LIMIT_MB = 500
PLAN = "data/plans/leiyang-2021-tasks.xlsx"
IMPORT = "import sys; from tasks.__main__ import main; sys.exit(main(['import', {path!r}, '--json']))"
UPLOAD = (
    "import sys; from tasks.__main__ import main; "
    "sys.exit(main(['upload', *{paths!r}, '--unit', '市审改办', '--period', '2021-09']))"
)
DASHBOARD = (
    "import os; from tasks.store import Store; from tasks.progress import validate_upload; "
    "rep = validate_upload(Store(os.environ['WORKBENCH_DB_URL']), open({path!r}, 'rb').read(), "
    "{name!r}, unit='市审改办', period='2021-09'); print(rep.summary())"
)


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bombs")


@pytest.fixture(scope="module")
def db_env(bomb_dir) -> dict[str, str]:
    env = {"WORKBENCH_DB_URL": f"sqlite:///{bomb_dir / 'store.db'}"}
    r = bombs.run_child(f"from tasks.__main__ import main; main(['load', {PLAN!r}])", env=env)
    assert r.returncode == 0, r.stderr
    return env


def _one_error_line(r: bombs.ChildRun) -> str:
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), (r.returncode, r.stderr)
    return lines[0]


def _refused_upload(r: bombs.ChildRun) -> str:
    """``upload`` (and the dashboard's call) list the file with its one problem; nothing saved."""
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr[-2000:]
    assert "发现 1 处问题,整个文件未保存" in r.stdout, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    return r.stdout


def _cheap(r: bombs.ChildRun) -> None:
    assert r.peak_mb < LIMIT_MB, f"peak {r.peak_mb:.0f} MB"
    assert r.cpu_s < 60, f"{r.cpu_s:.0f} s CPU"


# ------------------------------------------------------------------ fast bombs
def test_html_colspan_300_million(bomb_dir):
    path = bombs.colspan_html(bomb_dir / "跨列.html")
    assert path.stat().st_size < 300
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert line.startswith("error: 跨列.html:") and "没有找到任何任务" in line
    _cheap(r)


def test_html_table_saved_as_xls_with_a_huge_colspan(bomb_dir):
    path = bomb_dir / "导出.xls"
    path.write_text(
        '<html><head><meta charset="utf-8"></head><body><table><tr><td colspan="300000000">任务</td></tr>'
        '<tr><td rowspan="99999999">1</td><td>简政放权</td></tr></table></body></html>',
        encoding="utf-8",
    )
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert line.startswith("error: 导出.xls")
    _cheap(r)


def test_word_table_cell_spanning_300_million_columns(bomb_dir):
    path = bombs.gridspan_docx(bomb_dir / "跨列.docx")
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert line.startswith("error: 跨列.docx:")
    _cheap(r)


def test_two_cells_at_a1_and_xfd1048576(bomb_dir):
    path = bombs.sparse_xlsx(bomb_dir / "稀疏.xlsx")
    r = bombs.run_child(IMPORT.format(path=str(path)))
    assert "工作表行数超过 100000 行" in _one_error_line(r)
    _cheap(r)


def test_two_cells_at_a1_and_xfd50000(bomb_dir):
    path = bombs.sparse_xlsx(bomb_dir / "稀疏宽表.xlsx", "XFD50000")
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert "已用区域过大" in line and "XFD" in line
    _cheap(r)


# ------------------------------------------------------------------ bombs that take seconds to build
# (or to read: a child process parsing 5 million or 300,000 rows; `make test` runs them)
@pytest.mark.slow
def test_five_million_row_sheet(bomb_dir, db_env):
    path = bombs.many_rows_xlsx(bomb_dir / "五百万行.xlsx")
    assert path.stat().st_size < 2 * bombs.MB
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert "工作表数据" in line and "超过 100 MB 的上限" in line
    _cheap(r)
    r = bombs.run_child(UPLOAD.format(paths=[str(path)]), env=db_env)
    assert "工作表数据" in _refused_upload(r)
    _cheap(r)


@pytest.mark.slow
def test_300000_row_progress_sheet(bomb_dir, db_env):
    path = bombs.progress_rows_xlsx(bomb_dir / "三十万行.xlsx")
    for code in (UPLOAD.format(paths=[str(path)]), DASHBOARD.format(path=str(path), name=path.name)):
        r = bombs.run_child(code, env=db_env)
        out = _refused_upload(r)
        assert "进展:工作表行数超过 100000 行" in out and out.count("\n") < 5
        _cheap(r)


@pytest.mark.slow
def test_one_mb_xlsx_with_a_one_gb_cell(bomb_dir, db_env):
    path = bombs.huge_cell_xlsx(bomb_dir / "巨型单元格.xlsx")
    assert path.stat().st_size < 2 * bombs.MB
    r = bombs.run_child(IMPORT.format(path=str(path)))
    line = _one_error_line(r)
    assert "工作表数据“xl/worksheets/sheet1.xml”解压后 1024 MB,超过 100 MB 的上限" in line
    _cheap(r)
    for code in (UPLOAD.format(paths=[str(path)]), DASHBOARD.format(path=str(path), name=path.name)):
        r = bombs.run_child(code, env=db_env)
        assert "解压后 1024 MB" in _refused_upload(r)
        _cheap(r)


@pytest.mark.slow
def test_zip_holding_a_3_gb_csv(bomb_dir, db_env):
    path = bombs.csv_zip(bomb_dir / "填报.zip")
    assert path.stat().st_size < 10 * bombs.MB
    r = bombs.run_child(UPLOAD.format(paths=[str(path)]), env=db_env)
    line = _one_error_line(r)
    assert line.startswith("error: 填报.zip:压缩包内的“审改办.csv”解压后 3072 MB")
    _cheap(r)


@pytest.mark.slow
def test_whitespace_trailer_after_sheet_data(bomb_dir):
    path = bombs.trailer_xlsx(bomb_dir / "尾部空白.xlsx")
    r = bombs.run_child(IMPORT.format(path=str(path)))
    assert "解压后 2048 MB" in _one_error_line(r)
    _cheap(r)

"""Tables as users see them and take them away: never ``None``/``nan``/``NaT`` or Streamlit's English,
and one Chinese xlsx download for every table.

Streamlit draws a missing value as a grey "None".  :func:`install` (called once by ``app.py``) wraps
``st.dataframe`` so that, for a pandas table, missing values and empty texts become ``—`` and dates
read ``2021-11-30`` (no time of day); a column whose values had to become text loses a date/number
column type from ``column_config`` but keeps its label and width.  Pages keep their own frame (a
selected row index still fits it); only what is drawn changes.  ``st.data_editor`` keeps its values
(they are edited) but draws an empty cell as ``—``.  The same wrapping gives every select box and
multiselect a Chinese placeholder (Streamlit's own is "Choose an option" / "No options to select") and
every date input the one table date format ``YYYY-MM-DD``.

Streamlit's table toolbar (with its English "Download as CSV") is hidden; :func:`xlsx_download` is the
one download button for a table: :func:`table_xlsx` writes it with :mod:`core.xlsxout` (dates as dates,
percentages as numbers with a percent format, numbers as numbers, autofilter, print set-up, formulas
neutralised).

>>> import pandas as pd
>>> from datetime import date
>>> df = pd.DataFrame({"任务": ["甲", None, ""], "完成时限": pd.to_datetime(["2021-11-30", None, None]),
...                    "进度": [1.0, float("nan"), 2.5], "最近填报": [date(2021, 9, 1), None, None]})
>>> shown, _cfg = dash_nulls(df, None)
>>> shown.to_dict("list")
{'任务': ['甲', '—', '—'], '完成时限': ['2021-11-30', '—', '—'], '进度': ['1', '—', '2.5'], '最近填报': ['2021-09-01', '—', '—']}
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

__all__ = [
    "CHINESE_WIDGETS_CSS",
    "DASH",
    "DETAIL_WORDS",
    "HIDE_TABLE_CSV_CSS",
    "SELECT_PLACEHOLDER",
    "MULTI_PLACEHOLDER",
    "EMPTY_PLACEHOLDER",
    "DATE_FORMAT",
    "XLSX_MIME",
    "column_kinds",
    "dash_nulls",
    "detail_text",
    "install",
    "style",
    "table_xlsx",
    "xlsx_download",
]

DASH = "—"
_MARK = "_workbench_dash_nulls"
#: Chinese placeholders instead of Streamlit's "Choose an option" / "Choose options" / "No options to select"
SELECT_PLACEHOLDER, MULTI_PLACEHOLDER, EMPTY_PLACEHOLDER = "请选择", "请选择(可多选)", "没有可选项"
#: the one date format of tables and date inputs (documents write 2021年11月30日)
DATE_FORMAT = "YYYY-MM-DD"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _missing(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _text(v: Any) -> Any:
    if _missing(v):
        return DASH
    if isinstance(v, pd.Timestamp | datetime):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    return v


def _number(v: Any) -> str:
    if _missing(v):
        return DASH
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def _untyped(conf: Any) -> Any:
    """A column config without its date/number type (label, width and help kept)."""
    if isinstance(conf, dict):
        return {k: v for k, v in conf.items() if k != "type_config"}
    return conf


def _date_texts(s: pd.Series) -> pd.Series:
    """A datetime column as :func:`_text` writes each cell (``YYYY-MM-DD``, with ``HH:MM`` unless the
    time is midnight, ``—`` when missing), column-wise.

    >>> _date_texts(pd.Series(pd.to_datetime(["2021-11-30 00:00", "2021-11-30 08:05", None]))).tolist()
    ['2021-11-30', '2021-11-30 08:05', '—']
    """
    midnight = (s.dt.hour == 0) & (s.dt.minute == 0) & (s.dt.second == 0)
    text = s.dt.strftime("%Y-%m-%d").where(midnight, s.dt.strftime("%Y-%m-%d %H:%M"))
    return text.astype(object).where(s.notna(), DASH)


def _needs_text(s: pd.Series) -> bool:
    """Whether a text column holds a missing value or a date (drawn as ``—`` / ``YYYY-MM-DD``).

    A column of plain strings (the usual case, tens of thousands of rows) is checked for blanks
    alone, without :func:`_missing`'s per-cell type tests.

    >>> _needs_text(pd.Series(["甲", "乙"])), _needs_text(pd.Series(["甲", " "])), _needs_text(pd.Series(["甲", None]))
    (False, True, True)
    """
    values = s.tolist()
    if set(map(type, values)) <= {str}:
        return any(not v.strip() for v in values)
    return any(_missing(v) or isinstance(v, date) for v in values)


def dash_nulls(df: pd.DataFrame, column_config: dict | None) -> tuple[pd.DataFrame, dict | None]:
    """``df`` as drawn (missing → ``—``, dates as ``YYYY-MM-DD``) and the column config adjusted to it."""
    out = df.copy()
    cfg = dict(column_config) if column_config else {}
    changed = False
    for col in out.columns:
        s = out[col]
        conf = cfg.get(col)
        typed = isinstance(conf, dict) and conf.get("type_config", {}).get("type") not in (None, "text")
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = _date_texts(s)
            if conf is not None:
                cfg[col] = _untyped(conf)
            changed = True
        elif pd.api.types.is_bool_dtype(s):
            continue
        elif pd.api.types.is_numeric_dtype(s):
            if s.isna().any():
                out[col] = s.map(_number).astype(object)
                if conf is not None:
                    cfg[col] = _untyped(conf)
                changed = True
        elif (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)) and _needs_text(s):
            kind = conf.get("type_config", {}).get("type") if isinstance(conf, dict) else None
            if typed and kind not in ("date", "datetime"):
                continue  # e.g. a list or link column: leave it to its own type
            out[col] = s.map(_text)
            if conf is not None:
                cfg[col] = _untyped(conf)
            changed = True
    return (out if changed else df), (cfg if column_config is not None or cfg else column_config)


#: Streamlit's file uploader has English text built in; these rules show Chinese instead.  Streamlit's own
#: English elsewhere is hidden: the main menu, the table/chart toolbar (tables are downloaded with our own
#: Chinese xlsx buttons), the "Press Enter to apply" hints; the running indicator reads 正在计算…; the
#: sidebar's "View 3 more / View less" reads 展开或收起其余页面; the date-range picker's English quick
#: select ("Date range / Select...") is hidden (the calendar itself follows the browser's Chinese locale).
CHINESE_WIDGETS_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::before {
  content: "或把文件拖到此处(单个文件不超过 20 MB)"; font-size: 0.8rem; }
[data-testid="stMainMenu"], [data-testid="stElementToolbar"], [data-testid="InputInstructions"] { display: none; }
[data-testid="stStatusWidget"] * { font-size: 0 !important; }
[data-testid="stStatusWidget"]::after { content: "正在计算…"; font-size: 0.875rem; }
[data-testid="stSidebarNavViewButton"] { font-size: 0 !important; }
[data-testid="stSidebarNavViewButton"]::after { content: "展开或收起其余页面"; font-size: 0.875rem; }
[data-testid="stDateInputQuickSelect"] { display: none !important; }
</style>"""


#: Streamlit's own "Download as CSV" on every table and editor writes formulas live: hidden (its button's
#: aria-label is "Download as CSV" or "Download as CSV: <table>" in Streamlit 1.67); pages offer
#: :func:`ui.tables.xlsx_download` (typed, neutralised by core.safe_export) instead.
HIDE_TABLE_CSV_CSS = """<style>
[data-testid="stElementToolbar"] [data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]),
[data-testid="stElementToolbar"] button[aria-label^="Download as CSV"] { display: none !important; }
</style>"""


def style() -> None:
    """The Chinese widget texts and hidden English of :data:`CHINESE_WIDGETS_CSS` and
    :data:`HIDE_TABLE_CSV_CSS`, for every page (``app.py`` calls it once per run, before the page)."""
    st.html(CHINESE_WIDGETS_CSS + HIDE_TABLE_CSV_CSS)


def _no_options(options: Any) -> bool:
    try:
        return len(options) == 0
    except TypeError:  # a generator or other iterable: Streamlit reads it itself
        return False


def install() -> None:
    """Wrap the widgets of every Streamlit container once (idempotent), so ``st.x`` and ``column.x``
    alike: ``dataframe`` draws ``—`` for nothing; ``data_editor`` draws an empty cell as ``—``;
    ``selectbox``/``multiselect`` get Chinese placeholders; ``date_input`` writes ``YYYY-MM-DD``.
    A page's own ``placeholder=``/``format=`` wins."""
    from streamlit.delta_generator import DeltaGenerator

    if getattr(DeltaGenerator.dataframe, _MARK, False):
        return
    originals = {
        name: getattr(DeltaGenerator, name)
        for name in ("dataframe", "data_editor", "selectbox", "multiselect", "date_input")
    }

    def dataframe(self: DeltaGenerator, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(data, pd.DataFrame):
            data, cfg = dash_nulls(data, kwargs.get("column_config"))
            if cfg is not None:
                kwargs["column_config"] = cfg
        kwargs.setdefault("placeholder", DASH)
        return originals["dataframe"](self, data, *args, **kwargs)

    def data_editor(self: DeltaGenerator, data: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("placeholder", DASH)
        return originals["data_editor"](self, data, *args, **kwargs)

    def _placeholder(kwargs: dict, args: tuple, default: str) -> None:
        options = kwargs.get("options", args[0] if args else ())
        if kwargs.get("placeholder") is None:
            kwargs["placeholder"] = EMPTY_PLACEHOLDER if _no_options(options) else default
        if _no_options(options) and not kwargs.get("accept_new_options"):
            kwargs.setdefault("disabled", True)  # as Streamlit's own "No options to select": nothing to open

    def selectbox(self: DeltaGenerator, label: str, *args: Any, **kwargs: Any) -> Any:
        _placeholder(kwargs, args, SELECT_PLACEHOLDER)
        return originals["selectbox"](self, label, *args, **kwargs)

    def multiselect(self: DeltaGenerator, label: str, *args: Any, **kwargs: Any) -> Any:
        _placeholder(kwargs, args, MULTI_PLACEHOLDER)
        return originals["multiselect"](self, label, *args, **kwargs)

    def date_input(self: DeltaGenerator, label: str, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("format", DATE_FORMAT)
        return originals["date_input"](self, label, *args, **kwargs)

    for fn in (dataframe, data_editor, selectbox, multiselect, date_input):
        setattr(fn, _MARK, True)
        fn.__doc__ = originals[fn.__name__].__doc__
        setattr(DeltaGenerator, fn.__name__, fn)
        setattr(st, fn.__name__, getattr(st._main, fn.__name__))


# -- our own table download ------------------------------------------------------------------
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERCENT_TEXT = re.compile(r"^-?\d+(?:\.\d+)?%$")
#: a numeric column so named holds fractions (0.83 is 83%) when its values lie within 0..1
_RATE_WORDS = ("率", "比例", "占比")


def _cells(s: pd.Series) -> list[Any]:
    return [v for v in s if not _missing(v) and v != DASH]


def column_kinds(df: pd.DataFrame, percent: tuple[str, ...] | list[str] = ()) -> dict[str, str]:
    """The :mod:`core.xlsxout` kind of each column: ``date`` for dates (also ``2021-11-30`` texts),
    ``percent`` for ``83%`` texts, for ``percent`` columns and for fractions in a column named …率/比例,
    ``integer``/``number`` for numbers, ``long`` for long texts, else ``text``.

    >>> from datetime import date
    >>> column_kinds(pd.DataFrame({"完成时限": ["2021-11-30", "—"], "进度": ["50%", "—"], "报送率": [0.83, None],
    ...                            "逾期": [1, 2], "得分": [97.5, 100.0], "单位": ["甲", "乙"]}))
    {'完成时限': 'date', '进度': 'percent', '报送率': 'percent', '逾期': 'integer', '得分': 'number', '单位': 'text'}
    """
    from core.xlsxout import DATE, INTEGER, LONG, NUMBER, PERCENT, TEXT

    kinds: dict[str, str] = {}
    for col in df.columns:
        s = df[col]
        vals = _cells(s)
        name = str(col)
        if pd.api.types.is_bool_dtype(s):
            kind = TEXT
        elif pd.api.types.is_datetime64_any_dtype(s):
            kind = DATE if all((v.hour, v.minute, v.second) == (0, 0, 0) for v in vals) else TEXT
        elif pd.api.types.is_numeric_dtype(s):
            fractions = bool(vals) and all(0 <= float(v) <= 1 for v in vals)
            if col in percent or (fractions and any(w in name for w in _RATE_WORDS)):
                kind = PERCENT
            elif all(float(v).is_integer() for v in vals):
                kind = INTEGER
            else:
                kind = NUMBER
        elif vals and all(
            (isinstance(v, date) and not isinstance(v, datetime)) or (isinstance(v, str) and _ISO_DAY.match(v))
            for v in vals
        ):
            kind = DATE
        elif vals and all(isinstance(v, str) and _PERCENT_TEXT.match(v) for v in vals):
            kind = PERCENT
        elif vals and any(len(str(v)) > 40 for v in vals):
            kind = LONG
        else:
            kind = TEXT
        kinds[name] = kind
    return kinds


def _stored(v: Any, kind: str) -> Any:
    """A cell as :mod:`core.xlsxout` stores it: ``—`` empty, ``83%`` → 0.83, yes/no in words."""
    from core.xlsxout import PERCENT

    if _missing(v) or v == DASH:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if kind == PERCENT and isinstance(v, str) and _PERCENT_TEXT.match(v):
        return float(v[:-1]) / 100
    if isinstance(v, pd.Timestamp | datetime) and kind != "date":
        return _text(v)
    if isinstance(v, list | tuple | set):
        return "、".join(str(x) for x in v)
    return v


def _width(col: str, values: list[Any], kind: str) -> float:
    def chars(x: Any) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(x))

    longest = max([chars(col), *(chars(v) for v in values[:500])]) if values else chars(col)
    if kind == "date":
        longest = max(longest, 11)
    return float(min(60, max(6, longest + 2)))


def table_xlsx(
    sheets: pd.DataFrame | dict[str, pd.DataFrame],
    title: str = "",
    *,
    percent: tuple[str, ...] | list[str] = (),
) -> bytes:
    """One or more tables (sheet name → table) as a styled workbook (:func:`core.xlsxout.table_workbook`):
    a title row (``title`` or the sheet name), typed cells, autofilter, A4 print set-up; columns whose
    name starts with ``_`` are left out.

    >>> import io
    >>> from openpyxl import load_workbook
    >>> df = pd.DataFrame({"单位": ["=1+1", "乙"], "完成时限": ["2021-11-30", "—"], "报送率": ["83%", "—"]})
    >>> ws = load_workbook(io.BytesIO(table_xlsx({"排名": df}, "单位排名")))["排名"]
    >>> ws["A1"].value, ws["A3"].value, ws["B3"].value.date(), ws["C3"].value, ws["C3"].number_format, ws["B4"].value
    ('单位排名', "'=1+1", datetime.date(2021, 11, 30), 0.83, '0%', None)
    >>> ws.auto_filter.ref, ws.print_title_rows
    ('A2:C4', '$1:$2')
    """
    from core.safe_export import safe_sheet_title
    from core.xlsxout import Column, Sheet, table_workbook

    frames = {"表格": sheets} if isinstance(sheets, pd.DataFrame) else sheets
    out = []
    for name, df in frames.items():
        df = df[[c for c in df.columns if not str(c).startswith("_")]]
        kinds = column_kinds(df, percent)
        cols = [str(c) for c in df.columns]
        rows = [[_stored(v, kinds[c]) for c, v in zip(cols, rec)] for rec in df.itertuples(index=False, name=None)]
        columns = [
            Column(c, _width(c, [r[j] for r in rows if r[j] is not None], kinds[c]), kinds[c])
            for j, c in enumerate(cols)
        ]
        sheet = safe_sheet_title(name, default="表格")
        out.append(Sheet(sheet, title if len(frames) == 1 and title else str(name), columns, rows))
    return table_workbook(out)


def xlsx_download(
    sheets: pd.DataFrame | dict[str, pd.DataFrame],
    file_name: str,
    key: str,
    *,
    title: str = "",
    label: str = "下载表格(Excel)",
    percent: tuple[str, ...] | list[str] = (),
    where: Any = None,
) -> None:
    """Our own Chinese "download this table" button (Streamlit's English toolbar is hidden): the
    table(s) as :func:`table_xlsx`; the workbook is written only when the button is clicked."""
    from functools import partial

    from core.safe_export import safe_filename

    stem = file_name[:-5] if file_name.endswith(".xlsx") else file_name
    empty = sheets.empty if isinstance(sheets, pd.DataFrame) else all(df.empty for df in sheets.values())
    (where or st).download_button(
        label,
        data=partial(table_xlsx, sheets, title or stem, percent=percent),
        file_name=safe_filename(f"{stem}.xlsx"),
        mime=XLSX_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
        disabled=empty,
    )


#: audit-log detail keys in words (unknown keys are shown as they are)
DETAIL_WORDS = {
    "role": "角色",
    "unit": "单位",
    "until": "锁定至",
    "due": "报送期限",
    "predecessors": "前置任务",
    "source_file": "来源文件",
    "added": "新增",
    "updated": "更新",
    "archived": "归档",
    "upload_id": "上传编号",
    "period": "报告期",
    "rows": "行数",
    "sha256": "文件指纹",
    "levels": "预警等级",
    "scoring": "计分",
    "reporting": "报送",
    "status": "状态",
    "escalation": "升级",
    "reason": "原因",
    "note": "说明",
    "to": "延期至",
    "plan": "计划",
    "evidence": "佐证材料",
    "event_id": "事项编号",
    "ref_id": "关联事项",
    "new_date": "新时限",
    "start": "起始日",
    "cycle": "报送周期",
    "due_day": "报送截止日",
    "label": "说明",
    "kind": "类别",
    "card": "预警牌",
    "name": "名称",
    "size": "大小(字节)",
    "count": "数量",
    "channel": "通道",
}


def _item_text(x: Any) -> str:
    """One list item of an audit detail: a file by its name, another record by its fields in words."""
    if isinstance(x, dict):
        if "name" in x:
            return str(x["name"])
        return ",".join(f"{DETAIL_WORDS.get(k, k)}{v}" for k, v in x.items())
    return str(x)


def detail_text(detail: dict | None) -> str:
    """An audit entry's details in words: ``角色:领导小组办公室;单位:—`` (never ``unit=None``).

    >>> detail_text({"role": "office", "unit": None, "rows": 3, "predecessors": ["1", "2"]})
    '角色:领导小组办公室;单位:—;行数:3;前置任务:1、2'
    >>> detail_text(None)
    '—'
    >>> detail_text({"evidence": [{"name": "验收报告.pdf", "sha256": "ab", "size": 193}], "cycle": "month"})
    '佐证材料:验收报告.pdf;报送周期:month'
    """
    from tasks.accounts import ROLE_NAMES

    if not detail:
        return DASH
    parts = []
    for k, v in detail.items():
        if k == "role":
            v = ROLE_NAMES.get(v, v)
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, list | tuple):
            v = "、".join(_item_text(x) for x in v) or DASH
        elif isinstance(v, dict):
            v = f"{len(v)}项设置"
        parts.append(f"{DETAIL_WORDS.get(k, k)}:{DASH if _missing(v) else v}")
    return ";".join(parts)

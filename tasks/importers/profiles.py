"""Import profiles: an office's corrections to how the importer reads its documents.

A profile names extra field labels (which word means lead, which means
responsible, which names a person), whether the first unit of an unlabelled list
leads, and which table column is which.  Profiles are small TOML or JSON files
under ``data/import_profiles/`` (or ``WORKBENCH_IMPORT_PROFILES_DIR``) and rows of
the ``import_profiles`` table (:mod:`tasks.importers.profile_store`).

While a profile is active (:func:`using_profile`) every text and table reader of
:mod:`tasks.importers` consults it through :func:`active_profile`.

>>> p = profile_from_dict({"name": "某县", "lead_labels": ["主办单位"], "first_listed_leads": True})
>>> p.lead_labels, p.first_listed_leads, p.responsible_labels
(('主办单位',), True, ())
>>> profile_from_toml(profile_to_toml(p)) == p
True
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InputError

__all__ = [
    "ImportProfile",
    "COLUMN_ROLES",
    "profile_from_dict",
    "profile_to_dict",
    "profile_from_toml",
    "profile_to_toml",
    "profiles_dir",
    "load_profile_file",
    "save_profile_file",
    "list_profile_files",
    "find_profile",
    "active_profile",
    "profile_column",
    "FIRST_LEADS_CHOICES",
    "profile_from_form",
    "profile_form_values",
    "using_profile",
    "ROLE_CN",
]

#: roles a table column (or a field label) can be given
COLUMN_ROLES = (
    "id",
    "section",
    "title",
    "description",
    "lead",
    "responsible",
    "deadline",
    "predecessors",
    "note",
    "persons",
)
ROLE_CN = {
    "id": "序号",
    "section": "板块",
    "title": "任务名称",
    "description": "具体内容",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "deadline": "完成时限",
    "predecessors": "前置任务",
    "note": "备注",
    "persons": "责任领导(人员)",
    "ignore": "忽略",
}
_NAME = re.compile(r"^[\w\u4e00-\u9fff·()（）-]{1,40}$")
_KEYS = {"name", "description", "lead_labels", "responsible_labels", "person_labels", "first_listed_leads", "columns"}


@dataclass(frozen=True)
class ImportProfile:
    """A named set of reading rules (empty profile = the importer's defaults).

    ``first_listed_leads``: ``None`` follows the document (its own
    ``排在第一位的部门为牵头部门`` sentence), ``True`` always, ``False`` never.
    ``columns`` maps a table header text to a role in :data:`COLUMN_ROLES`
    (or ``ignore``).

    Parameters
    ----------
    name
        The profile's name (how the office chooses it).
    description
        What it is for, shown beside the name.
    lead_labels, responsible_labels, person_labels
        Extra labels that introduce lead units, responsible units and responsible persons in a
        document (``主办单位:`` …), beside the built-in ones.
    first_listed_leads
        Whether the first unit of an unlabelled list leads (``None``: as the document says).
    columns
        ``(header text, role)`` pairs for tables whose headers the importer does not know.

    Examples
    --------
    >>> p = ImportProfile(name="某县", columns=(("主 办 单 位", "lead"),))
    >>> p.column_role("主办单位"), p.column_role("备注")
    ('lead', None)
    """

    name: str = ""
    description: str = ""
    lead_labels: tuple[str, ...] = ()
    responsible_labels: tuple[str, ...] = ()
    person_labels: tuple[str, ...] = ()
    first_listed_leads: bool | None = None
    columns: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def column_role(self, header: str) -> str | None:
        """The role this profile gives a header cell (spaces ignored), or None.

        Parameters
        ----------
        header : str
            A header cell's text.

        Returns
        -------
        str or None
            The role (``lead``, ``deadline``…) of the profile's column with that text, else None.

        Examples
        --------
        >>> ImportProfile(columns=(("主办单位", "lead"),)).column_role(" 主办 单位 ")
        'lead'
        """
        h = re.sub(r"\s+", "", header or "")
        for text, role in self.columns:
            if re.sub(r"\s+", "", text) == h:
                return role
        return None


def _labels(value: Any, key: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = re.split(r"[、,，;；\s]+", value)
    if not isinstance(value, (list, tuple)):
        raise InputError(f"导入方案“{name}”的“{key}”应为标签列表", file=name)
    out = []
    for v in value:
        s = re.sub(r"[\s:：]+", "", str(v))
        if not s:
            continue
        if len(s) > 20:
            raise InputError(f"导入方案“{name}”的标签“{s[:20]}…”过长(上限20字)", file=name)
        if s not in out:
            out.append(s)
    return tuple(out)


def profile_from_dict(data: dict[str, Any], name: str | None = None) -> ImportProfile:
    """A checked :class:`ImportProfile` from a dict (a parsed TOML/JSON file or a database row).

    Parameters
    ----------
    data
        Keys ``name, description, lead_labels, responsible_labels, person_labels, first_listed_leads,
        columns``; labels may be a list or one string separated by ``、 , ;`` or blanks; colons and
        blanks inside a label are dropped.
    name
        The profile's name (default ``data["name"]``).

    Returns
    -------
    ImportProfile
        The checked profile (``first_listed_leads`` ``"auto"`` becomes ``None``).

    Raises
    ------
    InputError
        ``data`` is not a dict, the name is missing or not 1–40 letters/digits, an unknown key, a
        ``first_listed_leads`` other than true/false/"auto", ``columns`` not a table or naming an
        unknown role, or a label longer than 20 characters.

    Examples
    --------
    >>> profile_from_dict({"name": "某县", "lead_labels": "主办单位:、牵头科室"}).lead_labels
    ('主办单位', '牵头科室')
    >>> profile_from_dict({"name": "某县", "columns": {"主办": "boss"}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.errors.InputError: 某县: 导入方案“某县”中表头“主办”的角色“boss”无效,应为 id、section、...或 ignore
    """
    if not isinstance(data, dict):
        raise InputError("导入方案应为键值表", file=name or "")
    pname = str(name or data.get("name") or "").strip()
    if not pname or not _NAME.match(pname):
        raise InputError(f"导入方案名称“{pname}”无效(1至40个汉字、字母、数字或下划线)", file=pname)
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(f"导入方案“{pname}”中有无法识别的项:{'、'.join(unknown)}", file=pname)
    fl = data.get("first_listed_leads")
    if fl not in (None, True, False, "auto"):
        raise InputError(f'导入方案“{pname}”的 first_listed_leads 只能是 true、false 或 "auto"', file=pname)
    cols = data.get("columns") or {}
    if not isinstance(cols, dict):
        raise InputError(f"导入方案“{pname}”的 columns 应为“表头 = 角色”的表", file=pname)
    columns = []
    for header, role in cols.items():
        if role not in COLUMN_ROLES and role != "ignore":
            raise InputError(
                f"导入方案“{pname}”中表头“{header}”的角色“{role}”无效,应为 {'、'.join(COLUMN_ROLES)} 或 ignore",
                file=pname,
            )
        columns.append((str(header).strip(), str(role)))
    return ImportProfile(
        name=pname,
        description=str(data.get("description") or ""),
        lead_labels=_labels(data.get("lead_labels"), "lead_labels", pname),
        responsible_labels=_labels(data.get("responsible_labels"), "responsible_labels", pname),
        person_labels=_labels(data.get("person_labels"), "person_labels", pname),
        first_listed_leads=None if fl in (None, "auto") else bool(fl),
        columns=tuple(columns),
    )


def profile_to_dict(p: ImportProfile) -> dict[str, Any]:
    """The JSON/TOML-ready dict of a profile (``first_listed_leads`` ``"auto"`` when it follows the document).

    Parameters
    ----------
    p
        The profile.

    Returns
    -------
    dict
        What :func:`profile_from_dict` reads back into an equal profile.

    Examples
    --------
    >>> d = profile_to_dict(ImportProfile(name="某县", columns=(("主办", "lead"),)))
    >>> d["first_listed_leads"], d["columns"], profile_from_dict(d) == ImportProfile(name="某县", columns=(("主办", "lead"),))
    ('auto', {'主办': 'lead'}, True)
    """
    return {
        "name": p.name,
        "description": p.description,
        "lead_labels": list(p.lead_labels),
        "responsible_labels": list(p.responsible_labels),
        "person_labels": list(p.person_labels),
        "first_listed_leads": "auto" if p.first_listed_leads is None else p.first_listed_leads,
        "columns": dict(p.columns),
    }


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def profile_to_toml(p: ImportProfile) -> str:
    """TOML text of a profile (what is written under ``data/import_profiles/``).

    Parameters
    ----------
    p
        The profile.

    Returns
    -------
    str
        TOML that :func:`profile_from_toml` reads back into an equal profile.

    Examples
    --------
    >>> print(profile_to_toml(ImportProfile(name="某县", lead_labels=("主办单位",))).splitlines()[2])
    lead_labels = ["主办单位"]
    """
    d = profile_to_dict(p)
    out = []
    for k in ("name", "description"):
        out.append(f"{k} = {_toml_str(d[k])}")
    for k in ("lead_labels", "responsible_labels", "person_labels"):
        out.append(f"{k} = [{', '.join(_toml_str(x) for x in d[k])}]")
    fl = d["first_listed_leads"]
    out.append(f"first_listed_leads = {_toml_str(fl) if isinstance(fl, str) else str(fl).lower()}")
    out.append("")
    out.append("[columns]")
    out += [f"{_toml_str(h)} = {_toml_str(r)}" for h, r in d["columns"].items()]
    return "\n".join(out) + "\n"


def profile_from_toml(text: str, name: str | None = None) -> ImportProfile:
    """A checked profile from TOML text.

    Parameters
    ----------
    text
        The TOML.
    name
        The profile's name (default the ``name`` key).

    Returns
    -------
    ImportProfile
        As :func:`profile_from_dict` checks it.

    Raises
    ------
    InputError
        Not valid TOML, or a check of :func:`profile_from_dict` fails.

    Examples
    --------
    >>> profile_from_toml('name = "某县"\\nfirst_listed_leads = true').first_listed_leads
    True
    >>> profile_from_toml("name = ", name="某县")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.errors.InputError: 某县: 导入方案不是有效的 TOML:...
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"导入方案不是有效的 TOML:{exc}", file=name or "") from None
    return profile_from_dict(data, name)


def profiles_dir() -> Path:
    """``WORKBENCH_IMPORT_PROFILES_DIR`` or the repository's ``data/import_profiles``.

    Returns
    -------
    Path
        The folder (:func:`core.config.import_profiles_dir`; it may not exist).

    Examples
    --------
    >>> profiles_dir().name
    'import_profiles'
    """
    from core.config import import_profiles_dir

    return import_profiles_dir()


def load_profile_file(path: str | Path) -> ImportProfile:
    """A profile from a ``.toml`` or ``.json`` file (name: the file's ``name`` or its stem).

    Parameters
    ----------
    path
        The file; ``.json`` is read as JSON, anything else as TOML.

    Returns
    -------
    ImportProfile
        The checked profile.

    Raises
    ------
    InputError
        The file cannot be read as UTF-8, is not valid TOML/JSON, is not a table, or fails the checks
        of :func:`profile_from_dict` (the message names the file).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "某县.json"
    >>> _ = path.write_text('{"lead_labels": ["主办单位"]}', encoding="utf-8")
    >>> load_profile_file(path).name, load_profile_file(path).lead_labels
    ('某县', ('主办单位',))
    >>> _ = path.write_text('["主办单位"]', encoding="utf-8")
    >>> load_profile_file(path)
    Traceback (most recent call last):
    ...
    core.errors.InputError: 某县.json: 导入方案应为键值表(JSON 对象),例如 {"lead_labels": ["主办单位"]}
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError("导入方案文件无法读取(应为 UTF-8 编码的 TOML 或 JSON)", file=p.name) from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"导入方案不是有效的 JSON(第{exc.lineno}行)", file=p.name) from None
        if not isinstance(data, dict):
            raise InputError('导入方案应为键值表(JSON 对象),例如 {"lead_labels": ["主办单位"]}', file=p.name)
        data.setdefault("name", p.stem)
        return profile_from_dict(data)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"导入方案不是有效的 TOML:{exc}", file=p.name) from None
    data.setdefault("name", p.stem)
    return profile_from_dict(data)


def save_profile_file(p: ImportProfile, directory: str | Path | None = None) -> Path:
    """Write ``<dir>/<name>.toml`` and return its path.

    Parameters
    ----------
    p
        The profile.
    directory
        Default :func:`profiles_dir` (created when missing).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OSError
        The folder or file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = save_profile_file(ImportProfile(name="某县", lead_labels=("主办单位",)), folder)
    >>> path.name, load_profile_file(path).lead_labels
    ('某县.toml', ('主办单位',))
    """
    d = Path(directory) if directory else profiles_dir()
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{p.name}.toml"
    path.write_text(profile_to_toml(p), encoding="utf-8")
    return path


def list_profile_files(directory: str | Path | None = None) -> dict[str, Path]:
    """Profile name → file, for every ``.toml``/``.json`` in the profiles folder.

    Parameters
    ----------
    directory
        Default :func:`profiles_dir`.

    Returns
    -------
    dict of str to Path
        By file stem, sorted; empty when the folder is missing.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = save_profile_file(ImportProfile(name="某县"), folder)
    >>> list(list_profile_files(folder)), list_profile_files(folder / "missing")
    (['某县'], {})
    """
    d = Path(directory) if directory else profiles_dir()
    if not d.is_dir():
        return {}
    return {f.stem: f for f in sorted(d.iterdir()) if f.suffix.lower() in (".toml", ".json")}


def find_profile(name_or_path: str, *, store: Any = None) -> ImportProfile:
    """A profile by file path, by name in the profiles folder, or by name in the database of ``store``.

    Parameters
    ----------
    name_or_path
        A ``.toml``/``.json`` path, or a profile's name.
    store
        A task store whose saved profiles are searched last.

    Returns
    -------
    ImportProfile
        The first found.

    Raises
    ------
    InputError
        No such profile (the message lists the profiles there are), or its file is invalid.

    Examples
    --------
    >>> find_profile("没有这个方案")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.errors.InputError: 没有这个方案: 找不到导入方案“没有这个方案”(...)
    """
    p = Path(name_or_path)
    if p.suffix.lower() in (".toml", ".json") and p.is_file():
        return load_profile_file(p)
    files = list_profile_files()
    if name_or_path in files:
        return load_profile_file(files[name_or_path])
    if store is not None:
        from .profile_store import get_profile

        found = get_profile(store, name_or_path)
        if found is not None:
            return found
    known = sorted(files)
    hint = f"已有的导入方案:{'、'.join(known)}" if known else "还没有保存任何导入方案"
    raise InputError(f"找不到导入方案“{name_or_path}”({hint})", file=name_or_path)


_ACTIVE: contextvars.ContextVar[ImportProfile | None] = contextvars.ContextVar("import_profile", default=None)


def profile_column(header: object) -> str | None:
    """The role the active profile gives this header cell (None: no profile or not named there).

    Parameters
    ----------
    header
        A header cell's value.

    Returns
    -------
    str or None
        A role of :data:`COLUMN_ROLES` or ``ignore``.

    Examples
    --------
    >>> with using_profile(ImportProfile(name="某县", columns=(("主办", "lead"),))):
    ...     profile_column("主办"), profile_column(3)
    ('lead', None)
    >>> profile_column("主办") is None
    True
    """
    p = _ACTIVE.get()
    if p is None or not p.columns or not isinstance(header, str):
        return None
    return p.column_role(header)


def active_profile() -> ImportProfile | None:
    """The profile the current import runs with (None: defaults).

    Returns
    -------
    ImportProfile or None
        Set by :func:`using_profile`.

    Examples
    --------
    >>> active_profile() is None
    True
    """
    return _ACTIVE.get()


@contextlib.contextmanager
def using_profile(p: ImportProfile | None) -> Iterator[None]:
    """Run an import with ``p`` active.

    The profile is held in a context variable, so concurrent imports (dashboard sessions) do not
    see each other's profile; the previous one is restored on leaving.

    Parameters
    ----------
    p
        The office's profile, or ``None`` for the importer's defaults.

    Yields
    ------
    None
        While the block runs, :func:`active_profile` returns ``p``.

    Examples
    --------
    >>> with using_profile(ImportProfile(name="某县")):
    ...     active_profile().name
    '某县'
    >>> active_profile() is None
    True
    """
    token = _ACTIVE.set(p)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


#: the three answers to "does the first unit of an unlabelled list lead?"
FIRST_LEADS_CHOICES = {"按文件说明": None, "第一个单位为牵头单位": True, "全部为责任单位": False}


def profile_from_form(
    name: str,
    *,
    lead: str = "",
    responsible: str = "",
    persons: str = "",
    first: str = "按文件说明",
    columns: str = "",
    description: str = "",
) -> ImportProfile:
    """A profile from the import page's rule form (labels comma-separated; ``表头=角色`` lines,
    the role in Chinese or English).

    Parameters
    ----------
    name
        The profile's name.
    lead, responsible, persons
        Extra labels, separated by ``、 , ;`` or blanks.
    first
        A key of :data:`FIRST_LEADS_CHOICES`.
    columns
        ``表头=角色`` lines (``=`` ``:`` or full-width forms), the role a :data:`ROLE_CN` name or a role key.
    description
        What the profile is for.

    Returns
    -------
    ImportProfile
        Checked by :func:`profile_from_dict`.

    Raises
    ------
    InputError
        A column line that is not ``表头=角色`` with a known role (naming the line), an unknown
        ``first`` choice, or a check of :func:`profile_from_dict` failing.

    Examples
    --------
    >>> p = profile_from_form("临时", lead="主办单位", responsible="协办科室、配合科室",
    ...                       first="第一个单位为牵头单位", columns="主办科室=牵头单位\\n备注=ignore")
    >>> p.lead_labels, p.responsible_labels, p.first_listed_leads, p.columns
    (('主办单位',), ('协办科室', '配合科室'), True, (('主办科室', 'lead'), ('备注', 'ignore')))
    """
    role_of = {cn: role for role, cn in ROLE_CN.items()} | {r: r for r in (*COLUMN_ROLES, "ignore")}
    cols: dict[str, str] = {}
    for n, line in enumerate(columns.splitlines(), start=1):
        if not line.strip():
            continue
        parts = re.split(r"\s*[=＝:：]\s*", line.strip(), maxsplit=1)
        header, role = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        if not header.strip() or role.strip() not in role_of:
            raise InputError(
                f"列对应第{n}行“{line.strip()}”应写成“表头=角色”,角色为{'、'.join(ROLE_CN.values())}之一",
                file=name or "导入方案",
            )
        cols[header.strip()] = role_of[role.strip()]
    if first not in FIRST_LEADS_CHOICES:
        raise InputError(f"“未标明的单位列表”只能选 {'、'.join(FIRST_LEADS_CHOICES)}", file=name or "导入方案")
    return profile_from_dict(
        {
            "name": name,
            "description": description,
            "lead_labels": lead,
            "responsible_labels": responsible,
            "person_labels": persons,
            "first_listed_leads": FIRST_LEADS_CHOICES[first],
            "columns": cols,
        }
    )


def profile_form_values(p: ImportProfile | None) -> dict[str, str]:
    """The form fields showing ``p`` (empty form for the defaults).

    Parameters
    ----------
    p
        The profile, or ``None``.

    Returns
    -------
    dict of str to str
        ``lead, responsible, persons, first, columns``, as :func:`profile_from_form` reads them.

    Examples
    --------
    >>> profile_form_values(ImportProfile(name="某县", lead_labels=("主办单位", "牵头科室"), columns=(("备注", "ignore"),)))
    {'lead': '主办单位、牵头科室', 'responsible': '', 'persons': '', 'first': '按文件说明', 'columns': '备注=忽略'}
    """
    if p is None:
        return {"lead": "", "responsible": "", "persons": "", "first": "按文件说明", "columns": ""}
    first = next(k for k, v in FIRST_LEADS_CHOICES.items() if v == p.first_listed_leads)
    return {
        "lead": "、".join(p.lead_labels),
        "responsible": "、".join(p.responsible_labels),
        "persons": "、".join(p.person_labels),
        "first": first,
        "columns": "\n".join(f"{h}={ROLE_CN.get(r, r)}" for h, r in p.columns),
    }

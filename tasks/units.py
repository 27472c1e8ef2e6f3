"""Unit lists (牵头单位/责任单位 cells) to unit names, and the alias table.

Cells list several units separated by ``、 , , ; ;`` or newlines; separators
inside brackets belong to the name (``各县(市、区)人民政府`` is one unit).
Trailing ``等``, ``按职责分工负责`` and punctuation are trimmed.

>>> split_units("市审改办、市政务服务中心牵头")
['市审改办', '市政务服务中心']
>>> split_units("各县(市、区)人民政府,市直有关单位")
['各县(市、区)人民政府', '市直有关单位']
>>> is_collective("市直各相关单位"), is_collective("市财政局")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.config import package_file

SEPARATORS = "、,，;；\n"
_OPEN, _CLOSE = "(（[【〔", ")）]】〕"
_TRAILERS = re.compile(r"(?:按照?职责分工(?:负责|落实|配合)?|按职责(?:负责|落实)|分工负责|负责落实|配合|负责|牵头)+$")
_ETC = re.compile(r"等(?:相关|有关)?(?:涉及)?(?:部门|单位)?$")
# 市直各相关单位 / 县直单位 stand for many units; 市直机关工委 is one real unit
_COLLECTIVE = re.compile(
    r"^各|^[市县区]直属?(?:各|有关|相关)?(?:单位|部门)|各(?:相关|有关)?(?:单位|部门)|"
    r"有关单位|相关单位|相关部门|有关部门|成员单位|涉及部门"
)
#: the alias table shipped with the workbench; users extend it
DEFAULT_ALIASES = package_file("tasks", "data", "unit_aliases.csv")


def split_top_level(text: str, separators: str = SEPARATORS) -> list[str]:
    """Pieces of ``text`` split on ``separators`` outside brackets, stripped, empties dropped.

    >>> split_top_level("各县(市、区)人民政府、市财政局")
    ['各县(市、区)人民政府', '市财政局']
    """
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def split_units(text: object) -> list[str]:
    """Split a unit cell into trimmed names, never inside brackets."""
    if text is None:
        return []
    out: list[str] = []
    for p in split_top_level(str(text).replace("\r", "\n")):
        name = clean_unit(p)
        if name and name not in out:
            out.append(name)
    return out


def clean_unit(name: str) -> str:
    """Trim spaces, trailing punctuation, ``等`` and duty phrases from one name."""
    n = re.sub(r"\s+", "", name).strip("。.:：·•-—")
    for _ in range(3):
        before = n
        n = _TRAILERS.sub("", n)
        n = _ETC.sub("", n) if len(_ETC.sub("", n)) >= 2 else n
        n = n.strip("。.:：,，、")
        if n == before:
            break
    return n


def is_collective(name: str) -> bool:
    """True for names that stand for many units (``市直各相关单位``, ``各乡镇(街道)``).

    Parameters
    ----------
    name
        One unit name (as :func:`split_units` gives it).

    Returns
    -------
    bool
        Whether the name is a collective (no single unit can sign for it); ``市直机关工委`` is one unit.

    Examples
    --------
    >>> is_collective("各乡镇(街道)"), is_collective("市直机关工委"), is_collective("市财政局")
    (True, False, False)
    """
    return bool(_COLLECTIVE.search(name))


@dataclass
class AliasTable:
    """Maps the names units are written under to one canonical name.

    The CSV has two columns ``别名,标准名称`` (alias, canonical).

    Parameters
    ----------
    aliases
        Alias → canonical name (use :meth:`load` to read the CSV).

    Examples
    --------
    >>> t = AliasTable({"市行政服务中心管委会": "市政务服务中心"})
    >>> t.canonical("市行政服务中心管委会"), t.canonical("市财政局")
    ('市政务服务中心', '市财政局')
    """

    aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> AliasTable:
        """Read an alias CSV (UTF-8 or GBK; a ``别名``/``alias`` header row is skipped).

        Parameters
        ----------
        path
            The CSV; default the table shipped with the workbench (:data:`DEFAULT_ALIASES`).

        Returns
        -------
        AliasTable
            Names cleaned as unit cells are (:func:`clean_unit`); empty when the file is missing or empty.

        Raises
        ------
        core.errors.InputError
            The file cannot be read as CSV (a Chinese message naming it).

        Examples
        --------
        >>> AliasTable.load("no/such.csv").aliases
        {}
        >>> len(AliasTable.load().aliases) > 0
        True
        """
        p = Path(path) if path else DEFAULT_ALIASES
        if not p.exists() or p.stat().st_size == 0:
            return cls()
        # Excel on a Chinese Windows saves CSV as GBK: the one reader detects it without asking
        from core.sheets import cell_text, read_csv

        rows = [[cell_text(v) for v in r] for r in read_csv(p, p.name, delimiter=",").rows if len(r) >= 2]
        if rows and rows[0][0] in ("别名", "alias"):
            rows = rows[1:]
        return cls({clean_unit(a): clean_unit(c) for a, c, *_ in rows if a and c})

    def canonical(self, name: str) -> str:
        """The canonical name for ``name`` (``name`` itself when it is no alias).

        Parameters
        ----------
        name : str
            A unit's name as written.

        Returns
        -------
        str
            The name the alias table maps it to, or ``name``.

        Examples
        --------
        >>> t = AliasTable({"市行政服务中心管委会": "市政务服务中心"})
        >>> t.canonical("市行政服务中心管委会"), t.canonical("市财政局")
        ('市政务服务中心', '市财政局')
        """
        return self.aliases.get(name, name)

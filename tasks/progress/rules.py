"""Warning and scoring rules read from ``data/rules.toml`` (the office edits that file).

Localities differ: colours, levels (yellow/red, or blue/orange/red), the
conditions of each level, escalation and point deductions are all in the file.

>>> r = default_rules()
>>> [lv.name for lv in r.levels]
['黄牌', '红牌']
>>> r.card({"status": "overdue", "missed_reports": 0}).name
'红牌'
>>> r.card({"status": "on_track", "missed_reports": 0}) is None
True
"""

from __future__ import annotations

import operator
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config import rules_file

from .. import labels
from ..errors import WorkbenchError

RULES_FILE = rules_file()  # WORKBENCH_RULES_FILE or data/rules.toml (core.config)
STATUSES = ("done", "on_track", "at_risk", "overdue", "ongoing", "not_started")
METRICS = ("status", "missed_reports", "late_reports", "overdue_days", "gap")
_OPS = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_COND = re.compile(r"^\s*(\w+)\s*(==|!=|>=|<=|>|<)\s*([\w.]+)\s*$")
METRIC_NAMES = labels.METRIC
DEFAULT_SYNONYMS = {
    "进行中": "推进中",
    "正在推进": "推进中",
    "推进": "推进中",
    "完成": "已完成",
    "已完结": "已完成",
    "办结": "已完成",
    "未开始": "未启动",
    "落后": "滞后",
}
STATUS_NAMES = labels.STATUS


class BadRules(WorkbenchError):
    """The rules file has an error; the message names the entry to fix.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> str(BadRules("规则:至少需要一个 [[levels]] 预警等级"))
    '规则:至少需要一个 [[levels]] 预警等级'
    """


@dataclass
class Condition:
    metric: str
    op: str
    value: Any

    @classmethod
    def parse(cls, text: str, where: str) -> Condition:
        m = _COND.match(str(text))
        if not m:
            raise BadRules(f"{where}:条件“{text}”写法不对,应为“指标 比较符 数值”,如 missed_reports >= 2")
        metric, op, value = m.groups()
        if metric not in METRICS:
            raise BadRules(f"{where}:未知指标“{metric}”,可用:{'、'.join(METRICS)}")
        if metric == "status":
            if value not in STATUSES or op not in ("==", "!="):
                raise BadRules(f"{where}:状态条件应写成 status == 状态,状态可为 {'、'.join(STATUSES)}")
        else:
            try:
                value = float(value)
            except ValueError:
                raise BadRules(f"{where}:指标 {metric} 后应为数字,而不是“{value}”") from None
        return cls(metric, op, value)

    def holds(self, metrics: dict[str, Any]) -> bool:
        v = metrics.get(self.metric)
        if v is None:
            return False
        return bool(_OPS[self.op](v, self.value))

    def text(self) -> str:
        """The condition in words (``连续2期及以上未报送``), never as an operator."""
        from .wording import condition_phrase

        return condition_phrase(self.metric, self.op, self.value)

    def reason(self, metrics: dict[str, Any]) -> str:
        """Why a task meets this condition, with its own figure (``连续3期未报送``)."""
        from .wording import reason_phrase

        return reason_phrase(self.metric, metrics.get(self.metric), metrics)

    def source(self) -> str:
        v = self.value
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return f"{self.metric} {self.op} {v}"


@dataclass
class Level:
    """One warning level (a card colour) and the conditions that give it.

    Parameters
    ----------
    key : str
        The level's key in the rules file (``yellow``, ``red``).
    name : str
        Its Chinese name (``黄牌``).
    color : str
        Six hex digits (``FFC000``).
    points : float
        Points deducted from a unit's score per card of this level.
    when : list of Condition
        The conditions; any one of them gives the level.

    Examples
    --------
    >>> red = default_rules().level("red")
    >>> red.name, red.color, red.points
    ('红牌', 'C00000', 3)
    """

    key: str
    name: str
    color: str
    points: float
    when: list[Condition]

    def describe(self) -> str:
        """The level's conditions in Chinese words, ``名称:条件;或条件``.

        Returns
        -------
        str
            The level's name and each of its conditions' text, joined by ``;或``.

        Examples
        --------
        >>> print(default_rules().level("yellow").describe())
        黄牌:状态为有风险;或连续1期及以上未报送
        """
        return f"{self.name}:" + ";或".join(c.text() for c in self.when)


@dataclass
class Rules:
    """The warning and scoring rules (what ``data/rules.toml`` holds).

    Parameters
    ----------
    grace_days : int
        Days after a period ends before a missing report counts as missed.
    at_risk_gap : float
        Percentage points behind schedule at which a task is at risk.
    levels : list of Level
        The warning levels, lowest first.
    escalate_after : int
        Periods a card may stand before it escalates to the next level (0: never).
    base, late_report, missed_report, done_on_time : float
        The score's base and its deductions/bonus per late report, missed report and task done on time.
    sign_within_days : int
        Working days a lead unit has to sign a newly assigned task.
    evidence_required : bool
        Whether a completion claim needs an evidence file.
    completion_review : bool
        Whether "done" means accepted by the office (else a reported 已完成 counts).
    extended_deadline_counts : bool
        Score on-time completion against the extended deadline.
    recover_to : str
        The level key a card drops to when the unit catches up ("" for none).
    status_synonyms : dict of str to str
        Words units type in the status column and the status they mean.
    path : str
        The file the rules were read from ("" when built in code).

    Examples
    --------
    >>> r = Rules(levels=default_rules().levels)
    >>> r.grace_days, r.card({"status": "at_risk"}).name
    (5, '黄牌')
    """

    grace_days: int = 5
    at_risk_gap: float = 20
    levels: list[Level] = field(default_factory=list)
    escalate_after: int = 0
    base: float = 100
    late_report: float = 1
    missed_report: float = 2
    done_on_time: float = 0
    #: 督办: working days a lead unit has to sign a newly assigned task
    sign_within_days: int = 3
    #: a 申请办结 needs at least one evidence file
    evidence_required: bool = True
    #: "done" means 已办结 (claim accepted by the office); False: a reported 已完成 counts as done
    completion_review: bool = True
    #: score 按期办结 against the deadline after approved extensions instead of the original one
    extended_deadline_counts: bool = False
    #: the level a card drops to when the unit has caught up (a red card turns yellow, not green); "" = none
    recover_to: str = "yellow"
    #: words units type in the status column and the status they mean (基层减负)
    status_synonyms: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))
    path: str = ""

    def card(self, metrics: dict[str, Any]) -> Level | None:
        """The highest level whose conditions hold (any of them), or None.

        Parameters
        ----------
        metrics : dict
            A task's figures the conditions read (``status``, ``missed_reports``…).

        Returns
        -------
        Level or None
            The last of :attr:`levels` (they go from mild to severe) with a condition that holds.

        Examples
        --------
        >>> r = default_rules()
        >>> r.card({"status": "overdue", "missed_reports": 0}).name, r.card({"status": "on_track", "missed_reports": 0})
        ('红牌', None)
        """
        hit = None
        for lv in self.levels:
            if any(c.holds(metrics) for c in lv.when):
                hit = lv
        return hit

    def escalate(self, level: Level | None) -> Level | None:
        """The level one step above ``level`` (the top level stays), for a card held too long.

        Parameters
        ----------
        level : Level or None
            The card a task holds now.

        Returns
        -------
        Level or None
            The next level of :attr:`levels`, the same level when it is the top one, None for None.

        Examples
        --------
        >>> r = default_rules()
        >>> r.escalate(r.level("yellow")).name, r.escalate(r.level("red")).name, r.escalate(None)
        ('红牌', '红牌', None)
        """
        if level is None:
            return None
        i = self.levels.index(level)
        return self.levels[min(i + 1, len(self.levels) - 1)]

    def level(self, key: str) -> Level:
        """The level with this key.

        Parameters
        ----------
        key : str
            The level's key (``yellow``, ``red``).

        Returns
        -------
        Level
            The first level of :attr:`levels` with that key.

        Raises
        ------
        KeyError
            When no level has that key.

        Examples
        --------
        >>> default_rules().level("red").name
        '红牌'
        """
        for lv in self.levels:
            if lv.key == key:
                return lv
        raise KeyError(key)

    def scoring_text(self) -> str:
        """The ranking rule in words, shown beside every ranking.

        Returns
        -------
        str
            The score formula, the tie-breaks and every level's conditions.

        Examples
        --------
        >>> default_rules().scoring_text().split(";")[0][:19]
        '得分 = 基础分100 − 黄牌数×1'
        """
        parts = [f"基础分{_n(self.base)}"]
        parts += [f"− {lv.name}数×{_n(lv.points)}" for lv in self.levels if lv.points]
        if self.late_report:
            parts.append(f"− 迟报次数×{_n(self.late_report)}")
        if self.missed_report:
            parts.append(f"− 未报送次数×{_n(self.missed_report)}")
        if self.done_on_time:
            parts.append(f"+ 按时完成任务数×{_n(self.done_on_time)}")
        return (
            "得分 = " + " ".join(parts) + ";得分相同按按时完成数、报送率、单位名称排序。"
            "预警规则:" + ";".join(lv.describe() for lv in self.levels)
        )

    def to_dict(self) -> dict[str, Any]:
        """The rules as the plain tables of a rules file (what :func:`rules_from_toml` reads back).

        Returns
        -------
        dict
            ``reporting``, ``status``, ``levels``, ``escalation``, ``scoring``, ``supervision`` and
            ``synonyms``; each level's conditions as their source text.

        Examples
        --------
        >>> d = default_rules().to_dict()
        >>> d["reporting"], [lv["key"] for lv in d["levels"]], d["levels"][1]["when"]
        ({'grace_days': 5}, ['yellow', 'red'], ['status == overdue', 'missed_reports >= 2'])
        """
        return {
            "reporting": {"grace_days": self.grace_days},
            "status": {"at_risk_gap": self.at_risk_gap},
            "levels": [
                {
                    "key": lv.key,
                    "name": lv.name,
                    "color": lv.color,
                    "points": lv.points,
                    "when": [c.source() for c in lv.when],
                }
                for lv in self.levels
            ],
            "escalation": {"after_periods": self.escalate_after},
            "scoring": {
                "base": self.base,
                "late_report": self.late_report,
                "missed_report": self.missed_report,
                "done_on_time": self.done_on_time,
            },
            "supervision": {
                "sign_within_days": self.sign_within_days,
                "evidence_required": self.evidence_required,
                "completion_review": self.completion_review,
                "extended_deadline_counts": self.extended_deadline_counts,
                "recover_to": self.recover_to,
            },
            "synonyms": dict(self.status_synonyms),
        }

    def to_toml(self) -> str:
        """The rules as a TOML rules file (what :func:`rules_from_toml` reads back).

        Returns
        -------
        str
            :meth:`to_dict` written as TOML.

        Examples
        --------
        >>> text = default_rules().to_toml()
        >>> text.splitlines()[0], rules_from_toml(text) == default_rules()
        ('[reporting]', True)
        """
        return dumps_toml(self.to_dict())


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def rules_from_dict(d: dict[str, Any], where: str = "规则") -> Rules:
    """Validate a parsed rules document; every mistake is a :class:`BadRules` naming the entry."""

    def num(section: str, key: str, default: float) -> float:
        v = (d.get(section) or {}).get(key, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise BadRules(f"{where}:[{section}] {key} 应为数字,而不是“{v}”")
        return v

    levels = []
    raw = d.get("levels") or []
    if not isinstance(raw, list) or not raw:
        raise BadRules(f"{where}:至少需要一个 [[levels]] 预警等级")
    for i, lv in enumerate(raw, 1):
        w = f"{where}:第{i}个 [[levels]]"
        if not lv.get("key") or not lv.get("name"):
            raise BadRules(f"{w} 缺少 key 或 name")
        when = lv.get("when") or []
        if isinstance(when, str):
            when = [when]
        color = str(lv.get("color", "FFC000")).lstrip("#").upper()
        if not re.fullmatch(r"[0-9A-F]{6}", color):
            raise BadRules(f"{w} 的颜色“{lv.get('color')}”应为 6 位十六进制,如 FFC000")
        pts = lv.get("points", 0)
        if isinstance(pts, bool) or not isinstance(pts, (int, float)):
            raise BadRules(f"{w} 的 points 应为数字")
        levels.append(Level(str(lv["key"]), str(lv["name"]), color, pts, [Condition.parse(c, w) for c in when]))
    if len({lv.key for lv in levels}) != len(levels):
        raise BadRules(f"{where}:预警等级的 key 重复")
    sup = d.get("supervision") or {}

    def flag(key: str, default: bool) -> bool:
        v = sup.get(key, default)
        if not isinstance(v, bool):
            raise BadRules(f"{where}:[supervision] {key} 应为 true 或 false,而不是“{v}”")
        return v

    recover = str(sup.get("recover_to", levels[0].key if len(levels) > 1 else ""))
    if recover and recover not in {lv.key for lv in levels}:
        raise BadRules(f"{where}:[supervision] recover_to“{recover}”不是已定义的预警等级 key")
    syn = d.get("synonyms", DEFAULT_SYNONYMS)
    if not isinstance(syn, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in syn.items()):
        raise BadRules(f'{where}:[synonyms] 应写成 进行中 = "推进中" 这样的对照')
    return Rules(
        sign_within_days=int(num("supervision", "sign_within_days", 3)),
        evidence_required=flag("evidence_required", True),
        completion_review=flag("completion_review", True),
        extended_deadline_counts=flag("extended_deadline_counts", False),
        recover_to=recover,
        status_synonyms={k.strip(): v.strip() for k, v in syn.items()},
        grace_days=int(num("reporting", "grace_days", 5)),
        at_risk_gap=num("status", "at_risk_gap", 20),
        levels=levels,
        escalate_after=int(num("escalation", "after_periods", 0)),
        base=num("scoring", "base", 100),
        late_report=num("scoring", "late_report", 1),
        missed_report=num("scoring", "missed_report", 2),
        done_on_time=num("scoring", "done_on_time", 0),
    )


def rules_from_toml(text: str, where: str = "规则") -> Rules:
    """Read and check rules typed as TOML (the dashboard's rules editor); a syntax error says what to check.

    Parameters
    ----------
    text : str
        The TOML document.
    where : str, optional
        What to call the document in error messages (default ``规则``).

    Returns
    -------
    Rules
        The checked rules.

    Raises
    ------
    BadRules
        When the text is not valid TOML (``规则格式错误(…),请检查引号、方括号和等号``) or an entry is
        wrong (the message names the entry, e.g. ``第1个 [[levels]] 缺少 key 或 name``).

    Examples
    --------
    >>> lines = ['[[levels]]', 'key = "red"', 'name = "红牌"', 'color = "C00000"', 'points = 3',
    ...          'when = ["status == overdue"]']
    >>> rules_from_toml(chr(10).join(lines)).levels[0].name
    '红牌'
    >>> rules_from_toml("levels = [")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tasks.progress.rules.BadRules: 规则格式错误(...),请检查引号、方括号和等号
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BadRules(f"{where}格式错误({err}),请检查引号、方括号和等号") from None
    return rules_from_dict(data, where)


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and check the rules file (default ``data/rules.toml``).

    Parameters
    ----------
    path : str or Path, optional
        The rules file; default :data:`RULES_FILE` (``WORKBENCH_RULES_FILE`` or ``data/rules.toml``).

    Returns
    -------
    Rules
        The checked rules, with ``path`` set to the file read.

    Raises
    ------
    BadRules
        When the file does not exist (``找不到规则文件 …``), is not valid TOML
        (``…:格式错误(…),请检查引号和方括号``) or has a wrong entry (the message names it).

    Examples
    --------
    >>> [lv.key for lv in load_rules().levels]
    ['yellow', 'red']
    >>> load_rules("/nonexistent/rules.toml")
    Traceback (most recent call last):
    ...
    tasks.progress.rules.BadRules: 找不到规则文件 /nonexistent/rules.toml
    """
    p = Path(path) if path else RULES_FILE
    if not p.exists():
        raise BadRules(f"找不到规则文件 {p}")
    try:
        d = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise BadRules(f"{p.name}:格式错误({err}),请检查引号和方括号") from None
    rules = rules_from_dict(d, p.name)
    rules.path = str(p)
    return rules


def default_rules() -> Rules:
    """The common yellow/red scheme (same as the shipped ``data/rules.toml``).

    Returns
    -------
    Rules
        Yellow (at risk, or one missed report) and red (overdue, or two missed reports).

    Examples
    --------
    >>> print(default_rules().level("yellow").describe())
    黄牌:状态为有风险;或连续1期及以上未报送
    """
    return rules_from_dict(
        {
            "levels": [
                {
                    "key": "yellow",
                    "name": "黄牌",
                    "color": "FFC000",
                    "points": 1,
                    "when": ["status == at_risk", "missed_reports >= 1"],
                },
                {
                    "key": "red",
                    "name": "红牌",
                    "color": "C00000",
                    "points": 3,
                    "when": ["status == overdue", "missed_reports >= 2"],
                },
            ]
        }
    )


def save_rules(rules: Rules | dict[str, Any], actor: str, store: Any = None, path: str | Path | None = None) -> Rules:
    """Check and write the rules file; the change is audited in ``store`` when given.

    Parameters
    ----------
    rules : Rules or dict
        The rules, or a rules document as :meth:`Rules.to_dict` writes it.
    actor : str
        Who saves them (recorded in the audit log).
    store : Store, optional
        Where to record the change; nothing is recorded when omitted.
    path : str or Path, optional
        The file to write; default :data:`RULES_FILE`.

    Returns
    -------
    Rules
        The rules saved, with ``path`` set to the file written.

    Raises
    ------
    BadRules
        When a rules document has a wrong entry; nothing is written then.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "rules.toml"
    >>> saved = save_rules(default_rules(), actor="admin", path=target)
    >>> [lv.name for lv in load_rules(target).levels]
    ['黄牌', '红牌']
    >>> save_rules({"levels": []}, actor="admin", path=target)
    Traceback (most recent call last):
    ...
    tasks.progress.rules.BadRules: 规则:至少需要一个 [[levels]] 预警等级
    """
    if isinstance(rules, dict):
        rules = rules_from_dict(rules)
    text = "# 红黄牌预警与考核规则(由工作台保存)\n" + rules.to_toml()
    rules_from_dict(tomllib.loads(text))  # round-trip check before overwriting
    p = Path(path) if path else RULES_FILE
    if store is not None:
        store.record_action(actor, "save_rules", str(p.name), rules.to_dict())
    p.write_text(text, encoding="utf-8")
    rules.path = str(p)
    return rules


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _toml_value(k)


def dumps_toml(d: dict[str, Any]) -> str:
    """Tiny TOML writer for the rules document (tables, arrays of tables, scalars, lists)."""
    out = []
    for section, body in d.items():
        if isinstance(body, list):
            for item in body:
                out.append(f"\n[[{section}]]")
                out += [f"{k} = {_toml_value(v)}" for k, v in item.items()]
        else:
            out.append(f"\n[{section}]")
            out += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in body.items()]
    return "\n".join(out).lstrip("\n") + "\n"

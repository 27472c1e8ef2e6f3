"""OpenID Connect identities (``st.login``) mapped to a workbench role and unit.

Local accounts stay the default.  Where an identity provider exists, the
dashboard can log users in with ``st.login`` and map the identity token's
claims (``st.user``) with this mapping, read from ``.streamlit/secrets.toml``
(see ``.streamlit/secrets.example.toml``)::

    [workbench_oidc]
    provider = ""                        # [auth.<provider>] to use; "" = the single [auth] provider
    name_claim = "preferred_username"    # becomes the account name (audit trail)
    display_claim = "name"
    role_claim = "groups"                # a string or a list of strings
    unit_claim = "department"            # unit of unit accounts
    [workbench_oidc.roles]               # claim value -> office / planner / unit / leader
    "wb-office" = "office"
    "wb-unit" = "unit"
    [workbench_oidc.units]               # optional: claim value -> unit name in the task table
    "zwzx" = "市政务服务中心"
    # a province on one deployment (optional): the city or county a user is limited to
    region_claim = "region"              # once set, every user needs it; "全省" = not limited
    [workbench_oidc.regions]             # optional: claim value -> registered region name
    "jiashi" = "甲市"

When several claim values map to roles, the most privileged wins
(office > planner > leader > unit).  No mapped role: access is refused.

>>> m = {"role_claim": "groups", "unit_claim": "dept", "roles": {"wb-unit": "unit"}, "units": {"zw": "市政务服务中心"}}
>>> a = account_from_oidc({"preferred_username": "li", "groups": ["x", "wb-unit"], "dept": "zw"}, m)
>>> (a.name, a.role, a.unit, a.source)
('oidc:li', 'unit', '市政务服务中心', 'oidc')
>>> m = {"roles": {"wb-office": "office"}, "region_claim": "region", "regions": {"js": "甲市"}}
>>> account_from_oidc({"preferred_username": "wang", "groups": "wb-office", "region": "js"}, m).region
'甲市'
>>> account_from_oidc({"preferred_username": "zhao", "groups": "wb-office", "region": "全省"}, m).region is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .roles import LEADER, OFFICE, PLANNER, ROLES, UNIT, Account, PermissionDenied

PRIORITY = (OFFICE, PLANNER, LEADER, UNIT)
PREFIX = "oidc:"


def _values(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [x.strip() for x in re.split(r"[,;]", v) if x.strip()]
    if isinstance(v, Iterable):
        return [str(x).strip() for x in v if str(x).strip()]
    return [str(v)]


def account_from_oidc(
    claims: Mapping[str, Any],
    mapping: Mapping[str, Any],
    known_units: Iterable[str] | None = None,
    known_regions: Iterable[str] | None = None,
) -> Account:
    """The :class:`Account` for an identity-token's ``claims``; :class:`PermissionDenied` if unmapped.

    ``known_units`` (the store's units) rejects a unit the task table does not know;
    ``known_regions`` (the registered regions) a region nobody registered.  With a
    ``region_claim`` configured a token without it is refused (never silently province-wide).

    Parameters
    ----------
    claims : mapping
        The identity token's claims (``st.user``).
    mapping : mapping
        The ``[workbench_oidc]`` table of the secrets (see the module's text).
    known_units : iterable of str, optional
        The units of the task table; default: any unit is accepted.
    known_regions : iterable of str, optional
        The registered regions; default: any region is accepted.

    Returns
    -------
    Account
        Named ``oidc:<name>``, with the most privileged mapped role.

    Raises
    ------
    PermissionDenied
        When the token has no user name, the role mapping names an invalid role, no claim value maps
        to a role (``用户“…”未被授权使用工作台…``), a unit user has no or an unknown unit, or a
        configured region claim is missing or names an unregistered region.

    Examples
    --------
    >>> m = {"roles": {"wb-leader": "leader"}}
    >>> account_from_oidc({"preferred_username": "liu", "groups": "wb-leader"}, m).label
    'oidc:liu(领导(只读))'
    >>> account_from_oidc({"preferred_username": "liu", "groups": "others"}, m)
    Traceback (most recent call last):
    ...
    tasks.accounts.roles.PermissionDenied: 用户“liu”未被授权使用工作台(身份令牌“groups”中没有已映射的角色),请联系领导小组办公室
    """
    name_claim = mapping.get("name_claim", "preferred_username")
    raw_name = str(claims.get(name_claim) or claims.get("email") or claims.get("sub") or "").strip()
    if not raw_name:
        raise PermissionDenied(f"身份令牌中没有“{name_claim}”,无法确定用户,请联系系统管理员")
    role_map = {str(k): str(v) for k, v in (mapping.get("roles") or {}).items()}
    bad = sorted({v for v in role_map.values() if v not in ROLES})
    if bad:
        raise PermissionDenied(f"统一身份认证的角色映射有误:{'、'.join(bad)} 不是有效角色({'/'.join(ROLES)})")
    role_claim = mapping.get("role_claim", "groups")
    roles = {role_map[v] for v in _values(claims.get(role_claim)) if v in role_map}
    if not roles:
        raise PermissionDenied(
            f"用户“{raw_name}”未被授权使用工作台(身份令牌“{role_claim}”中没有已映射的角色),请联系领导小组办公室"
        )
    role = next(r for r in PRIORITY if r in roles)
    unit = None
    if role == UNIT:
        unit_claim = mapping.get("unit_claim", "department")
        raw_unit = next(iter(_values(claims.get(unit_claim))), "")
        unit = str((mapping.get("units") or {}).get(raw_unit, raw_unit)).strip()
        if not unit:
            raise PermissionDenied(f"单位用户“{raw_name}”的身份令牌中没有所属单位(“{unit_claim}”),请联系系统管理员")
        if known_units is not None and unit not in set(known_units):
            raise PermissionDenied(
                f"单位“{unit}”不在任务分解表中,请在 secrets.toml 的 [workbench_oidc.units] 中把它映射为表中的单位全称"
            )
    display = str(claims.get(mapping.get("display_claim", "name")) or "").strip()
    region = _region(claims, mapping, raw_name, known_regions)
    return Account(name=PREFIX + raw_name, role=role, unit=unit, display_name=display, source="oidc", region=region)


def _region(claims: Mapping[str, Any], mapping: Mapping[str, Any], who: str, known: Iterable[str] | None) -> str | None:
    """The region of an identity (None: not limited), when the mapping names a ``region_claim``."""
    from ..regions import PROVINCE

    claim = mapping.get("region_claim")
    if not claim:
        return None
    raw = next(iter(_values(claims.get(claim))), "")
    region = str((mapping.get("regions") or {}).get(raw, raw)).strip()
    if not region:
        raise PermissionDenied(f"用户“{who}”的身份令牌中没有所属地区(“{claim}”),请联系系统管理员")
    if region == PROVINCE:
        return None
    if known is not None and region not in set(known):
        raise PermissionDenied(
            f"地区“{region}”尚未登记,请先登记,或在 secrets.toml 的 [workbench_oidc.regions] 中把它映射为已登记的地区"
        )
    return region

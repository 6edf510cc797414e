"""Who may do what with people and organisations (django-rules predicates).

Roles in an organisation are ordered only where the words say so: an *admin* may do everything an
editor or moderator may do; an *editor* edits content; a *moderator* moderates contributions; a
*member* belongs to the organisation. Platform roles stand above organisations: *staff* work for the
platform, *administrators* may do everything.

Other apps build their own rules from the helpers here, for example::

    from konzeptk.accounts.rules import is_administrator, org_role_predicate

    is_project_editor = org_role_predicate("editor", "admin", via=lambda project: project.organisation)
    rules.add_perm("strategy.change_project", is_project_editor | is_administrator)

The memberships of a person are read once per user object and kept on it, so checking many
objects in one request costs one query (``forget_memberships`` drops that cache after a change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from konzeptk.accounts.models import Membership, Organisation, User

ROLE_MEMBER = Membership.Role.MEMBER.value
ROLE_EDITOR = Membership.Role.EDITOR.value
ROLE_MODERATOR = Membership.Role.MODERATOR.value
ROLE_ADMIN = Membership.Role.ADMIN.value
ALL_ROLES = (ROLE_MEMBER, ROLE_EDITOR, ROLE_MODERATOR, ROLE_ADMIN)

_CACHE_ATTR = "_kk_memberships"


def memberships_of(user: Any) -> dict[int, tuple[str, bool]]:
    """``{organisation id: (role, organisation is core team)}`` for an active person, cached on the object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached: dict[int, tuple[str, bool]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            org_id: (role, core)
            for org_id, role, core in Membership.objects.filter(user=user).values_list(
                "organisation_id", "role", "organisation__is_core_team"
            )
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(*users: Any) -> None:
    for user in users:
        if user is not None and hasattr(user, _CACHE_ATTR):
            delattr(user, _CACHE_ATTR)


def _org_id(org: Organisation | int | None) -> int | None:
    if org is None:
        return None
    if isinstance(org, Organisation):
        return org.pk
    return int(org)


def has_org_role(user: Any, org: Organisation | int | None, *roles: str) -> bool:
    """Does the person hold one of ``roles`` in ``org``? Without roles: is the person a member at all?"""
    org_id = _org_id(org)
    if org_id is None:
        return False
    entry = memberships_of(user).get(org_id)
    if entry is None:
        return False
    return not roles or entry[0] in roles


def org_role_predicate(
    *roles: str, via: Callable[[Any], Organisation | int | None] | None = None, name: str | None = None
) -> rules.Predicate:
    """A predicate ``(user, obj)`` that is true when the person holds one of ``roles`` in the
    organisation of ``obj`` (``via(obj)``; by default ``obj`` is the organisation itself)."""

    def check(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return False
        org = via(obj) if via is not None else obj
        return has_org_role(user, org, *roles)

    return rules.predicate(check, name=name or f"has_org_role({', '.join(roles) or 'any'})")


@rules.predicate
def is_platform_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_platform_staff)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.platform_role == User.PlatformRole.ADMINISTRATOR or user.is_superuser)
    )


@rules.predicate
def is_core_team_member(user: Any) -> bool:
    """Member (any role) of an organisation that belongs to the Smart City core team."""
    return any(core for _role, core in memberships_of(user).values())


is_org_member = org_role_predicate(name="is_org_member")
is_org_editor = org_role_predicate(ROLE_EDITOR, ROLE_ADMIN, name="is_org_editor")
is_org_moderator = org_role_predicate(ROLE_MODERATOR, ROLE_ADMIN, name="is_org_moderator")
is_org_admin = org_role_predicate(ROLE_ADMIN, name="is_org_admin")

# Object-level permissions on an Organisation.
rules.add_perm("accounts.view_organisation", rules.always_allow)
rules.add_perm("accounts.view_members", is_org_member | is_platform_staff)
rules.add_perm("accounts.manage_members", is_org_admin | is_administrator)
rules.add_perm("accounts.change_organisation", is_org_admin | is_administrator)
rules.add_perm("accounts.add_organisation", is_administrator)
rules.add_perm("accounts.delete_organisation", is_administrator)

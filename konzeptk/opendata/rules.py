"""Who may register and change datasets: editors and administrators of the publishing organisation, the core
team for every organisation, platform staff."""

from __future__ import annotations

from konzeptk.accounts.models import Organisation, User
from konzeptk.accounts.rules import (
    ROLE_ADMIN,
    ROLE_EDITOR,
    has_org_role,
    is_core_team_member,
    is_platform_staff,
    memberships_of,
)
from konzeptk.opendata.models import Dataset


def may_publish_for(user: User, organisation: Organisation) -> bool:
    return bool(
        is_platform_staff(user)
        or is_core_team_member(user)
        or has_org_role(user, organisation, ROLE_EDITOR, ROLE_ADMIN)
    )


def publishing_organisations(user: User) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    if is_platform_staff(user) or is_core_team_member(user):
        return list(Organisation.objects.order_by("name"))
    ids = [pk for pk, (role, _core) in memberships_of(user).items() if role in (ROLE_EDITOR, ROLE_ADMIN)]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def may_edit(user: User, dataset: Dataset) -> bool:
    """Only datasets registered by staff are edited here; the platform's own and harvested ones follow their source."""
    return dataset.origin == Dataset.Origin.STAFF and (
        (dataset.publisher is None and bool(is_platform_staff(user)))
        or (dataset.publisher is not None and may_publish_for(user, dataset.publisher))
    )

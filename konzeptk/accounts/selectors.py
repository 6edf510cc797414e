"""Reads about people and organisations, bounded and with their relations loaded."""

from __future__ import annotations

from django.db.models import QuerySet

from konzeptk.accounts.models import Consent, Invitation, Membership, Organisation, User

# Purposes a person can give again on the profile page; the others belong to the forms that collect
# the data (e.g. demographic questions) and are given there.
PROFILE_GIVABLE_PURPOSES = (Consent.Purpose.TERMS, Consent.Purpose.NOTIFICATIONS)


def memberships_for_profile(user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation").order_by("organisation__name")


def consents_for_profile(user: User) -> QuerySet[Consent]:
    return user.consents.order_by("-given_at", "-pk")


def givable_purposes(user: User) -> list[tuple[str, str]]:
    active = set(user.consents.active().values_list("purpose", flat=True))
    return [
        (purpose.value, str(purpose.label)) for purpose in PROFILE_GIVABLE_PURPOSES if purpose not in active
    ]


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.select_related("user")
        .filter(user__is_active=True)
        .order_by("user__display_name", "user__email")
    )


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Platform staff see every organisation; everybody else the ones they belong to."""
    if user.is_active and user.is_platform_staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def open_invitations(organisation: Organisation, *, limit: int = 100) -> list[Invitation]:
    """The invitations of an organisation nobody has answered yet, newest first."""
    return list(Invitation.objects.open().filter(organisation=organisation).order_by("-created_at")[:limit])


def memberships_of(organisation: Organisation) -> QuerySet[Membership]:
    """Every membership of an organisation with its person, to pick one by primary key."""
    return Membership.objects.select_related("user").filter(organisation=organisation)

"""Facilities registered for heat alerts: care homes, kindergartens, schools, senior meeting places.

Staff invite a facility – usually one of the city profile's points (``seniors``: care homes, ``schools``,
``schoolsothers``), with the address the point has – by its e-mail address. The invitation is the
confirmation mail of the double opt-in (:mod:`konzeptk.notifications.optin`); nothing else goes to the
address before the facility's staff open the link, check the address and confirm. Confirming gives the
facility a subscription of its district (``Subscription.facility``): heat alerts of the city's own rules
reach it with the heat-protection checklist for its kind (fanout.py). The link in every mail stops them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.accounts.models import User
from konzeptk.city.models import PointOfInterest
from konzeptk.city.selectors import district_for
from konzeptk.core.errors import DomainError
from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications import optin
from konzeptk.resilience.models import Facility, Subscription
from konzeptk.resilience.subscriptions import new_token

CONFIRM_DAYS = 30  # facilities read their mail on work days; an invitation waits longer
#: the city profile's point categories that are facilities of a kind
POINT_KINDS = {
    "seniors": Facility.Kind.CARE_HOME,
    "schools": Facility.Kind.SCHOOL,
    "schoolsothers": Facility.Kind.SCHOOL,
}


def candidate_points() -> QuerySet[PointOfInterest]:
    """The city's points that can be invited and are not registered yet."""
    taken = Facility.objects.filter(point__isnull=False).values("point_id")
    return (
        PointOfInterest.objects.filter(category__in=list(POINT_KINDS), profile__is_active=True)
        .exclude(pk__in=taken)
        .order_by("name", "pk")
    )


def _send_invitation(facility: Facility, now: dt.datetime) -> bool:
    confirm = absolute_url(reverse("resilience:facility_confirm", kwargs={"token": facility.confirm_token}))
    stop = absolute_url(reverse("resilience:facility_decline", kwargs={"token": facility.token}))
    with override("de"):
        return optin.confirmation_request(
            row=Facility.objects.filter(pk=facility.pk),
            email=facility.contact_email,
            subject=_("Hitzewarnungen der Stadt für %(name)s") % {"name": facility.name},
            intro=_(
                "Die Stadt lädt %(name)s ein, Hitzewarnungen mit der Checkliste des Hitzeaktionsplans zu "
                "erhalten. Bitte prüfen Sie dazu einmal Name und Adresse der Einrichtung."
            )
            % {"name": facility.name},
            confirm_url=confirm,
            unsubscribe_url=stop,
            days=CONFIRM_DAYS,
            now=now,
        )


@transaction.atomic
def facility_invite(
    *,
    email: str,
    point: PointOfInterest | None = None,
    kind: str = "",
    name: str = "",
    address: str = "",
    actor: User | None = None,
) -> Facility:
    """Register a facility (from a point of the city profile, or by name and address) and invite it."""
    if point is not None:
        kind = kind or POINT_KINDS.get(point.category, "")
        name = name or point.name
        address = address or point.address
    if kind not in Facility.Kind.values:
        raise DomainError("facility_kind", fields=[("kind", _("Bitte wählen Sie die Art der Einrichtung."))])
    if not name.strip():
        raise DomainError(
            "facility_name", fields=[("name", _("Bitte geben Sie den Namen der Einrichtung an."))]
        )
    if point is not None and Facility.objects.filter(point=point).exists():
        raise DomainError("facility_taken", fields=[("point", _("Diese Einrichtung ist schon eingetragen."))])
    district = district_for(point.lat, point.lon).district if point is not None else None
    facility = Facility.objects.create(
        point=point, kind=kind, name=name.strip()[:200], address=address.strip()[:300], district=district,
        contact_email=email.strip(), token=new_token(), confirm_token=new_token(),
    )  # fmt: skip
    _send_invitation(facility, timezone.now())
    return facility


@transaction.atomic
def facility_invite_again(*, facility: Facility) -> bool:
    """Send the invitation again (at most once an hour, as every confirmation mail)."""
    if facility.confirmed_at is not None:
        return False
    if not facility.confirm_token:
        facility.confirm_token = new_token()
        facility.save(update_fields=["confirm_token"])
    return _send_invitation(facility, timezone.now())


def facility_pending(*, confirm_token: str) -> Facility | None:
    return optin.pending(queryset=Facility.objects.all(), token=confirm_token, days=CONFIRM_DAYS)


@transaction.atomic
def facility_confirm(*, confirm_token: str, address: str) -> Facility | None:
    """The facility confirms (and may correct) its address; from now on it gets heat alerts."""
    facility = facility_pending(confirm_token=confirm_token)
    if facility is None:
        return None
    now = timezone.now()
    address = address.strip()[:300]
    if address:
        Facility.objects.filter(pk=facility.pk).update(address=address)
    optin.confirm(row=Facility.objects.filter(pk=facility.pk), now=now)
    facility.refresh_from_db()
    subscription, _created = Subscription.objects.get_or_create(
        facility=facility,
        defaults={
            "email": facility.contact_email, "language": "de", "by_email": True, "by_inbox": False,
            "token": new_token(), "confirmed_at": now,
        },
    )  # fmt: skip
    subscription.confirmed_at = subscription.confirmed_at or now
    subscription.email = facility.contact_email
    subscription.save(update_fields=["confirmed_at", "email"])
    subscription.districts.set([facility.district] if facility.district is not None else [])
    return facility


@transaction.atomic
def facility_decline(*, token: str) -> bool:
    """The link in the invitation: no mails to this facility (its address is removed)."""
    facility = Facility.objects.filter(token=token).first()
    if facility is None:
        return False
    Subscription.objects.filter(facility=facility).delete()
    facility.contact_email = ""
    facility.confirmed_at = None
    facility.confirm_token = None
    facility.save(update_fields=["contact_email", "confirmed_at", "confirm_token"])
    return True


def facility_by_token(token: str) -> Facility | None:
    return Facility.objects.filter(token=token).first() if token else None


def facilities_list() -> QuerySet[Facility]:
    return Facility.objects.select_related("district").order_by("name", "pk")

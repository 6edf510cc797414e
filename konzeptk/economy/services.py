"""Writes of economy: entries and their opening hours, claims of owners, owners' edits."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.selectors import district_for
from konzeptk.core import opening_hours as hours
from konzeptk.core.errors import DomainError
from konzeptk.economy.models import Business, Claim, WeeklyInterval

#: fields an owner may change (name, category, place and publication stay with staff)
OWNER_FIELDS = (
    "description",
    "step_free",
    "delivery",
    "click_collect",
    "online_shop",
    "card_payment",
    "website",
    "shop_url",
    "phone",
    "opening_hours",
)


def _today() -> dt.date:
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def opening_hours_store(*, business: Business, on: dt.date | None = None) -> None:
    """Compute and store the weekly intervals of ``business.opening_hours`` (replaces the old rows)."""
    WeeklyInterval.objects.filter(business=business).delete()
    business.hours_vary = False
    if business.opening_hours.strip():
        try:
            weekly = hours.weekly_intervals(business.opening_hours, on=on or _today())
        except hours.HoursError as exc:
            raise DomainError(
                "invalid_opening_hours", fields=[("opening_hours", hours.error_message(exc))]
            ) from None
        WeeklyInterval.objects.bulk_create(
            WeeklyInterval(
                business=business,
                weekday=i.weekday,
                holiday=i.holiday,
                start_minute=i.start_minute,
                end_minute=i.end_minute,
            )
            for i in weekly.intervals
        )
        business.hours_vary = weekly.varies
    business.hours_computed_at = timezone.now()
    Business.objects.filter(pk=business.pk).update(
        hours_vary=business.hours_vary, hours_computed_at=business.hours_computed_at
    )


def _place(business: Business) -> None:
    answer = district_for(business.lat, business.lon)
    if not answer.inside_city:
        raise DomainError("outside_city", fields=[("lat", _("Der Ort liegt nicht in der Stadt."))])
    business.district = answer.district


def business_save(*, business: Business, on: dt.date | None = None) -> Business:
    """Create or change an entry (staff, demo, admin): district from the point, hours precomputed."""
    if business.opening_hours.strip():
        try:
            hours.parse(business.opening_hours)
        except hours.HoursError as exc:
            raise DomainError(
                "invalid_opening_hours", fields=[("opening_hours", hours.error_message(exc))]
            ) from None
    with transaction.atomic():
        _place(business)
        business.opening_hours = business.opening_hours.strip()
        business.updated_at = timezone.now()
        business.save()
        opening_hours_store(business=business, on=on)
    return business


def business_update_by_owner(*, business: Business, user: User, changes: dict[str, Any]) -> Business:
    """A verified owner changes the fields owners may change."""
    if not user.has_perm("economy.change_own_business", business):
        raise DomainError(
            "not_owner", _("Nur bestätigte Inhaberinnen und Inhaber dürfen diesen Eintrag ändern."), 403
        )
    for name, value in changes.items():
        if name not in OWNER_FIELDS:
            raise DomainError("unknown_field", f"{name}")
        setattr(business, name, value)
    return business_save(business=business)


def claim_create(*, business: Business, user: User, role: str, evidence: str) -> Claim:
    """A person says they run the business; staff will check the evidence."""
    role, evidence = role.strip(), evidence.strip()
    errors = []
    if not role:
        errors.append(("role", _("Bitte nennen Sie Ihre Rolle im Geschäft.")))
    if not evidence:
        errors.append(("evidence", _("Bitte sagen Sie, wie wir Ihre Angabe prüfen können.")))
    if errors:
        raise DomainError("invalid_claim", fields=errors)
    try:
        with transaction.atomic():
            return Claim.objects.create(
                business=business, user=user, role=role[:80], evidence=evidence[:2000]
            )
    except IntegrityError:
        raise DomainError(
            "already_claimed", _("Sie haben für dieses Geschäft schon einen Anspruch gestellt."), 409
        ) from None


def claim_decide(*, claim: Claim, by: User, verified: bool, note: str = "") -> Claim:
    """Staff confirm or reject a claim."""
    if not by.has_perm("economy.verify_claims"):
        raise DomainError("forbidden", _("Nur die Verwaltung prüft Ansprüche."), 403)
    if claim.status != Claim.Status.PENDING:
        raise DomainError("already_decided", _("Über diesen Anspruch ist schon entschieden."), 409)
    claim.status = Claim.Status.VERIFIED if verified else Claim.Status.REJECTED
    claim.staff_note = note.strip()[:2000]
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "staff_note", "decided_at"])
    return claim


def opening_hours_refresh(*, on: dt.date | None = None) -> int:
    """Renew the weekly table of every entry whose hours change over the year (nightly); returns the count."""
    count = 0
    for business in Business.objects.filter(hours_vary=True).iterator():
        with transaction.atomic():
            opening_hours_store(business=business, on=on)
        count += 1
    return count

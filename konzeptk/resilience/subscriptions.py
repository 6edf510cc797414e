"""Residents subscribe to the city's warnings for their districts, in their language.

- **By e-mail** (with or without an account): the double opt-in of :mod:`konzeptk.notifications.optin`.
  The only mail an address gets before its owner confirms is the confirmation link (at most one per
  :data:`RESEND_AFTER`, however often the form is sent); unconfirmed subscriptions are deleted after
  :data:`CONFIRM_DAYS`. The page answers the same in every case, so it tells nobody whether an address is
  subscribed. A confirmed subscription is not changed by the form (a stranger cannot move someone else's
  districts); its owner stops it with the link in every mail and subscribes anew.
- **In the inbox** (signed in): at once, no confirmation needed; mails to the account follow its
  notification settings for the kind "Warnungen für meine Stadtteile".
- **Stopping** is one click (the link in every mail, also as ``List-Unsubscribe`` header, RFC 8058): the
  subscription is deleted, with the record of what it was sent.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.core.ratelimits import register
from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications import optin
from konzeptk.resilience.models import Facility, Subscription

# the limits of the pages that write for strangers (subscription_views.py, facility_views.py)
register("warning_subscribe", "10/h", key="ip", purpose="Anmeldungen zu Warnungen der Stadt")
register("warning_link", "60/h", key="ip", purpose="Bestätigen und Abbestellen von Warnungen per Link")

CONFIRM_DAYS = 7
RESEND_AFTER = dt.timedelta(hours=1)
#: how often a subscription is looked up again when a request at the same moment stored it first
CREATE_ATTEMPTS = 3
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise DomainError(
            "unknown_language",
            _("Diese Sprache gibt es hier nicht."),
            fields=[("language", _("Diese Sprache gibt es hier nicht."))],
        )
    return language


def _request_confirmation(subscription: Subscription, now: dt.datetime) -> bool:
    confirm = absolute_url(
        reverse("resilience:subscription_confirm", kwargs={"token": subscription.confirm_token})
    )
    stop = absolute_url(reverse("resilience:unsubscribe", kwargs={"token": subscription.token}))
    with override(subscription.language):
        return optin.confirmation_request(
            row=Subscription.objects.filter(pk=subscription.pk),
            email=subscription.email,
            subject=_("Bitte bestätigen: Warnungen der Stadt per E-Mail"),
            intro=_(
                "Jemand hat diese E-Mail-Adresse für Warnungen der Stadt angemeldet, zum Beispiel bei Hitze "
                "oder Starkregen."
            ),
            confirm_url=confirm,
            unsubscribe_url=stop,
            days=CONFIRM_DAYS,
            resend_after=RESEND_AFTER,
            now=now,
        )


def subscriptions_expire(*, now: dt.datetime | None = None) -> int:
    """Delete e-mail subscriptions never confirmed within CONFIRM_DAYS; returns how many."""
    return optin.expire(
        queryset=Subscription.objects.filter(facility__isnull=True), days=CONFIRM_DAYS, now=now
    )


def _get_or_create(
    found: QuerySet[Subscription], create: Callable[[], Subscription]
) -> tuple[Subscription, bool]:
    """The one row of ``found``, locked until the commit, or a new one from ``create``; whether it is new.

    The same form sent from several tabs at once: the unique constraints (one e-mail subscription per
    address, one inbox subscription per account) let one request store the row; the others wait for its
    commit, get an IntegrityError and take that row – a conflict is retried, never an error.
    """
    for _attempt in range(CREATE_ATTEMPTS):
        existing = found.select_for_update().first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            continue  # another request stored the row a moment ago
    raise IntegrityError("resilience: subscription still conflicting after retries")


@transaction.atomic
def subscription_create(
    *, email: str = "", districts: Iterable[District] = (), language: str, user: User | None = None
) -> Subscription:
    """Subscribe an address (confirmation mail) or, without an address, the signed-in account (inbox)."""
    language = _language(language)
    chosen = list(districts)
    now = timezone.now()
    email = email.strip()
    if not email:
        if user is None or not user.is_authenticated:
            raise DomainError(
                "email_required", fields=[("email", _("Bitte geben Sie Ihre E-Mail-Adresse an."))]
            )
        subscription, created = _get_or_create(
            Subscription.objects.filter(user=user, by_inbox=True, facility__isnull=True),
            lambda: Subscription.objects.create(
                user=user,
                language=language,
                by_inbox=True,
                by_email=False,
                token=new_token(),
                confirmed_at=now,
            ),
        )
        if not created:
            subscription.language = language
            subscription.save(update_fields=["language"])
        subscription.districts.set(chosen)
        return subscription
    validate_email(email)
    subscriptions_expire(now=now)
    subscription, created = _get_or_create(
        Subscription.objects.filter(email__iexact=email, by_email=True, facility__isnull=True),
        lambda: Subscription.objects.create(
            email=email,
            user=user if user is not None and user.is_authenticated else None,
            language=language,
            by_email=True,
            by_inbox=False,
            token=new_token(),
            confirm_token=new_token(),
        ),
    )
    if created:
        subscription.districts.set(chosen)
    elif subscription.confirmed_at is None:
        subscription.language = language
        subscription.save(update_fields=["language"])
        subscription.districts.set(chosen)
    else:
        return subscription  # confirmed: unchanged, and no mail (see the module text)
    _request_confirmation(subscription, now)
    return subscription


def subscription_pending(*, confirm_token: str) -> Subscription | None:
    return optin.pending(
        queryset=Subscription.objects.filter(facility__isnull=True), token=confirm_token, days=CONFIRM_DAYS
    )


@transaction.atomic
def subscription_confirm(*, confirm_token: str) -> Subscription | None:
    subscription = subscription_pending(confirm_token=confirm_token)
    if subscription is None:
        return None
    optin.confirm(row=Subscription.objects.filter(pk=subscription.pk))
    subscription.refresh_from_db(fields=["confirmed_at"])
    return subscription


def subscription_by_token(token: str) -> Subscription | None:
    if not token:
        return None
    return Subscription.objects.filter(token=token).select_related("facility").first()


@transaction.atomic
def subscription_stop(*, token: str) -> bool:
    """One-click unsubscribe: the subscription is deleted (a facility stays registered, unconfirmed)."""
    subscription = subscription_by_token(token)
    if subscription is None:
        return False
    if subscription.facility_id is not None:
        Facility.objects.filter(pk=subscription.facility_id).update(confirmed_at=None)
    subscription.delete()
    return True


@transaction.atomic
def subscription_delete(*, user: User, subscription_id: int) -> bool:
    """A signed-in person stops one of their own subscriptions (from the subscription page)."""
    deleted, _by_model = Subscription.objects.filter(
        pk=subscription_id, user=user, facility__isnull=True
    ).delete()
    return bool(deleted)


def subscriptions_of(user: User) -> list[Subscription]:
    return list(
        Subscription.objects.filter(user=user, facility__isnull=True)
        .prefetch_related("districts")
        .order_by("pk")
    )
